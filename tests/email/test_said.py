"""The domain's values worded as email (bot/email/said.py), at delivery through the outbox:
what the speaker receives, a row of an earlier version sent as queued, an unknown value
refused for good, the threading headers fixed when queued."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from sqlalchemy import select, update

from bot.config import Settings
from bot.curation.said import AttendanceAsked, DecisionTold
from bot.email.said import UnknownMail, rendered_email
from bot.people.said import Introduced
from scheduler.outbox import Deliverer
from scheduler.outbox_admin import list_messages
from scheduler.outbox_email import make_sender
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import enqueue_email
from tests.email_helpers import mail_settings, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer

TOLD = DecisionTold("accepted", "WGML-2026-007", "Roto  with\nSAM 2", "May session (Thu)",
                    introduced=[Introduced("Kim", "", "Kestrel", "WGML-2025-003", "Hair")],
                    name="Grace Hopper")


@dataclass(frozen=True)
class FromTheFuture:
    KIND: ClassVar[str] = "decision.from_the_future"
    ref: str


def queued(value: Any) -> dict[str, Any]:
    return {"to": ["grace@studio.example"], "message_id": "<m@example.org>",
            "said": {"kind": value.KIND, **dataclasses.asdict(value)}}


def test_the_decision_is_worded_with_its_introductions() -> None:
    mail = rendered_email(queued(TOLD))
    assert mail["subject"] == "Your WG-ML talk is accepted: Roto with SAM 2 (WGML-2026-007)"
    text = mail["text"]
    assert text.startswith("Hello Grace Hopper,\n\nGood news: the WG-ML leaders have accepted "
                           'your talk "Roto with SAM 2" (WGML-2026-007) for May session (Thu).')
    assert "leaders\n\n\nPeople from other studios" in text
    assert '- Kim (Kestrel): WGML-2025-003 "Hair"' in text
    assert "said" not in mail and mail["message_id"] == "<m@example.org>"


def test_the_reminder_asks_by_email_and_an_address_is_no_name() -> None:
    asked = AttendanceAsked(7, "WGML-2026-007", "Roto", "May session on Thursday",
                            "Europe/London", reminder=True, name="grace@studio.example")
    mail = rendered_email(queued(asked))
    assert mail["subject"] == "Re: will you present Roto? (WGML-2026-007)"
    assert mail["text"].startswith("Hello,\n\nA reminder about your accepted talk \"Roto\" "
                                   "(WGML-2026-007). Can you present it at May session on "
                                   "Thursday (Europe/London)?")


def test_a_row_queued_with_its_text_is_sent_as_queued() -> None:
    payload = {"to": ["a@studio.example"], "subject": "S", "text": "T", "message_id": "<m>"}
    assert rendered_email(payload) is payload


def test_a_value_this_version_cannot_word_is_refused() -> None:
    with pytest.raises(UnknownMail, match="from_the_future"):
        rendered_email(queued(FromTheFuture("R")))
    broken = queued(TOLD)
    broken["said"] = {"kind": DecisionTold.KIND, "ref": "R", "surprise": 1}
    with pytest.raises(UnknownMail, match="cannot read"):
        rendered_email(broken)


async def test_through_the_outbox_the_value_is_worded_and_the_unknown_fails_for_good(
    settings: Settings, db: Database, smtp: SmtpServer,
) -> None:
    settings = mail_settings(settings, smtp)
    async with db.transaction() as session:
        mid = await enqueue_email(session, to=["grace@studio.example"], said=TOLD,
                                  domain=settings.email_domain,
                                  in_reply_to="<first@studio.example>",
                                  references=["<first@studio.example>"],
                                  auto_submitted="auto-generated", key="told")
        await enqueue_email(session, to=["grace@studio.example"], said=FromTheFuture("R"),
                            domain=settings.email_domain, key="future")
    assert mid is not None
    async with db.session() as session:
        rows = {r.idempotency_key: r for r in (await session.scalars(select(OutboxMessage)))}
        # The value is stored, not its words; the Message-ID is fixed already.
        assert "text" not in rows["told"].payload and rows["told"].payload["message_id"] == mid
        summaries = [line.summary for line in await list_messages(session)]
    assert "to grace@studio.example: Your WG-ML talk is accepted: Roto with SAM 2" \
        in summaries[0]
    assert "cannot be worded" in summaries[1]
    async with db.transaction() as session:  # the same lane: let the unknown go first
        await session.execute(update(OutboxMessage).where(
            OutboxMessage.idempotency_key == "future").values(
            next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
    deliverer = Deliverer(db, None, make_sender(settings))
    report = await deliverer.deliver_due(dt.datetime.now(dt.UTC))
    report2 = await deliverer.deliver_due(dt.datetime.now(dt.UTC))
    assert report.failed + report2.failed == 1 and report.sent + report2.sent == 1
    async with db.session() as session:
        rows = {r.idempotency_key: r for r in (await session.scalars(select(OutboxMessage)))}
    assert rows["future"].status == "failed"
    assert "cannot word the email" in (rows["future"].last_error or "")
    assert "from_the_future" in (rows["future"].last_error or "")
    [mail] = smtp.received
    m = mail.message
    assert m["Message-ID"] == mid and m["In-Reply-To"] == "<first@studio.example>"
    assert m["Subject"] == "Your WG-ML talk is accepted: Roto with SAM 2 (WGML-2026-007)"
    assert m["Auto-Submitted"] == "auto-generated"
    assert str(m.get_payload()).startswith("Hello Grace Hopper,\r\n\r\nGood news")
