"""A UTC time column read as its ISO 8601 text, for reads that only print it (exports).

`type_coerce(Vote.at, IsoText())` selects the column unchanged and gives back the string
`UTCDateTime`'s value would print with `.isoformat()` ("2026-12-07T02:22:51.123456+00:00",
no fraction when there is none). On SQLite, where a time is stored as text ("2026-12-07
02:22:51.123456", naive UTC), the text is rearranged without building a datetime, which at
10,000 talks is a third of an export's time; other stored forms (no fraction, an offset) and
PostgreSQL's datetimes go the slow, exact way.

`iso_text(Vote.at)` goes further on PostgreSQL: the database writes the text (`to_char` in
UTC), so asyncpg builds no datetime and no Python type runs per value: about a fifth less CPU
for a JSON export of 5,000 talks, the output byte-identical. On SQLite it reads the stored
text marked RAW (`~`) for `from_iso_text` to rearrange in Python, as IsoText does, without the
type's per-value call (SQLite's own string functions, a CASE of substr per value, measured no
cheaper).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine


def _exact(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def iso_of_stored(value: Any) -> str | None:
    """The ISO text of a stored time: SQLite's text or a driver's datetime."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _exact(value)
    text = str(value)
    if len(text) == 26 and text[10] == " " and text[19] == "." and text[4] == "-":
        fraction = text[19:]
        return (f"{text[:10]}T{text[11:19]}{'' if fraction == '.000000' else fraction}"
                "+00:00")
    return _exact(dt.datetime.fromisoformat(text))


def iso_or_stored(value: Any) -> str | None:
    """`iso_of_stored`, or, for a stored value that is not a time at all, its text as it is:
    an export keeps what is there rather than fail on it (or print it as null)."""
    try:
        return iso_of_stored(value)
    except (ValueError, TypeError, OverflowError):
        return str(value)


STORED_TIME_JSON = "wgml_time_json"  # SQLite: the Python fallbacks below, by these names
STORED_TIME_TEXT = "wgml_time_text"


def stored_time_text(value: Any) -> str | None:
    """The ISO text of a stored time SQLite's expression did not rewrite (as the model
    prints it), or, when it is not a time at all, the stored text as it is
    (`iso_or_stored`)."""
    return None if value is None else iso_or_stored(value)


def stored_time_json(value: Any) -> str:
    """`stored_time_text` as JSON text."""
    return json.dumps(stored_time_text(value), ensure_ascii=False)


def add_functions(dbapi_connection: Any) -> None:
    """Give a SQLite connection the functions the expressions below call."""
    dbapi_connection.create_function(STORED_TIME_JSON, 1, stored_time_json,
                                     deterministic=True)
    dbapi_connection.create_function(STORED_TIME_TEXT, 1, stored_time_text,
                                     deterministic=True)


class IsoText(TypeDecorator[str]):
    """Reads a `UTCDateTime` column as `iso_of_stored` text; never bound as a parameter.
    No reader in bot/ uses it now (the export reads with `iso_text`): it is kept as the
    oracle of tests/storage/test_iso_text.py, the plain per-value reading that `iso_text`'s
    database-written text must equal on every stored form."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # SQLite's DateTime would parse the text into a datetime first: read the text.
        return dialect.type_descriptor(String() if dialect.name == "sqlite" else self.impl)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        raise TypeError("IsoText is for reading a time column, not for binding values")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return iso_of_stored(value)


RAW = "~"  # SQLite's expression below marks a stored form it did not rewrite


class _IsoTextOf(FunctionElement[str]):
    """The ISO text of a UTC time column, written by the database (see `iso_text`)."""

    type = String()
    name = "iso_text_of"
    inherit_cache = True


@compiles(_IsoTextOf, "sqlite")
def _sqlite(element: _IsoTextOf, compiler: SQLCompiler, **kw: Any) -> str:
    # The stored text as it is, marked RAW: iso_of_stored rearranges it in Python, which
    # measured cheaper than SQLite's own string functions (a CASE of substr per value).
    x = compiler.process(next(iter(element.clauses)), **kw)
    return f"'{RAW}' || {x}"


def pg_iso_sql(x: str) -> str:
    """PostgreSQL's expression for the ISO text of the time `x` (SQL text), NULL for NULL."""
    # asyncpg writes datetime.max and .min as +-infinity, and reads them back as those; the
    # text is theirs (to_char would give NULL).
    return (f"CASE WHEN {x} IS NULL THEN NULL WHEN isfinite({x}) THEN "
            f"to_char({x} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN date_trunc('second', {x}) = {x} THEN '' "
            f"ELSE to_char({x} AT TIME ZONE 'UTC', '.US') END || '+00:00' "
            f"WHEN {x} > 'epoch' THEN '9999-12-31T23:59:59.999999+00:00' "
            f"ELSE '0001-01-01T00:00:00+00:00' END")


@compiles(_IsoTextOf, "postgresql")
def _postgresql(element: _IsoTextOf, compiler: SQLCompiler, **kw: Any) -> str:
    return pg_iso_sql(compiler.process(next(iter(element.clauses)), **kw))


@compiles(_IsoTextOf)
def _other(element: _IsoTextOf, compiler: SQLCompiler, **kw: Any) -> str:
    # Another database: the column as the driver gives it; from_iso_text formats it.
    return compiler.process(next(iter(element.clauses)), **kw)


def iso_text(column: Any) -> ColumnElement[str]:
    """`column` (a UTCDateTime) read as its ISO text, under the column's own name; read
    each value with `from_iso_text`."""
    return _IsoTextOf(column).label(column.key)


def from_iso_text(value: Any) -> str | None:
    """What `iso_text` read, as the model's `.isoformat()` would print it."""
    if value is None:
        return None
    if value.__class__ is str and value[:1] != RAW:
        return value
    if value.__class__ is str:
        value = value[1:]
    return iso_or_stored(value)
