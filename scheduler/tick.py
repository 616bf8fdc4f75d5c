"""One tick of the scheduler: claim each due job occurrence once, queue what it sends.

The claim is a JobRun row (unique on job, cycle_id, occurrence) inserted in the SAME
transaction that queues the job's outbox messages: either both commit or neither does. A
concurrent claimer (another process, another replica) fails on the unique constraint and
does nothing, so every occurrence posts once whatever the number of tickers. `wgml-bot tick
--now` and the live scheduler in `run` both call `run_jobs` (and the CLI then delivers).

Planning is light; a job's code (what it says, whom it reads, what it queues) is imported
when an occurrence of it is claimed, so an idle service does not carry every job's domain.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.sessions.when import session_start
from bot.talks.errors import CycleError
from bot.talks.status import Status
from scheduler import jobs
from scheduler.jobs import CALL_UNCONFIGURED, CycleFacts, Occurrence, Outcome
from scheduler.subproject_jobs import quiet_due, quiet_note_job
from storage.db import Database
from storage.models import Cycle, JobRun, Submission

if TYPE_CHECKING:
    from bot.wishes.model import CallTopics

log = logging.getLogger("wgml.scheduler")

MAX_ROUNDS = 5  # a scheduled cycle opens, then its call is due in the next round


@dataclass
class TickReport:
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    claimed_elsewhere: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


Action = Callable[[AsyncSession], Awaitable[Outcome]]


def _label(occ: Occurrence) -> str:
    return f"{occ.job}:{occ.cycle_id}:{occ.occurrence}"


class Ticker:
    def __init__(self, db: Database, settings: Settings, slack: AsyncWebClient | None) -> None:
        self.db = db
        self.settings = settings
        self.slack = slack
        self.zone = settings.zone

    async def run_jobs(self, now: dt.datetime) -> TickReport:
        report = TickReport()
        for _ in range(MAX_ROUNDS):
            before = len(report.ran) + len(report.skipped)
            if self.settings.call_schedule:
                await self._schedule_round(now, report)
            await self._cycle_round(now, report)
            await self._session_round(now, report)
            await self._themes_round(now, report)
            await self._subprojects_round(now, report)
            if len(report.ran) + len(report.skipped) == before:
                break
        return report

    # ---- planning ----------------------------------------------------------------------------
    async def _claimed(self, session: AsyncSession, cycle_ids: list[int]
                       ) -> set[tuple[str, int, str]]:
        rows = await session.execute(
            select(JobRun.job, JobRun.cycle_id, JobRun.occurrence).where(
                JobRun.cycle_id.in_(cycle_ids)
            )
        )
        return {(r[0], r[1], r[2]) for r in rows}

    async def _cycle_round(self, now: dt.datetime, report: TickReport) -> None:
        async with self.db.session() as session:
            # A cycle closed after its deadline still owes the leaders its digest, once.
            cycles = (await session.scalars(
                select(Cycle).where(or_(
                    Cycle.status == "open",
                    and_(Cycle.status == "closed", Cycle.closed_at > Cycle.deadline),
                )).order_by(Cycle.id))).all()
            closed = {c.id for c in cycles if c.status != "open"}
            facts = [CycleFacts(c.id, c.announce_at, c.deadline, c.deadline_date,
                                     c.decide_by)
                     for c in cycles]
            claimed = await self._claimed(session, [c.id for c in cycles])
            unconfigured = await self._unconfigured_calls(session, [c.id for c in cycles])
        # A call once skipped for want of a target is due again now that one is set.
        claimed -= unconfigured
        due = [o for o in jobs.due_occurrences(facts, self.zone, self.settings.reminder_day_list,
                                               now)
               if o.key not in claimed and (o.cycle_id not in closed or o.job == jobs.JOB_DIGEST)]
        if any(o.job in (jobs.JOB_DIGEST, jobs.JOB_NUDGE, jobs.JOB_DECIDE)
               and o.skip_because(now) is None for o in due):
            await self.prefetch_leaders()
        if any(o.job in (jobs.JOB_CALL, jobs.JOB_REMINDER) and o.skip_because(now) is None
               for o in due):
            from scheduler.call_topics import load_call_topics

            self._topics = await load_call_topics(self.db)  # before any claim's transaction
        for occ in due:
            if occ.key in claimed:
                continue
            retried = occ.key in unconfigured
            if retried and occ.skip_because(now) is not None:
                continue  # the call's purpose has passed: the old skip stands
            await self._claim(occ, now, report, self._action(occ, now), replaces_skip=retried)

    async def _session_round(self, now: dt.datetime, report: TickReport) -> None:
        """The session's steps, for cycles whose session is recent or to come (an open
        cycle, or one closed after its deadline: closed before it, the session is off)."""
        horizon = (now - jobs.RECAP_GRACE - dt.timedelta(days=jobs.RECAP_DAYS + 1)).date()
        async with self.db.session() as session:
            cycles = (await session.scalars(
                select(Cycle).where(or_(
                    Cycle.status == "open",
                    and_(Cycle.status == "closed", Cycle.closed_at > Cycle.deadline),
                ), Cycle.session_date >= horizon).order_by(Cycle.id))).all()
            ids = [c.id for c in cycles]
            waiting = (await session.execute(
                select(Submission.id, Submission.cycle_id, Submission.attendance_asked_at)
                .where(Submission.cycle_id.in_(ids), Submission.status == Status.ACCEPTED,
                       Submission.attendance.is_(None),
                       Submission.attendance_asked_at.is_not(None))
                .order_by(Submission.id))).all()
            confirmed = (await session.execute(
                select(Submission.id, Submission.cycle_id).where(
                    Submission.cycle_id.in_(ids), Submission.status == Status.ACCEPTED,
                    Submission.attendance == "confirmed"))).all()
            claimed = await self._claimed(session, ids)
        due: list[Occurrence] = []
        for c in cycles:
            start = session_start(c)
            unanswered = tuple((r[0], r[2]) for r in waiting
                               if r[1] == c.id and r[2] is not None)
            facts = jobs.SessionFacts(c.id, c.session_date, start, unanswered)
            due += [o for o in jobs.session_occurrences(facts, self.zone,
                                                        self.settings.program_days)
                    if o.due_at <= now]
            now_talks = sorted(r[0] for r in confirmed if r[1] == c.id)
            if c.program_talks is not None and sorted(c.program_talks) != now_talks \
                    and now < start:
                # A talk added or dropped after the program went out: one update per change.
                due.append(Occurrence(jobs.JOB_PROGRAM_UPDATE, c.id,
                                      f"{c.session_date.isoformat()}:{c.program_sequence + 1}",
                                      now, expires_at=start))
        for occ in sorted(due, key=lambda o: (o.due_at, o.cycle_id, o.job)):
            if occ.key not in claimed:
                await self._claim(occ, now, report, self._session_action(occ, now))

    def _session_action(self, occ: Occurrence, now: dt.datetime) -> Action:
        async def run(session: AsyncSession) -> Outcome:
            cycle = await session.get(Cycle, occ.cycle_id)
            if cycle is None:
                return Outcome("skipped", "the cycle is gone")
            from scheduler.session_jobs import SessionJobs

            outcome, detail = await SessionJobs(self.settings).run(session, cycle, occ, now)
            return Outcome(outcome, detail)

        return run

    def can_announce(self) -> bool:
        s = self.settings
        return bool(s.announce_channel_id or (s.mailing_list_address and s.bot_email_address))

    async def _unconfigured_calls(self, session: AsyncSession, cycle_ids: list[int]
                                  ) -> set[tuple[str, int, str]]:
        if not self.can_announce():
            return set()
        rows = await session.execute(
            select(JobRun.job, JobRun.cycle_id, JobRun.occurrence).where(
                JobRun.cycle_id.in_(cycle_ids), JobRun.job == jobs.JOB_CALL,
                JobRun.outcome == "skipped", JobRun.detail.startswith(CALL_UNCONFIGURED,
                                                                      autoescape=True)))
        return {(r[0], r[1], r[2]) for r in rows}

    async def _schedule_round(self, now: dt.datetime, report: TickReport) -> None:
        expression = self.settings.call_schedule or ""
        async with self.db.session() as session:
            last = await session.scalar(
                select(func.max(JobRun.due_at)).where(JobRun.job == jobs.JOB_OPEN_CYCLE))
            claimed = await self._claimed(session, [0])
        for occ in jobs.schedule_occurrences(expression, self.zone, last, now,
                                             self.settings.call_deadline_days):
            if occ.key in claimed:
                continue
            await self._claim(occ, now, report, self._open_scheduled(occ, now))

    async def _themes_round(self, now: dt.datetime, report: TickReport) -> None:
        occ = jobs.themes_occurrence(self.zone, now)
        if occ is None:
            return
        async with self.db.session() as session:
            claimed = await self._claimed(session, [0])
        if occ.key not in claimed:
            await self._claim(occ, now, report, self._themes(occ))

    async def _subprojects_round(self, now: dt.datetime, report: TickReport) -> None:
        async with self.db.session() as session:
            due = await quiet_due(session, now)
            claimed = await self._claimed(session, [0]) if due else set()
        for occ in due:
            if occ.key not in claimed:
                await self._claim(occ, now, report, self._quiet(occ))

    def _quiet(self, occ: Occurrence) -> Action:
        async def run(session: AsyncSession) -> Outcome:
            return Outcome(*await quiet_note_job(session, self.settings, occ))

        return run

    # ---- claiming ------------------------------------------------------------------------
    async def _claim(self, occ: Occurrence, now: dt.datetime, report: TickReport,
                     action: Action, *, replaces_skip: bool = False) -> None:
        label = _label(occ)
        reason = occ.skip_because(now)
        try:
            async with self.db.transaction() as session:
                if replaces_skip:
                    # In the claim's transaction: a concurrent claimer deletes nothing and
                    # then fails on the unique constraint, as for any claim.
                    await session.execute(delete(JobRun).where(
                        JobRun.job == occ.job, JobRun.cycle_id == occ.cycle_id,
                        JobRun.occurrence == occ.occurrence, JobRun.outcome == "skipped"))
                run = JobRun(job=occ.job, cycle_id=occ.cycle_id, occurrence=occ.occurrence,
                             due_at=occ.due_at, claimed_at=now,
                             outcome="skipped" if reason else "ran", detail=reason)
                session.add(run)
                await session.flush()  # the claim: a concurrent claimer fails here
                if reason is None:
                    result = await action(session)
                    run.outcome, run.detail = result.outcome, result.detail
        except IntegrityError:
            report.claimed_elsewhere.append(label)
            log.info("event=job.claimed_elsewhere job=%s", label)
            return
        except CycleError as exc:
            await self._record_skip(occ, now, f"cannot open the cycle: {exc}", report)
            return
        except Exception as exc:
            # Nothing was committed: the occurrence stays due and is tried at the next tick.
            report.errors.append(f"{label}: {type(exc).__name__}: {exc}")
            log.exception("event=job.error job=%s", label)
            return
        if run.outcome == "skipped":
            report.skipped.append(f"{label}: {run.detail}")
            log.warning("event=job.skipped job=%s due=%s reason=%r", label,
                        occ.due_at.isoformat(), run.detail)
        else:
            report.ran.append(label)
            late = (now - occ.due_at).total_seconds()
            log.info("event=job.ran job=%s due=%s late_s=%.0f detail=%r", label,
                     occ.due_at.isoformat(), late, run.detail)

    async def _record_skip(self, occ: Occurrence, now: dt.datetime, reason: str,
                           report: TickReport) -> None:
        try:
            async with self.db.transaction() as session:
                session.add(JobRun(job=occ.job, cycle_id=occ.cycle_id,
                                   occurrence=occ.occurrence, due_at=occ.due_at,
                                   claimed_at=now, outcome="skipped", detail=reason))
        except IntegrityError:
            report.claimed_elsewhere.append(_label(occ))
            return
        report.skipped.append(f"{_label(occ)}: {reason}")
        log.warning("event=job.skipped job=%s reason=%r", _label(occ), reason)

    # ---- actions -------------------------------------------------------------------------
    def _action(self, occ: Occurrence, now: dt.datetime) -> Action:
        async def run(session: AsyncSession) -> Outcome:
            cycle = await session.get(Cycle, occ.cycle_id)
            if cycle is None or (cycle.status != "open" and occ.job != jobs.JOB_DIGEST):
                return Outcome("skipped", "the cycle is no longer open")
            from bot.wishes.model import NO_TOPICS
            from scheduler.cycle_jobs import CycleJobs

            jobs_of_cycle = CycleJobs(self.settings, has_slack=self.slack is not None,
                                      leaders=self._leaders, workspace_url=self._workspace_url,
                                      topics=NO_TOPICS if self._topics is None else self._topics)
            return await jobs_of_cycle.run(session, cycle, occ, now)

        return run

    _leaders: list[str] | None = None
    _topics: CallTopics | None = None  # what the call and reminders name (load_call_topics)
    _workspace_url: str | None = None

    async def prefetch_leaders(self) -> None:
        """Read the leaders (and the workspace's address, for links to cards) before any
        transaction opens (no network inside a claim)."""
        if self.settings.leadership_channel_id and self.slack is not None:
            from scheduler.digest import fetch_leaders, workspace_url

            self._leaders = await fetch_leaders(self.slack, self.settings.leadership_channel_id)
            if self._workspace_url is None:
                self._workspace_url = await workspace_url(self.slack)

    def _themes(self, occ: Occurrence) -> Action:
        async def run(session: AsyncSession) -> Outcome:
            from scheduler.cycle_jobs import themes_post

            return await themes_post(session, self.settings, occ)

        return run

    def _open_scheduled(self, occ: Occurrence, now: dt.datetime) -> Action:
        async def run(session: AsyncSession) -> Outcome:
            from bot.talks.cycles import CycleRequest, open_cycle

            call = jobs.scheduled_call(occ.due_at, self.zone, self.settings.call_deadline_days,
                                       self.settings.call_session_days)
            cycle = await open_cycle(
                session,
                CycleRequest(title=call.title, deadline=call.deadline_date,
                             session_date=call.session_date, announce_at=occ.due_at),
                self.zone, now, actor="schedule",
            )
            return Outcome("ran", f"opened cycle {cycle.id} ({call.title})")

        return run
