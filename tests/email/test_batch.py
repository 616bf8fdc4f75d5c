"""A fetch batch at once (`ingest_batch`): every raw message stored in one transaction, the
rules in one more; a bad message fails alone and loses nothing; the same rules as one by one."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

import bot.email.intake as intake
from bot.email.intake import Outcome, process
from bot.email.reply import ParsedEmail
from storage.models import AuditEvent, InboundMessage, Speaker, Submission
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)

BODY = ("Title: SAM 2 for hair roto\nFocus area: content creation\n"
        "Abstract: We ran SAM 2 on 40 shots of hair and fur and compared with artists.\n")


def _proposal(i: int, sender: str | None = None) -> bytes:
    return message(sender or f"Speaker {i} <speaker{i}@studio.example>", BODY,
                   message_id=f"<batch{i}@studio.example>", subject=f"Talk proposal {i}")


async def _batch(mb: MailBot, raws: list[bytes]) -> list[Outcome]:
    outcomes = await intake.ingest_batch(mb.db, mb.bot.settings, raws, source="imap",
                                         now=mb.bot.services.now())
    mb.bot.services.deliverer.kick()
    await mb.settle()
    return outcomes


async def _inbound(mb: MailBot) -> dict[str, InboundMessage]:
    async with mb.db.session() as session:
        return {r.message_id: r for r in await session.scalars(select(InboundMessage))}


async def _count(mb: MailBot, model: Any) -> int:
    async with mb.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_batch_is_the_same_as_one_by_one(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    outcomes = await _batch(mailbot, [_proposal(i) for i in range(5)])
    assert [o.outcome for o in outcomes] == ["created"] * 5
    assert len({o.submission for o in outcomes}) == 5
    assert all(r.status == "processed" and r.raw for r in (await _inbound(mailbot)).values())
    await mailbot.smtp.wait_for(5)
    # (the scheduler may also have sent the cycle's call for speakers to the list)
    mails = [m for m in mailbot.smtp.received if m.message["In-Reply-To"]]
    assert sorted(m.message["In-Reply-To"] for m in mails) == sorted(
        f"<batch{i}@studio.example>" for i in range(5))
    assert all(m.message["Auto-Submitted"] == "auto-replied" for m in mails)


async def test_a_poison_message_fails_alone_and_is_kept_for_replay(
    mailbot: MailBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = intake.handle

    async def poisoned(session: Any, settings: Any, parsed: ParsedEmail, *args: Any) -> Any:
        result = await real(session, settings, parsed, *args)
        if parsed.sender == "speaker2@studio.example":
            raise RuntimeError("rule bug")  # after it changed things: they must be undone
        return result

    monkeypatch.setattr(intake, "handle", poisoned)
    outcomes = await _batch(mailbot, [_proposal(i) for i in range(4)])
    assert [o.outcome for o in outcomes] == ["created", "created", "failed", "created"]
    rows = await _inbound(mailbot)
    poison = rows["<batch2@studio.example>"]
    assert poison.status == "failed" and "rule bug" in (poison.error or "") and poison.raw
    assert poison.submission_id is None
    assert [rows[f"<batch{i}@studio.example>"].status for i in (0, 1, 3)] == ["processed"] * 3
    assert await _count(mailbot, Submission) == 3
    assert len(await mailbot.smtp.wait_for(3)) == 3
    monkeypatch.undo()
    replayed = await process(mailbot.db, mailbot.bot.settings, poison.id,
                             now=mailbot.bot.services.now(), replay=True)
    assert replayed.outcome == "created"
    mailbot.bot.services.deliverer.kick()
    await mailbot.settle()
    assert await _count(mailbot, Submission) == 4
    assert len(await mailbot.smtp.wait_for(4)) == 4


async def test_a_database_error_surfacing_later_still_fails_only_its_message(
    mailbot: MailBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = intake.handle

    async def clashing(session: Any, settings: Any, parsed: ParsedEmail, *args: Any) -> Any:
        if parsed.sender == "speaker1@studio.example":
            # A unique clash the database reports only at the next flush, which belongs to
            # another message of the batch when all share one transaction.
            session.add(Speaker(email="x@example.org", slack_user_id="UCLASH"))
            session.add(Speaker(email="y@example.org", slack_user_id="UCLASH"))
        return await real(session, settings, parsed, *args)

    monkeypatch.setattr(intake, "handle", clashing)
    outcomes = await _batch(mailbot, [_proposal(i) for i in range(3)])
    assert [o.outcome for o in outcomes] == ["created", "failed", "created"]
    rows = await _inbound(mailbot)
    assert rows["<batch1@studio.example>"].status == "failed"
    assert await _count(mailbot, Submission) == 2


async def test_the_same_message_id_twice_in_a_batch_is_one_submission(
    mailbot: MailBot,
) -> None:
    first = _proposal(1)
    outcomes = await _batch(mailbot, [first, _proposal(2), first])
    assert [o.outcome for o in outcomes] == ["created", "created", "duplicate"]
    assert outcomes[2].submission == outcomes[0].submission
    assert outcomes[2].inbound_id == outcomes[0].inbound_id
    assert len(await _inbound(mailbot)) == 2
    assert await _count(mailbot, Submission) == 2
    assert len(await mailbot.smtp.wait_for(2)) == 2


async def test_a_batch_skips_what_was_stored_before(mailbot: MailBot) -> None:
    before = await mailbot.ingest(_proposal(1))
    outcomes = await _batch(mailbot, [_proposal(1), _proposal(2)])
    assert outcomes[0] == Outcome("<batch1@studio.example>", "duplicate", before.submission,
                                  before.inbound_id)
    assert outcomes[1].outcome == "created"
    assert await _count(mailbot, Submission) == 2


async def test_rules_see_earlier_messages_of_the_same_batch(mailbot: MailBot) -> None:
    """A "yes" right behind its proposal, a colleague's "yes", the per-mailbox cap."""
    await mailbot.open_cycle()
    mailbot.bot.settings.email_replies_per_sender_per_day = 2
    jane = "Jane Doe <jane.doe@gmail.com>"
    raws = [
        message(jane, BODY, message_id="<p1@gmail.com>"),
        message("Eve <eve@example.net>", "yes, I confirm", message_id="<e1@example.net>",
                in_reply_to="<p1@gmail.com>"),
        # A reply to her own proposal, not to the bot's request: anyone could write it.
        message(jane, "Yes, I confirm.", message_id="<p2@gmail.com>",
                in_reply_to="<p1@gmail.com>"),
        message(jane, BODY.replace("SAM 2", "Cutie"), message_id="<p3@gmail.com>"),
        message("Jane <Jane.Doe+talks@GMAIL.com>", BODY.replace("SAM 2", "Third"),
                message_id="<p4@gmail.com>"),
    ]
    outcomes = await _batch(mailbot, raws)
    assert [o.outcome for o in outcomes] == ["created", "not_speaker", "not_a_reply_to_bot",
                                             "created", "capped_per_mailbox"]
    assert outcomes[2].submission == outcomes[0].submission
    async with mailbot.db.session() as session:
        speakers = (await session.scalars(
            select(Speaker).where(Speaker.email == "jane.doe@gmail.com"))).all()
        assert len(speakers) == 1  # the batch's second proposal found the first's speaker
        capped = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "email.capped"))
    assert capped == 1  # two requests to jane's mailbox; the third (a +tag) is capped
    await mailbot.smtp.wait_for(2)
    to_jane = [m for m in mailbot.smtp.received if m.recipients == ["jane.doe@gmail.com"]]
    # (the scheduler may also have sent the cycle's call for speakers to the list)
    assert {m.message["In-Reply-To"] for m in to_jane} == {"<p1@gmail.com>", "<p3@gmail.com>"}


async def test_a_message_id_the_database_cannot_hold_does_not_stall_the_batch(
    mailbot: MailBot,
) -> None:
    """A NUL (PostgreSQL refuses it in text) or a byte that is not UTF-8 (read back as a
    lone surrogate, which neither driver can encode) in a stranger's Message-ID: the batch's
    raw messages are stored in one INSERT, so such an id would keep the whole fetch batch,
    and the mailbox behind it, from ever being stored. Keyed on the hash instead."""
    await mailbot.open_cycle()
    odd = [
        message("Nul <nul@studio.example>", BODY, message_id="<a\x00b@studio.example>",
                subject="Talk with a NUL"),
        message("Byte <byte@studio.example>", BODY, message_id="<a~~b@studio.example>",
                subject="Talk with a stray byte").replace(b"~~", b"\xff"),
    ]
    outcomes = await _batch(mailbot, [*odd, _proposal(1)])
    assert [o.outcome for o in outcomes] == ["created"] * 3
    assert all(o.message_id.isprintable() for o in outcomes)
    again = await _batch(mailbot, odd)  # the same bytes: the same key, seen before
    assert [o.outcome for o in again] == ["duplicate"] * 2
