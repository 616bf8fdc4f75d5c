"""The command line as an operator uses it: a real subprocess, a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True,
        text=True, timeout=120, check=False,
    )


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    base.update(DATABASE_URL=db_url, TIMEZONE="Europe/London", PYTHONPATH=str(ROOT))
    return base


def test_db_upgrade_twice_changes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    first = cli("db", "upgrade", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "upgraded from empty" in first.stdout
    second = cli("db", "upgrade", env=env, cwd=tmp_path)
    assert second.returncode == 0 and "up to date" in second.stdout


def test_db_downgrade_asks_for_yes_then_goes_back(env: dict[str, str], tmp_path: Path) -> None:
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    asked = cli("db", "downgrade", "0012", env=env, cwd=tmp_path)
    assert asked.returncode == 2 and "--yes" in asked.stderr and "nothing changed" in asked.stderr
    head = cli("db", "current", env=env, cwd=tmp_path).stdout.strip()
    assert head != "0012"
    for args in (["0999", "--yes"], ["0999"], ["0009"]):
        wrong = cli("db", "downgrade", *args, env=env, cwd=tmp_path)
        assert wrong.returncode != 0 and f"no revision '{args[0]}'" in wrong.stderr
        assert "would downgrade" not in wrong.stderr and "Traceback" not in wrong.stderr
    done = cli("db", "downgrade", "0012", "--yes", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"downgraded from {head} to 0012" in done.stdout
    assert cli("db", "current", env=env, cwd=tmp_path).stdout.strip() == "0012"
    up = cli("db", "downgrade", "0013", env=env, cwd=tmp_path)
    assert up.returncode != 0 and "that is `db upgrade`" in up.stderr
    back = cli("db", "upgrade", env=env, cwd=tmp_path)
    assert back.returncode == 0 and f"upgraded from 0012 to {head}" in back.stdout


def test_commands_on_an_older_schema_say_so_in_one_line(env: dict[str, str],
                                                         tmp_path: Path) -> None:
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    assert cli("db", "downgrade", "0005", "--yes", env=env, cwd=tmp_path).returncode == 0
    for args in (["cycle", "list"], ["export", "--format", "json"]):
        done = cli(*args, env=env, cwd=tmp_path)
        assert done.returncode != 0
        assert "db upgrade" in done.stderr and "0005" in done.stderr, done.stderr
        assert "[SQL:" not in done.stderr and "cannot reach" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_cycle_open_list_close_and_export(env: dict[str, str], tmp_path: Path) -> None:
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    opened = cli("cycle", "open", "--title", "March session", "--deadline", "2030-03-01",
                 "--session-date", "2030-03-20", "--theme", "Roto", env=env, cwd=tmp_path)
    assert opened.returncode == 0, opened.stderr
    cycle_id = int(opened.stdout.strip())
    listed = cli("cycle", "list", env=env, cwd=tmp_path)
    assert "March session" in listed.stdout and "open" in listed.stdout
    exported = cli("export", "--format", "json", env=env, cwd=tmp_path)
    data = json.loads(exported.stdout)
    assert data == {"cycles": [{"id": cycle_id, "title": "March session",
                                "deadline": "2030-03-01", "session_date": "2030-03-20",
                                "status": "open", "slots": 3, "session_time": "17:00",
                                "join_url": None, "decide_by": "2030-03-04"}],
                    "submissions": [], "subprojects": [], "wishes": []}
    closed = cli("cycle", "close", str(cycle_id), env=env, cwd=tmp_path)
    assert closed.returncode == 0
    data = json.loads(cli("export", env=env, cwd=tmp_path).stdout)
    assert data["cycles"][0]["status"] == "closed"
    one = json.loads(cli("export", "--cycle", str(cycle_id), env=env, cwd=tmp_path).stdout)
    assert [c["id"] for c in one["cycles"]] == [cycle_id]
    csv_out = cli("export", "--format", "csv", env=env, cwd=tmp_path)
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("id,ref,cycle_id,title")


def test_user_errors_are_one_line(env: dict[str, str], tmp_path: Path) -> None:
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    for args in (
        ["cycle", "open", "--title", "X", "--deadline", "tomorrow", "--session-date",
         "2030-01-01"],
        ["cycle", "open", "--title", "X", "--deadline", "2030-01-10", "--session-date",
         "2030-01-01"],
        ["cycle", "close", "999"],
        ["export", "--cycle", "999"],
    ):
        result = cli(*args, env=env, cwd=tmp_path)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_missing_schema_says_to_upgrade(env: dict[str, str], tmp_path: Path) -> None:
    result = cli("cycle", "list", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "db upgrade" in result.stderr and "Traceback" not in result.stderr


def test_wrong_settings_give_one_line_each(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "TIMEZONE": "Mars/Olympus", "REMINDER_DAYS": "7,soon",
           "SMTP_PORT": "lots", "DATABASE_URL": "sqlite:///sync.db"}
    result = cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    for name in ("TIMEZONE", "REMINDER_DAYS", "SMTP_PORT", "DATABASE_URL"):
        assert len([line for line in lines if line.startswith(f"FAIL {name}:")]) == 1, lines
    # The bad values hide nothing else (issue 14): the other settings are still checked.
    assert any(line.startswith("FAIL SLACK_BOT_TOKEN") for line in lines), lines
    result = cli("cycle", "list", env=env, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_check_config_names_what_is_missing(env: dict[str, str], tmp_path: Path) -> None:
    result = cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "FAIL SLACK_BOT_TOKEN" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_dotenv_file_is_read(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TIMEZONE=Mars/Nowhere\n")
    env.pop("TIMEZONE")
    result = cli("check-config", env=env, cwd=tmp_path)
    assert "FAIL TIMEZONE" in result.stdout


def test_manifest_installs_what_the_bot_uses() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert manifest["features"]["slash_commands"][0]["command"] == "/wgml"
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "groups:read"} <= scopes
