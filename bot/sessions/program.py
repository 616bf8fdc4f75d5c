"""The session's program: the talks whose speakers confirmed, to the channel and the list.

The email carries the session as a calendar event (METHOD:PUBLISH) whose UID is the cycle's,
so a corrected program (SEQUENCE one higher) updates the event people already imported.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.focus import focus_label
from bot.mrkdwn import escape, escaped_short, escaped_within
from bot.talks.publish import talk_page
from bot.talks.status import Status
from storage.models import Cycle, Submission

PRODID = "-//ASWF WG-ML//wgml-bot//EN"
UID_DOMAIN = "wgml-bot.aswf"
SESSION_MINUTES = 60
SECTION = 2900  # under Slack's 3,000 characters per section
MAX_TALK_BLOCKS = 45  # Slack allows 50 blocks in a message; the rest is header and footer


async def program_talks(session: AsyncSession, cycle_id: int) -> list[Submission]:
    """Accepted talks whose speaker confirmed they will present, in acceptance order."""
    rows = (await session.scalars(select(Submission).where(
        Submission.cycle_id == cycle_id, Submission.status == Status.ACCEPTED,
        Submission.attendance == "confirmed",
    ).order_by(Submission.decided_at, Submission.id))).unique().all()
    return list(rows)


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


def when_words(cycle: Cycle) -> str:
    """"Thursday 14 January 2027, 17:00 Europe/London (17:00 UTC)"."""
    start = session_start(cycle)
    zone = zoneinfo.ZoneInfo(cycle.timezone or "UTC")
    local = start.astimezone(zone)
    return (f"{local:%A %d %B %Y}, {local:%H:%M} {cycle.timezone or 'UTC'} "
            f"({start:%H:%M} UTC)")


def _studio(sub: Submission) -> str:
    return " ".join((sub.studio or sub.speaker.studio or "").split()) or "independent"


def _speaker(sub: Submission) -> str:
    if sub.speaker.slack_user_id:
        return f"<@{sub.speaker.slack_user_id}>"
    return escaped_short(sub.speaker.name or "a member", 80)


def talk_mrkdwn(sub: Submission, site_url: str | None = None) -> str:
    # Each part sized after escaping: the section stays under Slack's 3,000 characters
    # without cutting an entity in half (the archive's link comes out of the abstract's).
    page = talk_page(site_url, sub)
    link = f"\n<{page}|The talk on the public archive>" if page else ""
    return (f"*{escaped_within(sub.title, 400)}*\n{_speaker(sub)}, "
            f"{escaped_within(_studio(sub), 200)} · {escape(focus_label(sub.focus_area))}\n"
            f"{escaped_within(sub.abstract, 2000 - len(link))}{link}")


def post(cycle: Cycle, talks: list[Submission], *, update: bool = False,
         site_url: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The program in Slack: a fallback text and blocks within Slack's limits; with SITE_URL,
    each talk whose speaker agreed links to its page on the public archive."""
    lead = "Updated program" if update else "Program"
    head = f"{lead}: {cycle.title}"
    join = (f"<{cycle.join_url}|Join the session>" if cycle.join_url
            else "The join link follows.")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": escaped_within(head, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            f"*{escape(when_words(cycle))}*\n{join}")}},
    ]
    for sub in talks[:MAX_TALK_BLOCKS]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn",
                                                   "text": talk_mrkdwn(sub, site_url)}})
    if len(talks) > MAX_TALK_BLOCKS:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"…and {len(talks) - MAX_TALK_BLOCKS} more talks.")}]})
    text = f"{escaped_within(head, 400)}, {escape(when_words(cycle))}: {len(talks)} talks"
    return text, blocks


def email(cycle: Cycle, talks: list[Submission], *, update: bool = False,
          site_url: str | None = None) -> tuple[str, str]:
    lead = "Updated program" if update else "Program"
    subject = " ".join(f"{lead}: {cycle.title}, {cycle.session_date:%d %B %Y}".split())
    lines = [f"{lead} of {cycle.title}", "", f"When: {when_words(cycle)}",
             f"Join: {cycle.join_url or 'the link follows'}", ""]
    for n, sub in enumerate(talks, 1):
        lines += [f"{n}. {' '.join(sub.title.split())}",
                  f"   {sub.speaker.name or 'a member'}, {_studio(sub)} "
                  f"({focus_label(sub.focus_area)})", "",
                  *("   " + line for line in sub.abstract.strip().splitlines()),
                  *([f"   On the public archive: {page}"]
                    if (page := talk_page(site_url, sub)) else []), ""]
    if update:
        lines.append("This replaces the program sent earlier; the calendar event is updated.")
    lines += ["", "The WG-ML bot, for the ASWF Machine Learning Working Group"]
    return subject[:200], "\n".join(lines) + "\n"


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


def day_reminder(cycle: Cycle, talks: list[Submission]) -> str:
    join = f"<{cycle.join_url}|Join here>" if cycle.join_url else "The join link follows."
    # Sized after escaping (20 titles of 100, the title 200, a join URL of 500): under
    # Slack's 3,000 characters with nothing cut in half.
    titles = "\n".join(f"• {escaped_within(s.title, 100)}" for s in talks[:20])
    more = f"\n…and {len(talks) - 20} more" if len(talks) > 20 else ""
    return (f":calendar: Today: *{escaped_within(cycle.title, 200)}*, "
            f"{escape(when_words(cycle))}. {join}\n{titles}{more}")
