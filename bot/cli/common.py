"""What every `wgml-bot` command shares: the command's shape, one-line errors, the database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.config import Settings
from storage.db import Database, safe_url

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
        if is_connection_error(exc):
            raise UserError(
                f"cannot reach the database at {safe_url(settings.database_url)}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        if is_missing_schema(exc):
            raise UserError("the database has no schema yet; run `wgml-bot db upgrade`") from None
        raise
    finally:
        await db.dispose()


def is_connection_error(exc: BaseException) -> bool:
    if is_missing_schema(exc):
        return False
    return isinstance(exc, OSError | ConnectionError | OperationalError | InterfaceError)


def is_missing_schema(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)
