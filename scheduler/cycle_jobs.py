"""The cycle's scheduled steps (planned in scheduler.jobs, claimed once by scheduler.tick):
the call for speakers, the channel's reminders, the reminder to speakers who have not
confirmed, the leaders' digest, the decide-by nudge and summary, the quarterly pain points.
Each queues through the outbox in the claim's transaction; tick decides when, this what.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.address import mailbox_key
from bot.config import Settings
from bot.email.cache import ANSWERED, IntakeCache
from bot.mrkdwn import pack_lines
from bot.people.themes_report import TOP_IN_POST, themes_from_db
from bot.slack_ui.subprojects import quarterly_blocks
from bot.slack_ui.themes import quarterly_post
from bot.subprojects.store import marks_of
from bot.wishes.model import NO_TOPICS, CallTopics
from scheduler import jobs
from scheduler.decide import confirmed_talks, nudge_text, owed_votes, summary_posts
from scheduler.digest import build_digest
from scheduler.jobs import CALL_UNCONFIGURED, Occurrence, Outcome
from scheduler.texts import (
    CallFacts,
    call_email,
    call_post,
    channel_reminder,
    digest_posts,
    speaker_reminder,
    speaker_reminder_email,
)
from storage.models import AuditEvent, Cycle, Speaker, Submission
from storage.outbox import enqueue_email, enqueue_slack_message

log = logging.getLogger("wgml.scheduler")

THEMES_SECTION = 2900  # a section's text must stay under Slack's 3,000 characters
MAX_BLOCKS = 50  # Slack's limit of blocks in one message
class CycleJobs:
    """One due occurrence of a cycle's job, run in the claim's transaction. `leaders` and
    `workspace_url` were read before the transaction opened (no network inside a claim)."""

    def __init__(self, settings: Settings, *, has_slack: bool, leaders: list[str] | None,
                 workspace_url: str | None, topics: CallTopics = NO_TOPICS) -> None:
        self.settings = settings
        self.topics = topics  # what the call and reminders name (scheduler.call_topics)
        self.zone = settings.zone
        self.has_slack = has_slack
        self._leaders = leaders
        self._workspace_url = workspace_url

    async def run(self, session: AsyncSession, cycle: Cycle, occ: Occurrence,
                  now: dt.datetime) -> Outcome:
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

    def _call_facts(self, cycle: Cycle) -> CallFacts:
        return CallFacts(cycle.id, cycle.title, cycle.theme, cycle.deadline, cycle.session_date)

    async def _call(self, session: AsyncSession, cycle: Cycle) -> Outcome:
        s = self.settings
        facts = self._call_facts(cycle)
        done: list[str] = []
        if s.announce_channel_id:
            text, blocks = call_post(facts, self.zone, s.slack_command, s.bot_email_address,
                                     self.topics)
            await enqueue_slack_message(session, channel=s.announce_channel_id, text=text,
                                        blocks=blocks, key=f"job:call:{cycle.id}:slack")
            done.append(f"posted to {s.announce_channel_id}")
        if s.mailing_list_address and s.bot_email_address:
            subject, body = call_email(facts, self.zone, s.slack_command, self.topics)
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
                                days, now, self.topics)
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

    async def _nudge(self, session: AsyncSession, cycle: Cycle, occ: Occurrence) -> Outcome:
        if cycle.decide_by is None or occ.occurrence != cycle.decide_by.isoformat():
            return Outcome("skipped", "the decide-by date has moved")
        if not self.has_slack or not self.settings.leadership_channel_id:
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


async def themes_post(session: AsyncSession, settings: Settings, occ: Occurrence) -> Outcome:
    """The quarterly post of common pain points across studios, in the leadership channel."""
    channel = settings.leadership_channel_id
    if not channel:
        return Outcome("skipped", "LEADERSHIP_CHANNEL_ID is not set")
    themes, read = await themes_from_db(session)
    text = quarterly_post(themes, read, occ.occurrence.replace("-", " "))
    # Each theme with its "Propose a sub-project" button (bot.slack_ui.subprojects).
    blocks = quarterly_blocks(themes, read, await marks_of(session, themes),
                              text.split("\n", 1)[0]) if themes else [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
        for chunk in pack_lines(text.split("\n"), THEMES_SECTION)][:MAX_BLOCKS]
    await enqueue_slack_message(
        session, channel=channel, text=f"Common pain points, {occ.occurrence}",
        blocks=blocks, key=f"job:themes:{occ.occurrence}")
    return Outcome("ran", f"posted to {channel}: {min(len(themes), TOP_IN_POST)} of "
                   f"{len(themes)} candidates from {read} talks")
