"""Every text of a talk is a version, and the leaders only ever see a confirmed one.

The submission's own columns hold the latest confirmed text (before the first confirmation:
the draft, which no leader sees), so the card, the digest, `/wgml review`, similar-work
suggestions and the export are right by construction. An edit made by email waits here as
the talk's one pending version until its speaker confirms it; an edit made in the Slack form
is confirmed by the form's own checkbox and applied at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.focus import BOUNDARY_TEXT, CONFIDENTIALITY_STATEMENT
from bot.talks.said import EditedInThread
from bot.talks.status import Status
from storage.models import Submission, SubmissionVersion
from storage.outbox import enqueue_card, enqueue_site_rebuild, enqueue_slack_message

# What a version holds, in the order a change is reported.
FIELDS: tuple[str, ...] = ("title", "focus_area", "abstract", "results", "studio")
EDITABLE: tuple[Status, ...] = (Status.PENDING_CONFIRMATION, Status.SUBMITTED, Status.ACCEPTED)

# The wording a speaker confirms on each channel, stored with each version they confirm.
STATEMENTS: dict[str, str] = {
    "slack": CONFIDENTIALITY_STATEMENT,
    "email": "My talk contains no confidential information.\n" + BOUNDARY_TEXT,
}


@dataclass(frozen=True)
class Closed:
    """Why a talk can no longer be edited: its status, or its session date has come."""

    reason: str  # a Status value, or "session"


def edit_closed(sub: Submission, now: dt.datetime) -> Closed | None:
    """None while the talk may be edited: pending, submitted or accepted, before the day of
    its session (in the cycle's time zone)."""
    if sub.status not in EDITABLE:
        return Closed(sub.status)
    cycle = sub.cycle
    if cycle is not None:
        try:
            zone = zoneinfo.ZoneInfo(cycle.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        if now.astimezone(zone).date() >= cycle.session_date:
            return Closed("session")
    return None


def text_of(sub: Submission) -> dict[str, str]:
    return {name: getattr(sub, name) or "" for name in FIELDS}


def text_key(title: str, abstract: str, results: str) -> str:
    """A digest of the text the session guidelines read (bot.guidelines.stored keeps their
    reading under it): a reading stored under another key is of another text."""
    digest = hashlib.sha256("\x00".join((title or "", abstract or "", results or ""))
                            .encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def guideline_reading(sub: Submission) -> list[dict[str, Any]]:
    """The stored concerns of the talk's current text, as stored ({"rule", "reason",
    "dismissed_by", "dismissed_at"}); [] when never read or read for another text."""
    stored = sub.guideline_concerns
    if not isinstance(stored, dict) or stored.get("key") != text_key(
            sub.title, sub.abstract, sub.results):
        return []
    return [c for c in stored.get("concerns") or [] if isinstance(c, dict) and c.get("rule")]


def changed_fields(sub: Submission, new: Mapping[str, str]) -> list[str]:
    """The fields `new` changes, in FIELDS order (a field `new` lacks is unchanged)."""
    return [name for name in FIELDS if name in new and (new[name] or "") != (
        getattr(sub, name) or "")]


async def _last_n(session: AsyncSession, submission_id: int) -> int:
    n = await session.scalar(
        select(func.max(SubmissionVersion.n)).where(
            SubmissionVersion.submission_id == submission_id,
            SubmissionVersion.confirmed_at.is_not(None)))
    return int(n or 0)


async def pending_of(session: AsyncSession, submission_id: int) -> SubmissionVersion | None:
    return await session.scalar(
        select(SubmissionVersion).where(SubmissionVersion.submission_id == submission_id,
                                        SubmissionVersion.confirmed_at.is_(None)))


async def record_confirmed(session: AsyncSession, sub: Submission, *, actor: str,
                           channel: str, now: dt.datetime,
                           created_at: dt.datetime | None = None) -> SubmissionVersion:
    """Store the submission's current text as its next confirmed version."""
    pending = await pending_of(session, sub.id)
    if pending is not None:  # confirmed some other way: the waiting edit is superseded
        await session.delete(pending)
        await session.flush()
    version = SubmissionVersion(
        submission_id=sub.id, n=await _last_n(session, sub.id) + 1, **text_of(sub),
        created_at=created_at or now, created_by=actor, channel=channel, confirmed_at=now,
        statement=STATEMENTS.get(channel),
    )
    session.add(version)
    return version


async def _tell_the_card(session: AsyncSession, sub: Submission, fields: list[str], n: int,
                         channel: str, leadership_channel: str | None, key: str) -> None:
    """Re-render the card in place and say in its thread what changed (the names of the
    fields, not the text: the card itself shows the confirmed text)."""
    card_channel = sub.card_channel or leadership_channel
    if not card_channel:
        return
    await enqueue_card(session, sub.id, card_channel)
    if sub.card_channel and sub.card_ts:  # no card yet: when posted, it shows this version
        await enqueue_slack_message(
            session, channel=sub.card_channel, thread_ts=sub.card_ts,
            said=EditedInThread(sub.ref or f"#{sub.id}", fields, n, channel),
            key=f"thread:edited:{sub.id}:{n}:{key}")


async def _on_the_archive(session: AsyncSession, sub: Submission, rebuild_site: bool) -> None:
    """A new confirmed text of a talk the public archive shows (accepted, its speaker
    agreed): the site is built again after the commit (`rebuild_site`: SITE_DIR is set)."""
    if rebuild_site and sub.status == Status.ACCEPTED and sub.publish is True:
        await enqueue_site_rebuild(session)


async def apply_confirmed(session: AsyncSession, sub: Submission, new: Mapping[str, str], *,
                          actor: str, channel: str, now: dt.datetime,
                          leadership_channel: str | None, rebuild_site: bool = False
                          ) -> tuple[list[str], int]:
    """A confirmed talk takes a text its speaker confirmed just now: a new version, the
    card updated in place and its thread told, the archive rebuilt if it shows the talk.
    Votes stay as they are. Returns the fields changed and the version's number (nothing
    stored when nothing changed)."""
    fields = changed_fields(sub, new)
    if not fields:
        return [], await _last_n(session, sub.id)
    for name in fields:
        setattr(sub, name, new[name])
    sub.updated_at = now
    version = await record_confirmed(session, sub, actor=actor, channel=channel, now=now)
    await record(session, actor, "submission.version_confirmed", submission_id=sub.id,
                 detail={"n": version.n, "fields": fields, "channel": channel})
    await _tell_the_card(session, sub, fields, version.n, channel, leadership_channel,
                         key=str(version.n))
    await _on_the_archive(session, sub, rebuild_site)
    return fields, version.n


async def stage_pending(session: AsyncSession, sub: Submission, new: Mapping[str, str], *,
                        actor: str, channel: str, now: dt.datetime
                        ) -> SubmissionVersion | None:
    """An edit of a confirmed talk that waits for its speaker's confirmation; it replaces
    any older one waiting. None when it changes nothing of the confirmed text."""
    fields = changed_fields(sub, new)
    pending = await pending_of(session, sub.id)
    if not fields:
        return None
    text = text_of(sub) | {name: new[name] for name in fields}
    if pending is None:
        pending = SubmissionVersion(submission_id=sub.id, n=await _last_n(session, sub.id) + 1,
                                    created_by=actor, channel=channel, created_at=now, **text)
        session.add(pending)
        replaced = False
    else:
        for name, value in text.items():
            setattr(pending, name, value)
        pending.created_at, pending.created_by, pending.channel = now, actor, channel
        pending.request_message_id = None
        replaced = True
    await record(session, actor, "submission.version_pending", submission_id=sub.id,
                 detail={"n": pending.n, "fields": fields, "channel": channel,
                         "replaced": replaced})
    return pending


def pending_fields(sub: Submission, pending: SubmissionVersion) -> list[str]:
    return changed_fields(sub, {name: getattr(pending, name) for name in FIELDS})


async def confirm_pending(session: AsyncSession, sub: Submission, pending: SubmissionVersion,
                          *, actor: str, now: dt.datetime, leadership_channel: str | None,
                          rebuild_site: bool = False) -> list[str]:
    """The speaker confirmed the waiting edit: it becomes the text the leaders see (and the
    archive's, when it shows the talk)."""
    fields = pending_fields(sub, pending)
    n = await _last_n(session, sub.id) + 1  # before this row counts as confirmed
    for name in fields:
        setattr(sub, name, getattr(pending, name))
    sub.updated_at = now
    pending.n = n
    pending.confirmed_at = now
    pending.statement = STATEMENTS.get(pending.channel)
    await record(session, actor, "submission.version_confirmed", submission_id=sub.id,
                 detail={"n": pending.n, "fields": fields, "channel": pending.channel})
    if fields:
        await _tell_the_card(session, sub, fields, pending.n, pending.channel,
                             leadership_channel, key=str(pending.id))
        await _on_the_archive(session, sub, rebuild_site)
    return fields


async def drop_pending(session: AsyncSession, sub: Submission, pending: SubmissionVersion, *,
                       actor: str, reason: str) -> None:
    await record(session, actor, "submission.version_dropped", submission_id=sub.id,
                 detail={"n": pending.n, "reason": reason})
    await session.delete(pending)
