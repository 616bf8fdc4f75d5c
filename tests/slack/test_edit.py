"""Editing a talk in Slack: `/wgml edit REF` and the Edit buttons open the form filled in; a
ticked box makes a new confirmed version, the card is updated in place, votes are kept."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from bot.demo.emulator.blockkit import block_errors
from bot.demo.emulator.requests import block_action
from bot.slack_ui.blocks import EDIT_CALLBACK
from storage.models import Submission, SubmissionVersion
from tests.conftest import LEADERS, LEADS, Running
from tests.curation_support import (
    card_json,
    db_votes,
    exported,
    open_test_cycle,
    posted_card,
    press,
    settled,
)

NEW = {
    "title": "SAM 2 versus Cutie for hair roto",
    "focus_area": "content_creation",
    "abstract": "We ran SAM 2 and Cutie on 80 shots of hair and fur and compared with artists.",
    "results": "Worked on clean plates; failed on motion blur.",
    "studio": "Example Studio",
    "email": "member@example.org",
}


async def _ref(running: Running, sid: int) -> str:
    async with running.db.session() as session:
        ref = await session.scalar(select(Submission.ref).where(Submission.id == sid))
    assert ref
    return ref


async def _edit(running: Running, ref: str, user: str = "UMEMBER1", *,
                confirmed: bool = True, **fields: Any) -> tuple[int, str]:
    values: dict[str, Any] = {**NEW, **fields, "confirmed": confirmed}
    return await running.sender.submit_view(user, f"VEDIT{ref[-3:]}{user}", user_name="ada",
                                            callback_id=EDIT_CALLBACK, private_metadata=ref,
                                            **values)


async def _versions(running: Running, sid: int) -> list[SubmissionVersion]:
    async with running.db.session() as session:
        return list((await session.scalars(
            select(SubmissionVersion).where(SubmissionVersion.submission_id == sid)
            .order_by(SubmissionVersion.n))).all())


async def _answer(running: Running, user: str, text: str) -> dict[str, Any]:
    status, body = await running.sender.command(user, text)
    assert status == 200, body
    return dict(json.loads(body)) if body else {}


async def test_edit_opens_the_form_filled_in_with_the_box_unticked(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await posted_card(running)
    ref = await _ref(running, sid)
    assert "edit WGML-2026-007" in (await _answer(running, "UMEMBER1", "help"))["text"]
    await _answer(running, "UMEMBER1", f"edit {ref.lower()}")
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    view = running.slack.calls_to("views.open")[-1].params["view"]  # the emulator accepted it
    assert view["callback_id"] == EDIT_CALLBACK and view["private_metadata"] == ref
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    assert by_id["title"]["element"]["initial_value"] == "We tried SAM 2 for rotoscoping hair"
    assert by_id["abstract"]["element"]["initial_value"].startswith("We ran SAM 2 on 40")
    assert by_id["results"]["element"]["initial_value"].startswith("Worked on clean")
    assert by_id["focus_area"]["element"]["initial_option"]["value"] == "content_creation"
    assert "initial_options" not in by_id["confirmation"]["element"]


async def test_an_unticked_edit_errors_on_the_box_and_changes_nothing(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    ref = await _ref(running, sid)
    updates = len(running.slack.calls_to("chat.update"))
    status, body = await _edit(running, ref, confirmed=False)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"confirmation"}
    await running.settle()
    assert len(running.slack.calls_to("chat.update")) == updates
    assert "Cutie" not in card_json(running, ts)
    assert [v.n for v in await _versions(running, sid)] == [1]


async def test_a_ticked_edit_is_a_new_version_on_the_same_card_and_votes_stay(
    running: Running,
) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    ref = await _ref(running, sid)
    await press(running, LEADERS[0], "yes", sid, ts)
    await press(running, LEADERS[1], "maybe", sid, ts)
    await settled(running)
    status, body = await _edit(running, ref)
    assert status == 200 and body == ""
    await settled(running)
    await _edit(running, ref)  # the same form delivered again: one version, one DM
    await settled(running)
    shown = card_json(running, ts)
    assert "SAM 2 versus Cutie for hair roto" in shown and "80 shots" in shown
    assert "rotoscoping hair" not in shown
    assert await db_votes(running, sid) == {LEADERS[0]: "yes", LEADERS[1]: "maybe"}
    assert f"<@{LEADERS[0]}>" in shown  # the card's tally still names them
    assert len([m for m in running.slack.channel_messages(LEADS) if not m["thread_ts"]]) == 1
    [note] = [m for m in running.slack.channel_messages(LEADS) if m["thread_ts"] == ts]
    assert "title" in note["text"] and "abstract" in note["text"]
    assert "Cutie" not in note["text"] and "80 shots" not in note["text"]  # fields, no text
    dm = running.slack.channel_messages("DMEMBER1")[-1]["text"]
    assert "version 2" in dm and ref in dm
    assert not any("Nothing changed" in m["text"]
                   for m in running.slack.channel_messages("DMEMBER1"))
    versions = await _versions(running, sid)
    assert [(v.n, v.channel, v.created_by) for v in versions] == [
        (1, "slack", "UMEMBER1"), (2, "slack", "UMEMBER1")]
    assert all(v.confirmed_at and v.statement for v in versions)
    data = await exported(running, sid)
    assert data["title"] == NEW["title"]
    assert [(v["n"], v["title"]) for v in data["versions"]] == [
        (1, "We tried SAM 2 for rotoscoping hair"), (2, NEW["title"])]
    assert set(data["versions"][0]) >= {"n", "title", "abstract", "results", "created_at",
                                        "confirmed_at"}


async def test_the_same_text_again_makes_no_version(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await posted_card(running)
    ref = await _ref(running, sid)
    await _edit(running, ref, title="We tried SAM 2 for rotoscoping hair",
                abstract="We ran SAM 2 on 40 shots of hair and fur and compared with artists.")
    await running.settle()
    assert [v.n for v in await _versions(running, sid)] == [1]
    assert "Nothing changed" in running.slack.channel_messages("DMEMBER1")[-1]["text"]


async def test_only_the_speaker_may_edit(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    ref = await _ref(running, sid)
    answer = await _answer(running, "UOTHER1", f"edit {ref}")
    assert "only its speaker can edit" in answer["text"]
    assert running.slack.calls_to("views.open") == []
    # A forged form for someone else's talk is refused on the form, and changes nothing.
    _, body = await _edit(running, ref, user="UOTHER1", title="Hijacked")
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert "only its speaker" in answer["errors"]["title"]
    await running.settle()
    assert "Hijacked" not in card_json(running, ts)
    assert [v.n for v in await _versions(running, sid)] == [1]
    for text in ("edit", "edit nonsense", "edit WGML-2026-999"):
        assert (await _answer(running, "UMEMBER1", text))["text"]


async def test_a_withdrawn_talk_cannot_be_edited(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    ref = await _ref(running, sid)
    await _answer(running, "UMEMBER1", f"withdraw {ref}")
    answer = await _answer(running, "UMEMBER1", f"edit {ref}")
    assert "was withdrawn, so it can no longer be edited" in answer["text"]
    assert running.slack.calls_to("views.open") == []
    _, body = await _edit(running, ref)  # a form opened before the withdrawal
    assert "withdrawn" in json.loads(body)["errors"]["title"]
    await running.settle()
    assert "Cutie" not in card_json(running, ts)


async def test_edits_close_on_the_session_date(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await posted_card(running)
    ref = await _ref(running, sid)
    running.clock.fixed = dt.datetime.now(dt.UTC) + dt.timedelta(days=41)
    answer = await _answer(running, "UMEMBER1", f"edit {ref}")
    assert "session date has come" in answer["text"]
    running.clock.fixed = None


async def test_accepted_talks_can_be_edited_and_the_thread_says_so(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    ref = await _ref(running, sid)
    await press(running, LEADERS[0], "accept", sid, ts)
    await settled(running)
    await _edit(running, ref, results="Worked on clean plates and, with Cutie, on fur.")
    await settled(running)
    [note] = [m for m in running.slack.channel_messages(LEADS)
              if m["thread_ts"] == ts and "edited" in m["text"]]
    assert "results" in note["text"]
    assert "with Cutie, on fur" in card_json(running, ts)
    async with running.db.session() as session:
        assert (await session.get(Submission, sid)).status == "accepted"  # type: ignore[union-attr]


async def test_mine_and_home_have_edit_buttons_that_open_the_form(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await posted_card(running)
    ref = await _ref(running, sid)
    other, _ = await posted_card(running, title="A second talk on depth")
    other_ref = await _ref(running, other)
    await _answer(running, "UMEMBER1", f"withdraw {other_ref}")
    answer = await _answer(running, "UMEMBER1", "mine")
    assert answer["response_type"] == "ephemeral" and ref in answer["text"]
    assert block_errors(answer["blocks"]) == []
    buttons = [e for b in answer["blocks"] if b.get("block_id") == "edit_talks"
               for e in b["elements"]]
    assert [b["value"] for b in buttons] == [ref]  # the withdrawn one has none
    status, _ = await running.sender.post(block_action(
        "UMEMBER1", buttons[0]["action_id"], ref, channel="C0GENERAL", message_ts="1.1"))
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    assert running.slack.calls_to("views.open")[-1].params["view"]["private_metadata"] == ref

    await running.sender.event({"type": "app_home_opened", "user": "UMEMBER1",
                                "channel": "DMEMBER1", "tab": "home", "event_ts": "1.2"})
    await running.slack.wait_for(lambda: running.slack.calls_to("views.publish"))
    home = running.slack.calls_to("views.publish")[-1].params["view"]
    home_buttons = [e for b in home["blocks"] if b["type"] == "actions"
                    for e in b["elements"]]
    assert [b["value"] for b in home_buttons] == [ref]
    await running.sender.home_press("UMEMBER1", home_buttons[0]["action_id"], ref)
    await running.slack.wait_for(lambda: len(running.slack.calls_to("views.open")) == 2)
    # Somebody else pressing (a forwarded payload) gets a refusal by DM, no form.
    await running.sender.home_press("UOTHER1", home_buttons[0]["action_id"], ref)
    await running.slack.wait_for(lambda: running.slack.channel_messages("DOTHER1"))
    assert len(running.slack.calls_to("views.open")) == 2
    assert "only its speaker" in running.slack.channel_messages("DOTHER1")[-1]["text"]


async def test_an_edit_racing_a_vote_keeps_both(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    ref = await _ref(running, sid)
    results = await asyncio.gather(
        _edit(running, ref),
        running.sender.press(LEADERS[2], "vote_no", f"{sid}:no", channel=LEADS, message_ts=ts),
        running.sender.press(LEADERS[0], "vote_yes", f"{sid}:yes", channel=LEADS,
                             message_ts=ts),
    )
    assert [r[0] for r in results] == [200, 200, 200]
    await settled(running)
    assert await db_votes(running, sid) == {LEADERS[2]: "no", LEADERS[0]: "yes"}
    shown = card_json(running, ts)
    assert NEW["title"] in shown
    assert f"<@{LEADERS[2]}>" in shown and f"<@{LEADERS[0]}>" in shown
    assert [v.n for v in await _versions(running, sid)] == [1, 2]

