"""`wgml-bot cycle open ... --slots --session-time --join-url --decide-by`, `cycle set` and
`cycle list`: the session's facts, checked with one-line errors, exported in JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # `python -m bot` is bot.cli.main.main, as the console script runs it.
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    base.update(DATABASE_URL=db_url, TIMEZONE="Europe/London", PYTHONPATH=str(ROOT))
    assert cli("db", "upgrade", env=base, cwd=tmp_path).returncode == 0
    return base


OPEN = ("cycle", "open", "--title", "March session", "--deadline", "2030-03-01",
        "--session-date", "2030-03-20")


def test_session_options_are_kept_listed_changed_and_exported(
        env: dict[str, str], tmp_path: Path) -> None:
    opened = cli(*OPEN, "--slots", "4", "--session-time", "16:30", "--join-url",
                 "https://zoom.example/j/123", "--decide-by", "2030-03-06", env=env,
                 cwd=tmp_path)
    assert opened.returncode == 0, opened.stderr
    cid = opened.stdout.strip()
    listed = cli("cycle", "list", env=env, cwd=tmp_path).stdout
    for shown in ("slots 4", "at 16:30", "decide by 2030-03-06", "https://zoom.example/j/123"):
        assert shown in listed

    changed = cli("cycle", "set", cid, "--slots", "2", "--decide-by", "2030-03-08",
                  "--title", "March  session, moved", "--join-url", "", env=env, cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    data = json.loads(cli("export", env=env, cwd=tmp_path).stdout)
    assert data["cycles"][0] | {"id": 0} == {
        "id": 0, "title": "March session, moved", "deadline": "2030-03-01",
        "session_date": "2030-03-20", "status": "open", "slots": 2, "session_time": "16:30",
        "join_url": None, "decide_by": "2030-03-08"}


def test_defaults_three_slots_17_00_decide_three_days_after_the_deadline(
        env: dict[str, str], tmp_path: Path) -> None:
    assert cli(*OPEN, env=env, cwd=tmp_path).returncode == 0
    [cycle] = json.loads(cli("export", env=env, cwd=tmp_path).stdout)["cycles"]
    assert (cycle["slots"], cycle["session_time"], cycle["join_url"], cycle["decide_by"]) == (
        3, "17:00", None, "2030-03-04")
    header = next(csv.reader(io.StringIO(cli("export", "--format", "csv", env=env,
                                             cwd=tmp_path).stdout)))
    assert {"recused", "notes", "cycle_slots", "cycle_decide_by"} <= set(header)


@pytest.mark.parametrize(("args", "says"), [
    (("--slots", "0"), "--slots must be between 1 and 50"),
    (("--slots", "three"), "--slots 'three' is not a whole number"),
    (("--session-time", "25:00"), "use HH:MM"),
    (("--session-time", "5pm"), "use HH:MM"),
    (("--join-url", "javascript:alert(1)"), "not an http(s) URL"),
    (("--join-url", "https://x.example/a|b>"), "not an http(s) URL"),
    (("--decide-by", "2030-02-28"), "before the deadline"),
    (("--decide-by", "2030-04-01"), "after the session date"),
    (("--decide-by", "soon"), "use YYYY-MM-DD"),
])
def test_bad_session_options_are_one_line_errors_and_store_nothing(
        env: dict[str, str], tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    result = cli(*OPEN, *args, env=env, cwd=tmp_path)
    assert result.returncode == 1 and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert json.loads(cli("export", env=env, cwd=tmp_path).stdout)["cycles"] == []


def test_cycle_set_checks_everything_before_changing_anything(
        env: dict[str, str], tmp_path: Path) -> None:
    cid = cli(*OPEN, env=env, cwd=tmp_path).stdout.strip()
    bad = cli("cycle", "set", cid, "--slots", "5", "--session-time", "noon", env=env,
              cwd=tmp_path)
    assert bad.returncode == 1 and "use HH:MM" in bad.stderr
    nothing = cli("cycle", "set", cid, env=env, cwd=tmp_path)
    assert nothing.returncode == 1 and "nothing to change" in nothing.stderr
    missing = cli("cycle", "set", "99", "--slots", "2", env=env, cwd=tmp_path)
    assert missing.returncode == 1 and "no cycle with id 99" in missing.stderr
    [cycle] = json.loads(cli("export", env=env, cwd=tmp_path).stdout)["cycles"]
    assert cycle["slots"] == 3 and cycle["session_time"] == "17:00"
