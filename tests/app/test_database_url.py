"""A mistaken DATABASE_URL is one line that never repeats a password: an unencoded `@` in
the password (a port that is not a number), an unsupported database, and a password in the
query string when the database cannot be reached."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.app.test_cli import ROOT, cli


@pytest.fixture(name="env")
def env_fixture() -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_", "DATABASE_"))}
    base.update(PYTHONPATH=str(ROOT))
    return base


COMMANDS = [("cycle", "list"), ("db", "upgrade"), ("run",), ("check-config",)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_an_unencoded_at_in_the_password_is_one_line(
        env: dict[str, str], tmp_path: Path, command: tuple[str, ...]) -> None:
    env = {**env, "DATABASE_URL": "postgresql+asyncpg://u:p@ss:Secret1@127.0.0.1:1/x"}
    result = cli(*command, env=env, cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in out and "Secret1" not in out, out[-2000:]
    assert "DATABASE_URL: the port is not a number" in out and "%40" in out, out[-2000:]


@pytest.mark.parametrize("url", ["mysql://u@127.0.0.1/x", "mysql+aiomysql://u@127.0.0.1/x",
                                 "oracle+oracledb://u@h/x"])
def test_an_unsupported_database_is_refused_in_one_line(
        env: dict[str, str], tmp_path: Path, url: str) -> None:
    result = cli("cycle", "list", env={**env, "DATABASE_URL": url}, cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out, out[-2000:]
    assert "is not supported" in out and "postgresql+asyncpg://" in out
    assert "sqlite+aiosqlite://" in out


def test_a_password_in_the_query_string_is_not_printed(
        env: dict[str, str], tmp_path: Path) -> None:
    url = "postgresql+asyncpg://u@127.0.0.1:1/x?password=Secret2"  # nothing listens on 1
    result = cli("cycle", "list", env={**env, "DATABASE_URL": url}, cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "cannot reach the database" in out, out[-2000:]
    assert "Secret2" not in out and "password=***" in out
