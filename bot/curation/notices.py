"""Telling people about decisions: the speaker (DM or email, kindly) and the card's thread.

Everything here is queued in the caller's transaction, keyed by the decision's id, so a
decision and its notices commit together and a retried request never notifies twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.said import AttendanceAsked
from bot.mrkdwn import escape, escaped_short
from bot.people.networking import introductions_text
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


def dm_text(submission: Submission, notice: Notice, command: str = "/wgml") -> str:
    title = f"*{escaped_short(submission.title, 150)}* (`{submission.ref}`)"
    if notice.event == ACCEPTED:
        return (
            f"Good news: the WG-ML leaders have accepted your talk {title} for "
            f"*{escape(_session_words(submission))}*. Thank you for sharing what you learned; "
            "a leader will be in touch about the session. If you can no longer give it, "
            f"`{command} withdraw {submission.ref}` tells them."
        )
    if notice.event == DECLINED:
        return (
            f"Thank you for proposing {title}. The leaders could not fit it into "
            f"*{escape(_session_words(submission))}*: each session is balanced across topics "
            "and studios, and there are more good proposals than slots. It would be very "
            f"welcome in a future call for speakers (`{command} submit` any time)."
        )
    was = notice.undone or "decided"
    return (
        f"A correction about {title}: my earlier message saying it was {was} was sent by "
        "mistake, sorry. Please disregard it. Your talk is back with the leaders and I will "
        "write again when they decide."
    )


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
        text = dm_text(submission, notice, command)
        if notice.event == ACCEPTED and (extra := await introductions_text(
                session, submission, command=command)):
            text += "\n\n" + extra
        await enqueue_slack_message(
            session, channel=speaker.slack_user_id, text=text, said=ask, key=f"dm:{key}",
        )
        ways.append("dm")
    if speaker.email and (submission.source == "email" or not speaker.slack_user_id):
        body = email_text(submission, notice)
        if notice.event == ACCEPTED and (
                extra := await introductions_text(session, submission, slack=False)):
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


def told_words(ways: list[str]) -> str:
    if not ways:
        return "I have no way to reach the speaker; please contact them yourselves."
    how = " and ".join({"dm": "Slack DM", "email": "email"}[w] for w in ways)
    return f"The speaker was told by {how}."


def thread_text(leader: str, notice: Notice, ways: list[str]) -> str:
    if notice.event == UNDONE:
        return (
            f"<@{leader}> undid the decision ({notice.undone}): the talk is open for votes "
            "again. " + (
                "The speaker was told the earlier message was a mistake." if ways
                else told_words(ways)
            )
        )
    verb = "accepted" if notice.event == ACCEPTED else "declined"
    return f"<@{leader}> {verb} this talk. {told_words(ways)}"


async def post_in_thread(session: AsyncSession, submission: Submission, text: str,
                         key: str) -> None:
    """The one thing the bot says in the card's thread: what was decided, and by whom."""
    if not (submission.card_channel and submission.card_ts):
        return  # the card itself is not posted yet; it will show the decision when it is
    await enqueue_slack_message(
        session, channel=submission.card_channel, text=text, thread_ts=submission.card_ts,
        key=f"thread:{key}",
    )
