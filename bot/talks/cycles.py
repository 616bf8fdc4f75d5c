"""Cycles: one call for speakers each, with its deadline and session date."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.talks.errors import CycleError
from bot.talks.status import CycleStatus
from storage.models import Cycle, Submission, utcnow


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
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # 9999-12-31T23:59-12:00 is past the last instant Python holds
        raise CycleError(f"{what} {value!r} is out of range") from None


DEFAULT_SLOTS = 3
DEFAULT_SESSION_TIME = "17:00"
DECIDE_AFTER_DEADLINE = dt.timedelta(days=3)  # the default decide-by date
MAX_SLOTS = 50
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def parse_slots(value: str | int) -> int:
    try:
        slots = int(str(value).strip())
    except ValueError:
        raise CycleError(f"--slots {str(value)[:20]!r} is not a whole number; e.g. 3") from None
    if not 1 <= slots <= MAX_SLOTS:
        raise CycleError(f"--slots must be between 1 and {MAX_SLOTS}, not {slots}")
    return slots


def parse_session_time(value: str) -> str:
    value = value.strip()
    if not _HHMM.match(value):
        raise CycleError(f"--session-time {value[:20]!r} is not a time; use HH:MM, e.g. 17:00")
    return value


def parse_join_url(value: str) -> str | None:
    """An http(s) URL people can click; empty clears it."""
    value = value.strip()
    if not value:
        return None
    if len(value) > 500:
        raise CycleError("--join-url is over 500 characters")
    parts = urlsplit(value)
    # <, > and | would break out of a Slack link (<url|text>); spaces are no URL.
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
            c.isspace() or c in '<>|"' or ord(c) < 32 for c in value):
        raise CycleError(f"--join-url {value[:60]!r} is not an http(s) URL; e.g. "
                         "https://zoom.us/j/123")
    return value


@dataclass(frozen=True)
class CycleRequest:
    title: str
    deadline: dt.date
    session_date: dt.date
    announce_at: dt.datetime | None = None
    theme: str | None = None
    slots: int = DEFAULT_SLOTS
    session_time: str = DEFAULT_SESSION_TIME
    join_url: str | None = None
    decide_by: dt.date | None = None  # default: three days after the deadline


def default_decide_by(deadline: dt.date, session_date: dt.date) -> dt.date:
    return min(deadline + DECIDE_AFTER_DEADLINE, session_date)


def _check_decide_by(decide_by: dt.date, deadline: dt.date, session_date: dt.date) -> None:
    if decide_by < deadline:
        raise CycleError(f"--decide-by {decide_by} is before the deadline {deadline}; the "
                         "leaders decide after the call closes")
    if decide_by > session_date:
        raise CycleError(f"--decide-by {decide_by} is after the session date {session_date}")


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
    slots = parse_slots(req.slots)
    session_time = parse_session_time(req.session_time)
    join_url = parse_join_url(req.join_url or "")
    decide_by = req.decide_by or default_decide_by(req.deadline, req.session_date)
    _check_decide_by(decide_by, req.deadline, req.session_date)
    cycle = Cycle(
        title=title,
        theme=(req.theme or "").strip() or None,
        deadline=deadline,
        deadline_date=req.deadline,
        session_date=req.session_date,
        announce_at=announce_at,
        timezone=zone.key,
        status=CycleStatus.OPEN,
        slots=slots,
        session_time=session_time,
        join_url=join_url,
        decide_by=decide_by,
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
    if cycle.status != CycleStatus.CLOSED:
        cycle.status = CycleStatus.CLOSED
        cycle.closed_at = utcnow()
        await record(session, actor, "cycle.closed", detail={"cycle_id": cycle.id})
    return cycle


@dataclass(frozen=True)
class CycleChange:
    """What `cycle set` changes; None leaves a field as it is."""

    title: str | None = None
    slots: int | None = None
    session_time: str | None = None
    join_url: str | None = None  # "" clears it
    decide_by: dt.date | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.title, self.slots, self.session_time,
                                        self.join_url, self.decide_by))


async def set_cycle(session: AsyncSession, cycle_id: int, change: CycleChange,
                    actor: str = "cli") -> Cycle:
    """Change a cycle's session facts; every value checked before any is stored."""
    if change.empty:
        raise CycleError("nothing to change; give --title, --slots, --session-time, "
                         "--join-url or --decide-by")
    cycle = await session.get(Cycle, cycle_id)
    if cycle is None:
        raise CycleError(f"no cycle with id {cycle_id}; see `wgml-bot cycle list`")
    values: dict[str, object] = {}
    if change.title is not None:
        title = " ".join(change.title.split())
        if not title:
            raise CycleError("the title is empty")
        if len(title) > 200:
            raise CycleError("the title is over 200 characters")
        values["title"] = title
    if change.slots is not None:
        values["slots"] = parse_slots(change.slots)
    if change.session_time is not None:
        values["session_time"] = parse_session_time(change.session_time)
    if change.join_url is not None:
        values["join_url"] = parse_join_url(change.join_url)
    if change.decide_by is not None:
        _check_decide_by(change.decide_by, cycle.deadline_date, cycle.session_date)
        values["decide_by"] = change.decide_by
    before = {k: _plain(getattr(cycle, k)) for k in values}
    for key, value in values.items():
        setattr(cycle, key, value)
    await record(session, actor, "cycle.changed", detail={
        "cycle_id": cycle.id, "before": before,
        "after": {k: _plain(v) for k, v in values.items()}})
    return cycle


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


async def list_cycles(session: AsyncSession) -> list[Cycle]:
    return list((await session.scalars(select(Cycle).order_by(Cycle.id))).all())


async def current_cycle(session: AsyncSession, now: dt.datetime) -> Cycle | None:
    """The open cycle taking submissions now: open, and its deadline not passed.

    A cycle announced later is still accepted early: a member who has heard of it may submit.
    """
    return await session.scalar(
        select(Cycle)
        .where(Cycle.status == CycleStatus.OPEN, Cycle.deadline >= now)
        .order_by(Cycle.deadline, Cycle.id)
        .limit(1)
    )
