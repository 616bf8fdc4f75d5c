"""`wgml-bot db upgrade` and `db downgrade`: Alembic, configured in code so no alembic.ini is
needed.

On SQLite a migration that changes a table's columns recreates the table (Alembic's batch
mode: a new table, the rows copied, the old one dropped, the new one renamed). With foreign
keys enforced, dropping a table other rows point at is refused, and the pragma that turns
enforcement off is a no-op inside a transaction; so the migrations run on a connection whose
enforcement is turned off before its transaction begins, and `PRAGMA foreign_key_check`
must find no broken reference before the transaction commits (SQLite's own procedure for
schema changes, https://www.sqlite.org/lang_altertable.html#otheralter). PostgreSQL alters
in place and needs none of this.

What the service asks about the schema (its revision, the head) is in storage/schema.py,
which does not load Alembic.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


class MigrationError(RuntimeError):
    """A migration that cannot run, or would leave the data inconsistent (rolled back)."""


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would choke on % in passwords.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _pragma(connection: Connection, statement: str) -> None:
    """A pragma on the driver's connection itself, outside SQLAlchemy's transaction."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def _migrate(connection: Connection, cfg: Config,
             step: Callable[[], None]) -> tuple[str | None, str | None]:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _pragma(connection, "PRAGMA foreign_keys=OFF")
    try:
        before = MigrationContext.configure(connection).get_current_revision()
        # References already broken before the migration (written with enforcement off by
        # something else) are not the migration's doing: only new ones refuse it.
        already = (len(connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
                   if sqlite and before is not None else 0)
        cfg.attributes["connection"] = connection
        step()
        after = MigrationContext.configure(connection).get_current_revision()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if len(broken) > already:
                raise MigrationError(
                    f"the migration would leave {len(broken)} row(s) pointing at rows that "
                    f"do not exist (first: table {broken[0][0]}, row {broken[0][1]}); "
                    "nothing was changed")
        connection.commit()
        return before, after
    except BaseException:
        connection.rollback()
        raise
    finally:
        if sqlite:
            _pragma(connection, "PRAGMA foreign_keys=ON")


async def _run(db: Database, work: Callable[[Connection], Any]) -> Any:
    async with db.engine.connect() as conn:
        return await conn.run_sync(work)


async def upgrade(db: Database) -> tuple[str | None, str | None]:
    """Migrate to head; returns (revision before, revision after)."""
    cfg = alembic_config(db.url)
    return await _run(db, lambda c: _migrate(c, cfg, lambda: command.upgrade(cfg, "head")))


def revisions(url: str) -> list[str]:
    """Every revision shipped, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def downgrade(db: Database, revision: str) -> tuple[str | None, str | None]:
    """Migrate down to `revision` ("base" for an empty schema); returns (before, after).
    What was added after it (columns, tables) is dropped with its data."""
    cfg = alembic_config(db.url)
    if revision != "base" and revision not in revisions(db.url):
        raise MigrationError(f"no revision {revision[:40]!r}; the revisions are "
                             f"{', '.join(revisions(db.url))} (or base)")

    def step() -> None:
        try:
            command.downgrade(cfg, revision)
        except CommandError as exc:  # e.g. a revision above the current one
            raise MigrationError(str(exc)) from exc
    return await _run(db, lambda c: _migrate(c, cfg, step))


def stamp_head(connection: Connection) -> None:
    """Record the head revision on a schema made from the models (tests' create_all)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    MigrationContext.configure(connection).stamp(script, "head")
