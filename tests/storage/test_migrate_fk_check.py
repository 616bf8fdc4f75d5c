"""storage/migrate.py's last guard on SQLite: migrations run with foreign keys off (batch
mode recreates tables), so `PRAGMA foreign_key_check` before the commit must find no broken
reference the migration made, else everything is rolled back with the table and row named.
References broken before (by something else) do not refuse a clean migration. On
PostgreSQL, which enforces the keys throughout, the same break is refused by the database
and rolled back the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage import migrate
from storage.db import Database
from storage.migrate import MigrationError, downgrade, revisions, upgrade
from storage.models import Speaker, Submission
from storage.schema import current_revision
from tests.storage.test_downgrade import _seed


def breaking(sql: str) -> Callable[..., None]:
    """The real upgrade, then a statement that breaks a reference, in its transaction."""
    real = command.upgrade

    def upgrade_then_break(cfg: Any, revision: str, **kw: Any) -> None:
        real(cfg, revision, **kw)
        cfg.attributes["connection"].exec_driver_sql(sql)
    return upgrade_then_break


async def _count(db: Database, model: type) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_migration_that_breaks_a_reference_is_refused_and_rolled_back(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        await _seed(db)  # one speaker, three talks pointing at it
        previous = revisions(db.url)[-2]
        await downgrade(db, previous)
        monkeypatch.setattr(migrate.command, "upgrade", breaking("DELETE FROM speakers"))
        if db_url.startswith("sqlite"):
            with pytest.raises(MigrationError) as caught:
                await upgrade(db)
            assert str(caught.value).startswith(
                "the migration would leave 3 row(s) pointing at rows that do not exist "
                "(first: table submissions, row ")
            assert str(caught.value).endswith("); nothing was changed")
        else:
            with pytest.raises(IntegrityError):
                await upgrade(db)
        monkeypatch.undo()
        assert await current_revision(db) == previous  # the upgrade itself rolled back too
        assert (await _count(db, Speaker), await _count(db, Submission)) == (1, 3)
        if db_url.startswith("sqlite"):  # enforcement is back on the pooled connection
            async with db.engine.connect() as conn:
                assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
        assert (await upgrade(db))[1] == revisions(db.url)[-1]  # a clean run goes through
    finally:
        await db.dispose()


async def test_a_reference_broken_before_the_migration_does_not_refuse_it(
        db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL cannot hold a broken reference")
    db = Database(db_url)
    try:
        await upgrade(db)
        await _seed(db)
        previous = revisions(db.url)[-2]
        await downgrade(db, previous)
        async with db.engine.connect() as conn:  # written with enforcement off elsewhere
            await conn.run_sync(migrate._pragma, "PRAGMA foreign_keys=OFF")
            await conn.exec_driver_sql("UPDATE submissions SET speaker_id = 999 WHERE id = "
                                       "(SELECT min(id) FROM submissions)")
            await conn.commit()
            await conn.run_sync(migrate._pragma, "PRAGMA foreign_keys=ON")
        assert await upgrade(db) == (previous, revisions(db.url)[-1])
        async with db.engine.connect() as conn:
            broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).fetchall()
        assert len(broken) == 1 and broken[0][0] == "submissions"  # still there, still one
    finally:
        await db.dispose()
