"""Wishes in the database: asking, backing (a toggle), closing and reopening, and reading
them back as WishView values. Every function works in the caller's transaction.

Why a backing is a row per (wish, member) with a unique constraint, not a counter: many
members pressing at once each insert their own row, so none is lost and none doubled, on
SQLite and PostgreSQL alike; a member's second press finds their row and flips it, under a
row lock. Slack's action_ts of the press behind the row (in µs) makes a retried press (the
same action_ts) change nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.wishes.model import (
    Asked,
    AskResult,
    Changed,
    ChangeResult,
    Pressed,
    PressResult,
    WishStatus,
    WishView,
)
from bot.wishes.text import Candidate, clean, near_duplicate, normalise, problem
from storage.models import Speaker, Submission, Wish, WishAnswer, WishBacking
from storage.upsert import session_insert

log = logging.getLogger("wgml.wishes")

CHUNK = 500  # ids per IN list: SQLite takes at most 32,766 parameters in one statement
MAX_STUDIOS = 8  # studios shown per wish; a wish backed by every studio says so in a count


async def _add_backing(session: AsyncSession, wish_id: int, member: str, now: dt.datetime,
                       action_us: int | None) -> bool:
    """Insert the member's backing unless they have a row already; True when inserted.

    ON CONFLICT DO NOTHING: a concurrent insert of the same pair waits for the other
    transaction and then does nothing, instead of failing the whole unit of work.
    """
    stmt = session_insert(session)(WishBacking).values(
        wish_id=wish_id, member=member, active=True, at=now, action_us=action_us,
    ).on_conflict_do_nothing(index_elements=["wish_id", "member"]).returning(WishBacking.id)
    return (await session.execute(stmt)).first() is not None


async def _locked_backing(session: AsyncSession, wish_id: int, member: str) -> WishBacking:
    row = await session.scalar(select(WishBacking).where(
        WishBacking.wish_id == wish_id, WishBacking.member == member).with_for_update())
    assert row is not None, "a backing row that conflicted on insert exists"
    return row


async def ensure_backing(session: AsyncSession, wish_id: int, member: str,
                         now: dt.datetime) -> bool:
    """The member backs the wish (asking for it again is not a toggle); True when that is new."""
    if await _add_backing(session, wish_id, member, now, None):
        return True
    row = await _locked_backing(session, wish_id, member)
    if row.active:
        return False
    row.active, row.at = True, now
    return True


async def ask(session: AsyncSession, member: str, raw: str, now: dt.datetime) -> AskResult:
    """`/wgml wish TEXT`: a new wish, or the member's backing of the same one."""
    text = clean(raw)
    why = problem(text)
    if why is not None:
        return AskResult(Asked.EMPTY if why == "empty" else Asked.TOO_LONG, length=len(text))
    key = normalise(text)
    similar = False
    existing = await session.scalar(select(Wish).where(Wish.key == key))
    if existing is None:
        rows = await session.execute(
            select(Wish.id, Wish.text).where(Wish.status == WishStatus.OPEN))
        match = near_duplicate(text, (Candidate(i, t) for i, t in rows.all()))
        if match is not None:
            existing, similar = await session.get(Wish, match.id), True
    if existing is None:
        wish = Wish(text=text, key=key, by=member, status=WishStatus.OPEN, created_at=now)
        try:
            async with session.begin_nested():
                session.add(wish)
                await session.flush()
        except IntegrityError:
            # The same words asked at the same moment by someone else: theirs stands.
            existing = await session.scalar(select(Wish).where(Wish.key == key))
            if existing is None:
                raise
        else:
            await ensure_backing(session, wish.id, member, now)
            await record(session, member, "wish.created", detail={"wish": wish.id})
            log.info("event=wish.created wish=%s member=%s", wish.id, member)
            return AskResult(Asked.CREATED, (await views(session, [wish]))[0])
    assert existing is not None
    if existing.status != WishStatus.OPEN:
        return AskResult(Asked.NOT_OPEN, (await views(session, [existing]))[0], similar)
    added = await ensure_backing(session, existing.id, member, now)
    if added:
        await record(session, member, "wish.backed", detail={"wish": existing.id,
                                                             "by_asking": True})
    log.info("event=wish.asked_again wish=%s member=%s new=%s similar=%s", existing.id,
             member, added, similar)
    return AskResult(Asked.BACKED if added else Asked.ALREADY,
                     (await views(session, [existing]))[0], similar)


