"""A time read as text for the export (storage.iso_text) prints what the model's datetime
prints: every fraction, none, the first and last instants, on SQLite and PostgreSQL, whether
Python (IsoText) or the database (iso_text) writes the text."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text, type_coerce, update

from storage.db import Database
from storage.iso_text import IsoText, from_iso_text, iso_of_stored, iso_text
from storage.models import Cycle

INSTANTS = [
    dt.datetime(2026, 12, 7, 2, 22, 51, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 2, 22, 51, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 2, 22, 51, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 2, 22, 51, 500000, tzinfo=dt.timezone(dt.timedelta(hours=-8))),
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("when", INSTANTS, ids=str)
async def test_read_as_text_is_the_models_isoformat(db: Database, when: dt.datetime) -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    async with db.transaction() as session:
        session.add(Cycle(title="t", deadline=when, deadline_date=now.date(),
                          session_date=now.date(), announce_at=now))
    async with db.read() as session:
        model = await session.scalar(select(Cycle.deadline))
        printed = await session.scalar(select(type_coerce(Cycle.deadline, IsoText())))
        written = from_iso_text(await session.scalar(select(iso_text(Cycle.deadline))))
    assert model is not None
    assert printed == written == model.isoformat() == when.astimezone(dt.UTC).isoformat()


async def test_a_null_time_reads_as_none(db: Database) -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    async with db.transaction() as session:
        session.add(Cycle(title="t", deadline=now, deadline_date=now.date(),
                          session_date=now.date(), announce_at=now))
    async with db.read() as session:
        assert await session.scalar(select(type_coerce(Cycle.closed_at, IsoText()))) is None
        assert await session.scalar(select(iso_text(Cycle.closed_at))) is None
        assert from_iso_text(None) is None


@pytest.mark.parametrize(("stored", "printed"), [
    ("2026-12-07 02:22:51.123456", "2026-12-07T02:22:51.123456+00:00"),
    ("2026-12-07 02:22:51.000000", "2026-12-07T02:22:51+00:00"),
    ("2026-12-07 02:22:51", "2026-12-07T02:22:51+00:00"),  # a server default, no fraction
    ("2026-12-07T03:22:51+01:00", "2026-12-07T02:22:51+00:00"),  # written with an offset
])
def test_stored_forms_other_writers_leave(stored: str, printed: str) -> None:
    assert iso_of_stored(stored) == printed


async def test_never_bound_as_a_value(db: Database) -> None:
    async with db.transaction() as session:
        with pytest.raises(Exception, match="IsoText is for reading"):
            await session.execute(update(Cycle).values(
                closed_at=type_coerce("2026-01-01", IsoText())))


@pytest.mark.parametrize(("stored", "printed"), [
    ("2026-12-07 02:22:51.123456", "2026-12-07T02:22:51.123456+00:00"),
    ("2026-12-07 02:22:51.000000", "2026-12-07T02:22:51+00:00"),
    ("2026-12-07 02:22:51", "2026-12-07T02:22:51+00:00"),
    ("2026-12-07T03:22:51+01:00", "2026-12-07T02:22:51+00:00"),
    ("2026-12-07T02:22:51.000000+00:00", "2026-12-07T02:22:51+00:00"),
])
async def test_sqlite_reads_the_text_of_every_stored_form(
        db: Database, stored: str, printed: str) -> None:
    if not db.url.startswith("sqlite"):
        pytest.skip("SQLite's stored text")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    async with db.transaction() as session:
        session.add(Cycle(title="t", deadline=now, deadline_date=now.date(),
                          session_date=now.date(), announce_at=now))
    async with db.transaction() as session:
        await session.execute(text("UPDATE cycles SET deadline = :s"), {"s": stored})
    async with db.read() as session:
        assert from_iso_text(await session.scalar(select(iso_text(Cycle.deadline)))) == printed
