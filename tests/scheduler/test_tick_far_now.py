"""`tick --now` years away from the clock is refused in one line, before anything runs: a
tick at 9999-12-31 would record every job before it as run or skipped for good."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import Settings
from storage.db import Database
from tests.sched_helpers import job_runs, new_cycle
from tests.scheduler.test_scheduler_live import ROOT, cli


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59", "1970-01-01T00:00:00Z"])
async def test_a_now_years_away_is_refused(db_url: str, db: Database, settings: Settings,
                                           tmp_path: Path, when: str) -> None:
    await new_cycle(db, settings, title="March session", deadline="2026-03-31",
                    session="2026-04-15", announce="2026-03-02T10:00:00+00:00")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    env.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT))
    result = await cli(env, tmp_path, "tick", "--now", when)
    assert result.returncode != 0, result.stdout
    assert "more than 5 years from the clock" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert await job_runs(db) == []
