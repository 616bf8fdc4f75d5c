"""`db downgrade` on a database holding data: on SQLite the batch migrations recreate tables
other rows point at, which foreign keys refuse unless enforcement is off for the migration;
a downgrade and the upgrade back keep every row, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.migrate import MigrationError, downgrade, revisions, upgrade
from storage.models import Speaker, Submission, Vote
from storage.schema import current_revision


async def _seed(db: Database) -> None:
    async with db.session() as session:
        speaker = Speaker(name="Ada", email="ada@studio.example", slack_user_id="UADA")
        session.add(speaker)
        await session.flush()
        for n in range(3):
            talk = Submission(ref=f"WGML-2026-{n + 1:03d}", speaker_id=speaker.id,
                              title=f"Talk {n}", focus_area="other",
                              abstract="An abstract long enough.", source="slack",
                              status="submitted", confidentiality_confirmed=True)
            session.add(talk)
            await session.flush()
            session.add(Vote(submission_id=talk.id, voter=f"UL{n}", value="yes"))
        await session.commit()


async def _count(db: Database, model: type) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_downgrade_and_back_keeps_the_rows(db_url: str) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        await _seed(db)
        head = revisions(db.url)[-1]
        # 0012 recreates `submissions` on SQLite (0013 drops a column), which votes point at.
        before, after = await downgrade(db, "0012")
        assert (before, after) == (head, "0012")
        assert await current_revision(db) == "0012"
        assert await upgrade(db) == ("0012", head)
        assert await _count(db, Submission) == 3
        assert await _count(db, Vote) == 3
    finally:
        await db.dispose()


async def test_foreign_keys_enforced_again_after_a_migration(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite pragma")
    db = Database(db_url)
    try:
        await upgrade(db)
        await downgrade(db, "0013")
        await upgrade(db)
        async with db.engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        await db.dispose()


async def test_a_revision_that_does_not_exist_is_refused(db_url: str) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        with pytest.raises(MigrationError, match="no revision '0999'"):
            await downgrade(db, "0999")
        assert await current_revision(db) == revisions(db.url)[-1]
    finally:
        await db.dispose()


async def test_every_revision_down_and_up_with_data(db_url: str) -> None:
    """Down to the first revision and back up, holding rows the first schema has."""
    db = Database(db_url)
    try:
        await upgrade(db)
        await _seed(db)
        first = revisions(db.url)[0]
        await downgrade(db, first)
        await upgrade(db)
        assert await _count(db, Submission) == 3
        assert await _count(db, Vote) == 3
    finally:
        await db.dispose()
