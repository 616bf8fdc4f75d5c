"""What handlers and jobs are given: settings, database, delivery and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.config import Settings
from bot.curation.leaders import LeaderDirectory
from scheduler.outbox import Deliverer
from storage.db import Database


def real_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Services:
    settings: Settings
    db: Database
    deliverer: Deliverer
    clock: Callable[[], dt.datetime] = field(default=real_clock)
    # Who may vote and decide; set where the Slack client is built (handlers.slack.curation).
    leaders: LeaderDirectory | None = None

    def now(self) -> dt.datetime:
        return self.clock()
