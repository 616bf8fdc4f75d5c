"""Cycles: one call for speakers each, with its deadline and session date."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from storage.models import Cycle, Submission, utcnow


class CycleError(ValueError):
    """A cycle request a person can fix; the message says how."""


def end_of_day(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The last instant of `day` in `zone`, as UTC: deadlines are end of day local."""
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    return (local - dt.timedelta(microseconds=1)).astimezone(dt.UTC)


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CycleError(f"{what} {value!r} is not a date; use YYYY-MM-DD") from None


def parse_instant(value: str, zone: zoneinfo.ZoneInfo, what: str) -> dt.datetime:
    """ISO-8601; a time without an offset is read in TIMEZONE."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CycleError(
            f"{what} {value!r} is not an ISO-8601 time; e.g. 2026-12-01T09:00:00+00:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class CycleRequest:
    title: str
    deadline: dt.date
    session_date: dt.date
    announce_at: dt.datetime | None = None
    theme: str | None = None


async def open_cycle(
    session: AsyncSession, req: CycleRequest, zone: zoneinfo.ZoneInfo, now: dt.datetime,
    actor: str = "cli",
) -> Cycle:
    title = req.title.strip()
    if not title:
        raise CycleError("the title is empty; give --title")
    if len(title) > 200:
        raise CycleError("the title is over 200 characters")
    announce_at = req.announce_at or now
    deadline = end_of_day(req.deadline, zone)
    if deadline <= announce_at:
        raise CycleError("the deadline is before the announcement; pick a later --deadline")
    if req.session_date < req.deadline:
        raise CycleError("the session date is before the deadline; pick a later --session-date")
    cycle = Cycle(
        title=title,
        theme=(req.theme or "").strip() or None,
        deadline=deadline,
        deadline_date=req.deadline,
        session_date=req.session_date,
        announce_at=announce_at,
        timezone=zone.key,
        status="open",
    )
    session.add(cycle)
    await session.flush()
    # Submissions made while no call was open were waiting for this one.
    waiting = await session.execute(
        update(Submission)
        .where(Submission.cycle_id.is_(None), Submission.status.in_(_LIVE))
        .values(cycle_id=cycle.id)
        .returning(Submission.id)
    )
    adopted = [row[0] for row in waiting]
    await record(session, actor, "cycle.opened", detail={"cycle_id": cycle.id, "adopted": adopted})
    return cycle


_LIVE = ("pending_confirmation", "submitted")


async def close_cycle(session: AsyncSession, cycle_id: int, actor: str = "cli") -> Cycle:
    cycle = await session.get(Cycle, cycle_id)
    if cycle is None:
        raise CycleError(f"no cycle with id {cycle_id}; see `wgml-bot cycle list`")
    if cycle.status != "closed":
        cycle.status = "closed"
        cycle.closed_at = utcnow()
        await record(session, actor, "cycle.closed", detail={"cycle_id": cycle.id})
    return cycle


async def list_cycles(session: AsyncSession) -> list[Cycle]:
    return list((await session.scalars(select(Cycle).order_by(Cycle.id))).all())


async def current_cycle(session: AsyncSession, now: dt.datetime) -> Cycle | None:
    """The open cycle taking submissions now: open, and its deadline not passed.

    A cycle announced later is still accepted early: a member who has heard of it may submit.
    """
    return await session.scalar(
        select(Cycle)
        .where(Cycle.status == "open", Cycle.deadline >= now)
        .order_by(Cycle.deadline, Cycle.id)
        .limit(1)
    )
