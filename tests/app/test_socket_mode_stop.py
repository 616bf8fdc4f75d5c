"""`wgml-bot run` in Socket Mode stops on SIGTERM whatever Slack does (unreachable, silent),
and an app token Slack refuses ends it at once with one line saying how to fix it.

The bounds detect a hang (slack_sdk retries the connect every 10 s, forever); they assert
no speed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from storage.db import Database
from tests.app.test_service import service_env, service_log, start_service, stop_service

APP_TOKEN = "xapp-1-A0EMULATOR-1-secretpart"


@pytest.fixture
async def migrated(db_url: str) -> AsyncIterator[str]:
    from storage.migrate import upgrade

    database = Database(db_url)
    await upgrade(database)
    await database.dispose()
    yield db_url


async def _until_logged(text: str, proc: asyncio.subprocess.Process, cwd: Path) -> None:
    for _ in range(300):
        if text in service_log(cwd) or proc.returncode is not None:
            break
        await asyncio.sleep(0.1)
    assert text in service_log(cwd), service_log(cwd)[-3000:]


def _socket_env(migrated: str, slack: SlackEmulator, app_token: str = APP_TOKEN
                ) -> dict[str, str]:
    env = service_env(migrated, slack, SLACK_APP_TOKEN=app_token)
    env.pop("SLACK_SIGNING_SECRET")
    return env


async def test_sigterm_stops_run_while_slack_is_unreachable(
    migrated: str, slack: SlackEmulator, tmp_path: Path,
) -> None:
    env = _socket_env(migrated, slack)
    env["SLACK_API_URL"] = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    proc = await start_service(env, cwd=tmp_path)
    try:
        await _until_logged("Failed to connect", proc, tmp_path)  # slack_sdk's retry loop
    finally:
        log = await stop_service(proc, tmp_path)  # SIGTERM; fails when no exit in 20 s
    assert proc.returncode == 0, log[-3000:]
    assert "event=service.stopping" in log


async def test_sigterm_stops_run_while_slack_does_not_answer(
    migrated: str, slack: SlackEmulator, tmp_path: Path,
) -> None:
    slack.stall("apps.connections.open", count=100)
    proc = await start_service(_socket_env(migrated, slack), cwd=tmp_path)
    try:
        await slack.wait_for(lambda: slack.stalled >= 1, timeout=30)
        log = await stop_service(proc, tmp_path)
        assert proc.returncode == 0, log[-3000:]
    finally:
        slack.release()
        await stop_service(proc, tmp_path)


@pytest.mark.parametrize(("app_token", "refusal"), [
    (APP_TOKEN, "token_revoked"),
    (APP_TOKEN, "invalid_auth"),
    ("xoxb-a-bot-token-where-the-app-token-belongs", None),  # not_allowed_token_type
])
async def test_a_refused_app_token_exits_1_with_one_line(
    migrated: str, slack: SlackEmulator, tmp_path: Path, app_token: str, refusal: str | None,
) -> None:
    if refusal:
        slack.refuse_app_token(refusal)
    proc = await start_service(_socket_env(migrated, slack, app_token), cwd=tmp_path)
    try:
        code = await asyncio.wait_for(proc.wait(), 30)
    finally:
        log = await stop_service(proc, tmp_path)
    assert code == 1, log[-3000:]
    lines = [line for line in log.splitlines() if "SLACK_APP_TOKEN" in line]
    assert len(lines) == 1, log[-3000:]
    assert lines[0].startswith("wgml-bot: Slack refused SLACK_APP_TOKEN")
    assert (refusal or "not_allowed_token_type") in lines[0]
    assert "connections:write" in lines[0]
    assert "Traceback" not in log
    assert app_token not in log
    assert len(slack.calls_to("apps.connections.open")) == 1  # not retried
