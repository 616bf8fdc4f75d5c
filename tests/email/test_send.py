"""Sending through the outbox to a real SMTP server (aiosmtpd): headers, retries, failures."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.email.send import UnsendableEmail, build_message
from scheduler.outbox import Deliverer, TransientError
from scheduler.outbox_email import make_sender
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import enqueue_email
from tests.email_helpers import mail_settings, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer, free_port


async def _queue(db: Database, settings: Settings, **kw: object) -> str:
    async with db.transaction() as session:
        mid = await enqueue_email(
            session, to=["speaker@studio.example"], subject="Re: Call for speakers",
            text="Hello", domain=settings.email_domain, in_reply_to="<m1@studio.example>",
            references=["<call@example.org>", "<m1@studio.example>"],
            auto_submitted="auto-replied", reply_to=settings.bot_email_address, **kw)  # type: ignore[arg-type]
    assert mid is not None
    return mid


async def _row(db: Database) -> OutboxMessage:
    async with db.session() as session:
        return (await session.scalars(select(OutboxMessage))).one()


async def test_threaded_auto_submitted_email_reaches_the_server(
    settings: Settings, db: Database, smtp: SmtpServer,
) -> None:
    settings = mail_settings(settings, smtp)
    mid = await _queue(db, settings)
    deliverer = Deliverer(db, None, make_sender(settings))
    report = await deliverer.deliver_due(dt.datetime.now(dt.UTC))
    assert report.sent == 1
    [mail] = smtp.received
    m = mail.message
    assert mail.recipients == ["speaker@studio.example"]
    assert mail.envelope_from == "wgml-bot@example.org"
    assert m["Message-ID"] == mid and mid.endswith("@example.org>")
    assert m["In-Reply-To"] == "<m1@studio.example>"
    assert m["References"] == "<call@example.org> <m1@studio.example>"
    assert m["Auto-Submitted"] == "auto-replied"
    assert m["Reply-To"] == "wgml-bot@example.org" and "wgml-bot@example.org" in m["From"]
    assert m["Date"] and m.get_content_type() == "text/plain"


async def test_a_4xx_is_retried_and_keeps_its_message_id(
    settings: Settings, db: Database, smtp: SmtpServer,
) -> None:
    settings = mail_settings(settings, smtp)
    mid = await _queue(db, settings)
    smtp.handler.fail_next.append("451 4.3.0 Try again later")
    deliverer = Deliverer(db, None, make_sender(settings))
    now = dt.datetime.now(dt.UTC)
    report = await deliverer.deliver_due(now)
    assert report.retried == 1 and smtp.received == []
    row = await _row(db)
    assert row.status == "pending" and "451" in (row.last_error or "")
    report = await deliverer.deliver_due(now + dt.timedelta(hours=1))
    assert report.sent == 1
    assert [r.message["Message-ID"] for r in smtp.received] == [mid]
    assert (await _row(db)).status == "sent"


async def test_a_5xx_fails_for_good(settings: Settings, db: Database, smtp: SmtpServer) -> None:
    settings = mail_settings(settings, smtp)
    await _queue(db, settings)
    smtp.handler.fail_next.append("554 5.7.1 Rejected")
    deliverer = Deliverer(db, None, make_sender(settings))
    report = await deliverer.deliver_due(dt.datetime.now(dt.UTC))
    assert report.failed == 1
    row = await _row(db)
    assert row.status == "failed" and "554" in (row.last_error or "")
    report = await deliverer.deliver_due(dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert report.sent == 0 and smtp.received == []


async def test_server_down_is_transient(settings: Settings) -> None:
    settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port(),
                                           "smtp_starttls": False, "smtp_timeout": 2.0})
    send = make_sender(settings)
    with pytest.raises(TransientError) as caught:
        await send({"to": ["a@b.example"], "subject": "x", "text": "y"})
    assert not caught.value.uncertain  # never connected: certainly not delivered


async def test_a_connection_lost_after_the_message_was_handed_over_is_uncertain(
    settings: Settings,
) -> None:
    async def hang_up_after_data(reader: asyncio.StreamReader,
                                 writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        in_data = False
        while line := await reader.readline():
            if in_data:
                if line == b".\r\n":
                    break  # the message is in; the server goes away before saying 250
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                writer.write(b"250 sink\r\n")
            elif verb == b"DATA":
                writer.write(b"354 go ahead\r\n")
                in_data = True
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(hang_up_after_data, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port,
                                           "smtp_starttls": False, "smtp_timeout": 5.0})
    try:
        with pytest.raises(TransientError) as caught:
            await make_sender(settings)({"to": ["a@b.example"], "subject": "x", "text": "y",
                                         "message_id": "<fixed@example.org>"})
    finally:
        server.close()
        await server.wait_closed()
    assert caught.value.uncertain  # it may have been delivered: a retry is a possible repeat


def test_header_injection_and_bad_recipients(settings: Settings) -> None:
    msg = build_message({"to": ["a@b.example"], "subject": "Hi\r\nBcc: victim@x.example",
                         "text": "t", "in_reply_to": "<a@b>\nX-Evil: 1"}, settings)
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert msg["Subject"] == "Hi Bcc: victim@x.example"
    with pytest.raises(UnsendableEmail):
        build_message({"to": ["not an address"], "subject": "s", "text": "t"}, settings)
    with pytest.raises(UnsendableEmail):
        build_message({"to": [], "subject": "s", "text": "t"}, settings)
