"""Driving the scheduler in-process with a fake clock: the Ticker and Deliverer `tick` uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.app.service import slack_client
from bot.config import Settings
from bot.talks.cycles import CycleRequest, open_cycle
from scheduler.outbox import Deliverer, DeliveryReport, EmailSender
from scheduler.tick import Ticker, TickReport
from storage.db import Database
from storage.models import Cycle, JobRun, OutboxMessage, Speaker, Submission, Vote

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


@dataclass
class Sched:
    db: Database
    settings: Settings
    deliverer: Deliverer
    ticker: Ticker

    async def tick(self, now: dt.datetime) -> tuple[TickReport, DeliveryReport]:
        self.deliverer.clock = lambda: now
        report = await self.ticker.run_jobs(now)
        return report, await self.deliverer.drain(now)

    async def close(self) -> None:
        return None  # AsyncWebClient opens a session per call: nothing to close


def make_sched(db: Database, settings: Settings, send_email: EmailSender | None = None,
               worker: str | None = None) -> Sched:
    deliverer = Deliverer(db, slack_client(settings), send_email, worker=worker)
    return Sched(db, settings, deliverer, Ticker(db, settings, deliverer.slack))


async def new_cycle(db: Database, settings: Settings, *, title: str, deadline: str,
                    session: str, announce: str) -> int:
    async with db.transaction() as s:
        cycle = await open_cycle(
            s, CycleRequest(title=title, deadline=dt.date.fromisoformat(deadline),
                            session_date=dt.date.fromisoformat(session),
                            announce_at=at(announce)),
            settings.zone, at(announce))
        return cycle.id


async def add_submission(db: Database, cycle_id: int, *, title: str, status: str,
                         studio: str = "Studio A", focus: str = "content_creation",
                         slack_user: str | None = None, email: str | None = None,
                         votes: dict[str, str] | None = None,
                         created_at: dt.datetime | None = None) -> int:
    async with db.transaction() as s:
        speaker = Speaker(name=title.split()[0], slack_user_id=slack_user, email=email,
                          studio=studio)
        sub = Submission(cycle_id=cycle_id, speaker=speaker, title=title, focus_area=focus,
                         abstract="We tried a thing and measured it carefully.",
                         results="", studio=studio,
                         source="slack" if slack_user else "email", status=status,
                         confidentiality_confirmed=status != "pending_confirmation",
                         created_at=created_at or dt.datetime.now(dt.UTC))
        s.add(sub)
        await s.flush()
        sub.ref = f"WGML-2026-{sub.id:03d}"
        for voter, value in (votes or {}).items():
            s.add(Vote(submission_id=sub.id, voter=voter, value=value))
        return sub.id


async def set_talk(db: Database, sid: int, **values: Any) -> None:
    async with db.transaction() as s:
        sub = await s.get(Submission, sid)
        assert sub is not None
        for key, value in values.items():
            setattr(sub, key, value)


async def job_runs(db: Database) -> list[JobRun]:
    async with db.session() as s:
        return list((await s.scalars(select(JobRun).order_by(JobRun.id))).all())


async def outbox_rows(db: Database) -> list[OutboxMessage]:
    async with db.session() as s:
        return list((await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def cycles(db: Database) -> list[Cycle]:
    async with db.session() as s:
        return list((await s.scalars(select(Cycle).order_by(Cycle.id))).all())


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text", "") for m in messages]
