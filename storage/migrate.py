"""`wgml-bot db upgrade`: Alembic, configured in code so no alembic.ini is needed.

What the service asks about the schema (its revision, the head) is in storage/schema.py,
which does not load Alembic.
"""

from __future__ import annotations

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


def stamp_head(connection: Connection) -> None:
    """Record the head revision on a schema made from the models (tests' create_all)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    MigrationContext.configure(connection).stamp(script, "head")
