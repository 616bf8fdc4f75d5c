"""Which talk an inbound message belongs to: by the thread's Message-IDs (the proposal and
every message the bot sent about it), else by a reference in the subject; and whether a
message in a talk's thread answers the bot at all (a list's copy of a call does not)."""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.address import is_speakers_address
from bot.email.reply import ParsedEmail
from storage.models import OutboxMessage, Submission
from storage.outbox import KIND_EMAIL

REF = re.compile(r"\bWGML-\d{4}-\d{3,}\b", re.I)


async def thread_submission(session: AsyncSession, parsed: ParsedEmail) -> Submission | None:
    ids = set(parsed.thread_ids())
    if ids:
        # Email submissions are few (tens a month); matching in Python keeps the JSON column
        # portable between SQLite and PostgreSQL.
        # Three columns, not whole submissions (each with its speaker, cycle and votes).
        rows = await session.execute(
            select(Submission.id, Submission.email_message_id, Submission.email_thread_ids)
            .where(Submission.source == "email").order_by(Submission.id.desc()).limit(2000)
        )
        for sub_id, first_id, thread_ids in rows:
            thread = set((thread_ids or {}).get("ids", []))
            if first_id:
                thread.add(first_id)
            if thread & ids:
                return await session.get(Submission, sub_id)
    # A client that dropped the threading headers still quotes the reference in the subject.
    match = REF.search(parsed.subject)
    if match:
        return await session.scalar(
            select(Submission).where(Submission.ref == match.group(0).upper(),
                                     Submission.source == "email")
        )
    return None


async def answers_the_bot(session: AsyncSession, parsed: ParsedEmail,
                           sub: Submission) -> bool:
    """Whether the message answers an email the bot sent this talk's speaker about it.

    The outbox is the record of what the bot sent: a Message-ID there, sent to the
    speaker's mailbox (their address or a +tag of it) and part of this talk's thread, is
    one only the speaker's mailbox has seen. (Lanes are named for recipients, which narrows
    the rows read to the speaker's domain.)
    """
    wanted = set(parsed.thread_ids())
    if not wanted or sub.speaker.email is None:
        return False
    thread = set((sub.email_thread_ids or {}).get("ids", []))
    if sub.email_message_id:
        thread.add(sub.email_message_id)
    speaker = sub.speaker.email
    domain = speaker.rpartition("@")[2].lower()
    with session.no_autoflush:
        payloads = await session.scalars(
            select(OutboxMessage.payload).where(
                OutboxMessage.kind == KIND_EMAIL,
                or_(OutboxMessage.lane.like(f"email:%@{domain}"),
                    OutboxMessage.lane.like("email:#%"))))  # a long address: see email_lane
        for payload in payloads:
            if not isinstance(payload, dict):
                continue
            to = payload.get("to")
            to = [to] if isinstance(to, str) else to if isinstance(to, list) else []
            if not any(is_speakers_address(speaker, str(addr)) for addr in to):
                continue  # the bot's mail to another mailbox
            sent_id = payload.get("message_id")
            if sent_id not in wanted:
                continue
            about = {sent_id, payload.get("in_reply_to"), *(payload.get("references") or [])}
            if about & thread:
                return True
    return False
