"""The live scheduler inside the service and the `outbox` / `tick` commands."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from bot.demo.emulator.slack import SlackEmulator
from scheduler import runner
from storage.db import Database
from tests.conftest import ANNOUNCE, TOKEN, Running
from tests.sched_helpers import job_runs, new_cycle

ROOT = Path(__file__).resolve().parents[2]


async def test_service_posts_the_call_on_its_own_clock(running: Running,
                                                       slack: SlackEmulator) -> None:
    await slack.wait_for(lambda: bool(runner._LIVE) and runner._LIVE[0].ticks >= 1)
    running.clock.fixed = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    settings = running.bot.settings
    await new_cycle(running.db, settings, title="Live session", deadline="2026-06-20",
                    session="2026-07-01", announce="2026-06-01T08:59:00+00:00")
    runner.wake()
    await slack.wait_for(lambda: len(slack.channel_messages(ANNOUNCE)) == 1)
    assert "Live session" in slack.channel_messages(ANNOUNCE)[0]["text"]
    runner.wake()
    await running.settle()
    [run] = await job_runs(running.db)
    assert (run.job, run.outcome) == ("call", "ran")


def cli_sync(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


async def cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The emulator lives on this event loop: the subprocess must not block it.
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return subprocess.CompletedProcess(args, proc.returncode or 0, out.decode(), err.decode())


async def test_outbox_list_retry_and_tick_commands(db_url: str, db: Database,
                                                   slack: SlackEmulator,
                                                   tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    env.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT), SLACK_BOT_TOKEN=TOKEN,
               SLACK_API_URL=slack.url, ANNOUNCE_CHANNEL_ID="CGONE")
    bad = await cli(env, tmp_path, "tick", "--now", "yesterday")
    assert bad.returncode == 1 and "--now" in bad.stderr and "Traceback" not in bad.stderr
    opened = await cli(env, tmp_path, "cycle", "open", "--title", "T", "--deadline", "2030-01-31",
                 "--session-date", "2030-02-10", "--announce-at", "2030-01-01T09:00:00Z")
    assert opened.returncode == 0, opened.stderr
    slack.fail("chat.postMessage", 404, error="channel_not_found")
    tick = await cli(env, tmp_path, "tick", "--now", "2030-01-01T09:01:00Z")
    assert tick.returncode == 0, tick.stderr  # a failed delivery is not a failed tick
    assert "ran call:1:call" in tick.stdout and "failed 1" in tick.stdout
    listed = await cli(env, tmp_path, "outbox", "list", "--failed")
    assert listed.returncode == 0 and "failed" in listed.stdout
    assert "channel_not_found" in listed.stdout
    msg_id = listed.stdout.split("\t", 1)[0]
    assert (await cli(env, tmp_path, "outbox", "retry")).returncode == 1
    assert "no outbox message" in (await cli(env, tmp_path, "outbox", "retry", "999")).stderr
    again = await cli(env, tmp_path, "outbox", "retry", msg_id)
    assert again.returncode == 0, again.stderr
    assert "pending" in (await cli(env, tmp_path, "outbox")).stdout
    tick = await cli(env, tmp_path, "tick", "--now", "2030-01-01T09:02:00Z")
    assert "delivered 1" in tick.stdout
    assert (await cli(env, tmp_path, "outbox")).stdout.strip() == "nothing pending or failed"
    assert len(slack.channel_messages("CGONE")) == 1
    twice = await cli(env, tmp_path, "outbox", "retry", msg_id)
    assert twice.returncode == 1 and "already sent" in twice.stderr


def test_bad_call_schedule_is_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WGML_")}
    env.update(PYTHONPATH=str(ROOT), CALL_SCHEDULE="every monday",
               DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    out = cli_sync(env, tmp_path, "outbox")
    assert out.returncode == 1 and "CALL_SCHEDULE" in out.stderr
    assert "Traceback" not in out.stderr
