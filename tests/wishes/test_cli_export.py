"""`wgml-bot wish list|close|reopen ID` and the export: the JSON, the CSV and the command
line agree on every wish, its backers, status and answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from bot.cli.common import UserError
from bot.cli.main import run_command
from bot.config import Settings
from bot.wishes.store import ask, press
from storage.db import Database

NOW = dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC)


async def _seed(db: Database) -> None:
    async with db.transaction() as session:
        first = await ask(session, "UADA", "=HYPERLINK(\"x\") Gaussian splatting", NOW)
        await ask(session, "UBOB", "Rigging with ML\u202e reversed", NOW)
        assert first.wish is not None
        await press(session, first.wish.id, "UCAROL", NOW, action_us=1)


async def cli(settings: Settings, capsys: pytest.CaptureFixture[str], *argv: str
              ) -> tuple[int, str]:
    code = await run_command(list(argv), settings)
    return code, capsys.readouterr().out


async def test_list_close_reopen_and_the_exports_agree(
        db: Database, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    await _seed(db)
    code, out = await cli(settings, capsys, "wish", "list")
    assert code == 0
    lines = out.strip().split("\n")
    assert lines[0].startswith("#1 [open] 2 backers") and lines[1].startswith("#2 [open] 1 ")
    assert "\u202e" not in out  # no bidi override reaches the terminal
    code, out = await cli(settings, capsys, "wish", "close", "2")
    assert code == 0 and "now closed" in out
    code, out = await cli(settings, capsys, "wish", "list")
    assert "#2" not in out
    code, out = await cli(settings, capsys, "wish", "list", "--all", "--format", "json")
    listed = json.loads(out)["wishes"]
    code, out = await cli(settings, capsys, "export", "--format", "json")
    exported = json.loads(out)["wishes"]
    assert listed == exported
    assert [(w["id"], w["status"], w["backers"], w["by"]) for w in exported] == [
        (1, "open", ["UADA", "UCAROL"], "UADA"), (2, "closed", ["UBOB"], "UBOB")]
    for w in exported:
        assert set(w) >= {"id", "text", "by", "backers", "status", "answered_by",
                          "created_at"}
        assert w["answered_by"] == [] and dt.datetime.fromisoformat(w["created_at"])
    code, out = await cli(settings, capsys, "export", "--format", "wishes-csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(int(r["id"]), r["status"], r["backers"].split()) for r in rows] == [
        (w["id"], w["status"], w["backers"]) for w in exported]
    assert rows[0]["text"].startswith("'=")  # no formula runs in a spreadsheet
    code, out = await cli(settings, capsys, "wish", "reopen", "2")
    assert code == 0 and "now open" in out


async def test_an_unknown_wish_is_one_line(db: Database, settings: Settings) -> None:
    with pytest.raises(UserError, match="no wish #9"):
        await run_command(["wish", "close", "9"], settings)
