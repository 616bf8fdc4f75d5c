"""The live scheduler stops within seconds while its tick waits on a slow Slack (the leaders
read for a digest): the tick in hand gets a short grace, then it is cut at its network call
(leaders are read before any transaction opens). The bound detects a hang (the old stop let
the tick run on for up to 30 s); it asserts no speed."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

import scheduler.runner as runner_module
from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.talks.cycles import CycleRequest, open_cycle
from scheduler.runner import LiveScheduler
from storage.db import Database


@pytest.fixture(autouse=True)
def _short_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "STOP_SECONDS", 1.0, raising=False)


async def test_cancel_stops_a_tick_waiting_on_slack(
    settings: Settings, db: Database, slack: SlackEmulator,
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    async with db.transaction() as session:  # past its deadline: the digest is due
        await open_cycle(session, CycleRequest(
            title="Past call", deadline=today - dt.timedelta(days=2),
            session_date=today + dt.timedelta(days=10),
            announce_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=9)),
            settings.zone, dt.datetime.now(dt.UTC) - dt.timedelta(days=9))
    slack.stall("conversations.members", count=10)
    bot = Bot.build(settings, db=db)
    live = LiveScheduler(bot.services, bot.deliverer)
    task = asyncio.create_task(live.run())
    try:
        await slack.wait_for(lambda: slack.stalled >= 1, timeout=30)
        task.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(task), 10)
        except asyncio.CancelledError:
            pass
        except TimeoutError:
            raise AssertionError("the scheduler did not stop while its tick waited") from None
        assert task.cancelled()
    finally:
        slack.release()
        if not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=30)
        await bot.stop_background()
