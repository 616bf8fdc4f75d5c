"""Values past what the database or Python holds, and errors of local files, are one line
each, never a traceback and never "cannot reach the database" (the attacker review)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_operator_mistakes import ROOT, clean_env, cli, one_line_refusal


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    return env


@pytest.mark.parametrize("args", [
    ("export", "--cycle", "9223372036854775808"), ("cycle", "close", "99999999999"),
    ("wish", "close", "-9223372036854775809"), ("outbox", "retry", "4294967296"),
])
def test_an_id_the_database_cannot_hold_is_a_usage_error(
        env: dict[str, str], tmp_path: Path, args: tuple[str, ...]) -> None:
    result = cli(*args, env=env, cwd=tmp_path)
    assert result.returncode == 2 and "out of range for an id" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [
    ("tick", "--now", "9999-12-31T23:59:59-12:00"),
    ("site", "build", "out", "--now", "0001-01-01T00:00+14:00"),
])
def test_an_instant_past_the_calendar_is_out_of_range(
        env: dict[str, str], tmp_path: Path, args: tuple[str, ...]) -> None:
    one_line_refusal(cli(*args, env=env, cwd=tmp_path), "out of range")


def test_a_file_error_names_the_file_not_the_database(env: dict[str, str],
                                                      tmp_path: Path) -> None:
    result = cli("site", "build", str(tmp_path / ("a" * 300)), env=env, cwd=tmp_path)
    one_line_refusal(result, "File name too long")
    assert "database" not in result.stderr


def test_blank_arguments_are_refused(env: dict[str, str], tmp_path: Path) -> None:
    one_line_refusal(cli("site", "build", "", env=env, cwd=tmp_path), "wants a directory")
    one_line_refusal(cli("export", "--since", "", env=env, cwd=tmp_path), "--since")
    assert not (tmp_path / "index.html").exists() and ROOT.exists()
