"""What the public archive may show: the published talks and their sessions, as values.

A talk is published when all of these hold:
- it is accepted and its speaker confirmed they present (the program's own rule);
- it is on the announced program of an upcoming session (`Cycle.program_talks`), or its
  session has taken place (presented);
- its speaker agreed to publication (`Submission.publish is True`; None or False publish
  nothing of it, not even the title).

Its text is the last version its speaker confirmed: a pending edit (a version without
`confirmed_at`) never shows. Nothing of the leaders' (votes, notes, recusals, decisions) is
read at all. Three column reads (cycles, talks with their last confirmed version, the
program and recap job runs), whatever the number of talks; the surface (`bot.site`)
renders what this returns.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.focus import SHORT_NAMES, focus_label
from bot.sessions.attendance import CONFIRMED
from bot.sessions.program import SESSION_MINUTES
from bot.sessions.when import start_of
from bot.talks.status import Status
from storage.models import Cycle, JobRun, Speaker, Submission, SubmissionVersion

# The scheduler's names for the jobs whose runs date the feed's entries (scheduler.jobs:
# JOB_PROGRAM, JOB_PROGRAM_UPDATE, JOB_RECAP; the domain does not import the scheduler, a
# test keeps these equal).
PROGRAM_JOBS = ("program", "program_update")
RECAP_JOB = "recap"
NO_NAME = "a member"


@dataclass(frozen=True)
class ArchiveTalk:
    ref: str
    cycle_id: int
    title: str
    speaker: str
    studio: str
    focus_area: str  # the key (bot.focus.FOCUS_AREAS)
    focus_label: str  # its long label
    focus_short: str  # its short label, for filters
    abstract: str
    results: str
    slides_url: str | None  # as stored; the surface links http(s) only
    recording_url: str | None


@dataclass(frozen=True)
class ArchiveSession:
    cycle_id: int
    title: str
    theme: str | None
    session_date: dt.date
    session_time: str  # HH:MM local
    timezone: str  # IANA zone the session time is in
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    upcoming: bool  # announced and not over yet
    join_url: str | None  # only while upcoming
    program_at: dt.datetime | None  # when its program (or the last update) went out
    recap_at: dt.datetime | None  # when its recap went out
    talks: tuple[ArchiveTalk, ...]


@dataclass(frozen=True)
class Archive:
    now: dt.datetime
    upcoming: tuple[ArchiveSession, ...]  # soonest first
    past: tuple[ArchiveSession, ...]  # newest first

    @property
    def sessions(self) -> tuple[ArchiveSession, ...]:
        return self.upcoming + self.past

    @property
    def talks(self) -> tuple[ArchiveTalk, ...]:
        return tuple(t for s in self.sessions for t in s.talks)


def _zone_name(name: str | None) -> str:
    try:
        zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name or "UTC"


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _speaker_name(name: str | None, slack_user_id: str | None) -> str:
    # A Slack speaker without a display name is stored under their user id: not a name.
    shown = _one_line(name)
    return shown if shown and shown != slack_user_id else NO_NAME


async def read_archive(session: AsyncSession, *, now: dt.datetime) -> Archive:
    """The archive at `now`: upcoming announced programs, then past sessions."""
    cycles = (await session.execute(select(
        Cycle.id, Cycle.title, Cycle.theme, Cycle.session_date, Cycle.session_time,
        Cycle.timezone, Cycle.join_url, Cycle.program_talks))).all()
    last = (select(SubmissionVersion.submission_id.label("sid"),
                   func.max(SubmissionVersion.n).label("n"))
            .where(SubmissionVersion.confirmed_at.is_not(None))
            .group_by(SubmissionVersion.submission_id).subquery())
    version = aliased(SubmissionVersion)
    talk_rows = (await session.execute(
        select(Submission.id, Submission.ref, Submission.cycle_id, Submission.title,
               Submission.focus_area, Submission.abstract, Submission.results,
               Submission.studio, Submission.slides_url, Submission.recording_url,
               Speaker.name, Speaker.slack_user_id, Speaker.studio,
               version.title, version.focus_area, version.abstract, version.results,
               version.studio)
        .join(Speaker, Speaker.id == Submission.speaker_id)
        .outerjoin(last, last.c.sid == Submission.id)
        .outerjoin(version, and_(version.submission_id == Submission.id,
                                 version.n == last.c.n, version.confirmed_at.is_not(None)))
        .where(Submission.status == Status.ACCEPTED, Submission.attendance == CONFIRMED,
               Submission.publish.is_(True), Submission.cycle_id.is_not(None))
        .order_by(Submission.decided_at, Submission.id))).all()
    runs = (await session.execute(
        select(JobRun.cycle_id, JobRun.job, func.max(JobRun.claimed_at))
        .where(JobRun.job.in_((*PROGRAM_JOBS, RECAP_JOB)), JobRun.outcome == "ran")
        .group_by(JobRun.cycle_id, JobRun.job))).all()
    program_at: dict[int, dt.datetime] = {}
    recap_at: dict[int, dt.datetime] = {}
    for cycle_id, job, at in runs:
        if job == RECAP_JOB:
            recap_at[cycle_id] = at
        else:
            program_at[cycle_id] = max(at, program_at.get(cycle_id, at))

    by_cycle: dict[int, list[tuple[int, ArchiveTalk]]] = {}
    for row in talk_rows:
        (sid, ref, talk_cycle, title, focus, abstract, results, studio, slides, recording,
         name, slack_id, speaker_studio, v_title, v_focus, v_abstract, v_results,
         v_studio) = row
        if v_title is not None:  # the last version the speaker confirmed
            title, focus, abstract, results, studio = (v_title, v_focus, v_abstract,
                                                       v_results, v_studio)
        if talk_cycle is None:
            continue
        by_cycle.setdefault(talk_cycle, []).append((sid, ArchiveTalk(
            ref=ref or f"talk-{sid}", cycle_id=talk_cycle, title=_one_line(title),
            speaker=_speaker_name(name, slack_id),
            studio=_one_line(studio or speaker_studio) or "independent",
            focus_area=focus, focus_label=focus_label(focus),
            focus_short=SHORT_NAMES.get(focus, focus_label(focus)),
            abstract=(abstract or "").strip(), results=(results or "").strip(),
            slides_url=slides or None, recording_url=recording or None)))

    upcoming: list[ArchiveSession] = []
    past: list[ArchiveSession] = []
    for (cid, title, theme, session_date, session_time, zone, join_url,
         announced) in cycles:
        zone = _zone_name(zone)
        start = start_of(session_date, session_time, zone)
        end = start + dt.timedelta(minutes=SESSION_MINUTES)
        over = now >= end
        candidates = by_cycle.get(cid, [])
        if over:
            talks = [t for _, t in candidates]  # presented
        elif announced is not None:
            on_program = set(announced)
            talks = [t for sid, t in candidates if sid in on_program]
        else:
            continue  # neither announced nor held: nothing public yet
        if announced is None and not talks:
            continue
        item = ArchiveSession(
            cycle_id=cid, title=_one_line(title), theme=(theme or "").strip() or None,
            session_date=session_date, session_time=session_time, timezone=zone,
            start=start, end=end, upcoming=not over,
            join_url=join_url if not over and join_url else None,
            program_at=program_at.get(cid), recap_at=recap_at.get(cid) if over else None,
            talks=tuple(talks))
        (past if over else upcoming).append(item)
    upcoming.sort(key=lambda s: (s.start, s.cycle_id))
    past.sort(key=lambda s: (s.start, s.cycle_id), reverse=True)
    return Archive(now=now, upcoming=tuple(upcoming), past=tuple(past))
