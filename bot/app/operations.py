"""What the command line asks of the scheduler and the outbox without running the service:
one tick, delivering what is queued, and the outbox as operators see it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.app import parts
from bot.config import Settings
from bot.email.capped import retry_capped
from scheduler.outbox import DeliveryReport
from scheduler.outbox_admin import OutboxError, OutboxLine, list_messages, retry
from scheduler.tick import Ticker, TickReport
from storage.db import Database

__all__ = ["OutboxError", "OutboxLine", "TickResult", "deliver_all", "list_messages", "retry",
           "tick"]


@dataclass(frozen=True)
class TickResult:
    jobs: TickReport
    delivery: DeliveryReport


async def tick(settings: Settings, db: Database, now: dt.datetime) -> TickResult:
    """Every job due at `now` once, then every message due at `now` (NOW is the clock)."""
    deliverer = parts.deliverer(settings, db, clock=lambda: now)
    report = await Ticker(db, settings, deliverer.slack).run_jobs(now)
    await retry_capped(db, settings, now=now)  # mail the hourly cap held back, if room now
    return TickResult(report, await deliverer.drain(now))


async def deliver_all(settings: Settings, db: Database, now: dt.datetime) -> None:
    """Deliver what a command queued before it exits; failures stay queued for later."""
    deliverer = parts.deliverer(settings, db)
    for _ in range(100):
        report = await deliverer.deliver_due(now)
        if not (report.sent or report.superseded):
            break
