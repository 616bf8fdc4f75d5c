"""Email intake: raw message stored first, then one transaction of pipeline rules.

A message is stored raw (keyed by Message-ID, or a hash of its bytes) before anything else;
a Message-ID seen before is not processed again; a failure keeps the raw message with its
error, to be replayed (`wgml-bot email replay`) once the cause is fixed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import email_texts as texts
from bot.audit import record
from bot.config import Settings
from bot.cycles import current_cycle
from bot.email_reply import ParsedEmail, message_id_of, parse_message
from bot.email_send import enqueue_email, remember_thread_id
from bot.mrkdwn import shorten
from bot.networking import asks_for_no_introductions, set_introductions
from bot.submissions import LIMITS, confirm, make_ref
from bot.unconfirmed import flag_unclear
from storage.db import Database
from storage.models import AuditEvent, InboundMessage, Speaker, Submission
from storage.outbox import enqueue_card, enqueue_slack_message

log = logging.getLogger("wgml.email")

_REF = re.compile(r"\bWGML-\d{4}-\d{3,}\b", re.I)
_EDITABLE = ("title", "focus_area", "abstract", "results", "studio")


@dataclass(frozen=True)
class Outcome:
    message_id: str
    outcome: str
    submission: str | None = None  # the submission's reference
    inbound_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "outcome": self.outcome,
                "submission": self.submission}


@dataclass(frozen=True)
class _Result:
    outcome: str
    submission: Submission | None = None
    ignored: bool = False


async def ingest(db: Database, settings: Settings, raw: bytes, *, source: str,
                 now: dt.datetime) -> Outcome:
    """Store the raw message, then process it unless its Message-ID was seen before."""
    message_id = message_id_of(raw)
    try:
        async with db.transaction() as session:
            existing = await session.scalar(
                select(InboundMessage).where(InboundMessage.message_id == message_id)
            )
            if existing is not None and existing.status != "new":
                return Outcome(message_id, "duplicate",
                               await _ref(session, existing.submission_id), existing.id)
            if existing is not None:
                row_id = existing.id  # stored by a process that stopped before processing it
            else:
                row = InboundMessage(message_id=message_id, raw=raw, source=source,
                                     received_at=now, status="new")
                session.add(row)
                await session.flush()
                row_id = row.id
    except IntegrityError:
        # Another replica stored the same message a moment ago; it processes it.
        return Outcome(message_id, "duplicate")
    return await process(db, settings, row_id, now=now)


async def process(db: Database, settings: Settings, inbound_id: int, *, now: dt.datetime,
                  replay: bool = False) -> Outcome:
    """Run the pipeline on a stored message; a replay also takes failed and done ones."""
    message_id = ""
    try:
        async with db.transaction() as session:
            row = await session.get(InboundMessage, inbound_id, with_for_update=True)
            if row is None:
                raise LookupError(f"no inbound message with id {inbound_id}")
            message_id = row.message_id
            if row.status != "new" and not replay:
                return Outcome(message_id, "duplicate",
                               await _ref(session, row.submission_id), row.id)
            parsed = parse_message(row.raw)
            result = await handle(session, settings, parsed, message_id, now)
            row.status = "ignored" if result.ignored else "processed"
            row.outcome = result.outcome
            row.error = None
            row.sender = parsed.sender[:320] or None
            row.submission_id = result.submission.id if result.submission else None
            row.processed_at = now
            ref = result.submission.ref if result.submission else None
        log.info("event=email.processed message_id=%s outcome=%s submission=%s",
                 message_id, result.outcome, ref)
        return Outcome(message_id, result.outcome, ref, inbound_id)
    except LookupError:
        raise
    except Exception as exc:
        log.exception("event=email.failed inbound_id=%s message_id=%s", inbound_id, message_id)
        async with db.transaction() as session:
            row = await session.get(InboundMessage, inbound_id)
            if row is not None:
                row.status = "failed"
                row.outcome = "failed"
                row.error = f"{type(exc).__name__}: {exc}"[:4000]
                row.processed_at = now
                message_id = row.message_id
        return Outcome(message_id, "failed", None, inbound_id)


async def _ref(session: AsyncSession, submission_id: int | None) -> str | None:
    if submission_id is None:
        return None
    return await session.scalar(select(Submission.ref).where(Submission.id == submission_id))


async def handle(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                 message_id: str, now: dt.datetime) -> _Result:
    """The rules for one parsed message, in the caller's transaction."""
    bot = (settings.bot_email_address or "").lower()
    if not parsed.sender:
        return _Result("ignored_no_sender", ignored=True)
    if bot and parsed.sender == bot:
        return _Result("ignored_own_message", ignored=True)
    if parsed.sender == (settings.mailing_list_address or "").lower():
        # A list that rewrites From (for DMARC) speaks for nobody in particular.
        return _Result("ignored_mailing_list", ignored=True)
    if parsed.auto_reply:
        return _Result(f"ignored_{(parsed.auto_reason or 'auto').replace('-', '_')}",
                       ignored=True)
    submission = await _thread_submission(session, parsed)
    if submission is not None:
        if submission.speaker.email != parsed.sender:
            # Only the speaker can confirm or change their talk; a colleague's "yes" is not it.
            await record(session, parsed.sender, "email.not_speaker",
                         submission_id=submission.id, detail={"message_id": message_id})
            return _Result("not_speaker", submission, ignored=True)
        result = await _in_thread(session, settings, parsed, message_id, submission, now)
    else:
        result = await _new_submission(session, settings, parsed, message_id, now)
    if result.submission is not None and asks_for_no_introductions(parsed.reply_text):
        # "No introductions" in the speaker's own words keeps them out of suggestions.
        await set_introductions(session, result.submission.speaker, allowed=False,
                                actor=parsed.sender)
    return result


