"""The session's scheduled steps (planned in scheduler.jobs, claimed once by scheduler.tick):
attendance reminders, the leaders told of silent speakers, the program and its update, the
day's reminder, the request for slides, the recap. Each queues through the outbox in the
claim's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.curation.said import attendance_asked
from bot.email.session_texts import program_email, recap_email, slides_request
from bot.sessions import attendance, program, recap, slides
from bot.talks.publish import site_changed
from bot.talks.status import Status
from scheduler import jobs
from scheduler.jobs import Occurrence
from scheduler.wish_notices import tell_backers
from storage.models import Cycle, Submission
from storage.outbox import enqueue_email, enqueue_slack_message, remember_thread_id

Result = tuple[str, str]  # (ran | skipped, detail)


async def accepted_talks(session: AsyncSession, cycle_id: int) -> list[Submission]:
    return list((await session.scalars(select(Submission).where(
        Submission.cycle_id == cycle_id, Submission.status == Status.ACCEPTED,
    ).order_by(Submission.decided_at, Submission.id))).unique().all())


def _thread(sub: Submission) -> list[str]:
    ids = [i for i in (sub.email_thread_ids or {}).get("ids", []) if isinstance(i, str)]
    if sub.email_message_id and sub.email_message_id not in ids:
        ids.insert(0, sub.email_message_id)
    return ids[-10:]


class SessionJobs:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def run(self, session: AsyncSession, cycle: Cycle, occ: Occurrence,
                  now: dt.datetime) -> Result:
        if occ.job == jobs.JOB_ATTEND_REMINDER:
            return await self._attend_reminder(session, occ)
        if occ.occurrence != cycle.session_date.isoformat() \
                and occ.job != jobs.JOB_PROGRAM_UPDATE:
            return "skipped", "the session date has moved"
        if occ.job == jobs.JOB_ATTEND_LEADERS:
            return await self._attend_leaders(session, cycle)
        if occ.job == jobs.JOB_PROGRAM:
            return await self._program(session, cycle, now, update=False)
        if occ.job == jobs.JOB_PROGRAM_UPDATE:
            return await self._program(session, cycle, now, update=True)
        if occ.job == jobs.JOB_SESSION_DAY:
            return await self._day(session, cycle)
        if occ.job == jobs.JOB_SLIDES:
            return await self._slides(session, cycle)
        if occ.job == jobs.JOB_RECAP:
            return await self._recap(session, cycle)
        raise ValueError(f"unknown job {occ.job!r}")

    async def _attend_reminder(self, session: AsyncSession, occ: Occurrence) -> Result:
        sid = int(occ.occurrence.split(":", 1)[0])
        sub = await session.get(Submission, sid)
        if sub is None or sub.status != Status.ACCEPTED or sub.attendance is not None:
            return "skipped", "the speaker answered, or the talk is no longer accepted"
        key = f"job:{jobs.JOB_ATTEND_REMINDER}:{occ.cycle_id}:{occ.occurrence}"
        if sub.speaker.slack_user_id:
            await enqueue_slack_message(
                session, channel=sub.speaker.slack_user_id,
                said=attendance_asked(sub, reminder=True), key=key)
            return "ran", f"reminded {sub.ref} by Slack DM"
        s = self.settings
        if sub.speaker.email and s.bot_email_address:
            thread = _thread(sub)
            message_id = await enqueue_email(  # worded at delivery, bot/email/said.py
                session, to=[sub.speaker.email], said=attendance_asked(sub, reminder=True),
                domain=s.email_domain,
                reply_to=s.bot_email_address, in_reply_to=thread[-1] if thread else None,
                references=thread or None, auto_submitted="auto-generated", key=key)
            if message_id is not None:
                remember_thread_id(sub, message_id)  # its answer must land on this talk
            return "ran", f"reminded {sub.ref} by email"
        return "skipped", f"no way to reach the speaker of {sub.ref}"

    async def _attend_leaders(self, session: AsyncSession, cycle: Cycle) -> Result:
        channel = self.settings.leadership_channel_id
        if not channel:
            return "skipped", "LEADERSHIP_CHANNEL_ID is not set"
        silent = [s for s in await accepted_talks(session, cycle.id) if s.attendance is None]
        if not silent:
            return "skipped", "nobody to tell: every accepted speaker has answered"
        await enqueue_slack_message(
            session, channel=channel, said=attendance.speakers_silent(cycle, silent),
            key=f"job:{jobs.JOB_ATTEND_LEADERS}:{cycle.id}:{cycle.session_date.isoformat()}")
        return "ran", f"{len(silent)} silent speakers told to {channel}"

    async def _program(self, session: AsyncSession, cycle: Cycle, now: dt.datetime, *,
                       update: bool) -> Result:
        s = self.settings
        talks = await program.program_talks(session, cycle.id)
        if not talks and not update:
            return "skipped", "no confirmed talk to announce yet"
        sequence = cycle.program_sequence + 1 if update else 0
        key = f"job:program:{cycle.id}:{cycle.session_date.isoformat()}:{sequence}"
        said = program.announced(cycle, talks, update=update, site_url=s.site_url)
        done: list[str] = []
        if s.announce_channel_id:
            await enqueue_slack_message(session, channel=s.announce_channel_id, said=said,
                                        key=f"{key}:slack")
            done.append(f"posted to {s.announce_channel_id}")
        if s.mailing_list_address and s.bot_email_address:
            subject, body = program_email(said)
            await enqueue_email(
                session, to=[s.mailing_list_address], subject=subject, text=body,
                domain=s.email_domain, reply_to=s.bot_email_address, key=f"{key}:email",
                calendar=program.calendar(cycle, talks, sequence, now))
            done.append(f"emailed {s.mailing_list_address}")
        if not done:
            return "skipped", "neither ANNOUNCE_CHANNEL_ID nor MAILING_LIST_ADDRESS is set"
        cycle.program_talks = [t.id for t in talks]
        cycle.program_sequence = sequence
        told = await tell_backers(session, cycle.program_talks, now, s.slack_command)
        if told:
            done.append(f"{told} wishers and backers told their wish is answered")
        await site_changed(session, s.site_dir is not None)  # the archive shows the program
        return "ran", f"{len(talks)} talks (sequence {sequence}): " + "; ".join(done)

    async def _day(self, session: AsyncSession, cycle: Cycle) -> Result:
        channel = self.settings.announce_channel_id
        if not channel:
            return "skipped", "ANNOUNCE_CHANNEL_ID is not set"
        talks = await program.program_talks(session, cycle.id)
        if not talks:
            return "skipped", "no confirmed talk: nothing to remind people of"
        await enqueue_slack_message(
            session, channel=channel, said=program.today(cycle, talks),
            key=f"job:{jobs.JOB_SESSION_DAY}:{cycle.id}:{cycle.session_date.isoformat()}")
        return "ran", f"posted to {channel}"

    async def _slides(self, session: AsyncSession, cycle: Cycle) -> Result:
        s = self.settings
        talks = await program.program_talks(session, cycle.id)
        if not talks:
            return "skipped", "no confirmed talk: nobody to ask for slides"
        asked = 0
        for sub in talks:
            key = f"job:{jobs.JOB_SLIDES}:{cycle.id}:{sub.id}"
            if sub.speaker.slack_user_id:
                await enqueue_slack_message(
                    session, channel=sub.speaker.slack_user_id, said=slides.asked(sub), key=key)
                asked += 1
            elif sub.speaker.email and s.bot_email_address:
                thread = _thread(sub)
                message_id = await enqueue_email(
                    session, to=[sub.speaker.email],
                    subject=f"Re: your slides and recording ({sub.ref})",
                    text=slides_request(slides.asked(sub)), domain=s.email_domain,
                    reply_to=s.bot_email_address, in_reply_to=thread[-1] if thread else None,
                    references=thread or None, auto_submitted="auto-generated", key=key)
                if message_id is not None:
                    remember_thread_id(sub, message_id)
                asked += 1
        return "ran", f"{asked} of {len(talks)} speakers asked for slides"

    async def _recap(self, session: AsyncSession, cycle: Cycle) -> Result:
        s = self.settings
        talks = await program.program_talks(session, cycle.id)
        if not talks:
            return "skipped", "no confirmed talk: nothing to recap"
        key = f"job:{jobs.JOB_RECAP}:{cycle.id}:{cycle.session_date.isoformat()}"
        said = recap.posted(cycle, talks, s.site_url)
        done: list[str] = []
        if s.announce_channel_id:
            await enqueue_slack_message(session, channel=s.announce_channel_id, said=said,
                                        key=f"{key}:slack")
            done.append(f"posted to {s.announce_channel_id}")
        if s.mailing_list_address and s.bot_email_address:
            subject, body = recap_email(said)
            await enqueue_email(session, to=[s.mailing_list_address], subject=subject,
                                text=body, domain=s.email_domain,
                                reply_to=s.bot_email_address, key=f"{key}:email")
            done.append(f"emailed {s.mailing_list_address}")
        # The session is in the past now, with its links: the archive shows it so, posted or not.
        await site_changed(session, s.site_dir is not None)
        if not done:
            return "skipped", "neither ANNOUNCE_CHANNEL_ID nor MAILING_LIST_ADDRESS is set"
        return "ran", f"{len(talks)} talks: " + "; ".join(done)
