"""A call for speakers skipped because no announcement target was set goes out once one is
set, while the call is still open (issue 14); `cycle open` warns about what will not happen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from tests.conftest import ANNOUNCE
from tests.sched_helpers import at, job_runs, make_sched, new_cycle

ROOT = Path(__file__).resolve().parents[2]


async def test_skipped_call_goes_out_once_configured(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    bare = settings.model_copy(update={"announce_channel_id": None,
                                       "mailing_list_address": None})
    cid = await new_cycle(db, bare, title="Quiet", deadline="2026-07-31", session="2026-08-10",
                          announce="2026-07-01T09:00:00+00:00")
    report, _ = await make_sched(db, bare).tick(at("2026-07-01T09:00:30+00:00"))
    assert report.ran == [] and "neither ANNOUNCE_CHANNEL_ID" in report.skipped[0]
    # Still unset: the skip stands and is not repeated at every tick.
    report, _ = await make_sched(db, bare).tick(at("2026-07-01T10:00:00+00:00"))
    assert report.ran == [] and report.skipped == []

    configured = bare.model_copy(update={"announce_channel_id": ANNOUNCE})
    report, delivery = await make_sched(db, configured).tick(at("2026-07-02T08:00:00+00:00"))
    assert report.ran == [f"call:{cid}:call"] and delivery.sent == 1
    [call] = slack.channel_messages(ANNOUNCE)
    assert "Call for speakers" in call["text"]
    [run] = [r for r in await job_runs(db) if r.job == "call"]
    assert run.outcome == "ran"
    # Once is once.
    report, _ = await make_sched(db, configured).tick(at("2026-07-03T08:00:00+00:00"))
    assert f"call:{cid}:call" not in report.ran and len(slack.channel_messages(ANNOUNCE)) == 1


async def test_skipped_call_stays_skipped_after_the_deadline(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    bare = settings.model_copy(update={"announce_channel_id": None,
                                       "mailing_list_address": None})
    await new_cycle(db, bare, title="Quiet", deadline="2026-07-31", session="2026-08-10",
                    announce="2026-07-01T09:00:00+00:00")
    await make_sched(db, bare).tick(at("2026-07-01T09:00:30+00:00"))
    configured = bare.model_copy(update={"announce_channel_id": ANNOUNCE})
    report, _ = await make_sched(db, configured).tick(at("2026-08-02T08:00:00+00:00"))
    assert not [r for r in report.ran if r.startswith("call:")]
    assert not [m for m in slack.channel_messages(ANNOUNCE) if "Call for speakers" in m["text"]]


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def _env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_", "ANNOUNCE_", "MAILING_",
                                "BOT_EMAIL", "LEADERSHIP_", "LOG_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=db_url, TIMEZONE="UTC", **extra)
    return env


def test_cycle_open_warns_without_announcement_targets(db_url: str, tmp_path: Path) -> None:
    env = _env(db_url)
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    opened = cli("cycle", "open", "--title", "March", "--deadline", "2030-03-01",
                 "--session-date", "2030-03-20", env=env, cwd=tmp_path)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip().isdigit()  # stdout stays the id alone
    assert "ANNOUNCE_CHANNEL_ID" in opened.stderr and "MAILING_LIST_ADDRESS" in opened.stderr
    assert len(opened.stderr.strip().splitlines()) == 1

    env = _env(db_url, ANNOUNCE_CHANNEL_ID=ANNOUNCE)
    quiet = cli("cycle", "open", "--title", "April", "--deadline", "2030-02-15",
                "--session-date", "2030-04-20", env=env, cwd=tmp_path)
    assert quiet.returncode == 0
    # It overlaps March, whose deadline is later: submissions go to the earliest deadline.
    [line] = quiet.stderr.strip().splitlines()
    first = opened.stdout.strip()
    assert "overlaps" in line and f"cycle {first}" in line
    assert f"go to cycle {quiet.stdout.strip()}" in line
