"""Telling people about decisions: the speaker (DM or email, kindly) and the card's thread.

Everything here is queued in the caller's transaction, keyed by the decision's id, so a
decision and its notices commit together and a retried request never notifies twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.said import AttendanceAsked, DecisionTold
from bot.people.networking import introductions_said, introductions_text
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


def _one_line(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _session_words(submission: Submission) -> str:
    cycle = submission.cycle
    if cycle is None:
        return "the next Mutual Learning Session"
    return f"{cycle.title} ({cycle.session_date:%A %d %B %Y})"


def email_subject(submission: Submission, notice: Notice) -> str:
    title = _one_line(submission.title)
    if notice.event == ACCEPTED:
        return f"Your WG-ML talk is accepted: {title} ({submission.ref})"
    if notice.event == DECLINED:
        return f"About your WG-ML talk proposal: {title} ({submission.ref})"
    return f"Correction about your WG-ML talk proposal: {title} ({submission.ref})"


def email_text(submission: Submission, notice: Notice) -> str:
    name = submission.speaker.name.strip() if submission.speaker.name else ""
    greeting = f"Hello {name}," if name and "@" not in name else "Hello,"
    title = f'"{_one_line(submission.title, 200)}" ({submission.ref})'
    if notice.event == ACCEPTED:
        body = (
            f"Good news: the WG-ML leaders have accepted your talk {title} for "
            f"{_session_words(submission)}.\n\nThank you for sharing what you learned. "
            "Can you present it on the day? Please reply to this email with \"yes, I'll "
            "present\" or \"I can't make it\"."
        )
    elif notice.event == DECLINED:
        body = (
            f"Thank you for proposing {title}. The leaders could not fit it into "
            f"{_session_words(submission)}: each session is balanced across topics and "
            "studios, and there are more good proposals than slots.\n\nIt would be very "
            "welcome in a future call for speakers: reply to the next call with your "
            "proposal."
        )
    else:
        was = notice.undone or "decided"
        body = (
            f"A correction about your talk {title}: my earlier message saying it was {was} "
            "was sent by mistake, sorry. Please disregard it.\n\nYour talk is back with the "
            "leaders and I will write again when they decide."
        )
    return (
        f"{greeting}\n\n{body}\n\n"
        "The WG-ML bot, for the ASWF Machine Learning Working Group leaders\n"
    )


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
    if speaker.slack_user_id:
        told = DecisionTold(notice.event, submission.ref or f"#{submission.id}",
                            submission.title, _session_words(submission), command,
                            notice.undone, "", ask,
                            await introductions_said(session, submission)
                            if notice.event == ACCEPTED else [])
        await enqueue_slack_message(
            session, channel=speaker.slack_user_id, said=told, key=f"dm:{key}",
        )
        ways.append("dm")
    if speaker.email and (submission.source == "email" or not speaker.slack_user_id):
        body = email_text(submission, notice)
        if notice.event == ACCEPTED and (
                extra := await introductions_text(session, submission)):
            body += "\n\n" + extra
        # Threaded under the proposal the speaker sent, when they sent it by email.
        first = submission.email_message_id if submission.source == "email" else None
        message_id = await enqueue_email(
            session, to=[speaker.email], subject=email_subject(submission, notice), text=body,
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
