"""What handlers and jobs are given: settings, database, delivery and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.config import Settings
from bot.leaders import LeaderDirectory
from storage.db import Database


def real_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Delivery(Protocol):
    """The outbox's deliverer as handlers see it: told when there is something to send."""

    def kick(self, after: float = 0.0) -> None: ...


@dataclass
class Services:
    settings: Settings
    db: Database
    deliverer: Delivery
    clock: Callable[[], dt.datetime] = field(default=real_clock)
    # Who may vote and decide (the leadership channel's members); built by bot.app with the
    # Slack client. None where there is no Slack (e.g. `email ingest`): nobody is a leader.
    leaders: LeaderDirectory | None = None

    def now(self) -> dt.datetime:
        return self.clock()
