"""A real SMTP server (aiosmtpd) and a small aiosmtplib sender for the scheduler's tests.

The production sender is `scheduler.outbox_email.make_sender`; these tests inject this one into the
Deliverer so they do not depend on it, and speak real SMTP to a real server.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import Any

import aiosmtplib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.demo.standins import free_port


class Sink:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a fixed port, so it can be stopped and started again at the same address."""

    def __init__(self) -> None:
        self.port = free_port()
        self.sink = Sink()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def make_test_sender(port: int, sender: str) -> Any:
    async def send(payload: dict[str, Any]) -> None:
        msg = EmailMessage()
        msg["From"] = sender
        msg["To"] = ", ".join(payload["to"])
        msg["Subject"] = payload["subject"]
        msg["Message-ID"] = payload["message_id"]
        if payload.get("reply_to"):
            msg["Reply-To"] = payload["reply_to"]
        if payload.get("in_reply_to"):
            msg["In-Reply-To"] = payload["in_reply_to"]
            msg["References"] = " ".join(payload.get("references") or [])
        if payload.get("auto_submitted"):
            msg["Auto-Submitted"] = payload["auto_submitted"]
        msg.set_content(payload["text"])
        await aiosmtplib.send(msg, hostname="127.0.0.1", port=port, timeout=5,
                              start_tls=False, use_tls=False)

    return send
