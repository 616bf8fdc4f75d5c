"""Outgoing email: the RFC 5322 message for an outbox row of kind "email" (queued by
storage.outbox.enqueue_email, whose docstring holds the payload), sent with aiosmtplib."""

from __future__ import annotations

import email.utils
import logging
from email.message import EmailMessage
from typing import Any

from bot.address import is_valid_email
from bot.config import Settings
from storage.outbox import new_message_id

log = logging.getLogger("wgml.email")

BOT_NAME = "WG-ML speaker bot"
class UnsendableEmail(ValueError):
    """A payload that can never be sent as it is (no recipient, a bad address, no From)."""


def _one_line(value: Any) -> str:
    # Header injection: a subject or id taken from a stranger's mail must stay one header.
    return " ".join(str(value).replace("\r", " ").replace("\n", " ").split())


def build_message(payload: dict[str, Any], settings: Settings) -> EmailMessage:
    """The RFC 5322 message for a payload; PermanentError when the payload cannot be sent."""
    sender = settings.bot_email_address
    if not sender:
        raise UnsendableEmail("BOT_EMAIL_ADDRESS is not set; the bot has no From address")
    to = payload.get("to")
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not to:
        raise UnsendableEmail("email payload has no recipients")
    recipients = [_one_line(a) for a in to]
    bad = [a for a in recipients if not is_valid_email(a)]
    if bad:
        raise UnsendableEmail(f"invalid recipient address(es): {', '.join(bad)}")
    msg = EmailMessage()
    msg["From"] = email.utils.formataddr((BOT_NAME, sender))
    msg["To"] = ", ".join(recipients)
    msg["Reply-To"] = _one_line(payload.get("reply_to") or sender)
    msg["Subject"] = _one_line(payload.get("subject") or "")
    msg["Date"] = email.utils.formatdate(usegmt=True)
    message_id = payload.get("message_id") or new_message_id(settings.email_domain)
    msg["Message-ID"] = _one_line(message_id)
    if payload.get("in_reply_to"):
        msg["In-Reply-To"] = _one_line(payload["in_reply_to"])
    refs = payload.get("references") or []
    if isinstance(refs, str):
        refs = refs.split()
    if refs:
        msg["References"] = " ".join(_one_line(r) for r in refs)
    if payload.get("auto_submitted"):
        msg["Auto-Submitted"] = _one_line(payload["auto_submitted"])
        # Ask Exchange and friends not to answer an automatic message with another one.
        msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(str(payload.get("text") or ""))
    if payload.get("html"):
        msg.add_alternative(str(payload["html"]), subtype="html")
    if payload.get("calendar"):
        msg.add_attachment(str(payload["calendar"]).encode(), maintype="text",
                           subtype="calendar", filename="session.ics",
                           params={"method": "PUBLISH", "charset": "utf-8"})
    return msg