async def _thread_submission(session: AsyncSession, parsed: ParsedEmail) -> Submission | None:
    ids = set(parsed.thread_ids())
    if ids:
        # Email submissions are few (tens a month); matching in Python keeps the JSON column
        # portable between SQLite and PostgreSQL.
        rows = await session.scalars(
            select(Submission).where(Submission.source == "email")
            .order_by(Submission.id.desc()).limit(2000)
        )
        for sub in rows.unique():
            thread = set((sub.email_thread_ids or {}).get("ids", []))
            if sub.email_message_id:
                thread.add(sub.email_message_id)
            if thread & ids:
                return sub
    # A client that dropped the threading headers still quotes the reference in the subject.
    match = _REF.search(parsed.subject)
    if match:
        return await session.scalar(
            select(Submission).where(Submission.ref == match.group(0).upper(),
                                     Submission.source == "email")
        )
    return None


async def _speaker(session: AsyncSession, parsed: ParsedEmail, studio: str) -> Speaker:
    # Only an email-only speaker: the address typed into the Slack form is not verified, so
    # a Slack record carrying this address must never own (or confirm) what arrives by mail.
    speaker = await session.scalar(
        select(Speaker).where(Speaker.email == parsed.sender, Speaker.slack_user_id.is_(None))
        .order_by(Speaker.id).limit(1)
    )
    if speaker is None:
        speaker = Speaker(email=parsed.sender, name=shorten(parsed.sender_name, 200))
        session.add(speaker)
    if not speaker.name:
        speaker.name = shorten(parsed.sender_name, 200)
    if studio:
        speaker.studio = studio
    return speaker


def _limited(fields: dict[str, str]) -> dict[str, str]:
    out = dict(fields)
    for key in ("title", "abstract", "results", "studio"):
        if key in out:
            out[key] = shorten(out[key], LIMITS[key])
    return out


async def _new_submission(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                          message_id: str, now: dt.datetime) -> _Result:
    taken = await session.scalar(
        select(Submission).where(Submission.email_message_id == message_id)
    )
    if taken is not None:  # a replay of the message that created it
        return _Result("duplicate", taken, ignored=True)
    fields = _limited(parsed.fields)
    title = fields.get("title") or shorten(texts.clean_subject(parsed.subject), LIMITS["title"])
    abstract = fields.get("abstract") or shorten(parsed.reply_text, LIMITS["abstract"])
    if not abstract.strip():
        await _answer(session, settings, parsed, message_id, None,
                      texts.empty_message(parsed.sender_name), key="empty", now=now)
        return _Result("empty")
    speaker = await _speaker(session, parsed, fields.get("studio", ""))
    cycle = await current_cycle(session, now)
    submission = Submission(
        cycle=cycle, speaker=speaker, title=title or "(untitled)",
        focus_area=fields.get("focus_area") or "other", abstract=abstract,
        results=fields.get("results", ""), studio=fields.get("studio") or speaker.studio,
        source="email", status="pending_confirmation", email_message_id=message_id,
        email_thread_ids={"ids": [message_id], "follow_ups": 0}, created_at=now,
        updated_at=now,
    )
    session.add(submission)
    await session.flush()
    submission.ref = make_ref(submission)
    await record(session, parsed.sender, "submission.created", submission_id=submission.id,
                 detail={"source": "email", "ref": submission.ref, "message_id": message_id,
                         "attachments": parsed.attachments})
    text = texts.confirmation_request(submission, parsed.sender_name,
                                      cycle.title if cycle else None)
    await _answer(session, settings, parsed, message_id, submission, text, key="request",
                  now=now)
    return _Result("created", submission)


