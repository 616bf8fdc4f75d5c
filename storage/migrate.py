"""`wgml-bot db upgrade`: Alembic, configured in code so no alembic.ini is needed."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would choke on % in passwords.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@functools.cache  # the scripts do not change while the code runs; /healthz asks often
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def upgrade(db: Database) -> tuple[str | None, str | None]:
    """Migrate to head; returns (revision before, revision after)."""
    cfg = alembic_config(db.url)

    def _upgrade(connection: Connection) -> tuple[str | None, str | None]:
        before = MigrationContext.configure(connection).get_current_revision()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        after = MigrationContext.configure(connection).get_current_revision()
        return before, after

    async with db.engine.begin() as conn:
        return await conn.run_sync(_upgrade)


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(
            lambda c: MigrationContext.configure(c).get_current_revision()
        )


async def schema_problem(db: Database) -> str | None:
    """The one line saying the schema is missing or not this code's, or None when it fits."""
    current, head = await current_revision(db), head_revision()
    if current == head:
        return None
    if current is None:
        return "the database has no schema yet; run `wgml-bot db upgrade`"
    return (f"the database is at schema revision {current}, this code needs {head}; "
            "run `wgml-bot db upgrade`")


def stamp_head(connection: Connection) -> None:
    """Record the head revision on a schema made from the models (tests' create_all)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    MigrationContext.configure(connection).stamp(script, "head")
