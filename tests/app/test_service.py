"""`wgml-bot run` as a process: HTTP mode with /healthz, Socket Mode against the emulator,
and a clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.demo.emulator.requests import SlackSender, modal_state
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from storage.db import Database
from tests.conftest import LEADS, SECRET, TOKEN

ROOT = Path(__file__).resolve().parents[2]



def service_env(db_url: str, slack: SlackEmulator, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    env.update(
        PYTHONPATH=str(ROOT), DATABASE_URL=db_url, SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.url, LEADERSHIP_CHANNEL_ID=LEADS,
        ANNOUNCE_CHANNEL_ID="CANNOUNCE1", **extra,
    )
    return env


async def start_service(env: dict[str, str], *args: str, cwd: Path
                        ) -> asyncio.subprocess.Process:
    # Logs go to a file, not a pipe: nobody reads a pipe while the test waits on Slack.
    with (cwd / "service.log").open("wb") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", *args, env=env, cwd=cwd,
            stdout=log, stderr=log,
        )


async def stop_service(proc: asyncio.subprocess.Process, cwd: Path) -> str:
    """SIGTERM, wait for a clean exit, return the service's log."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise AssertionError("no clean stop on SIGTERM:\n" + service_log(cwd)) from None
    return service_log(cwd)


def service_log(cwd: Path) -> str:
    return (cwd / "service.log").read_text(errors="replace")


async def wait_healthy(url: str, proc: asyncio.subprocess.Process) -> dict[str, str]:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            if proc.returncode is not None:
                raise AssertionError("service exited early")
            try:
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return dict(await resp.json())
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("service never became healthy")


@pytest.fixture
async def migrated(db_url: str) -> AsyncIterator[str]:
    from storage.migrate import upgrade

    database = Database(db_url)
    await upgrade(database)
    await database.dispose()
    yield db_url


async def test_http_mode_serves_health_and_commands_then_stops_on_sigterm(
    migrated: str, slack: SlackEmulator, tmp_path: Path
) -> None:
    port = free_port()
    proc = await start_service(service_env(migrated, slack), "--http", "--port", str(port),
                               cwd=tmp_path)
    try:
        health = await wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        assert health["status"] == "ok"
        sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET)
        try:
            status, _ = await sender.command("UMEMBER1", "submit")
            assert status == 200
            await slack.wait_for(lambda: slack.calls_to("views.open"))
            status, body = await sender.submit_view(
                "UMEMBER1", "VPROCESS01", **{**_fields(), "confirmed": True})
            assert status == 200, body
            await slack.wait_for(lambda: slack.channel_messages(LEADS))
        finally:
            await sender.close()
        err = await stop_service(proc, tmp_path)
        assert proc.returncode == 0
        assert TOKEN not in err and SECRET not in err
        assert "event=service.stopping" in err
    finally:
        await stop_service(proc, tmp_path)


async def test_socket_mode_acknowledges_envelopes(
    migrated: str, slack: SlackEmulator, tmp_path: Path
) -> None:
    env = service_env(migrated, slack, SLACK_APP_TOKEN="xapp-1-emulator")
    env.pop("SLACK_SIGNING_SECRET")
    proc = await start_service(env, cwd=tmp_path)
    try:
        for _ in range(300):
            if slack.socket_connected or proc.returncode is not None:
                break
            await asyncio.sleep(0.1)
        assert slack.socket_connected, "the bot never opened a Socket Mode connection"
        command = {"command": "/wgml", "text": "help", "user_id": "UMEMBER1",
                   "trigger_id": "1.2", "team_id": "T0WGML01", "channel_id": "C1"}
        ack = await slack.send_envelope("slash_commands", command)
        assert "/wgml submit" in json.dumps(ack)
        view = {"type": "view_submission", "user": {"id": "UMEMBER2", "name": "grace"},
                "team": {"id": "T0WGML01"},
                "view": {"id": "VSOCKET001", "type": "modal", "callback_id": "wgml_submit",
                         "state": modal_state(**_fields())}}
        ack = await slack.send_envelope("interactive", view)
        assert "errors" not in json.dumps(ack)
        await slack.wait_for(lambda: slack.channel_messages(LEADS), timeout=20)
        assert slack.channel_messages("DMEMBER2")
    except BaseException:
        print(service_log(tmp_path)[-5000:])
        raise
    finally:
        await stop_service(proc, tmp_path)
    assert proc.returncode == 0


async def test_run_refuses_to_start_without_settings(migrated: str, slack: SlackEmulator,
                                                     tmp_path: Path) -> None:
    env = service_env(migrated, slack)
    env.pop("SLACK_SIGNING_SECRET")
    proc = await start_service(env, "--http", "--port", str(free_port()), cwd=tmp_path)
    assert await asyncio.wait_for(proc.wait(), 30) == 1
    err = service_log(tmp_path)
    assert "SLACK_SIGNING_SECRET" in err and "Traceback" not in err


def _fields() -> dict[str, object]:
    return {
        "title": "Style transfer for look-dev iterations",
        "focus_area": "content_creation",
        "abstract": "We used a style-transfer model to iterate on look-dev frames quickly.",
        "results": "Fast iterations, but temporal flicker on sequences.",
        "studio": "Studio B",
        "email": "grace@studio-b.example",
        "confirmed": True,
    }
