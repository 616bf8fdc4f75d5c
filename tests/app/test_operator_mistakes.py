"""Ordinary operator mistakes, each answered with one line that says how to fix it (issue 14):
the wrong database, no schema, a bad port, and help that explains every option."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.app.web import build_web_app
from bot.cli.main import build_parser
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from storage.db import Database
from storage.migrate import upgrade
from storage.schema import head_revision
from tests.conftest import PG_URL, SECRET, TEST_DB, TOKEN

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True,
        text=True, timeout=120, check=False,
    )


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_", "DATABASE_", "LOG_"))}
    env.update(PYTHONPATH=str(ROOT), TIMEZONE="UTC", **extra)
    return env


def one_line_refusal(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


DB_COMMANDS = [("db", "upgrade"), ("cycle", "list"), ("export",), ("tick",),
               ("outbox", "list")]


@pytest.mark.parametrize("command", DB_COMMANDS, ids=" ".join)
def test_a_text_file_as_the_sqlite_database(command: tuple[str, ...], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("these are my notes, not a database\n" * 20)
    before = notes.read_bytes()
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{notes}")
    one_line_refusal(cli(*command, env=env, cwd=tmp_path), "is not a SQLite database",
                     "DATABASE_URL")
    assert notes.read_bytes() == before


@pytest.mark.skipif(TEST_DB != "postgres", reason="needs the PostgreSQL server")
@pytest.mark.parametrize("command", DB_COMMANDS, ids=" ".join)
def test_postgres_database_or_role_that_does_not_exist(command: tuple[str, ...],
                                                      tmp_path: Path) -> None:
    missing_db = make_url(PG_URL).set(database=f"nosuch_{uuid.uuid4().hex[:8]}")
    env = clean_env(DATABASE_URL=missing_db.render_as_string(hide_password=False))
    one_line_refusal(cli(*command, env=env, cwd=tmp_path), "does not exist", "createdb",
                     "DATABASE_URL")
    missing_role = make_url(PG_URL).set(username=f"nosuch_{uuid.uuid4().hex[:8]}")
    env = clean_env(DATABASE_URL=missing_role.render_as_string(hide_password=False))
    one_line_refusal(cli(*command, env=env, cwd=tmp_path), "role", "DATABASE_URL")


def test_run_refuses_a_port_out_of_range(tmp_path: Path) -> None:
    result = cli("run", "--port", "99999", env=clean_env(), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "99999 is not a port number (1-65535)" in result.stderr


def service_env(db_url: str, slack: SlackEmulator) -> dict[str, str]:
    return clean_env(DATABASE_URL=db_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                     SLACK_API_URL=slack.url)


async def test_run_refuses_a_database_without_its_schema(
    db_url: str, slack: SlackEmulator, tmp_path: Path
) -> None:
    port = free_port()
    result = await asyncio.to_thread(
        cli, "run", "--http", "--port", str(port), env=service_env(db_url, slack),
        cwd=tmp_path)
    one_line_refusal(result, "no schema yet", "wgml-bot db upgrade")


async def test_run_refuses_an_old_schema_revision(
    db_url: str, slack: SlackEmulator, tmp_path: Path
) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        async with db.engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    finally:
        await db.dispose()
    result = await asyncio.to_thread(
        cli, "run", "--http", "--port", str(free_port()), env=service_env(db_url, slack),
        cwd=tmp_path)
    one_line_refusal(result, "revision 0001", f"needs {head_revision()}",
                     "wgml-bot db upgrade")


async def test_healthz_is_503_while_the_schema_is_missing_or_old(settings: Settings) -> None:
    from bot.app.service import Bot

    db = Database(settings.database_url)
    app = Bot.build(settings, db=db).app
    runner = aiohttp.web.AppRunner(build_web_app(app, db, SECRET))
    await runner.setup()
    port = free_port()
    await aiohttp.web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as resp:
                body = await resp.json()
                assert resp.status == 503, body
                assert body["status"] == "unavailable" and "db upgrade" in body["reason"]
            await upgrade(db)
            # The answer is cached for a few seconds; a fresh app asks again at once.
            await runner.cleanup()
            runner = aiohttp.web.AppRunner(build_web_app(app, db, SECRET))
            await runner.setup()
            await aiohttp.web.TCPSite(runner, "127.0.0.1", port).start()
            async with http.get(url) as resp:
                assert resp.status == 200, await resp.text()
                assert (await resp.json())["status"] == "ok"
    finally:
        await runner.cleanup()
        await db.dispose()


def _walk(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.Action]]:
    found: list[tuple[str, argparse.Action]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _walk(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            found.append((path, action))
    return found


def test_every_option_has_a_description() -> None:
    missing = [f"{path} {action.dest}" for path, action in _walk(build_parser(), "wgml-bot")
               if not action.help]
    assert missing == []


def test_help_shows_defaults(tmp_path: Path) -> None:
    out = " ".join(cli("run", "--help", env=clean_env(), cwd=tmp_path).stdout.split())
    assert "(default: 3000)" in out and "(default: 127.0.0.1)" in out
    out = cli("export", "--help", env=clean_env(), cwd=tmp_path).stdout
    assert "(default: json)" in out


def test_outbox_list_help_is_for_outbox_list(tmp_path: Path) -> None:
    result = cli("outbox", "list", "--help", env=clean_env(), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: wgml-bot outbox list")
    assert "--failed" in result.stdout and "retry" not in result.stdout
    retry = cli("outbox", "retry", "--help", env=clean_env(), cwd=tmp_path)
    assert retry.stdout.startswith("usage: wgml-bot outbox retry")


def test_commands_do_not_print_alembic_chatter(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    upgraded = cli("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    listed = cli("cycle", "list", env=env, cwd=tmp_path)
    assert listed.returncode == 0
    for result in (upgraded, listed):
        assert "alembic" not in result.stderr, result.stderr
    debug = cli("db", "upgrade", env={**env, "LOG_LEVEL": "DEBUG"}, cwd=tmp_path)
    assert "alembic" in debug.stderr


def test_bolt_does_not_warn_that_the_token_is_unused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.app.service import Bot

    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)  # as `run` sees it, from the environment
    with caplog.at_level(logging.DEBUG):
        Bot.build(settings)
    assert not [r for r in caplog.records if "will be unused" in r.getMessage()]
