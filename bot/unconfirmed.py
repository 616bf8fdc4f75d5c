"""Talks stuck waiting for their speaker's confirmation: a word to the leaders, once each.

An unconfirmed talk must never reach the leaders (no card, no votes), yet one can sit in
pending_confirmation for good: the speaker keeps answering without a clear yes after the one
polite follow-up, or never answers before the deadline. Then a short note in the leadership
channel lets a person reach out. It names the talk's reference and its speaker only: the
title and abstract are exactly what the speaker has not yet cleared as non-confidential.

Each submission is flagged at most once, whichever path notices first (an unclear email or
the scheduled check before the deadline). The check runs with the submission rows locked,
so the two paths cannot both flag one talk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.mrkdwn import escaped_short
from storage.models import AuditEvent, Submission
from storage.outbox import enqueue_slack_message

FLAGGED = "submission.flagged_unconfirmed"  # audit action: the leaders were told
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")

UNCLEAR = "unclear_replies"  # the speaker answered again, still without a clear yes
STUCK = "stuck_before_deadline"  # still waiting the day before the deadline


def speaker_words(sub: Submission) -> str:
    """Who to reach: a Slack mention when known, else name and address (escaped)."""
    speaker = sub.speaker
    if speaker.slack_user_id and _USER_ID.match(speaker.slack_user_id):
        return f"<@{speaker.slack_user_id}>"
    name = escaped_short(speaker.name, 80) if speaker.name and "@" not in speaker.name else ""
    email = escaped_short(speaker.email or "", 254)
    if name and email:
        return f"{name} ({email})"
    return name or email or "an unknown speaker"


def _line(sub: Submission) -> str:
    return f"`{sub.ref}` from {speaker_words(sub)}"


def unclear_text(sub: Submission) -> str:
    return (
        f":raising_hand: {_line(sub)} is still waiting for the speaker's confirmation that "
        "the talk holds no confidential information. They answered my request, and my "
        "follow-up, without a clear yes, so I will not write to them again. Could one of "
        "you get in touch? Until they confirm, the talk stays hidden from the leaders and "
        "out of voting."
    )


MAX_LISTED = 40  # a Slack message stays readable; the rest are counted


def stuck_text(subs: Sequence[Submission], deadline: str) -> str:
    lines = "\n".join(f"• {_line(s)}" for s in subs[:MAX_LISTED])
    if len(subs) > MAX_LISTED:
        lines += f"\n…and {len(subs) - MAX_LISTED} more (`wgml-bot export` lists them)."
    many = len(subs) != 1
    return (
        f":hourglass: {len(subs)} talk{'s are' if many else ' is'} still waiting for "
        f"{'their speakers' if many else 'its speaker'} to confirm there is no confidential "
        f"information, with the call closing {deadline}. The speakers were asked and "
        "reminded; a word from one of you may help. Until they confirm, these talks stay "
        f"hidden from the leaders and out of voting.\n{lines}"
    )


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
    if not channel or sub.status != "pending_confirmation":
        return False
    await _lock(session, [sub.id])
    if not await _not_flagged(session, [sub.id]):
        return False
    await enqueue_slack_message(session, channel=channel, text=unclear_text(sub),
                                key=f"flag:unconfirmed:{sub.id}")
    await record(session, actor, FLAGGED, submission_id=sub.id,
                 detail={"reason": UNCLEAR, "channel": channel, "at": now.isoformat()})
    return True


async def flag_stuck(session: AsyncSession, subs: Sequence[Submission], *, channel: str,
                     deadline: str, key: str, now: dt.datetime) -> list[Submission]:
    """One note listing the talks not flagged before; returns those it names."""
    ids = sorted(s.id for s in subs)
    await _lock(session, ids)
    fresh = await _not_flagged(session, ids)
    named = [s for s in subs if s.id in fresh]
    if not named:
        return []
    await enqueue_slack_message(session, channel=channel, text=stuck_text(named, deadline),
                                key=key)
    for sub in named:
        await record(session, "system", FLAGGED, submission_id=sub.id,
                     detail={"reason": STUCK, "channel": channel, "at": now.isoformat()})
    return named
