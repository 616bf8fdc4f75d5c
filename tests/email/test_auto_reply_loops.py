"""Mail that is automatic is never answered nor acted on: `X-Loop` naming the bot, an
out-of-office with a localised subject (also under "Re:", also quoting the talk's fields
back in its thread), a bounce from mailer-daemon+tag."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Submission
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)
from tests.mail_servers import Received

BODY = "Title: Hair roto\nAbstract: We tried SAM 2 on forty shots of hair and fur."
OOO = "I am out of the office until Monday."


def _to_speaker(mb: MailBot) -> list[Received]:
    # Only the speaker's mail: the live scheduler may mail the call to the list at any moment.
    return [r for r in mb.smtp.received if "a@studio.example" in r.recipients]


async def _proposed(mb: MailBot) -> str:
    await mb.open_cycle()
    outcome = await mb.ingest(message("A <a@studio.example>", BODY, message_id="<p@s.example>"))
    assert outcome.outcome == "created"
    request: str = _to_speaker(mb)[0].message["Message-ID"]
    return request


@pytest.mark.parametrize(("subject", "body", "extra"), [
    ("Automatic reply: Out of office", OOO + "\n\n" + BODY.replace("Hair", "Other"), ""),
    ("Re: Automatic reply: Out of office", OOO, ""),
    ("Risposta automatica: fuori ufficio", "Sono fuori ufficio.", ""),
    ("AW: Abwesenheitsnotiz", "Ich bin nicht im Büro.", ""),
    ("Re: please confirm", "yes, I confirm", "X-Loop: wgml-bot@example.org"),
    ("Re: please confirm", "yes, I confirm", "X-Loop: WGML-Bot+x@Example.org"),
], ids=["ooo-quoting-fields", "re-ooo", "italian", "german-aw", "x-loop", "x-loop-tag"])
async def test_automatic_mail_in_a_thread_is_ignored(
        mailbot: MailBot, subject: str, body: str, extra: str) -> None:
    request = await _proposed(mailbot)
    outcome = await mailbot.ingest(message("A <a@studio.example>", body, message_id="<o@s.example>",
                                           in_reply_to=request, subject=subject, extra=extra))
    assert outcome.outcome.startswith("ignored_"), outcome
    assert len(_to_speaker(mailbot)) == 1  # the first answer only
    async with mailbot.db.session() as session:
        sub = (await session.scalars(select(Submission))).one()
        assert (sub.title, sub.status) == ("Hair roto", "pending_confirmation")


async def test_a_tagged_mailer_daemon_is_a_bounce(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    outcome = await mailbot.ingest(message("Mail Delivery <mailer-daemon+x@studio.example>",
                                           BODY, message_id="<md@s.example>",
                                           subject="Delivery failed"))
    assert outcome.outcome == "ignored_bounce"
    assert mailbot.smtp.received == []


async def test_a_proposal_titled_like_an_auto_reply_is_still_a_proposal(
        mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    outcome = await mailbot.ingest(message("A <a@studio.example>", BODY, message_id="<t@s.example>",
                                           subject="Auto-reply triage with small LLMs"))
    assert outcome.outcome == "created"
