"""`wgml-bot export --format ics`: the accepted talks on their cycle's session date.

All-day events (the session date is a date, its time is the group's to set), with UIDs built
from the submission's reference so re-importing an updated export updates the same events.
The icalendar package escapes commas, semicolons, backslashes and newlines in text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar, Event

from bot.focus import focus_label
from bot.talks.status import Status

PRODID = "-//ASWF WG-ML//wgml-bot//EN"
UID_DOMAIN = "wgml-bot.aswf"


def _when(value: str | None) -> dt.datetime:
    if value:
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def to_ics(data: dict[str, Any]) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "WG-ML Mutual Learning Sessions")
    cycles = {c["id"]: c for c in data["cycles"]}
    for s in data["submissions"]:
        cycle = cycles.get(s["cycle_id"])
        if s["status"] != Status.ACCEPTED or cycle is None:
            continue
        day = dt.date.fromisoformat(cycle["session_date"])
        speaker = s["speaker"]
        who = speaker.get("name") or speaker.get("email") or "a member"
        studio = speaker.get("studio") or ""
        event = Event()
        event.add("uid", f"{s['ref'] or s['id']}@{UID_DOMAIN}")
        # DTSTAMP from the data, not the clock: the same database exports the same file.
        event.add("dtstamp", _when(s.get("confidentiality_confirmed_at") or s.get("created_at")))
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"{s['title']} ({who}{', ' + studio if studio else ''})")
        description = [f"{cycle['title']}: {s['ref']}", f"Speaker: {who}"]
        if cycle.get("session_time"):
            # The event stays all-day (calendars imported before keep their shape); the
            # session's local start and where to join are in its text.
            description.append(f"Session: {cycle['session_time']} (the group's time zone)")
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
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
