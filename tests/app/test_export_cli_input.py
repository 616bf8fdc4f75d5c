"""`wgml-bot export` given bad input, as an operator or an attacker reaches it, through the
command line only: odd stored times, text with NULs, control characters, bytes that are not
UTF-8, lone surrogates from mail, a 100 KB abstract, bad options and output that cannot be
written. Either valid output (UTF-8, parseable, every talk) or one clear line, never a
traceback."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text, update

from bench.scale_seed import seed
from bot.talks.versions import text_key
from storage.db import Database
from storage.models import Note, Submission

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
TALKS = 40


def _env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    env.update(DATABASE_URL=db_url, TIMEZONE="Europe/London", PYTHONPATH=str(ROOT))
    return env


def _export(env: dict[str, str], *args: str, stdout: object = subprocess.PIPE
            ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot", "export", *args], env=env,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=120, check=False)  # type: ignore[call-overload]


def _one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert result.returncode != 0 and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    return err


async def _awkward(db: Database) -> None:
    await seed(db, TALKS, now=NOW, schema=False)
    async with db.transaction() as session:
        await session.execute(update(Submission).where(Submission.id == 1).values(
            abstract="word " * 20_000, title="ctl \x01\x1b[31m\x7f é 🎉 \u2028"))
        await session.execute(update(Note).where(Note.submission_id == 2).values(by="=U1"))
        session.add(Note(submission_id=2, by="=U1", text="=cmd|' /C calc'!A0 \r\n\t", at=NOW))
        sub = await session.get(Submission, 3)
        assert sub is not None
        # Mail's undecodable bytes, kept as lone surrogates in the guidelines' JSON reading.
        sub.guideline_concerns = {"key": text_key(sub.title, sub.abstract, sub.results),
                                  "concerns": [{"rule": "pitch", "reason": "bad \udcff byte",
                                                "dismissed_by": None, "dismissed_at": None}]}
    if not db.is_sqlite:
        return
    async with db.transaction() as session:  # what other writers can leave in SQLite
        for sql in (
            "UPDATE submissions SET created_at = 'garbage', decided_at = NULL WHERE id = 4",
            "UPDATE submissions SET created_at = '2026-11-30 10:00:00' WHERE id = 5",
            "UPDATE submissions SET created_at = '2026-11-30T10:00:00+05:00' WHERE id = 6",
            "UPDATE votes SET at = '0001-01-01 00:00:00.000000' WHERE submission_id = 7",
            "UPDATE notes SET at = '9999-12-31 23:59:59.999999' WHERE submission_id = 7",
            "UPDATE notes SET text = 'nul' || char(0) || 'after' WHERE submission_id = 8",
            "UPDATE notes SET text = CAST(x'ff41' AS TEXT) WHERE submission_id = 9",
        ):
            await session.execute(text(sql))


async def test_awkward_data_gives_valid_output(db: Database, db_url: str) -> None:
    await _awkward(db)
    await db.dispose()
    env = _env(db_url)
    for fmt in ("json", "csv", "ics"):
        result = _export(env, "--format", fmt)
        assert result.returncode == 0 and not result.stderr, result.stderr.decode()
        written = result.stdout.decode("utf-8")  # strict: valid UTF-8
        if fmt == "ics":
            assert written.startswith("BEGIN:VCALENDAR")
            continue
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(written, newline="")))
            assert [int(r["id"]) for r in rows] == list(range(1, TALKS + 1))
            # One cell, each note "by (at): text", neutralised for spreadsheets.
            assert rows[1]["notes"].startswith("'=U1 (")
            assert "): =cmd|' /C calc'!A0 \r\n\t" in rows[1]["notes"]
            continue
        talks = {s["id"]: s for s in json.loads(written)["submissions"]}
        assert len(talks) == TALKS and len(talks[1]["abstract"]) == 100_000
        assert talks[1]["title"] == "ctl \x01\x1b[31m\x7f é 🎉 \u2028"
        assert talks[3]["guidelines"][0]["reason"] == "bad \udcff byte"  # read back as is
        if db.is_sqlite:
            assert talks[4]["created_at"] == "garbage" and talks[4]["decided_at"] is None
            assert talks[5]["created_at"] == "2026-11-30T10:00:00+00:00"
            assert talks[6]["created_at"] == "2026-11-30T05:00:00+00:00"
            assert {v["at"] for v in talks[7]["votes"]} == {"0001-01-01T00:00:00+00:00"}
            assert {n["at"] for n in talks[7]["notes"]} == {"9999-12-31T23:59:59.999999+00:00"}
            assert {n["text"] for n in talks[8]["notes"]} == {"nul\x00after"}
            assert {n["text"] for n in talks[9]["notes"]} == {"\ufffdA"}


async def test_bad_options_and_unwritable_output_are_one_line(db: Database,
                                                              db_url: str) -> None:
    await seed(db, 5, now=NOW, schema=False)
    await db.dispose()
    env = _env(db_url)
    assert "--since wants a date" in _one_line(_export(env, "--since", "garbage"))
    assert "--since wants a date" in _one_line(_export(env, "--since", "2026-02-30"))
    assert "no cycle with id 999" in _one_line(_export(env, "--cycle", "999"))
    bad = _export(env, "--cycle", "abc")
    assert bad.returncode == 2 and b"not a whole number" in bad.stderr
    assert b"Traceback" not in bad.stderr
    assert "standard output is closed" in _one_line(_closed(env))
    _full_disk(env)


def _full_disk(env: dict[str, str]) -> None:
    """The export written to a full disk (`> /dev/full`), where the system has one."""
    if not Path("/dev/full").exists():
        return
    with open("/dev/full", "wb") as full:
        for fmt in ("json", "csv"):
            err = _one_line(_export(env, "--format", fmt, stdout=full))
            assert "cannot write standard output" in err


def _closed(env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """The export run with its standard output closed (`wgml-bot export >&-`)."""
    return subprocess.run(["sh", "-c", f'"{sys.executable}" -m bot export >&-'], env=env,
                          capture_output=False, stderr=subprocess.PIPE, timeout=120,
                          check=False)
