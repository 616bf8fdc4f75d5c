"""Wishes in the database, on SQLite and PostgreSQL: asking, backing from many members at
once (no backing lost or doubled), retried presses, near-duplicates, closing."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select

from bot.wishes.model import Asked, Changed, Pressed, WishStatus
from bot.wishes.store import ask, most_backed, press, set_open, wish_by_id
from storage.db import Database
from storage.models import Wish, WishBacking

NOW = dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC)


async def _ask(db: Database, member: str, text: str):  # type: ignore[no-untyped-def]
    async with db.transaction() as session:
        return await ask(session, member, text, NOW)


async def _press(db: Database, wish_id: int, member: str, us: int | None, retry: bool = False
                 ) -> Pressed:
    async with db.transaction() as session:
        return (await press(session, wish_id, member, NOW, action_us=us, retry=retry)).outcome


async def test_the_same_wish_in_other_case_and_spacing_backs_the_first(db: Database) -> None:
    first = await _ask(db, "UADA", "Gaussian splatting in production")
    assert first.outcome is Asked.CREATED and first.wish is not None
    again = await _ask(db, "UBOB", "  gaussian   SPLATTING in production! ")
    assert again.outcome is Asked.BACKED and again.wish is not None
    assert again.wish.id == first.wish.id and not again.similar
    assert again.wish.backers == ("UADA", "UBOB")
    assert (await _ask(db, "UBOB", "GAUSSIAN SPLATTING IN PRODUCTION")).outcome is Asked.ALREADY
    async with db.session() as session:
        assert await session.scalar(select(func.count(Wish.id))) == 1


async def test_a_near_duplicate_backs_the_existing_wish_and_says_so(db: Database) -> None:
    first = await _ask(db, "UADA", "Gaussian splatting in production")
    near = await _ask(db, "UBOB", "Gaussian splats in production pipelines")
    assert near.outcome is Asked.BACKED and near.similar
    assert near.wish is not None and first.wish is not None and near.wish.id == first.wish.id
    other = await _ask(db, "UBOB", "LLMs for code review")
    assert other.outcome is Asked.CREATED


async def test_empty_and_too_long_store_nothing(db: Database) -> None:
    assert (await _ask(db, "UADA", "   ")).outcome is Asked.EMPTY
    long = await _ask(db, "UADA", "x" * 1000)
    assert long.outcome is Asked.TOO_LONG and long.length == 1000
    async with db.session() as session:
        assert await session.scalar(select(func.count(Wish.id))) == 0
        assert await session.scalar(select(func.count(WishBacking.id))) == 0


async def test_pressing_again_withdraws_and_a_retry_changes_nothing(db: Database) -> None:
    wish = (await _ask(db, "UADA", "Depth estimation for hair")).wish
    assert wish is not None
    assert await _press(db, wish.id, "UCAROL", 100) is Pressed.BACKED
    assert await _press(db, wish.id, "UCAROL", 100, retry=True) is Pressed.STALE  # Slack retry
    assert await _press(db, wish.id, "UCAROL", 100) is Pressed.STALE  # same action_ts again
    assert await _press(db, wish.id, "UCAROL", 200) is Pressed.WITHDRAWN
    assert await _press(db, wish.id, "UCAROL", 150) is Pressed.STALE  # late, older press
    assert await _press(db, wish.id, "UCAROL", None, retry=True) is Pressed.STALE
    async with db.session() as session:
        view = await wish_by_id(session, wish.id)
    assert view is not None and view.backers == ("UADA",)


async def test_many_members_backing_at_once_lose_and_double_nothing(db: Database) -> None:
    wish = (await _ask(db, "UADA", "USD asset validation with ML")).wish
    assert wish is not None
    members = [f"UM{n:04d}" for n in range(40)]
    # Each member's press twice at once (a retry racing the original: the same action_ts),
    # all members at the same moment: every one backs it exactly once.
    outcomes = await asyncio.gather(*[
        _press(db, wish.id, m, 1_000 + n, retry=copy == 1)
        for n, m in enumerate(members) for copy in (0, 1)])
    assert outcomes.count(Pressed.BACKED) == len(members)
    assert set(outcomes) == {Pressed.BACKED, Pressed.STALE}
    async with db.session() as session:
        rows = await session.scalar(select(func.count(WishBacking.id)).where(
            WishBacking.wish_id == wish.id, WishBacking.active.is_(True)))
        view = await wish_by_id(session, wish.id)
    assert rows == len(members) + 1 and view is not None and view.count == len(members) + 1
    # And the same members withdrawing at once, with newer presses: back to the wisher alone.
    await asyncio.gather(*[_press(db, wish.id, m, 5_000 + n) for n, m in enumerate(members)])
    async with db.session() as session:
        view = await wish_by_id(session, wish.id)
    assert view is not None and view.backers == ("UADA",)


async def test_the_same_words_asked_at_once_make_one_wish(db: Database) -> None:
    results = await asyncio.gather(*[_ask(db, f"UW{n:03d}", "Roto for  hair & fur")
                                     for n in range(12)])
    assert [r.outcome for r in results].count(Asked.CREATED) == 1
    async with db.session() as session:
        assert await session.scalar(select(func.count(Wish.id))) == 1
        wishes, total = await most_backed(session)
    assert total == 1 and wishes[0].count == 12


async def test_most_backed_first_and_closed_ones_leave_the_list(db: Database) -> None:
    a = (await _ask(db, "U1", "Topic A about splats")).wish
    b = (await _ask(db, "U2", "Topic B about rigging")).wish
    assert a is not None and b is not None
    await _press(db, b.id, "U3", 1)
    async with db.session() as session:
        wishes, _ = await most_backed(session)
    assert [w.id for w in wishes] == [b.id, a.id]
    async with db.transaction() as session:
        assert (await set_open(session, b.id, "ULEAD1", NOW, open_=False)).outcome \
            is Changed.CLOSED
        assert (await set_open(session, b.id, "ULEAD1", NOW, open_=False)).outcome \
            is Changed.UNCHANGED
    assert await _press(db, b.id, "U4", 2) is Pressed.NOT_OPEN
    again = await _ask(db, "U5", "topic b about RIGGING")
    assert again.outcome is Asked.NOT_OPEN and again.wish is not None
    assert again.wish.status == WishStatus.CLOSED
    async with db.session() as session:
        wishes, total = await most_backed(session)
    assert [w.id for w in wishes] == [a.id] and total == 1
    async with db.transaction() as session:
        assert (await set_open(session, b.id, "ULEAD1", NOW, open_=True)).outcome \
            is Changed.REOPENED
