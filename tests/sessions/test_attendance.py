"""Will the speaker present? Asked on acceptance; answered by button or by email."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select

from bot.email.intake import ingest
from bot.email.said import rendered_email
from bot.sessions.attendance import classify_answer
from storage.models import OutboxMessage, Submission
from storage.outbox import KIND_EMAIL
from tests.conftest import LEADS, Running
from tests.curation_support import (
    audit_actions,
    card_json,
    email_card,
    exported,
    open_test_cycle,
    posted_card,
    press,
    settled,
)

GRACE = "grace@studio.example"


def capture_email(running: Running) -> list[dict[str, Any]]:
    """No SMTP server in these tests: record what would be sent."""
    sent: list[dict[str, Any]] = []

    async def send(payload: dict[str, Any]) -> None:
        sent.append(payload)

    running.bot.deliverer.send_email = send
    return sent


def thread_replies(running: Running, ts: str) -> list[dict[str, Any]]:
    return [m for m in running.slack.channel_messages(LEADS) if m.get("thread_ts") == ts]


def attend_dm(running: Running, dm: str = "DMEMBER1") -> dict[str, Any]:
    [dm_msg] = [m for m in running.slack.channel_messages(dm)
                if any(e.get("action_id", "").startswith("attend")
                       for b in m.get("blocks") or [] for e in b.get("elements") or [])]
    return dm_msg


async def answer_button(running: Running, user: str, choice: str, sid: int, ts: str,
                        channel: str = "DMEMBER1") -> None:
    status, body = await running.sender.press(user, f"attend_{choice}", str(sid),
                                              channel=channel, message_ts=ts)
    assert status == 200, body
    await settled(running)


async def accepted(running: Running, user: str = "UMEMBER1", **fields: Any) -> tuple[int, str]:
    sid, ts = await posted_card(running, user, **fields)
    await press(running, "ULEAD1", "yes", sid, ts)
    await press(running, "ULEAD2", "accept", sid, ts)
    await settled(running)
    return sid, ts


async def test_accepting_asks_the_speaker_and_yes_confirms(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await accepted(running)
    dm = attend_dm(running)
    actions = [e["action_id"] for b in dm["blocks"] for e in b.get("elements") or []]
    assert actions == ["attend_yes", "attend_no"]
    assert (await exported(running, sid))["attendance"] is None
    await answer_button(running, "UMEMBER1", "yes", sid, dm["ts"])
    data = await exported(running, sid)
    assert data["attendance"] == "confirmed" and data["status"] == "accepted"
    assert "will present" in running.slack.ephemeral[-1]["text"]
    assert any("confirmed they will present" in r["text"] for r in thread_replies(running, ts))
    assert "attendance.confirmed" in await audit_actions(running, sid)


async def test_only_the_speaker_answers(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await accepted(running)
    dm = attend_dm(running)
    await answer_button(running, "UMEMBER2", "no", sid, dm["ts"])
    data = await exported(running, sid)
    assert data["attendance"] is None and data["status"] == "accepted"
    assert "Only the talk's speaker" in running.slack.ephemeral[-1]["text"]
    await answer_button(running, "UMEMBER1", "maybe", sid, dm["ts"])  # not a button we sent
    assert (await exported(running, sid))["attendance"] is None


async def test_cannot_present_withdraws_and_points_to_the_best_voted(running: Running) -> None:
    await open_test_cycle(running)
    other, other_ts = await posted_card(running, "UMEMBER2", title="Denoising at scale")
    weaker, weaker_ts = await posted_card(running, "UMEMBER3", title="A weaker talk")
    await press(running, "ULEAD1", "yes", other, other_ts)
    await press(running, "ULEAD2", "yes", other, other_ts)
    await press(running, "ULEAD1", "no", weaker, weaker_ts)
    sid, ts = await accepted(running)
    dm = attend_dm(running)
    await answer_button(running, "UMEMBER1", "no", sid, dm["ts"])
    data = await exported(running, sid)
    assert data["status"] == "withdrawn" and data["attendance"] == "declined", \
        running.slack.ephemeral[-3:]
    assert "withdrawn" in card_json(running, ts).lower()
    [note] = [r["text"] for r in thread_replies(running, ts) if "cannot present" in r["text"]]
    assert "Denoising at scale" in note and "yes 2" in note
    thanks = running.slack.ephemeral[-1]["text"]
    assert "Thank you" in thanks and "later session" in thanks
    # Pressed again (a retry, or the other button later): nothing changes back.
    await answer_button(running, "UMEMBER1", "yes", sid, dm["ts"])
    assert (await exported(running, sid))["status"] == "withdrawn"


async def test_undo_forgets_the_answer(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await accepted(running)
    await answer_button(running, "UMEMBER1", "yes", sid, attend_dm(running)["ts"])
    await press(running, "ULEAD2", "undo", sid, ts)
    await settled(running)
    assert (await exported(running, sid))["attendance"] is None


def reply_to(message_id: str, sender: str, body: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Grace Hopper <{sender}>"
    msg["To"] = "wgml-bot@example.org"
    msg["Subject"] = "Re: Your WG-ML talk is accepted"
    msg["Message-ID"] = f"<attend.{n}@mail.studio.example>"
    msg["In-Reply-To"] = message_id
    msg["References"] = message_id
    msg["Date"] = "Tue, 01 Dec 2026 10:00:00 +0000"
    msg.set_content(body + "\n\nOn Monday the bot wrote:\n> Can you present it?\n")
    return bytes(msg)


async def acceptance_email(running: Running) -> dict[str, Any]:
    """The acceptance's email to Grace, worded as it is sent (it is queued as a value)."""
    async with running.db.session() as session:
        rows = (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == KIND_EMAIL).order_by(OutboxMessage.id))).all()
    mails = [rendered_email(r.payload) for r in rows]
    [mail] = [m for m in mails if m["to"] == [GRACE] and "accepted" in m["subject"]]
    return mail


