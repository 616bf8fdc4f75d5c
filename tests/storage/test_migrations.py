"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import Base
from storage.schema import current_revision, head_revision


async def test_upgrade_matches_models_and_is_idempotent(db_url: str) -> None:
    db = Database(db_url)
    try:
        before, after = await upgrade(db)
        assert before is None and after == head_revision()
        assert await upgrade(db) == (after, after)
        assert await current_revision(db) == head_revision()

        def diff(conn: Connection) -> list[object]:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, Base.metadata))

        async with db.engine.connect() as conn:
            assert await conn.run_sync(diff) == []
    finally:
        await db.dispose()


def test_the_light_head_reading_agrees_with_alembic() -> None:
    """storage.schema reads the head without Alembic (for run and /healthz): the same one."""
    from alembic.script import ScriptDirectory

    alembic_head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head_revision() == alembic_head
