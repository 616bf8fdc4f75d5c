"""Talks whose speaker keeps answering unclearly: a word to the leaders, once each.

An unconfirmed talk must never reach the leaders (no card, no votes), yet one can sit in
pending_confirmation for good when the speaker keeps answering without a clear yes after the
one polite follow-up. The bot stops writing to them and posts a short note in the leadership
channel so a person can reach out. It names the talk's reference and its speaker only: the
title and abstract are exactly what the speaker has not yet cleared as non-confidential.
Speakers who simply never answer are not named: they get the scheduled speaker reminder, and
the digest counts talks still waiting without showing them.

Each submission is flagged at most once (an audit row, checked with the row locked, so two
replicas reading two replies at once cannot both flag it).
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.talks.said import UnconfirmedFlagged
from bot.talks.status import Status
from storage.models import AuditEvent, Submission
from storage.outbox import enqueue_slack_message

FLAGGED = "submission.flagged_unconfirmed"  # audit action: the leaders were told
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")

UNCLEAR = "unclear_replies"  # the speaker answered again, still without a clear yes


def flagged(sub: Submission) -> UnconfirmedFlagged:
    """What the leaders are told: the reference and who to reach, never the title."""
    speaker = sub.speaker
    if speaker.slack_user_id and _USER_ID.match(speaker.slack_user_id):
        return UnconfirmedFlagged(sub.ref or f"#{sub.id}", slack_user=speaker.slack_user_id)
    name = speaker.name if speaker.name and "@" not in speaker.name else ""
    return UnconfirmedFlagged(sub.ref or f"#{sub.id}", name=name or "",
                              email=speaker.email or "")


async def _not_flagged(session: AsyncSession, ids: list[int]) -> set[int]:
    """Of these submissions (locked by the caller), those the leaders were not told about."""
    if not ids:
        return set()
    told = set((await session.scalars(
        select(AuditEvent.submission_id).where(
            AuditEvent.action == FLAGGED, AuditEvent.submission_id.in_(ids))
    )).all())
    return set(ids) - told


async def _lock(session: AsyncSession, ids: list[int]) -> None:
    # Row locks on PostgreSQL (SQLite serialises writers anyway): the email path and the
    # scheduled check cannot both find a talk unflagged and both flag it.
    if ids:
        await session.execute(
            select(Submission.id).where(Submission.id.in_(ids))
            .order_by(Submission.id).with_for_update()
        )


async def flag_unclear(session: AsyncSession, sub: Submission, *, channel: str | None,
                       actor: str, now: dt.datetime) -> bool:
    """Tell the leaders a speaker's replies stay unclear; False when already told (or no
    channel to tell)."""
    if not channel or sub.status != Status.PENDING_CONFIRMATION:
        return False
    await _lock(session, [sub.id])
    if not await _not_flagged(session, [sub.id]):
        return False
    await enqueue_slack_message(session, channel=channel, said=flagged(sub),
                                key=f"flag:unconfirmed:{sub.id}")
    await record(session, actor, FLAGGED, submission_id=sub.id,
                 detail={"reason": UNCLEAR, "channel": channel, "at": now.isoformat()})
    return True
