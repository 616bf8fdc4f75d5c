"""Telling people about decisions: the speaker (DM or email, kindly) and the card's thread.

Everything here is queued in the caller's transaction, keyed by the decision's id, so a
decision and its notices commit together and a retried request never notifies twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.said import AttendanceAsked, DecisionTold, speaker_name
from bot.people.networking import introductions_said
from bot.talks.status import Status
from storage.models import Submission
from storage.outbox import enqueue_email, enqueue_slack_message, remember_thread_id

# accepted | declined | undone (the latter carries what was undone)
ACCEPTED = Status.ACCEPTED
DECLINED = Status.DECLINED
UNDONE = "undone"


@dataclass(frozen=True)
class Notice:
    event: str  # accepted | declined | undone
    undone: str | None = None  # for undone: the outcome that was a mistake


def _session_words(submission: Submission) -> str:
    cycle = submission.cycle
    if cycle is None:
        return "the next Mutual Learning Session"
    return f"{cycle.title} ({cycle.session_date:%A %d %B %Y})"


async def notify_speaker(session: AsyncSession, submission: Submission, notice: Notice,
                         key: str, *, email_domain: str,
                         reply_to: str | None = None, command: str = "/wgml",
                         ask: AttendanceAsked | None = None) -> list[str]:
    """Queue the speaker's notice; returns how they will hear ("dm", "email"), maybe nothing.

    A DM when the speaker is on Slack; an email when the talk came by email or the speaker
    is known only by address. The email goes through storage.outbox.enqueue_email like
    every other: its Message-ID is fixed now, so a retry after a failed attempt sends the
    same message (receivers de-duplicate), in the speaker's own lane. `ask` (the acceptance's
    question whether they will present) follows the DM's text in the same message.
    """
    speaker = submission.speaker
    ways: list[str] = []
    email = speaker.email if submission.source == "email" or not speaker.slack_user_id \
        else None
    if not (speaker.slack_user_id or email):
        return ways
    # One value for both ways: each surface words it (bot/slack_ui/said.py at delivery,
    # bot/email/said.py for the email), the introductions found once.
    told = DecisionTold(notice.event, submission.ref or f"#{submission.id}", submission.title,
                        _session_words(submission), command, notice.undone, "", ask,
                        await introductions_said(session, submission)
                        if notice.event == ACCEPTED else [], speaker_name(submission))
    if speaker.slack_user_id:
        await enqueue_slack_message(
            session, channel=speaker.slack_user_id, said=told, key=f"dm:{key}",
        )
        ways.append("dm")
    if email:
        # Threaded under the proposal the speaker sent, when they sent it by email.
        first = submission.email_message_id if submission.source == "email" else None
        message_id = await enqueue_email(
            session, to=[email], said=told,
            domain=email_domain, reply_to=reply_to, in_reply_to=first,
            references=[first] if first else None,
            # A person pressed a button, but the mail is generated: autoresponders must not
            # answer it.
            auto_submitted="auto-generated", key=f"email:{key}",
        )
        if message_id is not None and submission.source == "email":
            # The speaker may answer the decision ("I can no longer give it"): their reply
            # must land on this submission.
            remember_thread_id(submission, message_id)
        ways.append("email")
    return ways


async def post_in_thread(session: AsyncSession, submission: Submission, text: str,
                         key: str, said: object = None) -> None:
    """The one thing the bot says in the card's thread: what was decided, and by whom."""
    if not (submission.card_channel and submission.card_ts):
        return  # the card itself is not posted yet; it will show the decision when it is
    await enqueue_slack_message(
        session, channel=submission.card_channel, text=text, thread_ts=submission.card_ts,
        key=f"thread:{key}", said=said,
    )
