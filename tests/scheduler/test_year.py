"""A simulated year of monthly cycles (CALL_SCHEDULE) with crashes, outages and restarts.

Seeded randomness: the same year every run. At the end every call, reminder and digest
went out exactly once, at the first tick after it was due (unless that tick crashed), or was
skipped for a stated reason; nothing is left in the outbox.
"""

from __future__ import annotations

import datetime as dt
import random
import socket
from collections import Counter
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from scheduler.jobs import Occurrence
from scheduler.outbox import Deliverer
from scheduler.tick import Action, Outcome, Ticker
from storage.db import Database
from tests.conftest import ANNOUNCE, LEADS
from tests.sched_helpers import at, cycles, job_runs, make_sched, outbox_rows

SEED = 20270102


class Crash(RuntimeError):
    pass


class CrashingTicker(Ticker):
    """Dies inside a job's transaction now and then: nothing of that job is committed."""

    def __init__(self, *args: Any, rng: random.Random, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rng = rng
        self.crashed: list[tuple[str, dt.datetime]] = []

    def _action(self, occ: Occurrence, now: dt.datetime) -> Action:
        inner = super()._action(occ, now)

        async def run(session: AsyncSession) -> Outcome:
            result = await inner(session)  # messages queued in this transaction...
            if self.rng.random() < 0.08:
                self.crashed.append((f"{occ.job}:{occ.cycle_id}:{occ.occurrence}", now))
                raise Crash("process died before commit")  # ...and rolled back with it
            return result

        return run


async def test_a_year_of_monthly_cycles_with_crashes(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    rng = random.Random(SEED)
    cfg = settings.model_copy(update={"timezone": "Europe/London", "reminder_days": "7,1",
                                      "call_schedule": "0 9 1 * *"})
    mails: Counter[str] = Counter()

    async def flaky_mail(payload: dict[str, Any]) -> None:
        if rng.random() < 0.15:
            raise ConnectionRefusedError("SMTP server down")
        mails[payload["message_id"]] += 1

    sched = make_sched(db, cfg, flaky_mail)
    # Crashes draw from their own sequence: adding a job to the schedule must not reshuffle
    # the year's outages and faults (the year's shape stays what it was).
    ticker = CrashingTicker(db, cfg, sched.deliverer.slack, rng=random.Random(SEED + 1))
    dead = f"{socket.gethostname()}:{2**22 + 11}:dead"
    ticks: list[dt.datetime] = []
    now = at("2027-01-01T00:00:00+00:00")
    end = at("2028-01-01T00:00:00+00:00")
    outages = 0
    deduplicated = 0
    while now < end:
        roll = rng.random()
        if roll < 0.03:
            now += dt.timedelta(days=rng.uniform(1, 9))  # the bot was down
            outages += 1
            continue
        if roll < 0.12:
            status = rng.choice([429, 500])
            slack.fail("chat.postMessage", status, count=rng.randint(1, 3),
                       retry_after=rng.randint(1, 600) if status == 429 else None)
        ticks.append(now)
        sched.deliverer.clock = lambda now=now: now  # type: ignore[misc]
        await ticker.run_jobs(now)
        if rng.random() < 0.1:
            # A delivering process dies: holding claims, sometimes after Slack posted.
            dying = Deliverer(db, sched.deliverer.slack, flaky_mail, worker=dead)
            for row in await dying._claim(now, 5, set()):
                if row.kind != "email" and rng.random() < 0.5:
                    try:
                        await dying._send(row)
                    except Exception:  # noqa: S110 - it dies anyway
                        pass
        deduplicated += (await sched.deliverer.drain(now)).deduplicated
        now += dt.timedelta(hours=rng.uniform(3, 14))
    # Quiet days after the year: Slack and SMTP healthy again; the outbox empties.
    slack.faults.clear()
    rng_healthy = random.Random(0)
    rng.random = rng_healthy.random  # type: ignore[method-assign]
    for _ in range(30):
        now += dt.timedelta(hours=2)
        ticks.append(now)
        sched.deliverer.clock = lambda now=now: now  # type: ignore[misc]
        await ticker.run_jobs(now)
        await sched.deliverer.drain(now)

    # The year really was rough: outages, crashed jobs, posts made by dying processes.
    assert outages >= 5 and ticker.crashed and deduplicated >= 1
    opened = await cycles(db)
    assert 12 <= len(opened) <= 13  # 2027's twelve, and January 2028's during the quiet days
    runs = await job_runs(db)
    by_key = {(r.job, r.cycle_id, r.occurrence): r for r in runs}
    assert len(by_key) == len(runs)
    finished = [c for c in opened if c.deadline < now]
    assert len(finished) == 12
    for cycle in finished:
        mine = [r for r in runs if r.cycle_id == cycle.id]
        counts = Counter(r.job for r in mine)
        # The session's steps (no talk was accepted: each is claimed once and skipped), up
        # to the recap seven days after the session.
        session_steps = {"attend_leaders": 1, "program": 1, "session_day": 1,
                         "slides_request": 1, "recap": 1}
        if cycle.session_date + dt.timedelta(days=8) > now.date():
            session_steps = {k: v for k, v in session_steps.items() if counts[k]}
        assert counts == {"call": 1, "reminder": 2, "speaker_reminder": 1, "digest": 1,
                          "vote_nudge": 1, "decide_summary": 1, **session_steps}
    crashed_at = {(label, t) for label, t in ticker.crashed}
    for r in runs:
        if r.outcome == "skipped":
            assert r.detail and any(w in r.detail for w in (
                "purpose passed", "superseded", "before the call", "no confirmed talk",
                "nobody to tell")), r.detail
            continue
        assert r.outcome == "ran"
        # On time: the first tick at or after it was due, unless that tick crashed on it.
        label = f"{r.job}:{r.cycle_id}:{r.occurrence}"
        first = next(t for t in ticks if t >= r.due_at)
        assert r.claimed_at == first or (label, first) in crashed_at, label
    ran = Counter(r.job for r in runs if r.outcome == "ran")
    assert any(r.outcome == "skipped" and r.job == "reminder" for r in runs)
    announce = [m["text"] for m in slack.channel_messages(ANNOUNCE)]
    leads = slack.channel_messages(LEADS)
    themes = [m for m in leads if m["text"].startswith("Common pain points")]
    digests = [m for m in leads if m["text"].startswith(":clipboard:")]
    summaries = [m for m in leads if m["text"].startswith(":scales:")]
    # The quarterly themes post: once a quarter whatever the crashes and outages (at most
    # one quarter missed when an outage covered its whole week of grace).
    quarters = [m["text"].rsplit(" ", 1)[-1] for m in themes]
    assert len(set(quarters)) == len(quarters) == ran["themes"] and len(quarters) >= 3
    assert len(summaries) == ran["decide_summary"]
    assert len(leads) == len(digests) + len(summaries) + len(themes)
    assert len(announce) == ran["call"] + ran["reminder"] and len(set(announce)) == len(announce)
    assert len(digests) == ran["digest"] == len(finished)
    assert sum(1 for t in announce if "Call for speakers" in t) == ran["call"]
    assert all(n == 1 for n in mails.values()) and len(mails) == ran["call"]
    rows = await outbox_rows(db)
    assert {r.status for r in rows} == {"sent"}
