"""A speaker whose answers stay unclear after the one follow-up: the leaders hear, once.

Real parts: aiosmtpd receives what the speaker is sent, the Slack emulator what the leaders
see, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.talks.unconfirmed import FLAGGED
from scheduler.tick import Ticker
from storage.models import AuditEvent, Submission
from tests.conftest import LEADS
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)
from tests.mail_servers import Received

SPEAKER = "Jane Doe <jane.doe@gmail.com>"
BODY = ("Title: SAM 2 for hair roto\nFocus area: content creation\n"
        "Abstract: We ran SAM 2 on 40 shots of hair and fur and compared with artists.\n")


async def _submission(mb: MailBot, ref: str | None) -> Submission:
    async with mb.db.session() as session:
        sub = await session.scalar(select(Submission).where(Submission.ref == ref))
    assert sub is not None
    return sub


async def _flags(mb: MailBot) -> list[int | None]:
    async with mb.db.session() as session:
        return list((await session.scalars(
            select(AuditEvent.submission_id).where(AuditEvent.action == FLAGGED)
            .order_by(AuditEvent.id))).all())


def _to(mb: MailBot, address: str) -> list[Received]:
    # Only what the speaker got: the live scheduler may mail the call to the list meanwhile.
    return [r for r in mb.smtp.received if r.recipients == [address]]


async def _ask(mb: MailBot, sender: str, tag: str) -> tuple[str | None, str]:
    """A new proposal; returns its reference and the bot's request's Message-ID."""
    first = await mb.ingest(message(sender, BODY, message_id=f"<{tag}1@gmail.com>"))
    [request] = [r for r in await mb.smtp.wait_for(1)
                 if r.message["In-Reply-To"] == f"<{tag}1@gmail.com>"]
    return first.submission, request.message["Message-ID"]


async def test_unclear_again_after_the_follow_up_is_put_before_the_leaders_once(
    mailbot: MailBot,
) -> None:
    await mailbot.open_cycle()
    ref, bot_id = await _ask(mailbot, SPEAKER, "u")
    hmm = await mailbot.ingest(message(SPEAKER, "Let me think about it.",
                                       message_id="<u2@gmail.com>", in_reply_to=bot_id))
    assert hmm.outcome == "follow_up"
    assert mailbot.slack.channel_messages(LEADS) == []  # one polite follow-up comes first
    again = await mailbot.ingest(message(SPEAKER, "Maybe, my producer is away.",
                                         message_id="<u3@gmail.com>", in_reply_to=bot_id))
    assert again.outcome == "unclear"
    [note] = mailbot.slack.channel_messages(LEADS)
    text = note["text"]
    assert ref and f"`{ref}`" in text and "Jane Doe (jane.doe@gmail.com)" in text
    assert "get in touch" in text
    # Still unconfirmed: no title, no abstract, not a card, nothing to vote on.
    dump = json.dumps(note)
    assert "SAM 2" not in dump and "hair" not in dump and "producer" not in dump
    assert not note.get("blocks")
    # Further unclear answers: no word to the speaker, no second note to the leaders.
    for i in range(4, 7):
        out = await mailbot.ingest(message(SPEAKER, "Still not sure, sorry to be vague.",
                                           message_id=f"<u{i}@gmail.com>",
                                           in_reply_to=bot_id))
        assert out.outcome == "unclear"
    await mailbot.settle()
    assert len(_to(mailbot, "jane.doe@gmail.com")) == 2  # the request and the one follow-up
    assert len(mailbot.slack.channel_messages(LEADS)) == 1
    sub = await _submission(mailbot, ref)
    assert sub.status == "pending_confirmation" and not sub.confidentiality_confirmed
    assert await _flags(mailbot) == [sub.id]
    # A leader reached out; the speaker's clear yes still confirms as always.
    yes = await mailbot.ingest(message(SPEAKER, "Yes, I confirm.", message_id="<u7@gmail.com>",
                                       in_reply_to=bot_id))
    assert yes.outcome == "confirmed"
    leads = mailbot.slack.channel_messages(LEADS)
    assert len(leads) == 2 and "SAM 2 for hair roto" in json.dumps(leads[1]["blocks"])


async def test_a_clear_no_is_left_to_rest_and_others_get_no_note(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    _, bot_id = await _ask(mailbot, SPEAKER, "n")
    for i, words in enumerate(("No, it is not cleared yet.", "No, sorry."), start=2):
        await mailbot.ingest(message(SPEAKER, words, message_id=f"<n{i}@gmail.com>",
                                     in_reply_to=bot_id))
    # Somebody else's vague answer in the thread is not the speaker's.
    other = await mailbot.ingest(message("Eve <eve@example.net>", "Not sure about this one",
                                         message_id="<e1@example.net>", in_reply_to=bot_id))
    assert other.outcome == "not_speaker"
    await mailbot.settle()
    assert mailbot.slack.channel_messages(LEADS) == []
    assert len(_to(mailbot, "jane.doe@gmail.com")) == 2
    assert await _flags(mailbot) == []


async def test_a_speaker_who_never_answers_is_counted_in_the_digest_not_named(
    mailbot: MailBot,
) -> None:
    await mailbot.open_cycle()
    vague, bot_id = await _ask(mailbot, SPEAKER, "v")
    for i in (2, 3):
        await mailbot.ingest(message(SPEAKER, "Hmm, perhaps.", message_id=f"<v{i}@gmail.com>",
                                     in_reply_to=bot_id))
    silent, _ = await _ask(mailbot, "Ada <ada@studio.example>", "s")
    assert len(mailbot.slack.channel_messages(LEADS)) == 1  # the vague one, at once
    sub = await _submission(mailbot, silent)
    assert sub.cycle is not None
    ticker = Ticker(mailbot.db, mailbot.bot.settings, None)
    for days in (3, 1):  # the speakers' reminder, the channel's last reminder
        await ticker.run_jobs(dt.datetime.combine(
            sub.cycle.deadline_date - dt.timedelta(days=days), dt.time(12, 0), tzinfo=dt.UTC))
    await ticker.run_jobs(dt.datetime.combine(
        sub.cycle.deadline_date + dt.timedelta(days=1), dt.time(12, 0), tzinfo=dt.UTC))
    await mailbot.settle()
    notes = mailbot.slack.channel_messages(LEADS)
    assert len(notes) == 2  # the note on the vague speaker, then the digest
    dump = json.dumps(notes[1])
    assert silent not in dump and "ada@studio.example" not in dump
    assert "still waiting for the speaker's confirmation" in notes[1]["text"]
    assert await _flags(mailbot) == [(await _submission(mailbot, vague)).id]
