"""The email pipeline with real parts: aiosmtpd receives the bot's answers, the Slack
emulator receives the leaders' card, the database is SQLite or PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

import bot.email.intake as intake
from bot.email.intake import process
from bot.focus import BOUNDARY_TEXT
from storage.models import InboundMessage, OutboxMessage, Submission
from tests.conftest import LEADS
from tests.email_helpers import (  # noqa: F401 - fixtures
    FIXTURES,
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)

SPEAKER = "Jane Doe <jane.doe@gmail.com>"
CALL_ID = "<call.2026-03.1@example.org>"
BODY = ("Title: SAM 2 for hair roto\nFocus area: content creation\n"
        "Abstract: We ran SAM 2 on 40 shots of hair and fur and compared with artists.\n")


async def _only_submission(mb: MailBot) -> Submission:
    async with mb.db.session() as session:
        return (await session.scalars(select(Submission))).one()


async def test_reply_to_the_call_becomes_a_pending_submission_and_a_threaded_request(
    mailbot: MailBot,
) -> None:
    await mailbot.open_cycle()
    raw = (FIXTURES / "gmail_template.eml").read_bytes()
    outcome = await mailbot.ingest(raw)
    assert outcome.outcome == "created" and outcome.submission
    sub = await _only_submission(mailbot)
    assert sub.source == "email" and sub.status == "pending_confirmation"
    assert sub.title == "Depth estimation for set extension: what broke"
    assert sub.focus_area == "content_creation"
    assert sub.abstract.startswith("We tried three monocular depth models")
    assert sub.speaker.email == "mei.chen@gmail.com" and sub.speaker.name == "Mei Chen"
    [mail] = await mailbot.smtp.wait_for(1, to="mei.chen@gmail.com")
    m = mail.message
    assert mail.recipients == ["mei.chen@gmail.com"]
    assert m["In-Reply-To"] == "<CAHtemplate01@mail.gmail.com>"
    assert m["References"].split() == [CALL_ID, "<CAHtemplate01@mail.gmail.com>"]
    assert m["Auto-Submitted"] == "auto-replied"
    assert "wgml-bot@example.org" in m["From"] and "wgml-bot@example.org" in m["Reply-To"]
    assert m["Message-ID"].endswith("@example.org>") and m["Date"]
    assert m["Subject"].startswith("Re: Call for speakers") and outcome.submission in m["Subject"]
    body = m.get_payload(decode=True).decode()
    assert BOUNDARY_TEXT.splitlines()[1] in body.replace("\r\n", "\n")
    assert "yes, I confirm" in body
    assert mailbot.slack.channel_messages(LEADS) == []  # unconfirmed: never to the leaders


async def test_speaker_confirms_by_email_and_the_card_reaches_the_leaders(
    mailbot: MailBot,
) -> None:
    await mailbot.open_cycle()
    first = await mailbot.ingest(message(SPEAKER, BODY, message_id="<m1@gmail.com>",
                                         subject="Re: [wg-ml] Call for speakers",
                                         in_reply_to=CALL_ID))
    [request] = await mailbot.smtp.wait_for(1, to="jane.doe@gmail.com")
    bot_id = request.message["Message-ID"]
    # Somebody else's "yes" in the same thread confirms nothing.
    other = await mailbot.ingest(message("Eve <eve@example.net>", "yes, I confirm",
                                         message_id="<e1@example.net>",
                                         in_reply_to=bot_id))
    assert other.outcome == "not_speaker"
    assert (await _only_submission(mailbot)).status == "pending_confirmation"
    yes = await mailbot.ingest(message(SPEAKER, "Yes, I confirm.\n\n> quoted request",
                                       message_id="<m2@gmail.com>", in_reply_to=bot_id,
                                       references=f"<m1@gmail.com> {bot_id}"))
    assert yes.outcome == "confirmed" and yes.submission == first.submission
    sub = await _only_submission(mailbot)
    assert sub.status == "submitted" and sub.confidentiality_confirmed
    cards = mailbot.slack.channel_messages(LEADS)
    assert len(cards) == 1 and "SAM 2 for hair roto" in json.dumps(cards[0]["blocks"])
    mails = await mailbot.smtp.wait_for(2, to="jane.doe@gmail.com")
    assert mails[1].message["In-Reply-To"] == "<m2@gmail.com>"
    assert "is now with the" in mails[1].message.get_payload(decode=True).decode()
    # A later reply with a new abstract waits for its confirmation, then re-renders the card.
    upd = await mailbot.ingest(message(
        SPEAKER, "Abstract: Now with 80 shots, and a comparison with Cutie.\n",
        message_id="<m3@gmail.com>", in_reply_to=mails[1].message["Message-ID"]))
    assert upd.outcome == "edit_pending"
    assert "Cutie" not in (await _only_submission(mailbot)).abstract
    request = (await mailbot.smtp.wait_for(3, to="jane.doe@gmail.com"))[2]
    yes = await mailbot.ingest(message(SPEAKER, "yes, I confirm", message_id="<m4@gmail.com>",
                                       in_reply_to=request.message["Message-ID"]))
    assert yes.outcome == "edit_confirmed"
    sub = await _only_submission(mailbot)
    assert sub.abstract == "Now with 80 shots, and a comparison with Cutie."
    assert mailbot.slack.calls_to("chat.update")
    updated_card = mailbot.slack.calls_to("chat.update")[-1].params
    assert "Cutie" in json.dumps(updated_card.get("blocks"))
    async with mailbot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Submission)) == 1


async def test_a_negative_or_unclear_answer_gets_one_polite_follow_up(mailbot: MailBot) -> None:
    await mailbot.ingest(message(SPEAKER, BODY, message_id="<n1@gmail.com>"))
    [request] = await mailbot.smtp.wait_for(1)
    bot_id = request.message["Message-ID"]
    no = await mailbot.ingest(message(SPEAKER, "No, I need to check with legal first.",
                                      message_id="<n2@gmail.com>", in_reply_to=bot_id))
    assert no.outcome == "follow_up"
    again = await mailbot.ingest(message(SPEAKER, "Hmm, maybe next week?",
                                         message_id="<n3@gmail.com>", in_reply_to=bot_id))
    assert again.outcome == "unclear"
    await mailbot.settle()
    assert len(mailbot.smtp.received) == 2  # the request and one follow-up, no more
    assert (await _only_submission(mailbot)).status == "pending_confirmation"


async def test_a_message_id_seen_before_is_not_processed_again(mailbot: MailBot) -> None:
    raw = message(SPEAKER, BODY, message_id="<dup@gmail.com>")
    assert (await mailbot.ingest(raw)).outcome == "created"
    second = await mailbot.ingest(raw)
    assert second.outcome == "duplicate" and second.submission
    await mailbot.settle()
    assert len(mailbot.smtp.received) == 1
    async with mailbot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(InboundMessage)) == 1


async def test_no_message_id_gets_a_stable_synthetic_one(mailbot: MailBot) -> None:
    raw = (FIXTURES / "no_message_id.eml").read_bytes()
    first = await mailbot.ingest(raw)
    assert first.outcome == "created" and first.message_id.startswith("<sha256-")
    assert (await mailbot.ingest(raw)).outcome == "duplicate"


@pytest.mark.parametrize("name,expected", [
    ("auto_reply_ooo", "ignored_auto_submitted"),
    ("auto_precedence_bulk", "ignored_precedence_bulk"),
    ("auto_x_autoreply", "ignored_autoreply_header"),
    ("bounce_dsn", "ignored_auto_submitted"),
])
async def test_automatic_mail_is_never_answered(mailbot: MailBot, name: str,
                                                expected: str) -> None:
    outcome = await mailbot.ingest((FIXTURES / f"{name}.eml").read_bytes())
    assert outcome.outcome == expected
    async with mailbot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Submission)) == 0
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        row = (await session.scalars(select(InboundMessage))).one()
        assert row.status == "ignored" and row.raw  # kept all the same


async def test_mail_from_the_bot_itself_is_ignored(mailbot: MailBot) -> None:
    outcome = await mailbot.ingest(message("WG-ML Bot <WGML-bot@example.org>", BODY,
                                           message_id="<own@example.org>"))
    assert outcome.outcome == "ignored_own_message"
    rewritten = await mailbot.ingest(message("Jane via wg-ml <wg-ml@lists.example.org>", BODY,
                                             message_id="<dmarc@lists.example.org>"))
    assert rewritten.outcome == "ignored_mailing_list"
    assert mailbot.smtp.received == []


async def test_answers_per_sender_per_day_are_capped(mailbot: MailBot) -> None:
    mailbot.bot.settings.email_replies_per_sender_per_day = 2
    for i in range(3):
        await mailbot.ingest(message(SPEAKER, BODY, message_id=f"<cap{i}@gmail.com>"))
    await mailbot.settle()
    assert len(mailbot.smtp.received) == 2
    async with mailbot.db.session() as session:
        # The capped one is stored raw, not made a talk nobody could ever confirm.
        assert await session.scalar(select(func.count()).select_from(Submission)) == 2
        capped = await session.scalar(select(InboundMessage.outcome).where(
            InboundMessage.message_id == "<cap2@gmail.com>"))
        assert capped == "capped_per_mailbox"


async def test_a_failure_is_kept_and_can_be_replayed(mailbot: MailBot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(intake, "handle", broken)
    outcome = await mailbot.ingest(message(SPEAKER, BODY, message_id="<f1@gmail.com>"))
    assert outcome.outcome == "failed"
    async with mailbot.db.session() as session:
        row = (await session.scalars(select(InboundMessage))).one()
        assert row.status == "failed" and "parser bug" in (row.error or "") and row.raw
    monkeypatch.undo()
    assert (await mailbot.ingest(message(SPEAKER, BODY, message_id="<f1@gmail.com>"))
            ).outcome == "duplicate"  # seen before: only an explicit replay retries it
    replayed = await process(mailbot.db, mailbot.bot.settings, row.id,
                             now=mailbot.bot.services.now(), replay=True)
    assert replayed.outcome == "created"
    await mailbot.settle()
    assert len(mailbot.smtp.received) == 1


async def test_no_introductions_in_an_email_is_recorded(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    raw = message(SPEAKER, BODY + "\nPlease, no introductions.\n",
                  message_id="<no-intro.1@mail.gmail.com>", in_reply_to=CALL_ID)
    outcome = await mailbot.ingest(raw)
    assert outcome.outcome == "created"
    sub = await _only_submission(mailbot)
    assert sub.speaker.networking_opt_out is True


async def test_an_address_typed_in_slack_does_not_take_over_email_submissions(
    mailbot: MailBot,
) -> None:
    from storage.models import Speaker

    await mailbot.open_cycle()
    async with mailbot.db.transaction() as session:  # someone typed the victim's address
        session.add(Speaker(name="Mallory", slack_user_id="UMALLORY", email="jane.doe@gmail.com"))
    first = await mailbot.ingest(message(SPEAKER, BODY, message_id="<v1@gmail.com>",
                                         in_reply_to=CALL_ID))
    sub = await _only_submission(mailbot)
    assert sub.speaker.slack_user_id is None and sub.speaker.email == "jane.doe@gmail.com"
    assert first.outcome == "created"
