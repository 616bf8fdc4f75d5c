"""The live scheduler in `wgml-bot run`: APScheduler wakes it, the database decides.

An interval job ticks every TICK_SECONDS on the real clock, and a one-off wake-up is set for
the next known due time so a call goes out on the minute rather than up to 30 s late. Every
tick is the same `Ticker.run_jobs` that `wgml-bot tick` runs; claims in the database keep
posts single across replicas. Delivery is the service's Deliverer, kicked after each tick.

The ticker and the jobs' planning are imported when the scheduler starts (in its task, once
`run` serves), each job's code when it runs (scheduler.tick).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from bot.email.capped import retry_capped
from bot.services import Services
from bot.talks.status import CycleStatus
from scheduler.outbox import Deliverer
from storage.models import Cycle

log = logging.getLogger("wgml.scheduler")

TICK_SECONDS = 30
STOP_SECONDS = 5.0  # how long a stop lets the tick in hand finish
WAKE_JOB = "wgml-wake"
_LIVE: list[LiveScheduler] = []


def wake() -> None:
    """Tick now rather than at the next interval (e.g. right after a cycle was opened)."""
    for live in _LIVE:
        live._wake.set()


class LiveScheduler:
    def __init__(self, services: Services, deliverer: Deliverer) -> None:
        from scheduler.tick import Ticker

        self.services = services
        self.deliverer = deliverer
        self.ticker = Ticker(services.db, services.settings, deliverer.slack)
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self._wake = asyncio.Event()
        self.ticks = 0  # completed ticks, for operators' logs and tests

    async def _wake_up(self) -> None:
        # APScheduler only wakes the loop in `run`; ticks run there, one at a time, and are
        # cancelled with the service (never left half-done on a closed database).
        self._wake.set()

    async def tick(self) -> None:
        now = self.services.now()
        try:
            report = await self.ticker.run_jobs(now)
            if report.ran:
                self.deliverer.kick()
            await self._plan_wake(now)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("event=scheduler.tick_error")
        try:
            # Mail the hourly cap on answers to strangers held back, once there is room.
            if await retry_capped(self.services.db, self.services.settings, now=now):
                self.deliverer.kick()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("event=scheduler.capped_mail_error")
        try:
            # Vote presses kept because the database was slow, left over by a crash or a
            # failure: applied here, at start-up and then every tick.
            from bot.curation import ack

            await ack.replay(self.services)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("event=scheduler.late_presses_error")
        self.ticks += 1

    async def _plan_wake(self, now: dt.datetime) -> None:
        from scheduler import jobs

        settings = self.services.settings
        async with self.services.db.session() as session:
            cycles = (await session.scalars(
                select(Cycle).where(Cycle.status == CycleStatus.OPEN))).all()
            facts = [jobs.CycleFacts(c.id, c.announce_at, c.deadline, c.deadline_date,
                                     c.decide_by)
                     for c in cycles]
        wake = jobs.next_due(facts, settings.zone, settings.reminder_day_list, now)
        themes = jobs.next_themes_due(settings.zone, now)
        wake = min((t for t in (wake, themes) if t is not None), default=None)
        if settings.call_schedule:
            fire = jobs.next_cron_fire(settings.call_schedule, settings.zone, now)
            wake = min((t for t in (wake, fire) if t is not None), default=None)
        if wake is None or wake - now > dt.timedelta(seconds=TICK_SECONDS):
            return  # the interval tick comes sooner
        self.scheduler.add_job(self._wake_up, "date", run_date=wake + dt.timedelta(seconds=1),
                               id=WAKE_JOB, replace_existing=True, misfire_grace_time=None)

    async def run(self) -> None:
        self.scheduler.add_job(self._wake_up, "interval", seconds=TICK_SECONDS,
                               id="wgml-tick", coalesce=True, max_instances=1,
                               misfire_grace_time=None)
        self.scheduler.start()
        log.info("event=scheduler.started interval_s=%s", TICK_SECONDS)
        self._wake.set()  # tick once at start: catch up on what came due while down
        _LIVE.append(self)
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                # A tick cancelled half-way through a database call can leave the pool
                # waiting forever: on shutdown, let the tick in hand finish first.
                current = asyncio.create_task(self.tick())
                try:
                    await asyncio.shield(current)
                except asyncio.CancelledError:
                    # Bounded: a tick still waiting after STOP_SECONDS is waiting on Slack
                    # (leaders are read before any transaction opens), safe to cut.
                    await asyncio.wait({current}, timeout=STOP_SECONDS)
                    if not current.done():
                        current.cancel()
                        await asyncio.wait({current}, timeout=STOP_SECONDS)
                    raise
        finally:
            _LIVE.remove(self)
            self.scheduler.shutdown(wait=False)


async def scheduler_task(services: Services, deliverer: Deliverer) -> None:
    await LiveScheduler(services, deliverer).run()

