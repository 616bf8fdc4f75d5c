"""What every `wgml-bot` command shares: the command's shape, one-line errors, the database."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.config import Settings
from storage.db import Database, safe_url
from storage.schema import schema_problem

# Runs `wgml-bot ARGV...` in this process with these settings (for the demo); the exit code.
CommandRunner = Callable[[list[str], Settings], Coroutine[Any, Any, int]]


class UserError(Exception):
    """Something the operator can fix; printed as one line."""


async def with_db(settings: Settings, fn: Callable[[Database], Awaitable[int]]) -> int:
    """Run `fn` on the configured database; unreachable or empty databases are one line."""
    db = Database(settings.database_url)
    try:
        return await fn(db)
    except Exception as exc:
        refused = database_refusal(exc, settings.database_url)
        if refused is not None:
            raise UserError(refused) from None
        if isinstance(exc, OverflowError):  # an id or a date past what the database holds
            raise UserError(f"a value is out of range: {exc}") from None
        local = local_file_error(exc)
        if local is not None:
            raise UserError(local) from None
        if is_missing_schema(exc):  # before the connection test: SQLite says both the same way
            raise UserError(await schema_problem(db) or _schema_words(exc)) from None
        if is_connection_error(exc):
            raise UserError(
                f"cannot reach the database at {safe_url(settings.database_url)}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        raise
    finally:
        await db.dispose()


# PostgreSQL's SQLSTATEs for a connection it refuses: no such database, no such role or
# a wrong password (28000/28P01), and the role not allowed to connect (42501 on CONNECT).
_PG_REFUSALS = {
    "3D000": "the database {database!r} does not exist on {where}; create it "
             "(createdb {database}) or fix DATABASE_URL",
    "28000": "PostgreSQL at {where} refused the role {user!r}: {error}; create the role "
             "or fix the user in DATABASE_URL",
    "28P01": "PostgreSQL at {where} refused the password of {user!r}; fix DATABASE_URL",
    "42501": "the role {user!r} may not connect to {database!r} on {where}; GRANT CONNECT "
             "or fix DATABASE_URL",
}


def database_refusal(exc: BaseException, url: str) -> str | None:
    """One line for a database that answers but is the wrong thing, or None."""
    orig = getattr(exc, "orig", None)
    try:
        parsed = make_url(url)
    except Exception:
        return None
    text = str(orig or exc).strip().splitlines()[0] if str(orig or exc).strip() else ""
    if parsed.get_backend_name() == "sqlite" and "file is not a database" in text:
        return (f"{parsed.database} is not a SQLite database; point DATABASE_URL at the "
                "bot's database (a new path is created by `wgml-bot db upgrade`)")
    if not isinstance(exc, DBAPIError):
        return None
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    template = _PG_REFUSALS.get(str(state))
    if template is None:
        return None
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    return template.format(database=parsed.database or "", user=parsed.username or "",
                           where=where, error=text)


# What writing a file or standard output says, never the database: a full disk, a name too
# long, no permission, a reader that went away (`| head`).
_FILE_ERRNOS = {errno.ENOSPC, errno.ENAMETOOLONG, errno.EACCES, errno.EPERM, errno.EROFS,
                errno.EISDIR, errno.ENOTDIR, errno.EPIPE, errno.EDQUOT, errno.EFBIG}


def local_file_error(exc: BaseException) -> str | None:
    """One line for an error of a local file or of standard output, or None."""
    if not isinstance(exc, OSError) or exc.errno not in _FILE_ERRNOS:
        return None
    if isinstance(exc, BrokenPipeError):
        return "the reader of standard output went away before the end"
    where = f" {exc.filename}" if exc.filename else " standard output"
    return f"cannot write{where}: {exc.strerror or exc}"


# Ids are the database's integers (PostgreSQL's `integer`: 32 bits).
MAX_ID = 2**31 - 1


def record_id(value: str) -> int:
    """argparse type for an id: a whole number the database can hold."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not -MAX_ID <= number <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{value} is out of range for an id")
    return number


def is_connection_error(exc: BaseException) -> bool:
    if is_missing_schema(exc):
        return False
    return isinstance(exc, OSError | ConnectionError | OperationalError | InterfaceError)


def is_missing_schema(exc: BaseException) -> bool:
    """A table or column the code reads that the database lacks (an older schema, or none)."""
    text = str(exc).lower()
    return ("no such table" in text or "no such column" in text
            or (("relation" in text or "column" in text) and "does not exist" in text))


def _schema_words(exc: BaseException) -> str:
    first = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
    if "no such table" in first.lower() or "relation" in first.lower():
        return "the database has no schema yet; run `wgml-bot db upgrade`"
    return f"the database's tables are not this version's ({first}); run `wgml-bot db upgrade`"


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)


def day_start(value: str | None, settings: Settings, option: str = "--since"
              ) -> dt.datetime | None:
    """The start of a YYYY-MM-DD day in TIMEZONE, in UTC (None for no option given)."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{option} wants a date like 2026-01-31, not {value[:40]!r}") from None
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=settings.zone).astimezone(dt.UTC)