async def test_email_speaker_answers_by_reply(running: Running) -> None:
    capture_email(running)
    await open_test_cycle(running)
    sid, ts = await email_card(running)
    await press(running, "ULEAD2", "accept", sid, ts)
    await settled(running)
    mail = await acceptance_email(running)
    assert "yes, I'll present" in mail["text"]
    settings = running.bot.settings
    now = dt.datetime.now(dt.UTC)
    mid = mail["message_id"]
    # A colleague's "yes" (another address) and a spoofed reply without the bot's id change
    # nothing.
    spoof = reply_to(mid, "eve@evil.example", "Yes, I'll present", 1)
    out = await ingest(running.db, settings, spoof, source="ingest", now=now)
    assert out.outcome != "attendance_confirmed"
    out = await ingest(running.db, settings,
                       reply_to("<first.reply@mail.studio.example>", GRACE, "I can't make it", 2),
                       source="ingest", now=now)
    assert (await exported(running, sid))["attendance"] is None
    # A hedge is not an answer; a negation never reads as yes.
    hedge = reply_to(mid, GRACE, "Yes... but I can't make it", 3)
    out = await ingest(running.db, settings, hedge, source="ingest", now=now)
    assert (await exported(running, sid))["attendance"] is None
    out = await ingest(running.db, settings, reply_to(mid, GRACE, "Sorry, I can't make it.", 4),
                       source="ingest", now=now)
    assert out.outcome == "attendance_declined"
    await settled(running)
    data = await exported(running, sid)
    assert data["attendance"] == "declined" and data["status"] == "withdrawn"
    assert any("cannot present" in r["text"] for r in thread_replies(running, ts))


async def test_email_yes_confirms(running: Running) -> None:
    capture_email(running)
    await open_test_cycle(running)
    sid, ts = await email_card(running)
    await press(running, "ULEAD2", "accept", sid, ts)
    await settled(running)
    mid = (await acceptance_email(running))["message_id"]
    out = await ingest(running.db, running.bot.settings,
                       reply_to(mid, GRACE, "Hi,\n\nYes, I'll present. See you then!", 5),
                       source="ingest", now=dt.datetime.now(dt.UTC))
    assert out.outcome == "attendance_confirmed"
    assert (await exported(running, sid))["attendance"] == "confirmed"
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.attendance_at is not None


def test_negations_never_read_as_yes() -> None:
    for text in ["I can't make it", "Yes I can't make it", "I won\u2019t be able to present",
                 "Unfortunately not", "No", "yes, but I will not be there",
                 "I'll present... not! sorry", "Sure, but I cannot make it", "Not sure yet",
                 "I will not present"]:
        assert classify_answer(text) != "yes", text
    for text in ["yes, I'll present", "Yes!", "Count me in", "Happy to present"]:
        assert classify_answer(text) == "yes", text
