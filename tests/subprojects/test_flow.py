"""The whole flow on the emulator: three talks from three studios with the same failure,
the button pressed by a member and by a leader, the modal, the channel, the invitations,
the evidence post, the interest button and the export."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import select

from bot.demo.emulator.slack import BOT_USER_ID
from bot.subprojects.export import subprojects_json
from storage.models import OutboxMessage
from tests.conftest import ANNOUNCE, Running
from tests.smtp_sink import SmtpServer
from tests.subprojects.conftest import (
    HAIR,
    buttons,
    seed_three_studios,
    submit,
    subprojects,
    themes_answer,
)


async def open_modal(running: Running, user: str = "ULEAD1") -> tuple[dict[str, Any], str]:
    answer = await themes_answer(running, user)
    (button,) = buttons(answer["blocks"], "subproject")
    before = len(running.slack.views)
    status, _ = await running.sender.press(user, button["action_id"], button["value"],
                                           channel="C0GENERAL", message_ts="1.000001")
    assert status == 200
    await running.slack.wait_for(lambda: len(running.slack.views) > before)
    view = list(running.slack.views.values())[-1]
    return view, button["value"]


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


async def test_the_whole_flow(mailrunning: Running, smtp: SmtpServer) -> None:
    running, slack = mailrunning, mailrunning.slack
    slack.conversations.add_users("UNORTH01", "USHY0001", "UMEMBER1")
    north, kestrel, _shy = await seed_three_studios(running.db)

    # A member pressing the button (or replaying its payload) is refused; nothing happens.
    answer = await themes_answer(running, "ULEAD1")
    (button,) = buttons(answer["blocks"], "subproject")
    assert button["text"]["text"] == "Propose a sub-project"
    status, _ = await running.sender.press("UMEMBER1", button["action_id"], button["value"],
                                           channel="C0GENERAL", message_ts="1.000001")
    assert status == 200
    # The press is acknowledged first, answered after: wait for the answer.
    await slack.wait_for(lambda: any(e["user"] == "UMEMBER1" and "for the WG-ML leaders"
                                     in e["text"] for e in slack.ephemeral))
    assert slack.views == {} and await subprojects(running.db) == []

    # A leader gets the modal, filled in from the theme.
    view, _ = await open_modal(running)
    assert view["callback_id"] == "subproject_modal"
    channel_name = block(view, "channel")["element"]["initial_value"]
    assert channel_name.startswith("wgml-") and "hair" in channel_name
    statement = block(view, "statement")["element"]["initial_value"]
    assert "strands" in statement or "hair" in statement
    talks = block(view, "talks")["element"]
    assert {o["value"] for o in talks["initial_options"]} == {str(north), str(kestrel)}
    assert all(len(o["text"]["text"]) <= 75 for o in talks["options"])
    assert "Matting curly hair" not in json.dumps(view)  # opted out: counted, not named
    assert "1 talk whose speaker opted out" in json.dumps(view)

    answer = await submit(running, "ULEAD1", view, name="Hair and fur mattes")
    assert answer.get("response_action") is None, answer
    await running.settle()

    # The channel, its members, the evidence.
    channel = slack.conversations.channel_named(channel_name)
    assert channel is not None
    assert set(slack.members[channel]) == {BOT_USER_ID, "ULEAD1", "UNORTH01"}
    post = slack.channel_messages(channel)[0]
    text = json.dumps(post["blocks"], ensure_ascii=False)
    assert "Hair and fur mattes" in text and "Evidence: 3 talks from 3 studios" in text
    for title, studio, *_ in HAIR[:2]:
        assert title in text and studio in text
    assert "<@UNORTH01>" in text and "Kim Kestrel" in text
    assert "Matting curly hair" not in text and "Ironbark" not in text and "USHY0001" not in text
    assert "1 talk whose speaker opted out of introductions" in text

    # Kim, known only by address, is written once, threaded under her own message.
    to_kim = [m for m in smtp.sink.messages if m["To"] == "kim@kestrel.example"]
    assert len(to_kim) == 1
    assert to_kim[0]["In-Reply-To"] == "<kim.talk@mail.kestrel.example>"
    assert f"channel={channel}" in to_kim[0].get_content()
    assert not any("shy" in str(m["To"]).lower() for m in smtp.sink.messages)
    to_list = [m for m in smtp.sink.messages if m["To"] == "wg-ml@lists.example.org"]
    assert len(to_list) == 1 and "Hair and fur mattes" in to_list[0]["Subject"]

    # The invitation with its button; a member pressing twice is invited and counted once.
    (invitation,) = [m for m in slack.channel_messages(ANNOUNCE)
                     if "New WG-ML sub-project" in m["text"]]
    (interest,) = buttons(invitation["blocks"], "interest")
    assert interest["text"]["text"] == "I'm interested"
    for retry in (None, 1):
        status, _ = await running.sender.press("UMEMBER1", interest["action_id"],
                                               interest["value"], channel=ANNOUNCE,
                                               message_ts=invitation["ts"], retry_num=retry)
        assert status == 200
    await slack.wait_for(lambda: "UMEMBER1" in slack.members[channel])
    await slack.wait_for(lambda: sum(1 for e in slack.ephemeral if e["user"] == "UMEMBER1"
                                     and "interested so far" in e["text"]) >= 1)
    await running.settle()
    invites = [c for c in slack.calls_to("conversations.invite")
               if c.params.get("users") == "UMEMBER1"]
    assert len(invites) == 1

    # The export.
    async with running.db.session() as session:
        (sp,) = await subprojects_json(session)
    assert sp["name"] == "Hair and fur mattes" and sp["channel"] == channel
    assert sp["status"] == "proposed" and sp["created_by"] == "ULEAD1"
    assert sp["interested"] == ["UMEMBER1"] and len(sp["talks"]) == 3
    assert set(sp) >= {"id", "name", "channel", "statement", "talks", "interested", "status",
                       "created_by", "created_at"}

    # The theme is marked now, without a button.
    answer = await themes_answer(running, "ULEAD1")
    assert buttons(answer["blocks"], "subproject") == []
    assert f"<#{channel}|{channel_name}>" in json.dumps(answer["blocks"])
    assert slack.refused == []


async def test_a_retried_submission_creates_one_channel(mailrunning: Running) -> None:
    running, slack = mailrunning, mailrunning.slack
    slack.conversations.add_users("UNORTH01")
    await seed_three_studios(running.db)
    view, _ = await open_modal(running)
    for _ in range(3):
        answer = await submit(running, "ULEAD1", view)
        assert answer.get("response_action") is None, answer
    await running.settle()
    assert len(slack.calls_to("conversations.create")) == 1
    assert len(await subprojects(running.db)) == 1
    async with running.db.session() as session:
        keys = (await session.scalars(select(OutboxMessage.idempotency_key))).all()
    assert sum(1 for k in keys if k.endswith(":evidence")) == 1


async def test_two_leaders_proposing_the_same_theme_make_one(mailrunning: Running) -> None:
    running, slack = mailrunning, mailrunning.slack
    await seed_three_studios(running.db)
    first, _ = await open_modal(running, "ULEAD1")
    second, _ = await open_modal(running, "ULEAD2")
    assert first["id"] != second["id"]
    one, two = await asyncio.gather(submit(running, "ULEAD1", first),
                                    submit(running, "ULEAD2", second, channel="wgml-other"))
    answers = [one, two]
    assert sum(1 for a in answers if a.get("response_action") == "errors") == 1
    refused = next(a for a in answers if a.get("response_action") == "errors")
    assert "Another leader has just proposed" in refused["errors"]["name"]
    assert len(slack.calls_to("conversations.create")) == 1
    assert len(await subprojects(running.db)) == 1


async def test_a_taken_name_and_bad_names_are_errors_in_the_modal(mailrunning: Running) -> None:
    running, slack = mailrunning, mailrunning.slack
    await seed_three_studios(running.db)
    view, _ = await open_modal(running)
    answer = await submit(running, "ULEAD1", view, channel="Hair Mattes")
    assert answer["response_action"] == "errors" and "lower-case" in answer["errors"]["channel"]
    answer = await submit(running, "ULEAD1", view, channel="x" * 81)
    assert "80" in answer["errors"]["channel"]
    slack.conversations.take_name("wgml-hair-mattes")
    answer = await submit(running, "ULEAD1", view, channel="wgml-hair-mattes")
    assert answer["response_action"] == "errors"
    assert answer["errors"]["channel"] == "#wgml-hair-mattes is taken. Try wgml-hair-mattes-2"
    assert await subprojects(running.db) == []  # the claim was given back
    answer = await submit(running, "ULEAD1", view, channel="wgml-hair-mattes-2")
    assert answer.get("response_action") is None
    assert len(await subprojects(running.db)) == 1


async def test_missing_scope_or_restricted_action_is_one_clear_line(
        mailrunning: Running, caplog: Any) -> None:
    running, slack = mailrunning, mailrunning.slack
    await seed_three_studios(running.db)
    view, _ = await open_modal(running)
    slack.scopes = {"chat:write", "commands"}
    answer = await submit(running, "ULEAD1", view)
    line = answer["errors"]["channel"]
    assert "channels:manage" in line and len(line) <= 150
    assert "event=subproject.channel_refused error=missing_scope" in caplog.text
    slack.scopes = None
    slack.conversations.restricted = True
    answer = await submit(running, "ULEAD1", view)
    assert "only admins create channels" in answer["errors"]["channel"]
    assert await subprojects(running.db) == []


async def test_a_member_replaying_the_modal_creates_nothing(mailrunning: Running) -> None:
    running, slack = mailrunning, mailrunning.slack
    await seed_three_studios(running.db)
    view, _ = await open_modal(running)
    answer = await submit(running, "UMEMBER1", view)
    assert answer["response_action"] == "errors"
    assert slack.calls_to("conversations.create") == []
    assert await subprojects(running.db) == []


async def test_hostile_and_huge_text_stays_escaped_and_within_slacks_limits(
        mailrunning: Running) -> None:
    running, slack = mailrunning, mailrunning.slack
    await seed_three_studios(running.db)
    view, _ = await open_modal(running)
    name = "<!channel> " + "&" * 139
    statement = "<!here> & <https://evil.example|click>\n" + "&" * 2800
    answer = await submit(running, "ULEAD1", view, name=name, statement=statement)
    assert answer.get("response_action") is None, answer
    await running.settle()
    assert slack.refused == []
    posted = [m for msgs in slack.messages.values() for m in msgs]
    everything = json.dumps(posted)
    for bad in ("<!channel>", "<!here>"):
        assert bad not in everything, [m["text"][:200] for m in posted if bad in json.dumps(m)]
    assert "<https://evil" not in everything
    (evidence,) = slack.channel_messages(slack.conversations.channel_named(
        block(view, "channel")["element"]["initial_value"]) or "")[:1]
    shown = "".join(b["text"]["text"] for b in evidence["blocks"] if b["type"] == "section")
    assert shown.count("&amp;") >= 2800  # split over sections, nothing cut


async def test_slack_not_answering_in_time_creates_nothing_and_loses_nothing(
        mailrunning: Running) -> None:
    running, slack = mailrunning, mailrunning.slack
    await seed_three_studios(running.db)
    view, _ = await open_modal(running)
    slack.stall("conversations.create")
    answer = await submit(running, "ULEAD1", view)
    slack.release()
    assert answer["response_action"] == "errors"
    assert "did not answer in time" in answer["errors"]["channel"]
    assert await subprojects(running.db) == []
    answer = await submit(running, "ULEAD1", view)  # the same form, submitted again
    assert answer.get("response_action") is None, answer
    assert len(await subprojects(running.db)) == 1