async def _in_thread(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                     message_id: str, sub: Submission, now: dt.datetime) -> _Result:
    remember_thread_id(sub, message_id)
    changes = {k: v for k, v in _limited(parsed.fields).items() if k in _EDITABLE}
    verdict = texts.classify_confirmation(parsed.reply_text)
    name = parsed.sender_name
    cycle_title = sub.cycle.title if sub.cycle else None
    if sub.status == "pending_confirmation":
        if changes:
            await _apply(session, sub, changes, parsed.sender, now)
        if verdict == "yes":
            await confirm(session, sub, actor=parsed.sender, now=now,
                          leadership_channel=settings.leadership_channel_id)
            await _answer(session, settings, parsed, message_id, sub,
                          texts.confirmed(sub, name, cycle_title), key="confirmed", now=now)
            return _Result("confirmed", sub)
        if changes:
            await _answer(session, settings, parsed, message_id, sub,
                          texts.updated(sub, name), key="updated", now=now)
            return _Result("updated", sub)
        thread = dict(sub.email_thread_ids or {})
        # A clear no is left to rest, as the follow-up promises: the scheduled check before
        # the deadline does not put it before the leaders. The latest answer counts.
        thread["declined"] = verdict == "no"
        sub.email_thread_ids = thread
        if int(thread.get("follow_ups", 0)) >= 1:
            # One polite follow-up, never a second: the speaker is not written to again, but
            # a talk that would otherwise wait for ever is put before a person, once.
            if verdict == "unclear":
                await flag_unclear(session, sub, channel=settings.leadership_channel_id,
                                   actor=parsed.sender, now=now)
            return _Result("unclear", sub)
        thread["follow_ups"] = int(thread.get("follow_ups", 0)) + 1
        sub.email_thread_ids = dict(thread)
        await _answer(session, settings, parsed, message_id, sub, texts.follow_up(sub, name),
                      key="follow_up", now=now)
        return _Result("follow_up", sub)
    if sub.status == "submitted" and changes:
        await _apply(session, sub, changes, parsed.sender, now)
        channel = sub.card_channel or settings.leadership_channel_id
        if channel:
            await enqueue_card(session, sub.id, channel)
            if sub.card_ts:
                await enqueue_slack_message(
                    session, channel=channel, thread_ts=sub.card_ts,
                    text=f"{sub.ref} was updated by the speaker by email "
                         f"({', '.join(sorted(changes))}).",
                )
        await _answer(session, settings, parsed, message_id, sub, texts.updated(sub, name),
                      key="updated", now=now)
        return _Result("updated", sub)
    if sub.status == "submitted":
        return _Result("already_confirmed" if verdict == "yes" else "noted", sub)
    return _Result(f"closed_{sub.status}", sub)


async def _apply(session: AsyncSession, sub: Submission, changes: dict[str, str], actor: str,
                 now: dt.datetime) -> None:
    for key, value in changes.items():
        setattr(sub, key, value)
    if "studio" in changes:
        sub.speaker.studio = changes["studio"]
    sub.updated_at = now
    await record(session, actor, "submission.updated", submission_id=sub.id,
                 detail={"fields": sorted(changes), "source": "email"})


async def _answer(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                  message_id: str, sub: Submission | None, text: str, *, key: str,
                  now: dt.datetime) -> None:
    """A threaded, auto-submitted answer to the sender, within the per-day cap."""
    since = now - dt.timedelta(days=1)
    sent_today = await session.scalar(
        select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "email.answered", AuditEvent.actor == parsed.sender,
            AuditEvent.at >= since,
        )
    )
    if (sent_today or 0) >= settings.email_replies_per_sender_per_day:
        log.warning("event=email.answer_capped to=%s message_id=%s", parsed.sender, message_id)
        await record(session, parsed.sender, "email.answer_capped",
                     submission_id=sub.id if sub else None, detail={"message_id": message_id})
        return
    references = [*[r for r in parsed.references if r != message_id][-10:], message_id]
    bot_id = await enqueue_email(
        session, to=[parsed.sender],
        subject=texts.reply_subject(parsed.subject, sub.ref if sub else None), text=text,
        domain=settings.email_domain, in_reply_to=message_id, references=references,
        auto_submitted="auto-replied", reply_to=settings.bot_email_address,
        key=f"email:{key}:{message_id}",
    )
    if bot_id is None:
        return  # answered before (a replay): nothing new queued
    # Stamped with the pipeline's clock (not the wall clock) because the cap counts these.
    session.add(AuditEvent(
        actor=parsed.sender, action="email.answered", at=now,
        submission_id=sub.id if sub else None,
        detail={"message_id": bot_id, "in_reply_to": message_id, "kind": key},
    ))
    if sub is not None:
        remember_thread_id(sub, bot_id)
