"""What is due when: pure planning of the scheduler's job occurrences (no I/O).

Every job occurrence has a stable key (job, cycle_id, occurrence) that the tick claims once in
the database, a `due_at` instant (UTC) and, where the job has a purpose that can pass, an
`expires_at`: a call or reminder planned for a deadline that has gone by is skipped with a
reason rather than sent late. Local times are computed with zoneinfo from local *dates*, so a
daylight-saving change neither shifts a post (09:00 stays 09:00 local) nor repeats it (the
occurrence key is the local date, not the instant).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger

JOB_CALL = "call"  # the call for speakers: announce channel and mailing list
JOB_REMINDER = "reminder"  # a channel reminder REMINDER_DAYS before the deadline
JOB_SPEAKER_REMINDER = "speaker_reminder"  # to speakers who have not confirmed yet
JOB_DIGEST = "digest"  # the leadership digest once the deadline has passed
JOB_OPEN_CYCLE = "open_cycle"  # CALL_SCHEDULE: open the next cycle by itself
JOB_THEMES = "themes"  # quarterly: common pain points across studios, to the leaders
JOB_NUDGE = "vote_nudge"  # DMs to leaders who still owe votes, before the decide-by date
JOB_DECIDE = "decide_summary"  # the ready-to-decide summary on the decide-by date
NUDGE_DAYS = 2  # the nudge goes out this many days before the decide-by date

REMINDER_LOCAL_TIME = dt.time(9, 0)  # reminders go out at 09:00 in TIMEZONE
SPEAKER_REMINDER_DAYS = 3
MAX_CRON_FIRES = 500  # a runaway schedule ("* * * * *" after a year down) stays bounded
# How a call skipped for want of an announcement target is recorded. Such a skip is not final:
# once ANNOUNCE_CHANNEL_ID or MAILING_LIST_ADDRESS is set, the call goes out while it is open.
CALL_UNCONFIGURED = ("neither ANNOUNCE_CHANNEL_ID nor MAILING_LIST_ADDRESS "
                     "(with BOT_EMAIL_ADDRESS) is set")


@dataclass(frozen=True)
class Outcome:
    """What a claimed occurrence did (its JobRun row's outcome and detail)."""

    outcome: str  # ran | skipped
    detail: str


@dataclass(frozen=True)
class CycleFacts:
    """What planning needs to know about an open cycle."""

    id: int
    announce_at: dt.datetime
    deadline: dt.datetime  # the last instant of the deadline day in the cycle's zone, UTC
    deadline_date: dt.date
    decide_by: dt.date | None = None  # when the leaders mean to have decided


@dataclass(frozen=True)
class Occurrence:
    job: str
    cycle_id: int  # 0 for jobs not tied to a cycle
    occurrence: str
    due_at: dt.datetime
    expires_at: dt.datetime | None = None  # the purpose has passed at and after this instant
    skip_reason: str | None = None  # decided at planning time (e.g. superseded)

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.job, self.cycle_id, self.occurrence)

    def skip_because(self, now: dt.datetime) -> str | None:
        """Why this occurrence must not run at `now`, or None when it should run."""
        if self.expires_at is not None and now >= self.expires_at:
            return (
                f"purpose passed: due {self.due_at.isoformat()}, "
                f"too late after {self.expires_at.isoformat()}"
            )
        return self.skip_reason


