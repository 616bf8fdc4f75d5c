"""Reads never hold up writes: a screen or an export open while a vote is stored.

On SQLite every unit of work used to begin with BEGIN IMMEDIATE, so a long export held the
write lock and a vote pressed meanwhile waited and was refused (503). `Database.read()`
begins deferred; under WAL a reader and a writer do not wait for each other.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select

from storage.db import Database, ReadOnlySessionError
from storage.models import Cycle


def _cycle(title: str) -> Cycle:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return Cycle(title=title, deadline=now, deadline_date=now.date(),
                 session_date=now.date(), announce_at=now)


async def test_a_write_commits_while_a_read_is_open(db: Database) -> None:
    async with db.transaction() as session:
        session.add(_cycle("before"))
    async with db.read() as reader:
        seen = await reader.scalar(select(func.count()).select_from(Cycle))
        assert seen == 1
        # The reader's transaction is still open (its snapshot holds): a writer must not
        # wait for it. A short timeout makes a lock wait fail the test instead of hanging.
        async def write() -> None:
            async with db.transaction() as session:
                session.add(_cycle("during"))
        await asyncio.wait_for(write(), timeout=5)
        if db.is_sqlite:  # one snapshot (PostgreSQL reads committed, statement by statement)
            assert await reader.scalar(select(func.count()).select_from(Cycle)) == 1
    async with db.read() as reader:
        assert await reader.scalar(select(func.count()).select_from(Cycle)) == 2


async def test_a_read_session_refuses_to_write(db: Database) -> None:
    async with db.read() as reader:
        reader.add(_cycle("sneaky"))
        with pytest.raises(ReadOnlySessionError):
            await reader.flush()
    async with db.read() as reader:
        assert await reader.scalar(select(func.count()).select_from(Cycle)) == 0


async def test_writers_still_serialise(db: Database) -> None:
    async def add(i: int) -> None:
        async with db.transaction() as session:
            n = await session.scalar(select(func.count()).select_from(Cycle))
            session.add(_cycle(f"c{n}-{i}"))
    await asyncio.gather(*(add(i) for i in range(8)))
    async with db.read() as reader:
        assert await reader.scalar(select(func.count()).select_from(Cycle)) == 8
