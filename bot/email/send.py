"""Outgoing email: queued in the outbox with a stable Message-ID, sent with aiosmtplib.

Payload of an outbox row of kind "email" (shared with the scheduler's calls for speakers):
{"to": [addresses], "subject", "text", optional "html", "in_reply_to", "references" (list),
"auto_submitted", "message_id", "reply_to"}. The Message-ID is chosen when the row is queued,
so a retry after a lost connection sends the same message, which receivers deduplicate.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import uuid
from email.message import EmailMessage
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.email.address import is_valid_email
from storage.models import Submission
from storage.outbox import KIND_EMAIL, enqueue

log = logging.getLogger("wgml.email")

BOT_NAME = "WG-ML speaker bot"
LANE_CHARS = 64  # outbox.lane
MAX_THREAD_IDS = 50  # per submission: enough for any real conversation, bounded for a loop


class UnsendableEmail(ValueError):
    """A payload that can never be sent as it is (no recipient, a bad address, no From)."""


def new_message_id(domain: str) -> str:
    return f"<wgml.{uuid.uuid4().hex}@{domain}>"


async def enqueue_email(
    session: AsyncSession,
    *,
    to: list[str],
    subject: str,
    text: str,
    domain: str,
    html: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    auto_submitted: str | None = None,
    reply_to: str | None = None,
    key: str | None = None,
    key_is_new: bool = False,
    calendar: str | None = None,
) -> str | None:
    """Queue one email in the caller's transaction; returns its Message-ID (None if the key
    was queued before, so nothing new was queued). `key_is_new`: the caller looked it up."""
    message_id = new_message_id(domain)
    payload: dict[str, Any] = {
        "to": list(to), "subject": subject, "text": text, "message_id": message_id,
    }
    if html:
        payload["html"] = html
    if in_reply_to:
        payload["in_reply_to"] = in_reply_to
    if references:
        payload["references"] = list(references)
    if auto_submitted:
        payload["auto_submitted"] = auto_submitted
    if reply_to:
        payload["reply_to"] = reply_to
    if calendar:
        payload["calendar"] = calendar  # an iCalendar text: a text/calendar part
    lane = email_lane(to[0] if to else "nobody")
    row = await enqueue(session, kind=KIND_EMAIL, lane=lane, payload=payload, key=key,
                        key_is_new=key_is_new)
    return message_id if row is not None else None


def email_lane(address: str) -> str:
    """The outbox lane of mail to one address (its deliveries keep their order).

    The lane column holds 64 characters (PostgreSQL enforces it: a long address failed the
    whole message there); a longer address gets a lane named for its hash, `email:#...`.
    """
    lane = f"email:{address.lower()}"
    if len(lane) <= LANE_CHARS:
        return lane
    return "email:#" + hashlib.sha256(address.lower().encode()).hexdigest()[:40]


def remember_thread_id(submission: Submission, message_id: str) -> None:
    """Note a Message-ID of the submission's email thread, so a reply to it finds the talk."""
    thread = dict(submission.email_thread_ids or {})
    ids = list(thread.get("ids", []))
    if message_id not in ids:
        ids.append(message_id)
    thread["ids"] = ids[-MAX_THREAD_IDS:]
    submission.email_thread_ids = thread  # a new dict, so the JSON column is written


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
