"""One tick of the scheduler: claim each due job occurrence once, queue what it sends.

The claim is a JobRun row (unique on job, cycle_id, occurrence) inserted in the SAME
transaction that queues the job's outbox messages: either both commit or neither does. A
concurrent claimer (another process, another replica) fails on the unique constraint and
does nothing, so every occurrence posts once whatever the number of tickers. `wgml-bot tick
--now` and the live scheduler in `run` both call `run_jobs` (and the CLI then delivers).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.address import mailbox_key
from bot.config import Settings
from bot.email.cache import ANSWERED, IntakeCache
from bot.mrkdwn import pack_lines
from bot.people.themes_report import TOP_IN_POST, quarterly_post, themes_from_db
from bot.sessions.program import session_start
from bot.talks.cycles import CycleError, CycleRequest, open_cycle
from bot.talks.status import Status
from bot.wishes.model import NO_TOPICS, CallTopics
from scheduler import jobs
from scheduler.call_topics import load_call_topics
from scheduler.decide import confirmed_talks, nudge_text, owed_votes, summary_posts
from scheduler.digest import build_digest, fetch_leaders, workspace_url
from scheduler.jobs import CycleFacts, Occurrence
from scheduler.session_jobs import SessionJobs
from scheduler.texts import (
    CallFacts,
    call_email,
    call_post,
    channel_reminder,
    digest_posts,
    speaker_reminder,
    speaker_reminder_email,
)
from storage.db import Database
from storage.models import AuditEvent, Cycle, JobRun, Speaker, Submission
from storage.outbox import enqueue_email, enqueue_slack_message

log = logging.getLogger("wgml.scheduler")

THEMES_SECTION = 2900  # a section's text must stay under Slack's 3,000 characters
MAX_BLOCKS = 50  # Slack's limit of blocks in one message
MAX_ROUNDS = 5  # a scheduled cycle opens, then its call is due in the next round
# How a call skipped for want of an announcement target is recorded. Such a skip is not final:
# once ANNOUNCE_CHANNEL_ID or MAILING_LIST_ADDRESS is set, the call goes out while it is open.
CALL_UNCONFIGURED = ("neither ANNOUNCE_CHANNEL_ID nor MAILING_LIST_ADDRESS "
                     "(with BOT_EMAIL_ADDRESS) is set")


@dataclass
class TickReport:
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    claimed_elsewhere: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    outcome: str  # ran | skipped
    detail: str


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
            if occ.job == jobs.JOB_CALL:
                return await self._call(session, cycle)
            if occ.job == jobs.JOB_REMINDER:
                return await self._reminder(session, cycle, occ, now)
            if occ.job == jobs.JOB_SPEAKER_REMINDER:
                return await self._speaker_reminder(session, cycle, now)
            if occ.job == jobs.JOB_DIGEST:
                return await self._digest(session, cycle)
            if occ.job == jobs.JOB_NUDGE:
                return await self._nudge(session, cycle, occ)
            if occ.job == jobs.JOB_DECIDE:
                return await self._decide_summary(session, cycle, occ)
            raise ValueError(f"unknown job {occ.job!r}")

        return run

    def _call_facts(self, cycle: Cycle) -> CallFacts:
        return CallFacts(cycle.id, cycle.title, cycle.theme, cycle.deadline, cycle.session_date)

    async def _call(self, session: AsyncSession, cycle: Cycle) -> Outcome:
        s = self.settings
        facts = self._call_facts(cycle)
        done: list[str] = []
        if s.announce_channel_id:
            text, blocks = call_post(facts, self.zone, s.slack_command, s.bot_email_address,
                                     self._topics)
            await enqueue_slack_message(session, channel=s.announce_channel_id, text=text,
                                        blocks=blocks, key=f"job:call:{cycle.id}:slack")
            done.append(f"posted to {s.announce_channel_id}")
        if s.mailing_list_address and s.bot_email_address:
            subject, body = call_email(facts, self.zone, s.slack_command, self._topics)
            await enqueue_email(session, to=[s.mailing_list_address], subject=subject,
                                text=body, domain=s.email_domain,
                                reply_to=s.bot_email_address, key=f"job:call:{cycle.id}:email")
            done.append(f"emailed {s.mailing_list_address}")
        elif s.mailing_list_address:
            done.append("not emailed: BOT_EMAIL_ADDRESS is not set")
        if not any(d.startswith(("posted", "emailed")) for d in done):
            return Outcome("skipped", "; ".join([
                CALL_UNCONFIGURED, *done, "it goes out once one is set, until the deadline"]))
        return Outcome("ran", "; ".join(done))

    async def _reminder(self, session: AsyncSession, cycle: Cycle, occ: Occurrence,
                        now: dt.datetime) -> Outcome:
        channel = self.settings.announce_channel_id
        if not channel:
            return Outcome("skipped", "ANNOUNCE_CHANNEL_ID is not set")
        days = int(occ.occurrence.split("d:", 1)[0])
        text = channel_reminder(self._call_facts(cycle), self.zone, self.settings.slack_command,
                                days, now, self._topics)
        await enqueue_slack_message(session, channel=channel, text=text,
                                    key=f"job:reminder:{cycle.id}:{occ.occurrence}")
        return Outcome("ran", f"posted to {channel}")

    async def _speaker_reminder(self, session: AsyncSession, cycle: Cycle,
                                now: dt.datetime) -> Outcome:
        waiting = (await session.scalars(
            select(Submission).join(Speaker).where(
                Submission.cycle_id == cycle.id,
                Submission.status == "pending_confirmation",
            ).order_by(Submission.id))).unique().all()
        told = 0
        by_mailbox: dict[str, list[Submission]] = {}
        for sub in waiting:
            speaker = sub.speaker
            if speaker.slack_user_id:
                text = speaker_reminder(sub.title, sub.ref, cycle.deadline, self.zone, False,
                                        self.settings.slack_command)
                await enqueue_slack_message(session, channel=speaker.slack_user_id, text=text,
                                            key=f"job:speaker_reminder:{cycle.id}:{sub.id}")
                told += 1
            elif speaker.email and self.settings.bot_email_address:
                by_mailbox.setdefault(mailbox_key(speaker.email), []).append(sub)
        capped = 0
        if by_mailbox:
            cache = IntakeCache(session, now, senders=list(by_mailbox), message_ids=[])
        for mailbox, subs in by_mailbox.items():
            # One email per mailbox (+tags and case are one mailbox), within the same daily
            # cap as the answers: forged proposals must not turn the reminder into a relay.
            if await cache.answers_today(mailbox) >= self.settings.email_replies_per_sender_per_day:
                log.warning("event=scheduler.speaker_reminder_capped to=%s talks=%s",
                            mailbox, len(subs))
                capped += 1
                continue
            await self._remind_mailbox(session, cycle, subs[0].speaker.email or mailbox, subs,
                                       now)
            cache.add_answer(mailbox)
            told += len(subs)
        return Outcome("ran", f"{told} of {len(waiting)} waiting speakers reminded"
                       + (f"; {capped} mailboxes over their daily cap" if capped else ""))

    async def _remind_mailbox(self, session: AsyncSession, cycle: Cycle, address: str,
                              subs: list[Submission], now: dt.datetime) -> None:
        first = subs[0]
        text = speaker_reminder_email([(s.title, s.ref) for s in subs], cycle.deadline,
                                      self.zone)
        subject = f"Re: please confirm your talk for {cycle.title}"
        # Threaded under the proposal when there is one talk; several have no one thread.
        thread = ([first.email_message_id] if first.email_message_id and len(subs) == 1
                  else None)
        bot_id = await enqueue_email(
            session, to=[address], subject=subject, text=text,
            domain=self.settings.email_domain, reply_to=self.settings.bot_email_address,
            in_reply_to=thread[0] if thread else None, references=thread,
            auto_submitted="auto-replied" if thread else None,
            key=f"job:speaker_reminder:{cycle.id}:{first.id}")
        # Counted as an answer to that mailbox, as the per-mailbox cap counts them.
        session.add(AuditEvent(actor=mailbox_key(address), action=ANSWERED, at=now,
                               submission=first if len(subs) == 1 else None,
                               detail={"message_id": bot_id, "kind": "speaker_reminder",
                                       "submissions": [s.ref for s in subs]}))

    async def _digest(self, session: AsyncSession, cycle: Cycle) -> Outcome:
        channel = self.settings.leadership_channel_id
        if not channel:
            return Outcome("skipped", "LEADERSHIP_CHANNEL_ID is not set")
        facts = await build_digest(session, cycle, self._leaders,
                                   hidden=self.settings.vote_visibility == "hidden")
        posts = digest_posts(facts, self.zone)
        for n, (text, blocks) in enumerate(posts):
            # The first part keeps the key digests always had; later parts follow in order
            # on the same lane.
            await enqueue_slack_message(session, channel=channel, text=text, blocks=blocks,
                                        key=f"job:digest:{cycle.id}" + (f":{n}" if n else ""))
        return Outcome("ran", f"posted to {channel}: {len(facts.items)} submissions"
                       + (f" in {len(posts)} messages" if len(posts) > 1 else ""))

    def _themes(self, occ: Occurrence) -> Action:
        async def run(session: AsyncSession) -> Outcome:
            channel = self.settings.leadership_channel_id
            if not channel:
                return Outcome("skipped", "LEADERSHIP_CHANNEL_ID is not set")
            themes, read = await themes_from_db(session)
            text = quarterly_post(themes, read, occ.occurrence.replace("-", " "))
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
                      for chunk in pack_lines(text.split("\n"), THEMES_SECTION)][:MAX_BLOCKS]
            await enqueue_slack_message(
                session, channel=channel, text=f"Common pain points, {occ.occurrence}",
                blocks=blocks, key=f"job:themes:{occ.occurrence}")
            return Outcome("ran", f"posted to {channel}: {min(len(themes), TOP_IN_POST)} of "
                           f"{len(themes)} candidates from {read} talks")

        return run
    async def _nudge(self, session: AsyncSession, cycle: Cycle, occ: Occurrence) -> Outcome:
        if cycle.decide_by is None or occ.occurrence != cycle.decide_by.isoformat():
            return Outcome("skipped", "the decide-by date has moved")
        if self.slack is None or not self.settings.leadership_channel_id:
            return Outcome("skipped", "no Slack or LEADERSHIP_CHANNEL_ID: nobody to nudge")
        if self._leaders is None:
            # Nobody is nudged on a guess: the occurrence stays due for the next tick.
            raise RuntimeError("the leadership channel's members could not be read")
        owed = owed_votes(await confirmed_talks(session, cycle), self._leaders)
        for leader, talks in sorted(owed.items()):
            await enqueue_slack_message(
                session, channel=leader,
                text=nudge_text(cycle, talks, self._workspace_url, self.settings.slack_command),
                key=f"job:{jobs.JOB_NUDGE}:{cycle.id}:{occ.occurrence}:{leader}")
        return Outcome("ran", f"{len(owed)} of {len(self._leaders)} leaders owe votes: "
                              + (", ".join(sorted(owed)) or "none nudged"))

    async def _decide_summary(self, session: AsyncSession, cycle: Cycle, occ: Occurrence
                              ) -> Outcome:
        channel = self.settings.leadership_channel_id
        if not channel:
            return Outcome("skipped", "LEADERSHIP_CHANNEL_ID is not set")
        if cycle.decide_by is None or occ.occurrence != cycle.decide_by.isoformat():
            return Outcome("skipped", "the decide-by date has moved")
        talks = await confirmed_talks(session, cycle)
        posts = summary_posts(cycle, talks, hidden=self.settings.vote_visibility == "hidden",
                              leaders=self._leaders)
        for n, (text, blocks) in enumerate(posts):
            await enqueue_slack_message(
                session, channel=channel, text=text, blocks=blocks,
                key=f"job:{jobs.JOB_DECIDE}:{cycle.id}:{occ.occurrence}"
                    + (f":{n}" if n else ""))
        return Outcome("ran", f"posted to {channel}: {len(talks)} talks")

    _leaders: list[str] | None = None
    _topics: CallTopics = NO_TOPICS  # what the call and reminders name (load_call_topics)
    _workspace_url: str | None = None

    async def prefetch_leaders(self) -> None:
        """Read the leaders (and the workspace's address, for links to cards) before any
        transaction opens (no network inside a claim)."""
        if self.settings.leadership_channel_id and self.slack is not None:
            self._leaders = await fetch_leaders(self.slack, self.settings.leadership_channel_id)
            if self._workspace_url is None:
                self._workspace_url = await workspace_url(self.slack)

    def _open_scheduled(self, occ: Occurrence, now: dt.datetime) -> Action:
        async def run(session: AsyncSession) -> Outcome:
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
