"""`wgml-bot export --format ics`: the accepted talks on their cycle's session date.

Timed events: the cycle's session_time on its session date in the group's time zone
(TIMEZONE), written in UTC so every calendar reads the same instant without a VTIMEZONE
block; SESSION_MINUTES long, as the program's invite. UIDs are built from the submission's
reference so re-importing an updated export updates the same events.
The icalendar package escapes commas, semicolons, backslashes and newlines in text.
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from typing import Any, TextIO

from icalendar import Calendar, Event

from bot.focus import focus_label
from bot.talks.cycles import DEFAULT_SESSION_TIME
from bot.talks.status import Status

PRODID = "-//ASWF WG-ML//wgml-bot//EN"
UID_DOMAIN = "wgml-bot.aswf"
# The same length as the program's calendar invite (bot.sessions.program.SESSION_MINUTES);
# kept here because bot.talks and bot.sessions are independent layers.
SESSION_MINUTES = 60


def session_start(session_date: str, session_time: str | None,
                  zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The session's start in UTC from its local date and HH:MM in the group's zone."""
    hour, minute = (int(x) for x in (session_time or DEFAULT_SESSION_TIME).split(":"))
    local = dt.datetime.combine(dt.date.fromisoformat(session_date), dt.time(hour, minute),
                                tzinfo=zone)
    return local.astimezone(dt.UTC)


def _when(value: str | None) -> dt.datetime:
    if value:
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def calendar() -> Calendar:
    """The calendar's own properties, without events."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "WG-ML Mutual Learning Sessions")
    return cal


def session_event(s: dict[str, Any], cycle: dict[str, Any] | None, zone: zoneinfo.ZoneInfo,
                  timezone: str) -> Event | None:
    """An accepted talk's event on its cycle's session; None for any other talk."""
    if s["status"] != Status.ACCEPTED or cycle is None:
        return None
    start = session_start(cycle["session_date"], cycle.get("session_time"), zone)
    speaker = s["speaker"]
    who = speaker.get("name") or speaker.get("email") or "a member"
    studio = speaker.get("studio") or ""
    event = Event()
    event.add("uid", f"{s['ref'] or s['id']}@{UID_DOMAIN}")
    # DTSTAMP from the data, not the clock: the same database exports the same file.
    event.add("dtstamp", _when(s.get("confidentiality_confirmed_at") or s.get("created_at")))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=SESSION_MINUTES))
    event.add("summary", f"{s['title']} ({who}{', ' + studio if studio else ''})")
    description = [f"{cycle['title']}: {s['ref']}", f"Speaker: {who}"]
    if cycle.get("session_time"):
        description.append(f"Session: {cycle['session_time']} {timezone}")
    if cycle.get("join_url"):
        description.append(f"Join: {cycle['join_url']}")
    if studio:
        description.append(f"Studio: {studio}")
    description.append(f"Focus area: {focus_label(s['focus_area'])}")
    description += ["", s["abstract"]]
    if s.get("results"):
        description += ["", "Results: " + s["results"]]
    event.add("description", "\n".join(description))
    event.add("categories", [focus_label(s["focus_area"])])
    event.add("transp", "TRANSPARENT")
    return event


class CalendarWriter:
    """The calendar written event by event: the same bytes as the whole Calendar's
    to_ical(), without holding its events."""

    END = b"END:VCALENDAR\r\n"

    def __init__(self, out: TextIO, timezone: str = "UTC") -> None:
        self.out, self.timezone = out, timezone
        self.zone = zoneinfo.ZoneInfo(timezone)
        head = calendar().to_ical()
        assert head.endswith(self.END)
        out.write(head[:-len(self.END)].decode("utf-8"))

    def add(self, s: dict[str, Any], cycle: dict[str, Any] | None) -> None:
        event = session_event(s, cycle, self.zone, self.timezone)
        if event is not None:
            self.out.write(event.to_ical().decode("utf-8"))

    def close(self) -> None:
        self.out.write(self.END.decode("ascii"))


def to_ics(data: dict[str, Any], timezone: str = "UTC") -> str:
    out = io.StringIO()
    writer = CalendarWriter(out, timezone)
    cycles = {c["id"]: c for c in data["cycles"]}
    for s in data["submissions"]:
        writer.add(s, cycles.get(s["cycle_id"]))
    writer.close()
    return out.getvalue()
