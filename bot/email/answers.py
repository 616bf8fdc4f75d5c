"""The bot's answers to inbound mail: threaded under the message, auto-submitted, within the
caps (per mailbox a day, to strangers an hour) so forged mail cannot make the bot a relay,
never twice for one message (keyed by its Message-ID), each counted where the caps look."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.address import mailbox_key
from bot.audit import record
from bot.config import Settings
from bot.email import texts
from bot.email.cache import ANSWERED, ANSWERED_STRANGER, STRANGER_KINDS, IntakeCache, answer_key
from bot.email.reply import ParsedEmail
from storage.models import AuditEvent, OutboxMessage, Submission
from storage.outbox import enqueue_email, remember_thread_id

log = logging.getLogger("wgml.email")


async def sent_answer(session: AsyncSession, kind: str, message_id: str) -> str | None:
    """The Message-ID of the bot's answer of `kind` to an inbound message, if it was queued."""
    payload = await session.scalar(select(OutboxMessage.payload).where(
        OutboxMessage.idempotency_key == answer_key(kind, message_id)))
    sent = payload.get("message_id") if isinstance(payload, dict) else None
    return sent if isinstance(sent, str) else None


async def stranger_capped(settings: Settings, parsed: ParsedEmail,
                           cache: IntakeCache) -> str | None:
    """Which cap, if any, forbids answering a message outside any talk's thread: such an
    answer goes to whatever address the sender wrote, so the bot must not become a relay."""
    if await cache.answers_today(parsed.sender) >= settings.email_replies_per_sender_per_day:
        return "per_mailbox"
    if await cache.stranger_answers_this_hour() >= settings.email_stranger_replies_per_hour:
        return "per_hour"
    return None


async def answer_sender(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                  message_id: str, sub: Submission | None, text: str, *, key: str,
                  now: dt.datetime, cache: IntakeCache) -> str | None:
    """A threaded, auto-submitted answer to the sender, within the caps; its Message-ID
    (None when a cap or a replay held it back)."""
    stranger = key in STRANGER_KINDS
    if (await cache.answers_today(parsed.sender) >= settings.email_replies_per_sender_per_day
            or (stranger and await cache.stranger_answers_this_hour()
                >= settings.email_stranger_replies_per_hour)):
        log.warning("event=email.answer_capped to=%s message_id=%s", parsed.sender, message_id)
        await record(session, parsed.sender, "email.answer_capped",
                     submission=sub, detail={"message_id": message_id})
        return None
    outbox_key = answer_key(key, message_id)
    if await cache.answered(outbox_key):
        return None  # answered before (a replay): nothing new queued
    references = [*[r for r in parsed.references if r != message_id][-10:], message_id]
    bot_id = await enqueue_email(
        session, to=[parsed.sender],
        subject=texts.reply_subject(parsed.subject, sub.ref if sub else None), text=text,
        domain=settings.email_domain, in_reply_to=message_id, references=references,
        auto_submitted="auto-replied", reply_to=settings.bot_email_address,
        key=outbox_key, key_is_new=True,
    )
    assert bot_id is not None  # the key was looked up above
    cache.add_answered(outbox_key)
    cache.add_answer(parsed.sender, stranger=stranger)
    # Stamped with the pipeline's clock (not the wall clock) because the caps count these;
    # the actor is the mailbox (no +tag, lower case), what the per-mailbox cap counts.
    session.add(AuditEvent(
        actor=mailbox_key(parsed.sender),
        action=ANSWERED_STRANGER if stranger else ANSWERED, at=now,
        submission=sub,
        detail={"message_id": bot_id, "in_reply_to": message_id, "kind": key},
    ))
    if sub is not None:
        remember_thread_id(sub, bot_id)
    return bot_id
