"""Recusal: a leader steps back from a talk (e.g. one from their own studio), or back in.

One row per leader and talk, toggled by the card's Recuse button. Stepping back removes the
leader's vote, and they no longer owe one (nudges, digest, review). Slack's action_ts of the
press behind the row orders presses: a replayed or late older press changes nothing, as for
votes (bot.curation.vote_batch).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.curation.said import Answer, Closed, RecusalToggled, Refusal
from bot.talks.status import Status
from storage.models import Recusal, Submission, Vote
from storage.outbox import enqueue_card

log = logging.getLogger("wgml.curation")


def active_recusals(submission: Submission) -> list[str]:
    """The leaders recused from this talk now, in the order they stepped back."""
    return [r.leader for r in submission.recusals if r.active]


async def recused_pairs(session: AsyncSession, sids: Iterable[int], voters: Iterable[str]
                        ) -> set[tuple[int, str]]:
    """(submission, leader) pairs with an active recusal among these."""
    sids, voters = list(sids), list(voters)
    if not sids or not voters:
        return set()
    rows = await session.execute(
        select(Recusal.submission_id, Recusal.leader).where(
            Recusal.active.is_(True), Recusal.submission_id.in_(sids),
            Recusal.leader.in_(voters)))
    return {(sid, leader) for sid, leader in rows.all()}


async def toggle_recusal(session: AsyncSession, sub: Submission, leader: str, *,
                         now: dt.datetime, channel: str, action_us: int | None
                         ) -> tuple[str, Answer | None]:
    """(outcome, what to tell the leader); `sub` is locked by the caller."""
    if sub is None:
        return "missing", Refusal.MISSING
    row = await session.scalar(select(Recusal).where(
        Recusal.submission_id == sub.id, Recusal.leader == leader).with_for_update())
    if row is not None and action_us is not None and row.action_us is not None \
            and action_us <= row.action_us:
        return "stale", None  # an older press, replayed or retried: the newer one stands
    if sub.status != Status.SUBMITTED:
        return "closed", Closed(sub.status, sub.decided_by, "recuse")
    active = True if row is None else not row.active
    if row is None:
        row = Recusal(submission_id=sub.id, leader=leader, active=True, at=now,
                      action_us=action_us)
        session.add(row)
    else:
        row.active, row.at = active, now
        if action_us is not None:
            row.action_us = action_us
    removed = None
    if active:
        removed = await session.scalar(select(Vote.value).where(
            Vote.submission_id == sub.id, Vote.voter == leader))
        await session.execute(delete(Vote).where(Vote.submission_id == sub.id,
                                                 Vote.voter == leader))
    await session.flush()
    await enqueue_card(session, sub.id, sub.card_channel or channel)
    await record(session, leader, "recusal.on" if active else "recusal.off",
                 submission_id=sub.id, detail={"vote_removed": removed})
    log.info("event=curation.recusal submission=%s leader=%s active=%s", sub.id, leader,
             active)
    return ("recused" if active else "returned"), RecusalToggled(sub.ref or f"#{sub.id}", active)
