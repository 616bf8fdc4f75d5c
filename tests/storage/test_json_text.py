"""The JSON text the database writes for the export (storage.json_text) is what Python's
`json.dumps(..., ensure_ascii=False)` writes: every character escaped the same way, times as
the model prints them (odd stored forms and garbage included), lists in their order, on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert, select, text

from storage.db import Database
from storage.iso_text import stored_time_json
from storage.json_text import iso_json, json_list, json_of
from storage.models import Cycle

PROBE = Table("json_probe", MetaData(), Column("id", Integer, primary_key=True),
              Column("parent", Integer), Column("t", Text))


def _characters(postgres: bool) -> list[str]:
    """Every character a text column can hold, a thousand to a string (PostgreSQL's text
    holds no NUL; SQLite's is written without it too, but may have one from elsewhere)."""
    first = 1 if postgres else 0
    chars = [chr(i) for i in range(first, 0x110000) if not 0xD800 <= i < 0xE000]
    return ["".join(chars[i:i + 1000]) for i in range(0, len(chars), 1000)]


async def _probe(db: Database, rows: list[dict[str, object]]) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(PROBE.create)
        await conn.execute(insert(PROBE), rows)


async def test_every_character_is_escaped_as_python_escapes_it(db: Database) -> None:
    strings = [*_characters(not db.is_sqlite), 'quote " backslash \\ slash / \u2028', "", None]
    await _probe(db, [{"id": i, "parent": 1, "t": s} for i, s in enumerate(strings)])
    async with db.read() as session:
        written = list((await session.scalars(
            select(json_of(PROBE.c.t)).order_by(PROBE.c.id))).all())
        assert await session.scalar(select(json_of(PROBE.c.id)).where(PROBE.c.id == 7)) == "7"
    assert written == [json.dumps(s, ensure_ascii=False) for s in strings]


async def test_a_list_keeps_its_order_and_an_empty_one_is_empty(db: Database) -> None:
    # ids out of the order asked for: the list follows ORDER BY, not the table's order
    rows = [{"id": i, "parent": 1, "t": t} for i, t in ((5, "b"), (2, "d"), (9, "a"), (4, "c"))]
    await _probe(db, [*rows, {"id": 1, "parent": 2, "t": None}])
    parents = Table("json_parents", MetaData(), Column("id", Integer, primary_key=True))
    async with db.engine.begin() as conn:
        await conn.run_sync(parents.create)
        await conn.execute(insert(parents), [{"id": 1}, {"id": 2}, {"id": 3}])
    async with db.read() as session:
        by_text = json_list(PROBE, PROBE.c.parent == parents.c.id,
                            [("t", json_of(PROBE.c.t)), ("id", json_of(PROBE.c.id))],
                            [PROBE.c.t], "by_text")
        bare = json_list(PROBE, PROBE.c.parent == parents.c.id, [(None, json_of(PROBE.c.t))],
                         [PROBE.c.id], "bare")
        got = (await session.execute(select(parents.c.id, by_text, bare)
                                     .order_by(parents.c.id))).all()
    assert [tuple(r) for r in got] == [
        (1, json.dumps([{"t": t, "id": i} for t, i in (("a", 9), ("b", 5), ("c", 4), ("d", 2))]),
         json.dumps(["d", "c", "b", "a"])),
        (2, json.dumps([{"t": None, "id": 1}]), json.dumps([None])),
        (3, "[]", "[]"),
    ]


INSTANTS = [
    dt.datetime(2026, 12, 7, 2, 22, 51, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 2, 22, 51, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 2, 22, 51, 1, tzinfo=dt.UTC),
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
]


async def _cycle(db: Database, when: dt.datetime) -> None:
    async with db.transaction() as session:
        session.add(Cycle(title="t", deadline=when, deadline_date=when.date(),
                          session_date=when.date(), announce_at=when))


@pytest.mark.parametrize("when", INSTANTS, ids=str)
async def test_a_time_is_the_json_of_the_models_isoformat(db: Database,
                                                          when: dt.datetime) -> None:
    await _cycle(db, when)
    async with db.read() as session:
        model = await session.scalar(select(Cycle.deadline))
        written = await session.scalar(select(iso_json(Cycle.deadline)))
        assert await session.scalar(select(iso_json(Cycle.closed_at))) == "null"
    assert model is not None and written == json.dumps(model.isoformat())


@pytest.mark.parametrize(("stored", "printed"), [
    ("2026-12-07 02:22:51", '"2026-12-07T02:22:51+00:00"'),  # no fraction
    ("2026-12-07T03:22:51+01:00", '"2026-12-07T02:22:51+00:00"'),  # with an offset
    ("2026-12-07 02:22:51.5", '"2026-12-07T02:22:51.500000+00:00"'),
    ("yesterday at \x01noon", '"yesterday at \\u0001noon"'),  # not a time: kept as stored
])
async def test_odd_stored_times_on_sqlite(db: Database, stored: str, printed: str) -> None:
    if not db.is_sqlite:
        pytest.skip("a PostgreSQL timestamptz holds only times")
    await _cycle(db, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    async with db.transaction() as session:
        await session.execute(text("UPDATE cycles SET deadline = :v"), {"v": stored})
    async with db.read() as session:
        assert await session.scalar(select(iso_json(Cycle.deadline))) == printed
    assert stored_time_json(stored) == printed and stored_time_json(None) == "null"
