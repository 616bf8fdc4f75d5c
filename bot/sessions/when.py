"""When a session starts, from a cycle's columns: the scheduler's planning reads it on every
tick, apart from the program's code (bot/sessions/program.py) that says what it shows."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from storage.models import Cycle


def session_start(cycle: Cycle) -> dt.datetime:
    """The session's start in UTC, from its local date and HH:MM in the cycle's zone."""
    return start_of(cycle.session_date, cycle.session_time, cycle.timezone)


def start_of(session_date: dt.date, session_time: str, timezone: str | None) -> dt.datetime:
    """A session's start in UTC from its local date, HH:MM and IANA zone (for readers
    that hold a cycle's columns rather than the row)."""
    hour, minute = (int(x) for x in session_time.split(":"))
    zone = zoneinfo.ZoneInfo(timezone or "UTC")
    return dt.datetime.combine(session_date, dt.time(hour, minute),
                               tzinfo=zone).astimezone(dt.UTC)