def local_instant(day: dt.date, at: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """`day` at wall-clock time `at` in `zone`, as UTC.

    An ambiguous time (clocks going back) takes its first occurrence; a time that does not
    exist (clocks going forward) moves forward by the gap, as a person's watch would.
    """
    # zoneinfo reads a wall time with fold=0: the earlier offset. For an ambiguous time that
    # is its first occurrence; for a non-existent one it lands just after the gap.
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def cycle_occurrences(
    cycle: CycleFacts, zone: zoneinfo.ZoneInfo, reminder_days: Iterable[int]
) -> list[Occurrence]:
    """Every job occurrence of one cycle, due or not, in due order."""
    out: list[Occurrence] = [
        Occurrence(JOB_CALL, cycle.id, "call", cycle.announce_at, expires_at=cycle.deadline)
    ]
    for days in sorted(set(reminder_days), reverse=True):
        day = cycle.deadline_date - dt.timedelta(days=days)
        due = local_instant(day, REMINDER_LOCAL_TIME, zone)
        reason = None
        if due <= cycle.announce_at:
            reason = f"the {days}-day reminder falls before the call was announced"
        out.append(
            Occurrence(JOB_REMINDER, cycle.id, f"{days}d:{day.isoformat()}", due,
                       expires_at=cycle.deadline, skip_reason=reason)
        )
    speaker_day = cycle.deadline_date - dt.timedelta(days=SPEAKER_REMINDER_DAYS)
    speaker_due = max(local_instant(speaker_day, REMINDER_LOCAL_TIME, zone), cycle.announce_at)
    out.append(
        Occurrence(JOB_SPEAKER_REMINDER, cycle.id, speaker_day.isoformat(), speaker_due,
                   expires_at=cycle.deadline)
    )
    # The digest is for after the deadline: due the instant the deadline day ends. It has no
    # expiry: leaders want it even when the bot was down that night.
    out.append(
        Occurrence(JOB_DIGEST, cycle.id, "digest", cycle.deadline + dt.timedelta(microseconds=1))
    )
    out += decide_occurrences(cycle, zone)
    return sorted(out, key=lambda o: (o.due_at, o.job))


def decide_occurrences(cycle: CycleFacts, zone: zoneinfo.ZoneInfo) -> list[Occurrence]:
    """The nudge NUDGE_DAYS before the decide-by date and the summary on it, both at 09:00.

    Keyed by the decide-by date: a date moved with `cycle set` plans its own pair. The nudge
    never goes out before the call has closed (the talks are still coming in), nor after the
    decide-by day; the summary, like the digest, is wanted even late.
    """
    if cycle.decide_by is None:
        return []
    day = cycle.decide_by
    after_deadline = cycle.deadline + dt.timedelta(microseconds=1)
    nudge_due = max(local_instant(day - dt.timedelta(days=NUDGE_DAYS), REMINDER_LOCAL_TIME,
                                  zone), after_deadline)
    end_of_day = local_instant(day + dt.timedelta(days=1), dt.time(0, 0), zone)
    summary_due = max(local_instant(day, REMINDER_LOCAL_TIME, zone), after_deadline)
    return [
        Occurrence(JOB_NUDGE, cycle.id, day.isoformat(), nudge_due, expires_at=end_of_day),
        Occurrence(JOB_DECIDE, cycle.id, day.isoformat(), summary_due),
    ]


def due_occurrences(
    cycles: Iterable[CycleFacts],
    zone: zoneinfo.ZoneInfo,
    reminder_days: Iterable[int],
    now: dt.datetime,
) -> list[Occurrence]:
    """Occurrences due at or before `now`, with late-run rules applied.

    Of a cycle's channel reminders all due at once (after downtime), only the latest is useful:
    the earlier ones are marked superseded so a channel never gets two reminders in a row.
    """
    days = list(reminder_days)
    result: list[Occurrence] = []
    for cycle in cycles:
        due = [o for o in cycle_occurrences(cycle, zone, days) if o.due_at <= now]
        reminders = [o for o in due if o.job == JOB_REMINDER and o.skip_reason is None]
        latest = max(reminders, key=lambda o: o.due_at) if reminders else None
        for occ in due:
            if occ.job == JOB_REMINDER and latest is not None and occ is not latest \
                    and occ.skip_reason is None:
                occ = Occurrence(occ.job, occ.cycle_id, occ.occurrence, occ.due_at,
                                 occ.expires_at,
                                 skip_reason=f"superseded by the reminder {latest.occurrence}")
            result.append(occ)
    return sorted(result, key=lambda o: (o.due_at, o.cycle_id, o.job))


def next_due(
    cycles: Iterable[CycleFacts], zone: zoneinfo.ZoneInfo, reminder_days: Iterable[int],
    after: dt.datetime,
) -> dt.datetime | None:
    """The earliest occurrence due strictly after `after` (for the live scheduler's wake-up)."""
    days = list(reminder_days)
    times = [o.due_at for c in cycles for o in cycle_occurrences(c, zone, days)
             if o.due_at > after]
    return min(times, default=None)


# ---- CALL_SCHEDULE ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ScheduledCall:
    """A cycle that CALL_SCHEDULE opens at `fire_at`."""

    fire_at: dt.datetime
    deadline_date: dt.date
    session_date: dt.date
    title: str


def cron_fires(
    expression: str, zone: zoneinfo.ZoneInfo, after: dt.datetime | None, now: dt.datetime,
) -> list[dt.datetime]:
    """Fire times of a crontab expression in (after, now], in UTC.

    Without `after` (the schedule never fired before) only the latest fire time at or before
    `now` counts: a newly configured schedule does not replay history.
    """
    trigger = CronTrigger.from_crontab(expression, timezone=zone)
    start = after if after is not None else now - dt.timedelta(days=400)
    fires: list[dt.datetime] = []
    previous: dt.datetime | None = None
    cursor = start + dt.timedelta(microseconds=1)
    while True:
        fire = trigger.get_next_fire_time(previous, cursor)
        if fire is None or fire > now:
            break
        fire_utc = fire.astimezone(dt.UTC)
        if after is None or fire_utc > after:
            fires.append(fire_utc)
        previous, cursor = fire, fire + dt.timedelta(microseconds=1)
        if len(fires) > MAX_CRON_FIRES:
            fires = fires[-MAX_CRON_FIRES:]
    if after is None:
        return fires[-1:]
    return fires


def next_cron_fire(expression: str, zone: zoneinfo.ZoneInfo, after: dt.datetime
                   ) -> dt.datetime | None:
    trigger = CronTrigger.from_crontab(expression, timezone=zone)
    fire = trigger.get_next_fire_time(None, after + dt.timedelta(microseconds=1))
    return fire.astimezone(dt.UTC) if fire is not None else None


def scheduled_call(fire_at: dt.datetime, zone: zoneinfo.ZoneInfo, deadline_days: int,
                   session_days: int) -> ScheduledCall:
    """The cycle a schedule fire opens: deadline and session a fixed number of days later."""
    local = fire_at.astimezone(zone)
    deadline = local.date() + dt.timedelta(days=deadline_days)
    session = deadline + dt.timedelta(days=session_days)
    title = f"WG-ML Mutual Learning Session, {session:%B %Y}"
    return ScheduledCall(fire_at, deadline, session, title)


def schedule_occurrences(
    expression: str, zone: zoneinfo.ZoneInfo, last_fire: dt.datetime | None, now: dt.datetime,
    deadline_days: int,
) -> list[Occurrence]:
    """CALL_SCHEDULE fires due at `now`; of several missed fires only the latest opens a cycle,
    and not even that one when its deadline has already passed."""
    fires = cron_fires(expression, zone, last_fire, now)
    out: list[Occurrence] = []
    for i, fire in enumerate(fires):
        local_day = fire.astimezone(zone).date()
        deadline = local_instant(
            local_day + dt.timedelta(days=deadline_days + 1), dt.time(0, 0), zone
        ) - dt.timedelta(microseconds=1)
        reason = None
        if i < len(fires) - 1:
            reason = f"superseded by the scheduled call of {fires[-1].isoformat()}"
        out.append(Occurrence(JOB_OPEN_CYCLE, 0, fire.isoformat(), fire, expires_at=deadline,
                              skip_reason=reason))
    return out


# ---- the quarterly themes post -------------------------------------------------------------

THEMES_MONTHS = (1, 4, 7, 10)
THEMES_LOCAL_TIME = dt.time(9, 0)
# A quarterly post found due more than this late (the bot was down, or was just installed
# mid-quarter) is not sent: leaders get the next one, not a stale surprise.
THEMES_GRACE = dt.timedelta(days=7)


def first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def themes_occurrence(zone: zoneinfo.ZoneInfo, now: dt.datetime) -> Occurrence | None:
    """This quarter's themes post (first Monday of January, April, July and October, 09:00 in
    `zone`) when it is due at `now`; the occurrence key is the quarter, so it is claimed once
    whatever the number of replicas and ticks. Earlier quarters are never replayed."""
    local = now.astimezone(zone)
    month = THEMES_MONTHS[(local.month - 1) // 3]
    day = first_monday(local.year, month)
    due = local_instant(day, THEMES_LOCAL_TIME, zone)
    if due > now:
        return None  # this quarter's Monday is still to come; the last quarter's is over
    if now >= due + THEMES_GRACE:
        return None  # not replayed weeks late (nor on a first start mid-quarter)
    quarter = f"{local.year}-Q{(month - 1) // 3 + 1}"
    return Occurrence(JOB_THEMES, 0, quarter, due, expires_at=due + THEMES_GRACE)


def next_themes_due(zone: zoneinfo.ZoneInfo, after: dt.datetime) -> dt.datetime:
    """The next quarterly themes post strictly after `after`."""
    local = after.astimezone(zone)
    for year in (local.year, local.year + 1):
        for month in THEMES_MONTHS:
            due = local_instant(first_monday(year, month), THEMES_LOCAL_TIME, zone)
            if due > after:
                return due
    raise AssertionError("unreachable: a quarter starts every year")


# ---- after the decision: the session ---------------------------------------------------------

JOB_ATTEND_REMINDER = "attend_reminder"  # one reminder to a speaker silent for 3 days
JOB_ATTEND_LEADERS = "attend_leaders"  # unanswered speakers, to the leaders, 5 days before
JOB_PROGRAM = "program"  # PROGRAM_DAYS before: the program to the channel and the list
JOB_PROGRAM_UPDATE = "program_update"  # a talk added or dropped after the program went out
JOB_SESSION_DAY = "session_day"  # the day's reminder with the time and join URL
JOB_SLIDES = "slides_request"  # the day after: speakers asked for slides and recording
JOB_RECAP = "recap"  # seven days after: each talk and its links
SESSION_JOBS = (JOB_ATTEND_REMINDER, JOB_ATTEND_LEADERS, JOB_PROGRAM, JOB_PROGRAM_UPDATE,
                JOB_SESSION_DAY, JOB_SLIDES, JOB_RECAP)
ATTEND_REMIND_AFTER = dt.timedelta(days=3)
ATTEND_LEADERS_DAYS = 5
SLIDES_GRACE_DAYS = 6  # the request is pointless once the recap is about to go out
RECAP_DAYS = 7
RECAP_GRACE = dt.timedelta(days=14)  # a recap weeks late surprises more than it helps


@dataclass(frozen=True)
class SessionFacts:
    """What planning needs to know about a cycle's session."""

    id: int
    session_date: dt.date
    start: dt.datetime  # the session's start, UTC
    # Accepted talks whose speaker has not answered: (submission id, when they were asked).
    unanswered: tuple[tuple[int, dt.datetime], ...] = ()


def session_occurrences(facts: SessionFacts, zone: zoneinfo.ZoneInfo, program_days: int
                        ) -> list[Occurrence]:
    """Every occurrence of a session's jobs, due or not. Keyed by the session date (a date
    moved with `cycle set` plans its own), at 09:00 local, so DST neither shifts nor repeats
    them; each has a purpose that passes (the session starts, the recap is due)."""
    day = facts.session_date
    key = day.isoformat()

    def at9(d: dt.date) -> dt.datetime:
        return local_instant(d, REMINDER_LOCAL_TIME, zone)

    end_of_day = local_instant(day + dt.timedelta(days=1), dt.time(0, 0), zone)
    out = [
        Occurrence(JOB_ATTEND_REMINDER, facts.id, f"{sid}:{int(asked.timestamp())}",
                   asked + ATTEND_REMIND_AFTER, expires_at=facts.start)
        for sid, asked in facts.unanswered
    ]
    out += [
        Occurrence(JOB_ATTEND_LEADERS, facts.id, key,
                   at9(day - dt.timedelta(days=ATTEND_LEADERS_DAYS)), expires_at=facts.start),
        Occurrence(JOB_PROGRAM, facts.id, key, at9(day - dt.timedelta(days=program_days)),
                   expires_at=facts.start),
        Occurrence(JOB_SESSION_DAY, facts.id, key, at9(day), expires_at=end_of_day),
        Occurrence(JOB_SLIDES, facts.id, key, at9(day + dt.timedelta(days=1)),
                   expires_at=at9(day + dt.timedelta(days=1 + SLIDES_GRACE_DAYS))),
        Occurrence(JOB_RECAP, facts.id, key, at9(day + dt.timedelta(days=RECAP_DAYS)),
                   expires_at=at9(day + dt.timedelta(days=RECAP_DAYS)) + RECAP_GRACE),
    ]
    return sorted(out, key=lambda o: (o.due_at, o.job))


# ---- sub-projects waiting for interest ---------------------------------------------------

JOB_SUBPROJECT_QUIET = "subproject_quiet"  # monthly: a proposed sub-project nobody joins
QUIET_DAYS = 30


def quiet_occurrence(subproject_id: int, last_interest_at: dt.datetime, now: dt.datetime
                     ) -> Occurrence | None:
    """The note asking the leaders whether to close a proposed sub-project: due every
    QUIET_DAYS after its last new interest (or its creation). Keyed by that instant, so it
    is claimed once; a new interest starts the count again. Of several missed notes only the
    latest is due (each expires when the next one is)."""
    period = dt.timedelta(days=QUIET_DAYS)
    if now < last_interest_at + period:
        return None
    due = last_interest_at + period * ((now - last_interest_at) // period)
    return Occurrence(JOB_SUBPROJECT_QUIET, 0, f"{subproject_id}:{due.isoformat()}", due,
                      expires_at=due + period)
