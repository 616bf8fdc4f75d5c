"""Exports: ics with the accepted talks, csv safe for spreadsheets, json as in the contract."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import sys
from pathlib import Path
from typing import Any

from icalendar import Calendar
from sqlalchemy import update

from bot.talks.export import export_data
from bot.talks.export_ics import to_ics
from bot.talks.export_write import to_csv
from storage.models import Submission
from tests.conftest import Running
from tests.slack.test_submit import open_test_cycle

ROOT = Path(__file__).resolve().parents[2]


def sample(status: str = "accepted", **changes: Any) -> dict[str, Any]:
    sub = {
        "id": 7, "ref": "WGML-2026-007", "cycle_id": 1,
        "title": "Roto, hair; and \\ backslashes\nnewline",
        "focus_area": "content_creation",
        "abstract": "Line one, with comma; semicolon\nLine two",
        "results": "=cmd|' /C calc'!A0", "source": "slack",
        "confidentiality_confirmed": True,
        "confidentiality_confirmed_at": "2026-11-01T10:00:00+00:00",
        "status": status,
        "speaker": {"name": "Ada", "email": "ada@x.example", "slack_user_id": "U1",
                    "studio": "Studio, A"},
        "votes": [], "created_at": "2026-11-01T09:00:00+00:00",
    }
    sub.update(changes)
    return sub


DATA = {"cycles": [{"id": 1, "title": "January", "deadline": "2027-01-10",
                    "session_date": "2027-01-28", "status": "open",
                    "session_time": "16:30"}],
        "submissions": [sample(), sample("declined", id=8, ref="WGML-2026-008"),
                        sample(id=9, ref="WGML-2026-009", cycle_id=None)]}


def test_ics_has_only_accepted_talks_at_the_session_time_with_stable_uids() -> None:
    out = to_ics(DATA, "America/Los_Angeles")
    assert out == to_ics(DATA, "America/Los_Angeles")  # deterministic: no clock in it
    cal = Calendar.from_ical(out)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == "WGML-2026-007@wgml-bot.aswf"
    # 16:30 in Los Angeles (PST, UTC-8) on the session date, one hour, written in UTC.
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 29, 0, 30, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2027, 1, 29, 1, 30, tzinfo=dt.UTC)
    assert "DTSTART:20270129T003000Z" in out and "VALUE=DATE" not in out
    assert str(event["summary"]) == "Roto, hair; and \\ backslashes\nnewline (Ada, Studio, A)"
    assert "Line one, with comma; semicolon\nLine two" in str(event["description"])
    # Escaped on the wire: a newline or comma never starts a new property or value.
    assert "SUMMARY:Roto\\, hair\\; and \\\\ backslashes\\nnewline" in out.replace("\r\n ", "")
    assert all(line.startswith((" ", "\t")) or ":" in line or ";" in line
               for line in out.split("\r\n") if line)


def test_ics_session_time_follows_daylight_saving_and_defaults() -> None:
    summer = {"cycles": [DATA["cycles"][0] | {"session_date": "2027-07-01"}],
              "submissions": [sample()]}
    [event] = Calendar.from_ical(to_ics(summer, "America/Los_Angeles")).walk("VEVENT")
    # PDT is UTC-7 in July: the same 16:30 local is an hour earlier in UTC than in January.
    assert event.decoded("dtstart") == dt.datetime(2027, 7, 1, 23, 30, tzinfo=dt.UTC)
    untimed = {"cycles": [{k: v for k, v in DATA["cycles"][0].items() if k != "session_time"}],
               "submissions": [sample()]}
    [event] = Calendar.from_ical(to_ics(untimed)).walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 28, 17, 0, tzinfo=dt.UTC)


def test_csv_neutralises_formulas_and_keeps_text() -> None:
    data = {"cycles": DATA["cycles"], "submissions": [
        sample(title="=HYPERLINK(\"http://evil\")", abstract="+1+1", results="@SUM(A1)",
               speaker={"name": "-2", "email": "\tx@y", "slack_user_id": "U1",
                        "studio": "\rStudio"})]}
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    row = rows[0]
    assert row["title"] == "'=HYPERLINK(\"http://evil\")"
    assert row["abstract"] == "'+1+1" and row["results"] == "'@SUM(A1)"
    assert row["speaker_name"] == "'-2" and row["speaker_email"].startswith("'")
    assert row["studio"].startswith("'")
    assert row["ref"] == "WGML-2026-007"  # ordinary text untouched


async def test_ics_from_the_database_via_the_cli(running: Running, db_url: str,
                                                 tmp_path: Path) -> None:
    await open_test_cycle(running)
    await running.submit("UMEMBER1", title="Accepted, talk")
    await running.submit("UMEMBER2", title="Still open")
    await running.settle()
    async with running.db.transaction() as session:
        await session.execute(update(Submission).where(Submission.title == "Accepted, talk")
                              .values(status="accepted"))
    async with running.db.session() as session:
        data = await export_data(session)
    cal = Calendar.from_ical(to_ics(data))
    assert [str(e["summary"]).split(" (")[0] for e in cal.walk("VEVENT")] == ["Accepted, talk"]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    env.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT))
    # Not subprocess.run: blocking the loop would stall the running bot holding the database.
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "export", "--format", "ics", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, stderr.decode()
    assert stdout.startswith(b"BEGIN:VCALENDAR") and b"Accepted\\, talk" in stdout
    assert b"DTSTART:" in stdout and b"VALUE=DATE" not in stdout  # timed, not all-day
