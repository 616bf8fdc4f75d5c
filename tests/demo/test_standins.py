"""The demo's stand-ins are real servers: aiosmtpd receives mail, pymap stores and serves it."""

from __future__ import annotations

from email.message import EmailMessage

import aioimaplib
import aiosmtplib
import pytest

from bot.demo.standins import ImapStandIn, SmtpStandIn, pymap_available


async def test_smtp_stand_in_collects_authenticated_mail() -> None:
    smtp = SmtpStandIn(username="bot", password="pw").start()
    try:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "bot@x.example", "list@x.example", "Call"
        msg.set_content("Title:\nAbstract:\n")
        await aiosmtplib.send(msg, hostname="127.0.0.1", port=smtp.port, username="bot",
                              password="pw", start_tls=False, timeout=10)
        with pytest.raises(aiosmtplib.SMTPAuthenticationError):
            await aiosmtplib.send(msg, hostname="127.0.0.1", port=smtp.port, username="bot",
                                  password="wrong", start_tls=False, timeout=10)
    finally:
        smtp.stop()
    assert len(smtp.received) == 1
    got = smtp.received[0]
    assert got.rcpt_tos == ["list@x.example"] and got.message["Subject"] == "Call"


async def test_imap_stand_in_serves_appended_mail() -> None:
    if not pymap_available():
        pytest.skip("pymap is not installed")
    imap = await ImapStandIn("bot", "pw").start()
    try:
        await imap.append(b"From: a@x.example\r\nSubject: Re: Call\r\n"
                          b"Message-ID: <1@x.example>\r\n\r\nTitle: Roto\r\n")
        client = aioimaplib.IMAP4(host="127.0.0.1", port=imap.port, timeout=10)
        await client.wait_hello_from_server()
        assert (await client.login("bot", "pw")).result == "OK"
        await client.select("INBOX")
        fetched = await client.fetch("1", "(RFC822)")
        await client.logout()
    finally:
        imap.stop()
    assert fetched.result == "OK"
    assert any(b"Title: Roto" in bytes(line) for line in fetched.lines)
    assert imap.process is None
