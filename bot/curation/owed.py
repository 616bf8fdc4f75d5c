"""Votes owed: a leader owes a vote on a talk open for votes (confirmed, not decided) when
they have neither voted on it nor recused themselves. Counted and listed in SQL, so the
Home tab, `/wgml review owed` and the nudge cost the same for 10 talks as for 10,000 (the
votes' and recusals' unique (submission, leader) indexes answer each NOT EXISTS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.talks.status import CycleStatus, Status
from storage.models import Cycle, Recusal, Submission, Vote


@dataclass(frozen=True)
class OwedTalk:
    """One talk a leader owes a vote on: enough to name it and link its card."""

    id: int
    ref: str
    title: str
    card_channel: str | None
    card_ts: str | None


def owed_by(leader: str) -> ColumnElement[bool]:
    """The talks `leader` owes a vote on (with the cycle's condition added by the caller)."""
    voted = exists().where(Vote.submission_id == Submission.id, Vote.voter == leader)
    recused = exists().where(Recusal.submission_id == Submission.id, Recusal.leader == leader,
                             Recusal.active.is_(True))
    return and_(Submission.status == Status.SUBMITTED, ~voted, ~recused)


async def review_cycle(session: AsyncSession, now: dt.datetime) -> Cycle | None:
    """The call the leaders are reviewing: the open call still taking talks, else the open
    call whose deadline passed last (its votes are what the leaders owe now)."""
    upcoming = await session.scalar(
        select(Cycle).where(Cycle.status == CycleStatus.OPEN, Cycle.deadline >= now)
        .order_by(Cycle.deadline, Cycle.id).limit(1))
    if upcoming is not None:
        return upcoming
    return await session.scalar(
        select(Cycle).where(Cycle.status == CycleStatus.OPEN)
        .order_by(Cycle.deadline.desc(), Cycle.id.desc()).limit(1))


async def open_count(session: AsyncSession, cycle_id: int) -> int:
    """Talks of the cycle open for votes."""
    return int(await session.scalar(select(func.count()).select_from(Submission).where(
        Submission.cycle_id == cycle_id, Submission.status == Status.SUBMITTED)) or 0)


async def owed_count(session: AsyncSession, cycle_id: int, leader: str) -> int:
    return int(await session.scalar(select(func.count()).select_from(Submission).where(
        Submission.cycle_id == cycle_id, owed_by(leader))) or 0)


async def owed_talks(session: AsyncSession, cycle_id: int, leader: str, *,
                     limit: int | None = None) -> list[OwedTalk]:
    """The talks `leader` owes a vote on, the longest waiting first (submission order)."""
    query = (select(Submission.id, Submission.ref, Submission.title, Submission.card_channel,
                    Submission.card_ts)
             .where(Submission.cycle_id == cycle_id, owed_by(leader))
             .order_by(Submission.id))
    if limit is not None:
        query = query.limit(limit)
    return [OwedTalk(sid, ref or f"#{sid}", title, channel, ts)
            for sid, ref, title, channel, ts in (await session.execute(query)).all()]


async def owed_per_leader(session: AsyncSession, cycle_id: int, leaders: Iterable[str]
                          ) -> dict[str, int]:
    """Leader -> how many open talks of the cycle they owe a vote on (leaders owing none
    left out). One grouped query over the cycle's votes and recusals, whatever the number
    of leaders: a talk is covered by a vote or an active recusal (recusing removes a vote,
    so a talk is never counted twice for one leader)."""
    leaders = sorted(set(leaders))
    if not leaders:
        return {}
    total = await open_count(session, cycle_id)
    if total == 0:
        return {}
    open_talks = and_(Submission.cycle_id == cycle_id, Submission.status == Status.SUBMITTED)
    voted = (select(Vote.voter.label("leader"), Vote.submission_id.label("sid"))
             .join(Submission, Submission.id == Vote.submission_id)
             .where(open_talks, Vote.voter.in_(leaders)))
    recused = (select(Recusal.leader.label("leader"), Recusal.submission_id.label("sid"))
               .join(Submission, Submission.id == Recusal.submission_id)
               .where(open_talks, Recusal.active.is_(True), Recusal.leader.in_(leaders)))
    covered = union_all(voted, recused).subquery()
    rows = (await session.execute(
        select(covered.c.leader, func.count(func.distinct(covered.c.sid)))
        .group_by(covered.c.leader))).all()
    done = {leader: int(n) for leader, n in rows}
    return {leader: total - done.get(leader, 0) for leader in leaders
            if total - done.get(leader, 0) > 0}
