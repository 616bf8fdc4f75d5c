"""Is the database's schema this code's? Answered without loading Alembic.

`run` and `/healthz` ask this; loading Alembic (and Mako) for it would weigh on every
service process. The head is read from the migration scripts' own `revision` and
`down_revision` lines; the database's revision from Alembic's `alembic_version` table.
storage/migrate.py (Alembic itself) does the migrating; a test checks both agree on the head.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.db import Database

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision(?:: [^=]+)? = ['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = (?:['\"]([^'\"]+)['\"]|None)", re.M)


@functools.cache  # the scripts do not change while the code runs; /healthz asks often
def head_revision() -> str | None:
    """The revision no other script revises (None without scripts)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is None:
            continue
        revisions.add(rev.group(1))
        if down is not None and down.group(1):
            revised.add(down.group(1))
    heads = sorted(revisions - revised)
    if len(heads) > 1:
        raise RuntimeError(f"the migrations have several heads: {', '.join(heads)}")
    return heads[0] if heads else None


async def current_revision(db: Database) -> str | None:
    """The revision recorded in the database; None when it has no schema yet."""
    try:
        async with db.engine.connect() as conn:
            return await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError as exc:
        if "alembic_version" in str(exc) and ("no such table" in str(exc).lower()
                                              or "does not exist" in str(exc).lower()):
            return None
        raise


async def schema_problem(db: Database) -> str | None:
    """The one line saying the schema is missing or not this code's, or None when it fits."""
    current, head = await current_revision(db), head_revision()
    if current == head:
        return None
    if current is None:
        return "the database has no schema yet; run `wgml-bot db upgrade`"
    return (f"the database is at schema revision {current}, this code needs {head}; "
            "run `wgml-bot db upgrade`")
