"""Decisions on the card: accept, decline, undo, and the speaker told kindly (DM or email)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from sqlalchemy import select, update

from bot.curation.ack import drain_presses
from bot.email.said import rendered_email
from scheduler.outbox import TransientError
from scheduler.outbox_email import make_sender
from storage.models import Decision, OutboxMessage, Submission
from storage.outbox import KIND_EMAIL
from tests.conftest import LEADS, Running
from tests.curation_support import (
    assert_card_agrees,
    audit_actions,
    card,
    card_actions,
    card_json,
    email_card,
    exported,
    open_test_cycle,
    posted_card,
    press,
    settled,
)
from tests.email_helpers import mail_settings, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer


def thread_replies(running: Running, ts: str) -> list[dict[str, Any]]:
    return [m for m in running.slack.channel_messages(LEADS) if m.get("thread_ts") == ts]


GRACE = "grace@studio.example"
LIST = "wg-ml@lists.example.org"


async def emails(running: Running, to: str | None = None) -> list[OutboxMessage]:
    async with running.db.session() as session:
        rows = (await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == KIND_EMAIL)
            .order_by(OutboxMessage.id))).all()
    # Never the call for speakers: the live scheduler may mail it to the list at any moment.
    return [r for r in rows if r.payload["to"] != [LIST]
            and (to is None or r.payload["to"] == [to])]


def capture_email(running: Running) -> list[dict[str, Any]]:
    """Stand in for SMTP (bot.email.send lives on its own branch): record what would be sent."""
    sent: list[dict[str, Any]] = []

    async def send(payload: dict[str, Any]) -> None:
        sent.append(payload)

    running.bot.deliverer.send_email = send
    return sent


async def test_accept_tells_the_speaker_by_dm_and_updates_the_card(running: Running) -> None:
    await open_test_cycle(running, "January session")
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "yes", sid, ts)
    await press(running, "ULEAD2", "accept", sid, ts)
    await settled(running)
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        assert sub.status == "accepted" and sub.decided_by == "ULEAD2" and sub.decided_at
        decisions = (await session.scalars(select(Decision))).all()
    assert [(d.outcome, d.by) for d in decisions] == [("accepted", "ULEAD2")]
    dms = running.slack.channel_messages("DMEMBER1")
    assert len(dms) == 2  # the submission's reference, then the decision
    assert "accepted" in dms[-1]["text"] and sub.ref in dms[-1]["text"]
    assert "January session" in dms[-1]["text"]
    blocks = card_json(running, ts)
    assert "accepted by <@ULEAD2>" in blocks
    assert card_actions(running, ts) == ["decide_undo", "note_add"]  # leaders may still note
    replies = thread_replies(running, ts)
    assert len(replies) == 1
    assert "<@ULEAD2> accepted this talk" in replies[0]["text"]
    assert "Slack DM" in replies[0]["text"]
    assert await emails(running) == []  # a Slack speaker hears on Slack
    assert "decision.accepted" in await audit_actions(running, sid)
    data = await exported(running, sid)
    assert data["status"] == "accepted" and data["decided_by"] == "ULEAD2"
    assert [(d["outcome"], d["by"]) for d in data["decisions"]] == [("accepted", "ULEAD2")]
    await assert_card_agrees(running, sid, ts)


async def test_votes_after_a_decision_are_refused_with_a_reason(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "decline", sid, ts)
    await press(running, "ULEAD2", "yes", sid, ts)  # from a card not yet refreshed
    await press(running, "ULEAD3", "accept", sid, ts)
    await settled(running)
    assert (await exported(running, sid))["votes"] == []
    texts = {e["user"]: e["text"] for e in running.slack.ephemeral}
    assert "already declined by <@ULEAD1>" in texts["ULEAD2"]
    assert "Undo" in texts["ULEAD2"]
    assert "already declined by <@ULEAD1>" in texts["ULEAD3"]
    async with running.db.session() as session:
        assert len((await session.scalars(select(Decision))).all()) == 1


async def test_decline_of_an_email_submission_is_emailed_kindly(running: Running) -> None:
    sent = capture_email(running)
    await open_test_cycle(running)
    sid, ts = await email_card(running)
    await press(running, "ULEAD3", "decline", sid, ts)
    await settled(running)
    rows = await emails(running, GRACE)  # (the live scheduler may mail the call meanwhile)
    assert len(rows) == 1
    row = rows[0]
    # Every email of the bot goes through storage.outbox.enqueue_email: one lane per recipient.
    assert row.lane == "email:grace@studio.example" and row.status == "sent"
    payload = rendered_email(row.payload)  # queued as a value, worded at delivery
    assert payload["message_id"].endswith("@example.org>")  # fixed when queued
    assert payload["reply_to"] == "wgml-bot@example.org"
    assert payload["to"] == ["grace@studio.example"]
    assert "LLM agents for shot metadata" in payload["subject"]
    assert "\n" not in payload["subject"]
    assert payload["in_reply_to"] == "<first.reply@mail.studio.example>"
    assert payload["references"] == ["<first.reply@mail.studio.example>"]
    assert payload["auto_submitted"] == "auto-generated"
    assert payload["text"].startswith("Hello Grace Hopper,")
    assert "Thank you for proposing" in payload["text"]
    assert "future call" in payload["text"]
    assert [p for p in sent if p["to"] == [GRACE]] == [payload]
    assert "declined by <@ULEAD3>" in card_json(running, ts)
    assert "by email" in thread_replies(running, ts)[0]["text"]


async def test_a_retried_decision_email_keeps_its_message_id_and_thread(
        running: Running, smtp: SmtpServer) -> None:
    real = make_sender(mail_settings(running.bot.settings, smtp))
    refused: list[str] = []

    async def refuse_once(payload: dict[str, Any]) -> None:
        # Only the speaker's mail: the live scheduler may mail the call to the list meanwhile.
        if payload["to"] == [GRACE] and not refused:
            refused.append(payload["message_id"])
            raise TransientError("SMTP 451: 4.3.0 Try again later")
        await real(payload)

    running.bot.deliverer.send_email = refuse_once
    await open_test_cycle(running)
    sid, ts = await email_card(running)
    await press(running, "ULEAD1", "accept", sid, ts)
    await drain_presses()
    for _ in range(500):  # the first attempt is refused
        [row] = await emails(running, GRACE)
        if row.attempts and row.status == "pending":
            break
        running.bot.deliverer.kick()
        await asyncio.sleep(0.02)
    assert refused == [row.payload["message_id"]]
    first_id = row.payload["message_id"]
    async with running.db.transaction() as session:  # due again now, not after its backoff
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id)
                              .values(next_attempt_at=dt.datetime.now(dt.UTC)))
    await settled(running)
    [row] = await emails(running, GRACE)
    assert row.status == "sent" and row.attempts == 2
    assert row.payload["message_id"] == first_id
    [mail] = [r for r in smtp.received if r.recipients == [GRACE]]
    assert mail.message["Message-ID"] == first_id
    assert mail.message["In-Reply-To"] == "<first.reply@mail.studio.example>"
    assert mail.message["References"] == "<first.reply@mail.studio.example>"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    # The speaker may answer the decision: the reply has to find the talk.
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        assert first_id in sub.email_thread_ids["ids"]


async def test_undo_reopens_the_talk_and_tells_the_speaker_it_was_a_mistake(
        running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "no", sid, ts)
    await press(running, "ULEAD1", "decline", sid, ts)
    await settled(running)
    await press(running, "ULEAD2", "undo", sid, ts)
    await press(running, "ULEAD2", "undo", sid, ts)  # pressed twice: one undo
    await settled(running)
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        assert sub.status == "submitted" and sub.decided_by is None and sub.decided_at is None
        decisions = (await session.scalars(select(Decision).order_by(Decision.id))).all()
    assert [(d.outcome, d.by) for d in decisions] == [("declined", "ULEAD1"),
                                                     ("undone", "ULEAD2")]
    dm = running.slack.channel_messages("DMEMBER1")[-1]["text"]
    assert "mistake" in dm and "declined" in dm
    assert card_actions(running, ts)[:3] == ["vote_yes", "vote_maybe", "vote_no"]
    blocks = card_json(running, ts)
    assert "declined by <@ULEAD1> · undone by <@ULEAD2>" in blocks
    replies = thread_replies(running, ts)
    assert len(replies) == 2 and "undid the decision (declined)" in replies[1]["text"]
    # Open again: votes count again and a new decision can be made.
    await press(running, "ULEAD3", "yes", sid, ts)
    await press(running, "ULEAD3", "accept", sid, ts)
    await settled(running)
    data = await exported(running, sid)
    assert data["status"] == "accepted"
    assert [d["outcome"] for d in data["decisions"]] == ["declined", "undone", "accepted"]
    await assert_card_agrees(running, sid, ts)
    actions = await audit_actions(running, sid)
    assert actions.count("decision.undone") == 1


async def test_undo_without_a_decision_is_explained(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "undo", sid, ts)
    await settled(running)
    assert running.slack.ephemeral[0]["text"].startswith("There is no decision to undo")
    async with running.db.session() as session:
        assert (await session.scalars(select(Decision))).all() == []


async def test_simultaneous_decisions_make_exactly_one(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await asyncio.gather(*(
        press(running, leader, choice, sid, ts)
        for leader, choice in (("ULEAD1", "accept"), ("ULEAD2", "decline"),
                               ("ULEAD3", "accept"))
    ))
    await settled(running)
    async with running.db.session() as session:
        decisions = (await session.scalars(select(Decision))).all()
        sub = await session.get(Submission, sid)
    assert len(decisions) == 1
    assert sub is not None and sub.status == decisions[0].outcome
    assert sub.decided_by == decisions[0].by
    assert len(running.slack.ephemeral) == 2  # the two who were too late are told why
    assert len(running.slack.channel_messages("DMEMBER1")) == 2  # one decision, one DM


async def test_decision_for_a_speaker_known_only_by_email(running: Running) -> None:
    capture_email(running)
    await open_test_cycle(running)
    sid, ts = await email_card(running, message_id="<x1@mail.example>")
    await press(running, "ULEAD1", "accept", sid, ts)
    await settled(running)
    await press(running, "ULEAD1", "undo", sid, ts)
    await settled(running)
    rows = await emails(running)
    mails = [rendered_email(r.payload) for r in rows]
    assert [m["subject"].split(":")[0] for m in mails] == [
        "Your WG-ML talk is accepted", "Correction about your WG-ML talk proposal"]
    assert "by mistake" in mails[1]["text"]
    assert all(r.status == "sent" for r in rows)


async def test_hostile_titles_stay_inert_in_decision_messages(running: Running) -> None:
    await open_test_cycle(running, "<!here> session")
    sid, ts = await posted_card(running, title="<!channel> wins & <https://x.example|y>")
    await press(running, "ULEAD1", "accept", sid, ts)
    await settled(running)
    dm = running.slack.channel_messages("DMEMBER1")[-1]["text"]
    assert "<!channel>" not in dm and "<!here>" not in dm and "<https://" not in dm
    assert "&lt;!channel&gt; wins &amp; &lt;https://x.example|y&gt;" in dm
    # plain_text (the header) is never parsed by Slack; every mrkdwn text must be inert.
    mrkdwn = [t["text"] for t in _texts(card(running, ts)["blocks"]) if t["type"] == "mrkdwn"]
    assert mrkdwn and not any(re.search(r"<!(channel|here|everyone)|<https://", t)
                              for t in mrkdwn)


def _texts(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            found.append(node)
        for value in node.values():
            found.extend(_texts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_texts(value))
    return found


async def test_accepted_dm_introduces_people_from_other_studios(running: Running) -> None:
    await open_test_cycle(running, "January session")
    other_sid, _ = await posted_card(
        running, "UOTHER01", title="SAM 2 rotoscoping of hair: what we learned",
        studio="Other Studio", email="other@other.example")
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "accept", sid, ts)
    await settled(running)
    dm = running.slack.channel_messages("DMEMBER1")[-1]["text"]
    assert "accepted" in dm
    async with running.db.session() as session:
        other = await session.get(Submission, other_sid)
        assert other is not None
    assert other.ref in dm and "Other Studio" in dm
