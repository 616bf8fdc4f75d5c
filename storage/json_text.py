"""Values written as JSON text by the database, for the export (bot.talks.export).

A talk's votes, decisions, notes, recusals and versions are read as the JSON text of their
lists, one column each, and spliced into the document: none of those rows becomes a Python
tuple, dict or datetime (at 10,000 talks that is about 150,000 rows). The text is exactly what
`json.dumps(value, ensure_ascii=False)` gives for the list of dicts (", " and ": " between
items and keys): SQLite's `json_quote` and PostgreSQL's `to_json` escape a string as Python
does (tests/storage/test_json_text.py checks every character), and a time is the text
`storage.iso_text` writes.

    json_list(Vote.__table__, Vote.submission_id == Submission.id,
              [("voter", json_of(Vote.voter)), ("at", iso_json(Vote.at))],
              order_by=[Vote.at, Vote.id])

On SQLite a stored time of the usual form ("2026-12-07 02:22:51.123456") is rearranged by
SQLite's string functions; any other form (no fraction, an offset, garbage) by
`storage.iso_text.stored_time_json`, a Python function the connection is given
(`storage.iso_text.add_functions`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, case, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from storage.iso_text import STORED_TIME_JSON, STORED_TIME_TEXT, pg_iso_sql


class _JsonOf(FunctionElement[str]):
    type = String()
    name = "json_of"
    inherit_cache = True


@compiles(_JsonOf, "sqlite")
def _json_of_sqlite(element: _JsonOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_quote({compiler.process(next(iter(element.clauses)), **kw)})"


@compiles(_JsonOf)
def _json_of_pg(element: _JsonOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"coalesce(to_json({compiler.process(next(iter(element.clauses)), **kw)})::text, 'null')"


def json_of(column: Any) -> ColumnElement[str]:
    """A text or whole-number column as its JSON text (null for NULL)."""
    return _JsonOf(column)


class _IsoJson(FunctionElement[str]):
    type = String()
    name = "iso_json"
    inherit_cache = True


def _sqlite_iso(x: str, quote: str, null: str, fallback: str) -> str:
    # The usual stored form, "2026-12-07 02:22:51.123456", as iso_of_stored rewrites it.
    return (f"CASE WHEN {x} IS NULL THEN {null} "
            f"WHEN length({x}) = 26 AND substr({x}, 11, 1) = ' ' AND substr({x}, 20, 1) = '.' "
            f"AND substr({x}, 5, 1) = '-' THEN '{quote}' || substr({x}, 1, 10) || 'T' || "
            f"substr({x}, 12, 8) || CASE WHEN substr({x}, 21) = '000000' THEN '' "
            f"ELSE substr({x}, 20) END || '+00:00{quote}' "
            f"ELSE {fallback}({x}) END")


@compiles(_IsoJson, "sqlite")
def _iso_json_sqlite(element: _IsoJson, compiler: SQLCompiler, **kw: Any) -> str:
    x = compiler.process(next(iter(element.clauses)), **kw)
    return _sqlite_iso(x, '"', "'null'", STORED_TIME_JSON)


@compiles(_IsoJson)
def _iso_json_pg(element: _IsoJson, compiler: SQLCompiler, **kw: Any) -> str:
    x = compiler.process(next(iter(element.clauses)), **kw)
    return f"CASE WHEN {x} IS NULL THEN 'null' ELSE '\"' || {pg_iso_sql(x)} || '\"' END"


def iso_json(column: Any) -> ColumnElement[str]:
    """A UTC time column as the JSON text of its ISO form (null for NULL)."""
    return _IsoJson(column)


class _IsoPlain(FunctionElement[str]):
    type = String()
    name = "iso_plain"
    inherit_cache = True


@compiles(_IsoPlain, "sqlite")
def _iso_plain_sqlite(element: _IsoPlain, compiler: SQLCompiler, **kw: Any) -> str:
    x = compiler.process(next(iter(element.clauses)), **kw)
    return _sqlite_iso(x, "", "NULL", STORED_TIME_TEXT)


@compiles(_IsoPlain)
def _iso_plain_pg(element: _IsoPlain, compiler: SQLCompiler, **kw: Any) -> str:
    return pg_iso_sql(compiler.process(next(iter(element.clauses)), **kw))


def iso_plain(column: Any) -> ColumnElement[str]:
    """A UTC time column as its ISO text (the model's `.isoformat()`), NULL for NULL."""
    return _IsoPlain(column)


class _MaxIso(FunctionElement[str]):
    type = String()
    name = "max_iso"
    inherit_cache = True


@compiles(_MaxIso, "sqlite")
def _max_iso_sqlite(element: _MaxIso, compiler: SQLCompiler, **kw: Any) -> str:
    # The greatest text, as Python's max() of the ISO texts picks it (SQLite compares text
    # by code point, as Python does).
    x = compiler.process(next(iter(element.clauses)), **kw)
    return f"max({_sqlite_iso(x, '', 'NULL', STORED_TIME_TEXT)})"


@compiles(_MaxIso)
def _max_iso_pg(element: _MaxIso, compiler: SQLCompiler, **kw: Any) -> str:
    # The latest time's text: the same as the greatest ISO text (a fraction sorts after
    # none, "." after "+"), without comparing text under the database's collation.
    return pg_iso_sql(f"max({compiler.process(next(iter(element.clauses)), **kw)})")


def max_iso(column: Any) -> ColumnElement[str]:
    """An aggregate: the ISO text of the latest of a UTC time column's values."""
    return _MaxIso(column)


def json_object(fields: Sequence[tuple[str, Any]], *, close: bool = True,
                lead: str = "") -> ColumnElement[str]:
    """The JSON text of the object of `fields` ((key, JSON text expression): json_of,
    iso_json, json_bool, a json_list or another json_object), with ", " and ": " as
    json.dumps writes them; without its closing brace when not `close`, and after `lead`
    (", ") instead of its opening brace when `lead` is given: a part of an object."""
    parts: list[Any] = []
    for i, (key, value) in enumerate(fields):
        start = (lead or "{") if i == 0 else ", "
        parts.append(_literal(start + json.dumps(key) + ": "))
        parts.append(value)
    if close:
        parts.append(_literal("}"))
    return _Concat(*parts)


class _Concat(FunctionElement[str]):
    """Its arguments' text end to end (none is NULL here)."""

    type = String()
    name = "json_concat"
    inherit_cache = True


@compiles(_Concat, "sqlite")
def _concat_sqlite(element: _Concat, compiler: SQLCompiler, **kw: Any) -> str:
    return "(" + " || ".join(f"({compiler.process(c, **kw)})" for c in element.clauses) + ")"


@compiles(_Concat)
def _concat_pg(element: _Concat, compiler: SQLCompiler, **kw: Any) -> str:
    # One concat() for the whole object: a chain of || copies the growing text at each
    # step, which for a talk with its abstract cost PostgreSQL more than all its children.
    return "concat(" + ", ".join(compiler.process(c, **kw) for c in element.clauses) + ")"


def json_bool(column: Any) -> ColumnElement[str]:
    """A boolean column as JSON text: true, false or null."""
    return case((column.is_(None), _literal("null")), (column, _literal("true")),
                else_=_literal("false"))


def json_list(table: Any, where: Any, fields: Sequence[tuple[str | None, Any]],
              order_by: Sequence[Any], label: str) -> ColumnElement[str]:
    """A correlated subquery: the JSON list of `table`'s rows matching `where`, in
    `order_by` order, each the object of `fields` ((key, json_of/iso_json expression)), or
    the bare value when there is one field and its key is None."""
    if len(fields) == 1 and fields[0][0] is None:
        fragment: Any = fields[0][1]
    else:
        fragment = json_object([(str(key), value) for key, value in fields])
    return _Joined(table, where, fragment, order_by, ", ", True).label(label)


def joined(table: Any, where: Any, fragment: Any, order_by: Sequence[Any], sep: str,
           label: str) -> ColumnElement[str]:
    """A correlated subquery: the text of `fragment` over `table`'s rows matching `where`,
    in `order_by` order, joined by `sep` ('' when there is none): Python's `sep.join`."""
    return _Joined(table, where, fragment, order_by, sep, False).label(label)


class _Joined(ColumnElement[str]):
    """`fragment` over `table`'s rows matching `where`, in `order`, joined by `sep` and,
    when `brackets`, as a JSON list: a correlated scalar subquery, built for the dialect it
    is compiled for."""

    type = String()
    inherit_cache = True  # the statement is cached by the parts below: compiled once
    _traverse_internals = [
        ("table", InternalTraversal.dp_clauseelement),
        ("where", InternalTraversal.dp_clauseelement),
        ("fragment", InternalTraversal.dp_clauseelement),
        ("order", InternalTraversal.dp_clauseelement_tuple),
        ("sep", InternalTraversal.dp_string),
        ("brackets", InternalTraversal.dp_boolean),
    ]

    def __init__(self, table: Any, where: Any, fragment: Any, order: Sequence[Any], sep: str,
                 brackets: bool) -> None:
        self.table, self.where, self.fragment = table, where, fragment
        self.order = tuple(order)
        self.sep, self.brackets = sep, brackets


def _literal(text: str) -> Any:
    return literal_column("'" + text.replace("'", "''") + "'")


def _wrapped(element: _Joined, items: Any) -> Any:
    text = func.coalesce(items, _literal(""))
    return _literal("[").op("||")(text).op("||")(_literal("]")) if element.brackets else text


@compiles(_Joined, "sqlite")
def _joined_sqlite(element: _Joined, compiler: SQLCompiler, **kw: Any) -> str:
    # group_concat takes the rows in the order the subquery gives them: SQLite does not
    # flatten an ordered subquery into an aggregate (its flattening rule 16), and 3.40 has no
    # ORDER BY inside an aggregate. tests/storage/test_json_text.py checks the order.
    inner = (select(element.fragment.label("f")).select_from(element.table)
             .where(element.where).order_by(*element.order)
             .correlate_except(element.table).subquery())
    query = select(_wrapped(element, func.group_concat(inner.c.f, _literal(element.sep))))
    return compiler.process(query.select_from(inner).scalar_subquery(), **kw)


@compiles(_Joined)
def _joined_pg(element: _Joined, compiler: SQLCompiler, **kw: Any) -> str:
    # Here, not at the top: the SQLite service never loads PostgreSQL's dialect.
    from sqlalchemy.dialects.postgresql import aggregate_order_by

    items = func.string_agg(element.fragment,
                            aggregate_order_by(_literal(element.sep), *element.order))
    query = select(_wrapped(element, items)).select_from(element.table).where(element.where)
    return compiler.process(query.scalar_subquery(), **kw)
