"""Sub-projects in the database: the claim that makes one per theme and per modal, the
channel attached once Slack has created it, interest, lifecycle and listing."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.people.themes import Theme, ThemeMark
from bot.subprojects.status import STATUSES, SubprojectStatus
from storage.db import Database
from storage.models import Subproject, SubprojectInterest, SubprojectTalk

log = logging.getLogger("wgml.subprojects")

# A claim without a channel this old belongs to a request that died between the claim and
# Slack's answer (conversations.create answers in well under Slack's 3 s for the modal):
# another proposal of the theme may take it over.
STALE_CLAIM = dt.timedelta(minutes=2)
MAX_TALKS = 100  # a multi_static_select holds at most 100 options
NAME_MAX = 150  # a sub-project's name (the evidence post's header holds 150 characters)
STATEMENT_MAX = 2900  # the statement is posted as one section (3,000 characters)
REPO_MAX = 500


# A member can still join while the sub-project lives on (graduated: the repository's folk).
JOINABLE = (SubprojectStatus.PROPOSED, SubprojectStatus.ACTIVE, SubprojectStatus.GRADUATED)


def theme_key(talk_ids: Iterable[int]) -> str:
    """The theme as the button showed it: its talks, whatever order they came in."""
    ids = ",".join(str(i) for i in sorted(set(talk_ids)))
    return hashlib.sha256(ids.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Proposal:
    """What a leader submitted in the modal, already checked."""

    name: str
    channel_name: str
    statement: str
    talk_ids: tuple[int, ...]  # the talks chosen (and those counted without a name)
    theme_key: str
    theme_name: str
    view_id: str
    user: str


@dataclass(frozen=True)
class Claimed:
    id: int


@dataclass(frozen=True)
class Taken:
    """The theme or the modal already has a sub-project (or one being created)."""

    id: int
    channel_id: str | None
    channel_name: str
    by: str
    same_view: bool  # the same modal again: a retry, not another leader


async def claim(db: Database, proposal: Proposal, now: dt.datetime) -> Claimed | Taken:
    """Insert the sub-project before its channel exists: the unique theme key and view id
    make a second proposal (another leader, a retried submission) fail here, on SQLite and
    PostgreSQL alike (PostgreSQL makes the second insert wait for the first's commit)."""
    for _ in range(3):
        try:
            async with db.transaction() as session:
                row = Subproject(
                    name=proposal.name, channel_name=proposal.channel_name,
                    statement=proposal.statement, status=SubprojectStatus.PROPOSED,
                    created_by=proposal.user, created_at=now, theme_key=proposal.theme_key,
                    theme_name=proposal.theme_name[:200], view_id=proposal.view_id,
                    last_interest_at=now, status_at=now)
                session.add(row)
                await session.flush()
                return Claimed(row.id)
        except IntegrityError:
            pass
        async with db.transaction() as session:
            existing = await session.scalar(select(Subproject).where(or_(
                Subproject.theme_key == proposal.theme_key,
                Subproject.view_id == proposal.view_id)).order_by(Subproject.id).limit(1))
            if existing is None:
                continue  # released in between: try again
            same = existing.view_id == proposal.view_id
            if existing.channel_id is None and not same \
                    and now - existing.created_at > STALE_CLAIM:
                log.warning("event=subproject.stale_claim_taken_over id=%s", existing.id)
                await session.delete(existing)
                continue
            return Taken(existing.id, existing.channel_id, existing.channel_name,
                         existing.created_by, same)
    raise RuntimeError("could not claim the sub-project after three tries")


async def release(db: Database, subproject_id: int) -> None:
    """Give a claim back when its channel could not be created (the leader may try again)."""
    async with db.transaction() as session:
        await session.execute(delete(Subproject).where(
            Subproject.id == subproject_id, Subproject.channel_id.is_(None)))


async def attach_channel(session: AsyncSession, subproject_id: int, channel_id: str,
                         channel_name: str, talk_ids: Sequence[int]) -> Subproject:
    """The channel Slack created, and the talks the sub-project starts from."""
    row = await session.get(Subproject, subproject_id)
    if row is None:
        raise LookupError(f"sub-project {subproject_id} is gone")
    row.channel_id, row.channel_name = channel_id, channel_name
    for talk_id in dict.fromkeys(talk_ids):
        session.add(SubprojectTalk(subproject_id=row.id, submission_id=talk_id))
    await record(session, row.created_by, "subproject.created",
                 detail={"subproject": row.id, "channel": channel_id, "name": row.name,
                         "talks": list(talk_ids)})
    await session.flush()
    return row


# ---- interest -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Interest:
    subproject_id: int
    channel_id: str | None
    channel_name: str
    name: str
    new: bool  # False: this member had pressed before (counted once)
    count: int
    refused: str | None = None  # why nothing was recorded (closed, unknown)


async def add_interest(session: AsyncSession, subproject_id: int, user: str,
                       now: dt.datetime) -> Interest:
    row = await session.get(Subproject, subproject_id)
    if row is None or row.channel_id is None:
        return Interest(subproject_id, None, "", "", False, 0, refused="unknown")
    if row.status not in JOINABLE:
        return Interest(row.id, row.channel_id, row.channel_name, row.name, False,
                        await interest_count(session, row.id), refused="closed")
    known = await session.scalar(select(SubprojectInterest.id).where(
        SubprojectInterest.subproject_id == row.id, SubprojectInterest.user == user))
    new = False
    if known is None:
        try:
            async with session.begin_nested():  # two presses at once: one row
                session.add(SubprojectInterest(subproject_id=row.id, user=user, at=now))
            new = True
            row.last_interest_at = now
            await record(session, user, "subproject.interest", detail={"subproject": row.id})
        except IntegrityError:
            new = False
    return Interest(row.id, row.channel_id, row.channel_name, row.name, new,
                    await interest_count(session, row.id))


async def interest_count(session: AsyncSession, subproject_id: int) -> int:
    return int(await session.scalar(select(func.count()).select_from(SubprojectInterest).where(
        SubprojectInterest.subproject_id == subproject_id)) or 0)


# ---- lifecycle --------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>|\"']+\Z")


@dataclass(frozen=True)
class StatusChange:
    subproject_id: int
    channel_id: str | None
    name: str
    before: str
    after: str
    repo_url: str | None
    error: str | None = None  # a problem the person can fix; nothing was changed


def status_error(status: str, repo_url: str | None, known_repo: str | None) -> str | None:
    if status not in STATUSES:
        return f"status must be one of {', '.join(STATUSES)}"
    if repo_url is not None and (len(repo_url) > REPO_MAX or not _URL.match(repo_url)):
        return "the repository must be an http(s) URL (at most 500 characters)"
    if status == SubprojectStatus.GRADUATED and not (repo_url or known_repo):
        return "a graduated sub-project is an ASWF project: give its repository URL"
    return None


async def set_status(session: AsyncSession, subproject_id: int, status: str,
                     repo_url: str | None, actor: str, now: dt.datetime) -> StatusChange:
    """Set a sub-project's status (the caller has checked the actor may: leaders, or the
    operator at the command line)."""
    row = await session.get(Subproject, subproject_id)
    if row is None or row.channel_id is None:
        return StatusChange(subproject_id, None, "", "", "", None,
                            error=f"there is no sub-project {subproject_id}")
    problem = status_error(status, repo_url, row.repo_url)
    if problem:
        return StatusChange(row.id, row.channel_id, row.name, row.status, row.status,
                            row.repo_url, error=problem)
    before = row.status
    row.status, row.status_at = status, now
    if repo_url:
        row.repo_url = repo_url
    await record(session, actor, "subproject.status",
                 detail={"subproject": row.id, "from": before, "to": status,
                         "repo_url": row.repo_url})
    return StatusChange(row.id, row.channel_id, row.name, before, status, row.repo_url)


# ---- reading ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    id: int
    name: str
    channel_id: str
    channel_name: str
    status: str
    repo_url: str | None
    created_by: str
    created_at: dt.datetime
    talk_ids: tuple[int, ...]
    interested: tuple[str, ...]
    statement: str
    last_interest_at: dt.datetime


async def summaries(session: AsyncSession) -> list[Summary]:
    """Every sub-project with a channel (claims still being created are not one yet)."""
    rows = (await session.scalars(select(Subproject).where(
        Subproject.channel_id.is_not(None)).order_by(Subproject.id))).all()
    ids = [r.id for r in rows]
    talks: dict[int, list[int]] = {i: [] for i in ids}
    people: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for sp, sub in (await session.execute(
                select(SubprojectTalk.subproject_id, SubprojectTalk.submission_id)
                .where(SubprojectTalk.subproject_id.in_(ids))
                .order_by(SubprojectTalk.id))).all():
            talks[sp].append(sub)
        for sp, user in (await session.execute(
                select(SubprojectInterest.subproject_id, SubprojectInterest.user)
                .where(SubprojectInterest.subproject_id.in_(ids))
                .order_by(SubprojectInterest.id))).all():
            people[sp].append(user)
    return [Summary(r.id, r.name, r.channel_id or "", r.channel_name, r.status, r.repo_url,
                    r.created_by, r.created_at, tuple(talks[r.id]), tuple(people[r.id]),
                    r.statement, r.last_interest_at)
            for r in rows]


def marks_for(themes: Sequence[Iterable[int]], existing: Sequence[Summary]
              ) -> dict[int, ThemeMark]:
    """theme index -> the sub-project started from it: the same talks (its key), or at least
    half of the theme's talks among the sub-project's."""
    out: dict[int, ThemeMark] = {}
    by_key = {theme_key(s.talk_ids): s for s in existing}
    for n, talk_ids in enumerate(themes):
        ids = set(talk_ids)
        hit = by_key.get(theme_key(ids))
        if hit is None:
            best = max(existing, key=lambda s: len(ids & set(s.talk_ids)), default=None)
            if best is not None and ids and len(ids & set(best.talk_ids)) * 2 >= len(ids):
                hit = best
        if hit is not None:
            out[n] = ThemeMark(hit.id, hit.channel_id, hit.channel_name, hit.status)
    return out


async def marks_of(session: AsyncSession, themes: Sequence[Theme]) -> dict[int, ThemeMark]:
    """theme index -> its sub-project, for the themes that already have one."""
    existing = await summaries(session)
    if not existing:
        return {}
    return marks_for([[t.id for t in theme.talks] for theme in themes], existing)
