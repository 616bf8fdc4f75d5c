"""The speaker's consent in Slack, over the real HTTP path (signed requests, the bolt app, the
Slack emulator): the slides form's checkbox (ticked, then unticked: withdrawn), the submission
form's optional box, `/wgml unpublish REF` and the buttons in `/wgml mine`; strangers are
refused, retries change nothing, and each change builds the site once."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

from bot.demo.emulator.blockkit import block_errors, view_errors
from bot.demo.emulator.requests import modal_state, view_submission
from bot.slack_ui.blocks import PUBLISH_ACTION, PUBLISH_BLOCK
from bot.talks.publish import CONSENT_TEXT, CONSENT_VALUE
from storage.models import Submission
from tests.conftest import Running
from tests.curation_support import audit_actions, open_test_cycle, settled
from tests.sessions.test_attendance import accepted
from tests.sessions.test_slides import presented
from tests.site_consent.support import consent, ephemeral_press, publish_events, rebuild_rows


def slides_state(slides: str | None, publish: bool) -> dict[str, Any]:
    return {"values": {
        "slides": {"slides_input": {"type": "url_text_input", "value": slides}},
        "recording": {"recording_input": {"type": "url_text_input", "value": None}},
        "no_confidential": {"no_confidential_input": {
            "type": "checkboxes", "selected_options": [{"value": "yes"}]}},
        "publish": {"publish_input": {
            "type": "checkboxes",
            "selected_options": [{"value": CONSENT_VALUE}] if publish else []}},
    }}


async def save_slides(running: Running, user: str, sid: int, slides: str, publish: bool
                      ) -> dict[str, Any]:
    status, body = await running.sender.post(view_submission(
        user, "VSLIDES01", slides_state(slides, publish), callback_id="wgml_slides",
        private_metadata=str(sid)))
    assert status == 200, body
    await settled(running)
    return json.loads(body) if body else {}


async def open_slides_form(running: Running, sid: int) -> dict[str, Any]:
    before = len(running.slack.calls_to("views.open"))
    status, body = await running.sender.press("UMEMBER1", "slides_open", str(sid),
                                              channel="DMEMBER1", message_ts="1.000001")
    assert status == 200, body
    await settled(running)
    await running.slack.wait_for(lambda: len(running.slack.calls_to("views.open")) > before)
    view = running.slack.calls_to("views.open")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view_errors(view) == []
    return dict(view)


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def index(site_dir: Path) -> str:
    return (site_dir / "index.html").read_text(encoding="utf-8")


async def test_the_slides_form_asks_and_unticking_withdraws(running: Running,
                                                            site_dir: Path) -> None:
    sid = await presented(running)
    view = await open_slides_form(running, sid)
    box = block(view, "publish")
    assert box["optional"] is True and box["element"]["type"] == "checkboxes"
    assert box["element"]["options"][0]["text"]["text"] == CONSENT_TEXT
    assert "initial_options" not in box["element"]  # never answered: unticked
    assert await consent(running.db, sid) is None

    assert "errors" not in await save_slides(running, "UMEMBER1", sid,
                                             "https://s.example.org/deck", True)
    assert await consent(running.db, sid) is True
    assert await publish_events(running.db, sid) == [
        {"actor": "UMEMBER1", "publish": True, "previous": None, "via": "slides_form"}]
    # The site was built again with the talk (the placeholder lists published talks).
    assert "We tried SAM 2 for rotoscoping hair" in index(site_dir)

    # Opened again: the box ticked, the link kept, so the form can be sent just to change it.
    again = await open_slides_form(running, sid)
    assert block(again, "publish")["element"]["initial_options"][0]["value"] == CONSENT_VALUE
    assert block(again, "slides")["element"]["initial_value"] == "https://s.example.org/deck"

    # Unticked after a consent: withdrawn, and the next build drops the talk.
    await save_slides(running, "UMEMBER1", sid, "https://s.example.org/deck", False)
    assert await consent(running.db, sid) is False
    assert "rotoscoping" not in index(site_dir)
    # The same answer again changes nothing: no audit, no build.
    builds = len(await rebuild_rows(running.db))
    await save_slides(running, "UMEMBER1", sid, "https://s.example.org/deck", False)
    events = await publish_events(running.db, sid)
    assert [e["publish"] for e in events] == [True, False]
    assert events[1]["previous"] is True
    assert len(await rebuild_rows(running.db)) == builds  # links unchanged, not published
    assert all(r.status == "sent" for r in await rebuild_rows(running.db))
    # A stranger's form for this talk changes nothing.
    stranger = await save_slides(running, "UMEMBER2", sid, "https://s.example.org/x", True)
    assert "errors" in stranger and await consent(running.db, sid) is False


def submit_state(publish: bool | None) -> dict[str, Any]:
    state = modal_state(title="Gaussian splats on set", focus_area="content_creation",
                        abstract="We captured splats on set for previs.",
                        email="member@example.org", confirmed=True)
    if publish is not None:  # Slack sends the box, ticked or not
        state["values"][PUBLISH_BLOCK] = {PUBLISH_ACTION: {
            "type": "checkboxes",
            "selected_options": [{"value": CONSENT_VALUE}] if publish else []}}
    return state


async def test_the_submission_form_may_ask_up_front(running: Running) -> None:
    await open_test_cycle(running)
    status, _ = await running.sender.command("UMEMBER1", "submit")
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    view = running.slack.calls_to("views.open")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    box = block(view, PUBLISH_BLOCK)
    assert box["optional"] is True and box["label"]["text"] == "Public archive"
    assert box["element"]["options"][0]["text"]["text"] == CONSENT_TEXT
    sids = {}
    for user, publish in (("UTICK", True), ("UNOTICK", False), ("UOLD", None)):
        status, body = await running.sender.post(view_submission(
            user, f"V{uuid.uuid4().hex[:10]}", submit_state(publish)))
        assert status == 200 and not body, body
        await settled(running)
        async with running.db.session() as session:
            from sqlalchemy import select

            from storage.models import Speaker
            sids[user] = await session.scalar(select(Submission.id).join(Speaker).where(
                Speaker.slack_user_id == user))
    assert await consent(running.db, sids["UTICK"]) is True
    assert await consent(running.db, sids["UNOTICK"]) is None  # unticked: never answered
    assert await consent(running.db, sids["UOLD"]) is None
    assert [e["via"] for e in await publish_events(running.db, sids["UTICK"])] == [
        "submit_form"]
    assert await rebuild_rows(running.db) == []  # nothing of a new talk is on the archive


async def command(running: Running, user: str, line: str) -> dict[str, Any]:
    status, body = await running.sender.command(user, line)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    return dict(answer)


async def listed_talk(running: Running) -> tuple[int, str]:
    await open_test_cycle(running)
    sid, _ = await accepted(running)
    async with running.db.transaction() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.ref
        sub.publish = True
        return sid, sub.ref


async def test_unpublish_only_by_the_speaker(running: Running, site_dir: Path) -> None:
    sid, ref = await listed_talk(running)
    assert "unpublish WGML-2026-007" in (await command(running, "UMEMBER1", "help"))["text"]
    assert "Which talk?" in (await command(running, "UMEMBER1", "unpublish"))["text"]
    assert "does not look like a reference" in (
        await command(running, "UMEMBER1", "unpublish <script>"))["text"]
    unknown = await command(running, "UMEMBER1", "unpublish WGML-2099-999")
    assert "can't find `WGML-2099-999`" in unknown["text"] and "mine" in unknown["text"]
    refused = await command(running, "UMEMBER2", f"unpublish {ref}")
    assert "not one of your talks" in refused["text"]
    assert await consent(running.db, sid) is True
    assert "publish.refused" in await audit_actions(running, sid)
    done = await command(running, "UMEMBER1", f"unpublish {ref.lower()}")
    assert "off the public archive" in done["text"]
    assert await consent(running.db, sid) is False
    await settled(running)
    assert (site_dir / "index.html").exists()  # built again, without the talk
    assert "rotoscoping" not in index(site_dir)
    again = await command(running, "UMEMBER1", f"unpublish {ref}")
    assert "is not on the public archive" in again["text"]
    assert [e["publish"] for e in await publish_events(running.db, sid)] == [False]


async def test_the_buttons_in_mine(running: Running, site_dir: Path) -> None:
    await open_test_cycle(running)
    sid, _ = await accepted(running)
    mine = await command(running, "UMEMBER1", "mine")
    assert block_errors(mine["blocks"]) == []
    [row] = [b for b in mine["blocks"] if b.get("block_id") == "publish_talks"]
    [button] = row["elements"]
    assert button["text"]["text"].startswith("List on the public archive (WGML-")
    assert button["value"] == f"{sid}:yes"

    url = running.slack.new_response_url()
    stamp = f"{time.time():.6f}"
    press = ephemeral_press("UMEMBER1", button["action_id"], button["value"], url, stamp)
    status, _ = await running.sender.post(press)
    assert status == 200
    for retry in (1, 2):  # Slack retries the very same press
        status, _ = await running.sender.post(press, headers={
            "X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        assert status == 200
    await settled(running)
    assert await consent(running.db, sid) is True
    assert len(await publish_events(running.db, sid)) == 1
    await running.slack.wait_for(lambda: running.slack.responses)
    [refreshed] = running.slack.responses  # the retries answered nothing more
    assert refreshed["replace_original"] is True
    shown = json.dumps(refreshed)
    assert "will be listed on the public archive" in shown
    assert "Remove from the public archive (WGML-" in shown
    assert "listed on the public archive" in refreshed["blocks"][1]["text"]["text"]
    # The site was built again (which talks it lists, and when, is tests/site's).
    assert (site_dir / "index.html").exists() and (site_dir / ".wgml-site.json").exists()

    # The same payload replayed by someone else: refused, nothing changed.
    stranger = ephemeral_press("UMEMBER2", button["action_id"], f"{sid}:no",
                               running.slack.new_response_url())
    status, _ = await running.sender.post(stranger)
    assert status == 200
    await running.slack.wait_for(lambda: len(running.slack.responses) > 1)
    assert "not one of your talks" in running.slack.responses[-1]["text"]
    assert await consent(running.db, sid) is True
    # A bad value: a hint, nothing stored.
    status, _ = await running.sender.post(ephemeral_press(
        "UMEMBER1", "publish_set:0", "drop table", running.slack.new_response_url()))
    await running.slack.wait_for(lambda: len(running.slack.responses) > 2)
    assert "incomplete" in running.slack.responses[-1]["text"]

    # Removed with the other button: withdrawn, and the next build drops it.
    remove = next(e for b in refreshed["blocks"] if b.get("block_id") == "publish_talks"
                  for e in b["elements"])
    assert remove["value"] == f"{sid}:no"
    status, _ = await running.sender.post(ephemeral_press(
        "UMEMBER1", remove["action_id"], remove["value"], running.slack.new_response_url()))
    await settled(running)
    assert await consent(running.db, sid) is False
    assert "rotoscoping" not in index(site_dir)
