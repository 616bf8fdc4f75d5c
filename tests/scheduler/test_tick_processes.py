"""Real processes: concurrent `wgml-bot tick`s on one database, and a tick killed with
SIGKILL mid-delivery then run again. SQLite or PostgreSQL per WGML_TEST_DB."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.models import JobRun, OutboxMessage
from tests.conftest import ANNOUNCE, LEADS, TOKEN

ROOT = Path(__file__).resolve().parents[2]
TICKERS = 4


@pytest.fixture
def env(db_url: str, slack: SlackEmulator, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))
            and k not in ("DATABASE_URL", "MAILING_LIST_ADDRESS", "BOT_EMAIL_ADDRESS")}
    base.update(DATABASE_URL=db_url, TIMEZONE="America/Los_Angeles", PYTHONPATH=str(ROOT),
                SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=slack.url, ANNOUNCE_CHANNEL_ID=ANNOUNCE,
                LEADERSHIP_CHANNEL_ID=LEADS, REMINDER_DAYS="7,1")
    return base


async def wgml(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def ok(env: dict[str, str], cwd: Path, *args: str) -> str:
    proc = await wgml(env, cwd, *args)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def prepare(env: dict[str, str], cwd: Path) -> int:
    await ok(env, cwd, "db", "upgrade")
    out = await ok(env, cwd, "cycle", "open", "--title", "Fall session", "--deadline",
                   "2026-11-05", "--session-date", "2026-11-20",
                   "--announce-at", "2026-10-01T09:00:00-07:00")
    return int(out.strip())


async def test_concurrent_ticks_from_several_processes_post_once(
    env: dict[str, str], tmp_path: Path, slack: SlackEmulator, db_url: str
) -> None:
    await prepare(env, tmp_path)
    # Call; 7-day reminder (29 Oct, 09:00 PDT); 1-day (4 Nov, 09:00 PST, after the clocks
    # went back on 1 November); digest after 5 Nov ends in Los Angeles.
    moments = ["2026-10-01T16:00:30Z", "2026-10-29T16:00:00Z", "2026-11-04T17:00:00Z",
               "2026-11-06T08:00:00Z"]
    for now in moments:
        procs = [await wgml(env, tmp_path, "tick", "--now", now, "--json")
                 for _ in range(TICKERS)]
        results = await asyncio.gather(*(asyncio.wait_for(p.communicate(), 120)
                                         for p in procs))
        assert all(p.returncode == 0 for p in procs), [r[1].decode() for r in results]
        reports = [json.loads(out) for out, _ in results]
        ran = [label for r in reports for label in r["ran"]]
        assert len(ran) == len(set(ran)), ran  # nobody ran what another ran
    posts = [m["text"] for m in slack.channel_messages(ANNOUNCE)]
    assert len(posts) == 3, posts
    assert "Call for speakers" in posts[0]
    assert "closes in 7 days" in posts[1] and "tomorrow" in posts[2]
    assert len(slack.channel_messages(LEADS)) == 1
    db = Database(db_url)
    try:
        async with db.session() as s:
            runs = (await s.execute(select(JobRun.job, func.count()).group_by(JobRun.job))).all()
            unsent = await s.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status != "sent"))
    finally:
        await db.dispose()
    assert dict(runs) == {"call": 1, "reminder": 2, "speaker_reminder": 1, "digest": 1}
    assert unsent == 0


@pytest.mark.parametrize("landed", [False, True], ids=["before-slack", "answer-lost"])
async def test_tick_killed_mid_delivery_then_restarted(
    env: dict[str, str], tmp_path: Path, slack: SlackEmulator, landed: bool
) -> None:
    await prepare(env, tmp_path)
    slack.stall("chat.postMessage", apply_first=landed)
    proc = await wgml(env, tmp_path, "tick", "--now", "2026-10-01T16:01:00Z")
    await slack.wait_for(lambda: slack.stalled == 1, timeout=60)
    proc.send_signal(signal.SIGKILL)  # queued and committed; Slack asked or not; not marked
    await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    slack.release()
    assert len(slack.channel_messages(ANNOUNCE)) == (1 if landed else 0)
    # Restarted at the same NOW: the dead process's claim is released, the call is not
    # claimed again (it was committed), and the post goes out exactly once.
    out = await ok(env, tmp_path, "tick", "--now", "2026-10-01T16:01:00Z", "--json")
    report = json.loads(out)
    assert report["ran"] == []
    assert (report["delivered"], report["already_delivered"]) == ((0, 1) if landed else (1, 0))
    [call] = slack.channel_messages(ANNOUNCE)
    assert "Call for speakers" in call["text"]
    listed = await ok(env, tmp_path, "outbox", "list")
    assert listed.strip() == "nothing pending or failed"
