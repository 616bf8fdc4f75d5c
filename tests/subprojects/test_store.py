"""The claim that makes one sub-project per theme and per modal, on SQLite and PostgreSQL;
interest counted once; the lifecycle's rules."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.subprojects.store import (
    Claimed,
    Proposal,
    Taken,
    add_interest,
    attach_channel,
    claim,
    release,
    set_status,
    summaries,
    theme_key,
)
from storage.db import Database

NOW = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def proposal(view: str, user: str = "ULEAD1", talks: tuple[int, ...] = (1, 2, 3)) -> Proposal:
    return Proposal(name="Hair matting", channel_name="wgml-hair", statement="Hair breaks.",
                    talk_ids=talks, theme_key=theme_key(talks), theme_name="hair, matting",
                    view_id=view, user=user)


async def test_two_leaders_at_once_claim_one_sub_project(db: Database, db_url: str) -> None:
    other = Database(db_url)  # another replica: its own engine and connections
    try:
        results = await asyncio.gather(claim(db, proposal("VONE", "ULEAD1"), NOW),
                                       claim(other, proposal("VTWO", "ULEAD2"), NOW))
    finally:
        await other.dispose()
    claimed = [r for r in results if isinstance(r, Claimed)]
    taken = [r for r in results if isinstance(r, Taken)]
    assert len(claimed) == 1 and len(taken) == 1
    assert taken[0].id == claimed[0].id and not taken[0].same_view


async def test_the_same_modal_again_is_a_retry_and_a_release_frees_the_theme(
        db: Database) -> None:
    first = await claim(db, proposal("VONE"), NOW)
    assert isinstance(first, Claimed)
    again = await claim(db, proposal("VONE"), NOW)
    assert isinstance(again, Taken) and again.same_view and again.channel_id is None
    await release(db, first.id)
    assert isinstance(await claim(db, proposal("VTWO"), NOW), Claimed)


async def test_a_dead_claim_is_taken_over_but_a_live_one_is_not(db: Database) -> None:
    first = await claim(db, proposal("VONE"), NOW)
    assert isinstance(first, Claimed)
    soon = await claim(db, proposal("VTWO"), NOW + dt.timedelta(seconds=30))
    assert isinstance(soon, Taken)
    later = await claim(db, proposal("VTHREE"), NOW + dt.timedelta(minutes=5))
    assert isinstance(later, Claimed)


async def test_interest_is_counted_once_and_the_lifecycle_checks_its_inputs(
        db: Database) -> None:
    first = await claim(db, proposal("VONE", talks=()), NOW)
    assert isinstance(first, Claimed)
    async with db.transaction() as session:
        await attach_channel(session, first.id, "CSUB1", "wgml-hair", [])
    for _ in range(2):
        async with db.transaction() as session:
            seen = await add_interest(session, first.id, "UMEMBER1", NOW)
    assert not seen.new and seen.count == 1
    async with db.transaction() as session:
        nobody = await add_interest(session, 999, "UMEMBER1", NOW)
        assert nobody.refused == "unknown"
        bad = await set_status(session, first.id, "finished", None, "ULEAD1", NOW)
        assert bad.error and "proposed, active, graduated, closed" in bad.error
        norepo = await set_status(session, first.id, "graduated", None, "ULEAD1", NOW)
        assert norepo.error and "repository" in norepo.error
        hostile = await set_status(session, first.id, "graduated", "javascript:alert(1)",
                                   "ULEAD1", NOW)
        assert hostile.error
        done = await set_status(session, first.id, "graduated",
                                "https://github.com/AcademySoftwareFoundation/hair", "ULEAD1",
                                NOW)
        assert done.error is None and (done.before, done.after) == ("proposed", "graduated")
    async with db.session() as session:
        (row,) = await summaries(session)
    assert row.status == "graduated" and row.interested == ("UMEMBER1",)
    async with db.transaction() as session:
        await set_status(session, first.id, "closed", None, "ULEAD1", NOW)
        closed = await add_interest(session, first.id, "UMEMBER2", NOW)
    assert closed.refused == "closed" and closed.count == 1
