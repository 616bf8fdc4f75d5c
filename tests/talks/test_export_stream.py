"""The streamed export says what the whole-graph export said (json.loads of both agree on
seeded history), its CSV names each column once, `--since` holds exactly the talks created
or changed since then, and the index migration upgrades a database holding data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, insert, inspect, select, update
from sqlalchemy.engine import Connection

from bench import export_baseline
from bench.scale_seed import BIG_CALL, LEADERS, seed
from bot.cli.common import UserError
from bot.cli.export import write_export
from bot.cli.main import run_command
from bot.config import Settings
from bot.talks.export import Selection
from bot.talks.export_write import CSV_COLUMNS
from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import Note, Recusal, Submission, Vote

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


async def _export(db: Database, fmt: str, selection: Selection | None = None) -> str:
    out = io.StringIO()
    async with db.read() as session:
        await write_export(session, fmt, out, selection or Selection())
    return out.getvalue()


def _without_added(submissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in s.items() if k not in ("publish", "guidelines")}
            for s in submissions]


async def test_streamed_json_equals_the_old_export(db: Database) -> None:
    await seed(db, 1200, now=NOW, schema=False)
    new = json.loads(await _export(db, "json"))
    async with db.read() as session:
        old = json.loads(export_baseline.to_json(await export_baseline.export_data(session)))
    assert list(new) == ["cycles", "submissions", "subprojects", "wishes"]
    assert len(new["submissions"]) == 1200
    # The keys added after the baseline was taken (the archive's consent, the guidelines).
    assert all({"publish", "guidelines"} <= set(s) for s in new["submissions"])
    assert new["cycles"] == old["cycles"] and _without_added(new["submissions"]) == \
        old["submissions"]
    one = json.loads(await _export(db, "json", Selection(cycle_id=BIG_CALL)))
    async with db.read() as session:
        old_one = await export_baseline.export_data(session, BIG_CALL)
    assert _without_added(one["submissions"]) == json.loads(json.dumps(old_one["submissions"]))
    assert {s["cycle_id"] for s in one["submissions"]} == {BIG_CALL}


async def test_csv_names_each_column_once_and_has_a_row_per_talk(db: Database) -> None:
    await seed(db, 150, now=NOW, schema=False)
    text = await _export(db, "csv")
    header = next(csv.reader(io.StringIO(text)))
    assert header == CSV_COLUMNS and len(header) == len(set(header))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in rows] == list(range(1, 151))
    assert all(r["abstract"] and r["created_at"] for r in rows)


async def test_since_holds_the_talks_created_or_changed_since(db: Database) -> None:
    await seed(db, 120, now=NOW, schema=False)
    long_ago = NOW - dt.timedelta(days=4000)
    since = NOW - dt.timedelta(days=1)
    async with db.transaction() as session:
        await session.execute(update(Submission).values(created_at=long_ago,
                                                        updated_at=long_ago))
        for model in (Vote, Note, Recusal):
            await session.execute(update(model).values(at=long_ago))
        await session.execute(update(Submission).where(Submission.id == 5)
                              .values(updated_at=NOW))  # edited
        await session.execute(update(Submission).where(Submission.id == 9)
                              .values(created_at=NOW, updated_at=NOW))  # new
        voted = await session.scalar(select(Vote.submission_id).where(
            Vote.submission_id > 50).limit(1))
        await session.execute(update(Vote).where(Vote.submission_id == voted)
                              .values(at=NOW))  # voted on
        await session.execute(insert(Vote).values(submission_id=77, voter="UNEWLEADER",
                                                  value="yes", at=NOW))
    data = json.loads(await _export(db, "json", Selection(since=since)))
    assert [s["id"] for s in data["submissions"]] == sorted({5, 9, voted, 77})
    rows = list(csv.DictReader(io.StringIO(await _export(db, "csv", Selection(since=since)))))
    assert [int(r["id"]) for r in rows] == sorted({5, 9, voted, 77})
    both = json.loads(await _export(db, "json", Selection(cycle_id=BIG_CALL, since=since)))
    assert [s["id"] for s in both["submissions"]] == sorted({5, 9, voted, 77})  # all in it
    other = json.loads(await _export(db, "json", Selection(cycle_id=1, since=since)))
    assert other["submissions"] == [] and [c["id"] for c in other["cycles"]] == [1]


async def test_the_index_migration_upgrades_a_database_holding_data(db_url: str) -> None:
    db = Database(db_url)
    cfg = alembic_config(db.url)
    try:
        def _to_0012(connection: Connection) -> None:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0013")  # the head before the index migration

        async with db.engine.begin() as conn:
            await conn.run_sync(_to_0012)
        await seed(db, 200, now=NOW, schema=False)
        before = json.loads(await _export(db, "json"))
        await upgrade(db)

        def indexes(connection: Connection) -> set[str]:
            inspector = inspect(connection)
            return {i["name"] or "" for t in ("submissions", "votes", "notes", "recusals")
                    for i in inspector.get_indexes(t)}

        async with db.engine.connect() as conn:
            found = await conn.run_sync(indexes)
            assert await conn.scalar(select(func.count()).select_from(Vote)) > 1000
        assert {"ix_submissions_created_at", "ix_submissions_updated_at", "ix_votes_at",
                "ix_notes_at", "ix_recusals_at"} <= found
        assert json.loads(await _export(db, "json")) == before
        assert LEADERS  # the seeded leaders voted: the talks kept their votes
        assert sum(len(s["votes"]) for s in before["submissions"]) > 1000
    finally:
        await db.dispose()


async def test_the_command_reads_since_as_a_day_in_the_zone_and_refuses_a_bad_one(
        db: Database, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    await seed(db, 60, now=NOW, schema=False)
    async with db.transaction() as session:
        await session.execute(update(Submission).where(Submission.id != 7)
                              .values(created_at=NOW - dt.timedelta(days=4000),
                                      updated_at=NOW - dt.timedelta(days=4000)))
        await session.execute(update(Submission).where(Submission.id == 7)
                              .values(created_at=NOW, updated_at=NOW))
        for model in (Vote, Note, Recusal):
            await session.execute(update(model).values(at=NOW - dt.timedelta(days=4000)))
    day = (NOW - dt.timedelta(days=2)).date().isoformat()
    assert await run_command(["export", "--since", day], settings) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)["submissions"]] == [7]
    with pytest.raises(UserError, match="--since wants a date like 2026-01-31"):
        await run_command(["export", "--since", "last week"], settings)