async def press(session: AsyncSession, wish_id: int, member: str, now: dt.datetime, *,
                action_us: int | None, retry: bool = False) -> PressResult:
    """A press on a wish's button: back it, or withdraw the backing when pressed again.

    A press no newer than the one behind the member's row (a Slack retry carries the same
    action_ts) changes nothing; so does a retry that carries no action_ts at all.
    """
    wish = await session.get(Wish, wish_id)
    if wish is None:
        return PressResult(Pressed.MISSING)
    if wish.status != WishStatus.OPEN:
        return PressResult(Pressed.NOT_OPEN, (await views(session, [wish]))[0])
    if action_us is None and retry:
        return PressResult(Pressed.STALE, (await views(session, [wish]))[0])
    if await _add_backing(session, wish_id, member, now, action_us):
        outcome = Pressed.BACKED
    else:
        row = await _locked_backing(session, wish_id, member)
        if action_us is not None and row.action_us is not None and action_us <= row.action_us:
            return PressResult(Pressed.STALE, (await views(session, [wish]))[0])
        row.active, row.at = not row.active, now
        if action_us is not None:
            row.action_us = action_us
        outcome = Pressed.BACKED if row.active else Pressed.WITHDRAWN
    await record(session, member, f"wish.{outcome.value}", detail={"wish": wish_id})
    log.info("event=wish.pressed wish=%s member=%s outcome=%s", wish_id, member, outcome)
    return PressResult(outcome, (await views(session, [wish]))[0])


async def set_open(session: AsyncSession, wish_id: int, actor: str, now: dt.datetime, *,
                   open_: bool) -> ChangeResult:
    """A leader (or the operator) closes a wish, or reopens one closed or answered."""
    wish = await session.get(Wish, wish_id, with_for_update=True)
    if wish is None:
        return ChangeResult(Changed.MISSING)
    if wish.status == (WishStatus.OPEN if open_ else WishStatus.CLOSED):
        return ChangeResult(Changed.UNCHANGED, (await views(session, [wish]))[0])
    if open_:
        wish.status, wish.closed_by, wish.closed_at = WishStatus.OPEN, None, None
    else:
        wish.status, wish.closed_by, wish.closed_at = WishStatus.CLOSED, actor, now
    await record(session, actor, "wish.reopened" if open_ else "wish.closed",
                 detail={"wish": wish_id})
    log.info("event=wish.status wish=%s actor=%s status=%s", wish_id, actor, wish.status)
    return ChangeResult(Changed.REOPENED if open_ else Changed.CLOSED,
                        (await views(session, [wish]))[0])


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i:i + CHUNK])


async def views(session: AsyncSession, wishes: Sequence[Wish]) -> list[WishView]:
    """The wishes with their backers, the backers' studios and the talks that answered them,
    in the order given: three reads whatever the number of wishes (per chunk of ids)."""
    ids = [w.id for w in wishes]
    backers: dict[int, list[str]] = {i: [] for i in ids}
    answered: dict[int, list[str]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        for wish_id, member in (await session.execute(
                select(WishBacking.wish_id, WishBacking.member).where(
                    WishBacking.wish_id.in_(chunk), WishBacking.active.is_(True))
                .order_by(WishBacking.at, WishBacking.id))).all():
            backers[wish_id].append(member)
        for wish_id, ref in (await session.execute(
                select(WishAnswer.wish_id, Submission.ref)
                .join(Submission, Submission.id == WishAnswer.submission_id)
                .where(WishAnswer.wish_id.in_(chunk), WishAnswer.announced_at.is_not(None))
                .order_by(WishAnswer.announced_at, WishAnswer.id))).all():
            if ref:
                answered[wish_id].append(ref)
    members = sorted({m for ms in backers.values() for m in ms})
    studio_of: dict[str, str] = {}
    for i in range(0, len(members), CHUNK):
        for user, studio in (await session.execute(
                select(Speaker.slack_user_id, Speaker.studio).where(
                    Speaker.slack_user_id.in_(members[i:i + CHUNK])))).all():
            if user and studio and studio.strip():
                studio_of[user] = " ".join(studio.split())
    out = []
    for w in wishes:
        counts = Counter(studio_of[m] for m in backers[w.id] if m in studio_of)
        studios = tuple(s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(WishView(
            id=w.id, text=w.text, by=w.by, status=w.status, created_at=w.created_at,
            backers=tuple(backers[w.id]), studios=studios[:MAX_STUDIOS],
            answered_by=tuple(answered[w.id]), closed_by=w.closed_by))
    return out


async def most_backed(session: AsyncSession, limit: int | None = None,
                      status: str = WishStatus.OPEN) -> tuple[list[WishView], int]:
    """Wishes of a status, most backers first (then the oldest): up to `limit` of them, and
    how many there are in all."""
    count = func.count(WishBacking.id)
    query = (select(Wish, count).outerjoin(WishBacking, (WishBacking.wish_id == Wish.id)
                                           & WishBacking.active.is_(True))
             .where(Wish.status == status).group_by(Wish.id)
             .order_by(count.desc(), Wish.created_at, Wish.id))
    if limit is not None:
        query = query.limit(limit)
    rows = [w for w, _ in (await session.execute(query)).all()]
    total = await session.scalar(select(func.count(Wish.id)).where(Wish.status == status))
    return await views(session, rows), int(total or 0)


async def every_wish(session: AsyncSession) -> list[WishView]:
    """All wishes in id order (the export and `wgml-bot wish list --all`)."""
    rows = (await session.scalars(select(Wish).order_by(Wish.id))).all()
    return await views(session, rows)


async def wish_by_id(session: AsyncSession, wish_id: int) -> WishView | None:
    wish = await session.get(Wish, wish_id)
    return None if wish is None else (await views(session, [wish]))[0]
