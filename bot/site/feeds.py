"""The archive for other programs: feed.ics (calendars), feed.xml (Atom), talks.json.

feed.ics holds one event per session with a program; its UID is the cycle's
(`cycle-ID@HOST`), so a calendar subscribed to the feed updates the event rather than adding
another when the program changes. Times are local to the session's zone (TZID, with its
VTIMEZONE). The join URL is there only while the session is ahead.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, Template

from bot.sessions.archive import Archive, ArchiveSession
from bot.site.links import Links, safe_url

PRODID = "-//ASWF WG-ML//wgml-bot public archive//EN"
JSON_FORMAT = 1


def host(site_url: str | None) -> str:
    """The name UIDs and tag URIs are made in: SITE_URL's host, or `wgml-bot`."""
    return (urlsplit(site_url).hostname if site_url else None) or "wgml-bot"


def absolute(site_url: str | None, path: str) -> str:
    """A page's address: on SITE_URL when it is set, else relative to the site's root."""
    return f"{site_url}{path}" if site_url else path


def calendar(archive: Archive, links: Links, site_url: str | None) -> str:
    # Imported here as bot.sessions.program does: icalendar is loaded when a build runs.
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "WG-ML Mutual Learning Sessions")
    domain = host(site_url)
    for session in sorted(archive.sessions, key=lambda s: (s.start, s.cycle_id)):
        zone = zoneinfo.ZoneInfo(session.timezone)
        event = Event()
        event.add("uid", f"cycle-{session.cycle_id}@{domain}")
        # DTSTAMP from the data, not the clock: the same database builds the same feed.
        event.add("dtstamp", (session.program_at or session.start).astimezone(dt.UTC))
        if session.program_at is not None:
            event.add("last-modified", session.program_at.astimezone(dt.UTC))
        event.add("dtstart", session.start.astimezone(zone))
        event.add("dtend", session.end.astimezone(zone))
        event.add("summary", session.title)
        join = safe_url(session.join_url) if session.upcoming else None
        if join:
            event.add("location", join)
        page = absolute(site_url, links.session(session)) if site_url else None
        if page or join:
            event.add("url", page or join)
        lines = [f"{t.title} ({t.speaker}, {t.studio})" for t in session.talks]
        if join:
            lines += ["", f"Join: {join}"]
        if page:
            lines += ["", f"Talks, slides and recordings: {page}"]
        if lines:
            event.add("description", "\n".join(lines).strip())
        cal.add_component(event)
    if hasattr(cal, "add_missing_timezones"):  # icalendar 6.1+: VTIMEZONE for each TZID
        cal.add_missing_timezones()
    return str(cal.to_ical().decode("utf-8"))


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: dt.datetime
    link: str
    summary: str  # HTML, escaped once more by the XML template (type="html")


def _entries(env: Environment, archive: Archive, links: Links, site_url: str | None,
             summary: Template) -> list[Entry]:
    domain = host(site_url)
    out: list[Entry] = []
    for session in archive.sessions:
        link = absolute(site_url, links.session(session))

        def html(session: ArchiveSession = session, *, recap: bool) -> str:
            return summary.render(session=session, links=links, recap=recap,
                                  root=site_url or "")

        out.append(Entry(f"tag:{domain},2026:cycle-{session.cycle_id}/program",
                         f"Program: {session.title}", session.program_at or session.start,
                         link, html(recap=False)))
        if session.recap_at is not None:
            out.append(Entry(f"tag:{domain},2026:cycle-{session.cycle_id}/recap",
                             f"Recap: {session.title}", session.recap_at, link,
                             html(recap=True)))
    out.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return out


def atom(env: Environment, archive: Archive, links: Links, site_url: str | None,
         summary: Template) -> str:
    entries = _entries(env, archive, links, site_url, summary)
    updated = max((e.updated for e in entries), default=archive.now)
    return env.get_template("feed.xml").render(
        entries=entries, updated=updated, site_url=site_url,
        feed_id=f"tag:{host(site_url)},2026:archive")


def talks_json(archive: Archive, links: Links, site_url: str | None) -> str:
    """The shape docs/site.md documents."""
    sessions: list[dict[str, Any]] = []
    talks: list[dict[str, Any]] = []
    for session in archive.sessions:
        sessions.append({
            "id": session.cycle_id, "title": session.title, "theme": session.theme,
            "date": session.session_date.isoformat(), "time": session.session_time,
            "timezone": session.timezone,
            "start": session.start.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "upcoming": session.upcoming,
            "join_url": safe_url(session.join_url) if session.upcoming else None,
            "url": absolute(site_url, links.session(session)),
            "talks": [t.ref for t in session.talks],
        })
        for t in session.talks:
            talks.append({
                "ref": t.ref, "session_id": session.cycle_id, "title": t.title,
                "speaker": t.speaker, "studio": t.studio, "focus_area": t.focus_area,
                "focus_label": t.focus_label, "abstract": t.abstract, "results": t.results,
                "slides_url": safe_url(t.slides_url),
                "recording_url": safe_url(t.recording_url),
                "url": absolute(site_url, links.talk(t)),
            })
    data = {"format": JSON_FORMAT,
            "generated_at": archive.now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "site_url": site_url, "sessions": sessions, "talks": talks}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
