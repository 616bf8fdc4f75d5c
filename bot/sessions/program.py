"""The session's program: the talks whose speakers confirmed, to the channel and the list
(said as values, bot/sessions/said_program.py; worded by bot/slack_ui/said_program.py and
bot/email/session_texts.py).

The email carries the session as a calendar event (METHOD:PUBLISH) whose UID is the cycle's,
so a corrected program (SEQUENCE one higher) updates the event people already imported.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.focus import focus_label
from bot.sessions.said_program import ProgramAnnounced, SessionTalk, SessionToday
from bot.sessions.when import session_start
from bot.talks.publish import talk_page
from bot.talks.status import Status
from storage.models import Cycle, Submission

PRODID = "-//ASWF WG-ML//wgml-bot//EN"
UID_DOMAIN = "wgml-bot.aswf"
SESSION_MINUTES = 60


async def program_talks(session: AsyncSession, cycle_id: int) -> list[Submission]:
    """Accepted talks whose speaker confirmed they will present, in acceptance order."""
    rows = (await session.scalars(select(Submission).where(
        Submission.cycle_id == cycle_id, Submission.status == Status.ACCEPTED,
        Submission.attendance == "confirmed",
    ).order_by(Submission.decided_at, Submission.id))).unique().all()
    return list(rows)


def when_words(cycle: Cycle) -> str:
    """"Thursday 14 January 2027, 17:00 Europe/London (17:00 UTC)"."""
    start = session_start(cycle)
    zone = zoneinfo.ZoneInfo(cycle.timezone or "UTC")
    local = start.astimezone(zone)
    return (f"{local:%A %d %B %Y}, {local:%H:%M} {cycle.timezone or 'UTC'} "
            f"({start:%H:%M} UTC)")


def _studio(sub: Submission) -> str:
    return " ".join((sub.studio or sub.speaker.studio or "").split()) or "independent"


def session_talk(sub: Submission, site_url: str | None = None) -> SessionTalk:
    """The talk as the program and the recap show it; with SITE_URL, its page on the public
    archive when its speaker agreed."""
    return SessionTalk(title=sub.title, speaker_user=sub.speaker.slack_user_id or "",
                       speaker_name=sub.speaker.name or "", studio=_studio(sub),
                       focus=focus_label(sub.focus_area), abstract=sub.abstract,
                       page=talk_page(site_url, sub) or "", slides_url=sub.slides_url or "",
                       recording_url=sub.recording_url or "")


def announced(cycle: Cycle, talks: list[Submission], *, update: bool = False,
              site_url: str | None = None) -> ProgramAnnounced:
    """The program (or its update) to say, in the channel and to the list."""
    return ProgramAnnounced(cycle_title=cycle.title,
                            session_date=cycle.session_date.isoformat(),
                            when=when_words(cycle), join_url=cycle.join_url or "",
                            update=update, talks=[session_talk(s, site_url) for s in talks])


def calendar(cycle: Cycle, talks: list[Submission], sequence: int, now: dt.datetime) -> str:
    """The session as one VEVENT (METHOD:PUBLISH); its UID is stable per cycle."""
    # Imported here: `run` keeps the exporter's libraries out of the service's memory until
    # a program is actually sent (tests/app/test_run_imports.py).
    from icalendar import Calendar, Event
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"session-{cycle.id}@{UID_DOMAIN}")
    event.add("sequence", sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    start = session_start(cycle)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=SESSION_MINUTES))
    event.add("summary", cycle.title)
    if cycle.join_url:
        event.add("location", cycle.join_url)
        event.add("url", cycle.join_url)
    event.add("description", "\n".join(
        f"{' '.join(s.title.split())} ({s.speaker.name or 'a member'}, {_studio(s)})"
        for s in talks))
    cal.add_component(event)
    return cal.to_ical().decode()


def today(cycle: Cycle, talks: list[Submission]) -> SessionToday:
    """The morning of the session, in the channel."""
    return SessionToday(cycle_title=cycle.title, when=when_words(cycle),
                        join_url=cycle.join_url or "", titles=[s.title for s in talks])
