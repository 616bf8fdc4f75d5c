"""The submission lifecycle.

pending_confirmation -> submitted -> accepted | declined | withdrawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from bot.address import is_valid_email
from bot.audit import record
from bot.focus import FOCUS_AREAS
from bot.talks.cycles import current_cycle
from bot.talks.said import submitted
from bot.talks.status import Status
from bot.talks.versions import record_confirmed
from storage.models import Speaker, Submission
from storage.outbox import enqueue_card, enqueue_slack_message

LIMITS = {"title": 150, "abstract": 3000, "results": 3000, "studio": 100, "email": 254}
MIN_ABSTRACT = 20



@dataclass(frozen=True)
class Draft:
    """What a speaker proposes, from the modal or from an email, before it is stored."""

    title: str
    focus_area: str
    abstract: str
    results: str = ""
    studio: str = ""
    email: str = ""
    confirmed: bool = False
    networking_opt_out: bool = False


@dataclass
class DraftErrors:
    by_field: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def clean(text: str | None) -> str:
    """Trim, drop NULs and other control characters except newlines and tabs."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " ").strip()


def validate(draft: Draft, *, require_email: bool, require_confirmation: bool) -> DraftErrors:
    errors = DraftErrors()
    e = errors.by_field
    if not draft.title:
        e["title"] = "Please give your talk a title."
    elif len(draft.title) > LIMITS["title"]:
        e["title"] = f"Please keep the title under {LIMITS['title']} characters."
    if draft.focus_area not in FOCUS_AREAS:
        e["focus_area"] = "Please choose a focus area."
    if len(draft.abstract) < MIN_ABSTRACT:
        e["abstract"] = "Please describe the approach in a few sentences."
    elif len(draft.abstract) > LIMITS["abstract"]:
        e["abstract"] = f"Please keep the abstract under {LIMITS['abstract']} characters."
    if len(draft.results) > LIMITS["results"]:
        e["results"] = f"Please keep the results under {LIMITS['results']} characters."
    if len(draft.studio) > LIMITS["studio"]:
        e["studio"] = f"Please keep this under {LIMITS['studio']} characters."
    if draft.email:
        if not is_valid_email(draft.email):
            e["email"] = "That does not look like an email address (name@example.org)."
    elif require_email:
        e["email"] = "Please give an email address the leaders can reach you at."
    if require_confirmation and not draft.confirmed:
        e["confirmation"] = (
            "Please confirm your talk contains no confidential information; "
            "the leaders only see confirmed submissions."
        )
    return errors


@dataclass(frozen=True)
class SlackSpeaker:
    user_id: str
    name: str


@dataclass(frozen=True)
class Submitted:
    submission_id: int
    ref: str
    status: str
    cycle_title: str | None
    duplicate: bool = False


def make_ref(submission: Submission) -> str:
    return f"WGML-{submission.created_at.year}-{submission.id:03d}"


async def _slack_speaker(
    session: AsyncSession, who: SlackSpeaker, draft: Draft
) -> Speaker:
    speaker = await session.scalar(select(Speaker).where(Speaker.slack_user_id == who.user_id))
    if speaker is None:
        speaker = Speaker(slack_user_id=who.user_id)
        session.add(speaker)
    speaker.name = who.name or speaker.name or who.user_id
    if draft.email:
        speaker.email = draft.email.lower()
    if draft.studio:
        speaker.studio = draft.studio
    speaker.networking_opt_out = draft.networking_opt_out
    return speaker


async def submit_from_slack(
    session: AsyncSession,
    *,
    who: SlackSpeaker,
    view_id: str,
    draft: Draft,
    leadership_channel: str | None,
    now: dt.datetime,
    command: str = "/wgml",
) -> Submitted:
    """Store a modal submission; the modal already checked the draft."""
    existing = await session.scalar(select(Submission).where(Submission.slack_view_id == view_id))
    if existing is not None:
        return Submitted(
            existing.id, existing.ref or "", existing.status,
            existing.cycle.title if existing.cycle else None, duplicate=True,
        )
    speaker = await _slack_speaker(session, who, draft)
    cycle = await current_cycle(session, now)
    submission = Submission(
        cycle=cycle,
        speaker=speaker,
        title=draft.title,
        focus_area=draft.focus_area,
        abstract=draft.abstract,
        results=draft.results,
        studio=draft.studio,
        source="slack",
        status=Status.PENDING_CONFIRMATION,
        slack_view_id=view_id,
        created_at=now,
        updated_at=now,
    )
    session.add(submission)
    await session.flush()
    submission.ref = make_ref(submission)
    await record(
        session, who.user_id, "submission.created", submission_id=submission.id,
        detail={"source": "slack", "ref": submission.ref},
    )
    if draft.confirmed:
        await confirm(session, submission, actor=who.user_id, now=now,
                      leadership_channel=leadership_channel, command=command)
    return Submitted(
        submission.id, submission.ref, submission.status, cycle.title if cycle else None
    )


async def confirm(
    session: AsyncSession,
    submission: Submission,
    *,
    actor: str,
    now: dt.datetime,
    leadership_channel: str | None,
    command: str = "/wgml",
) -> bool:
    """Record the confidentiality confirmation; the submission then reaches the leaders.

    Returns False when it was already confirmed (a repeat confirms nothing new).
    """
    if submission.confidentiality_confirmed:
        return False
    submission.confidentiality_confirmed = True
    submission.confidentiality_confirmed_at = now
    # The text confirmed now is the talk's version 1 (the draft's own edits are not kept:
    # nobody but the speaker saw them).
    speaker = submission.speaker
    await record_confirmed(
        session, submission, now=now, channel=submission.source,
        actor=(speaker.slack_user_id if submission.source == "slack" else speaker.email)
        or actor, created_at=submission.updated_at or now)
    if submission.status == Status.PENDING_CONFIRMATION:
        submission.status = Status.SUBMITTED
    await record(session, actor, "submission.confirmed", submission_id=submission.id)
    if leadership_channel:
        await enqueue_card(session, submission.id, leadership_channel)
    user = submission.speaker.slack_user_id
    if user:
        await enqueue_slack_message(
            session, channel=user, said=submitted(submission, command),
            key=f"dm:submitted:{submission.id}"
        )
    return True


async def submissions_of(session: AsyncSession, slack_user_id: str) -> list[Submission]:
    """A member's own talks, newest first, as `/wgml mine` and the Home tab list them: the
    talks and their cycles only. The leaders' votes, notes, recusals and decisions are not
    read (a speaker's screen shows none of them; reading one raises)."""
    rows = await session.scalars(
        select(Submission)
        .join(Speaker)
        .where(Speaker.slack_user_id == slack_user_id)
        .options(raiseload(Submission.votes), raiseload(Submission.notes),
                 raiseload(Submission.recusals), raiseload(Submission.decisions))
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    )
    return list(rows.unique().all())


async def speaker_by_slack_id(session: AsyncSession, slack_user_id: str) -> Speaker | None:
    return await session.scalar(select(Speaker).where(Speaker.slack_user_id == slack_user_id))


async def slack_speaker(session: AsyncSession, slack_user_id: str, name: str) -> Speaker:
    """The speaker behind a Slack user, created on first use (in the caller's transaction)."""
    speaker = await speaker_by_slack_id(session, slack_user_id)
    if speaker is None:
        speaker = Speaker(slack_user_id=slack_user_id, name=name or slack_user_id)
        session.add(speaker)
        await session.flush()
    return speaker
