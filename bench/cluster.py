"""Several `wgml-bot run --http` replicas on one database, and the scale-out scenario.

Used by bench/scaleout.py (figures) and tests/app/test_scaleout.py (behaviour only). The
scenario: talks submitted through different replicas, a burst of vote presses spread over
the replicas, one replica killed with SIGKILL mid-burst, then every invariant checked from
the database and from what the Slack emulator received.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import signal
import subprocess
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench.common import clean_env, start, wait_healthy
from bot.demo.emulator.requests import SlackSender, block_action
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from bot.talks.cycles import CycleRequest, open_cycle
from scheduler.outbox_slack import EVENT_TYPE
from storage.db import Database
from storage.models import OutboxMessage, Vote

CHOICES = ("yes", "maybe", "no")


class Cluster:
    def __init__(self, size: int, env: dict[str, str], workdir: Path, secret: str) -> None:
        self.size = size
        self.env = env
        self.workdir = workdir
        self.secret = secret
        self.procs: list[subprocess.Popen[bytes]] = []
        self.senders: list[SlackSender] = []
        self.killed: set[int] = set()
        self.startup: list[float] = []

    async def start(self) -> Cluster:
        ports = [free_port() for _ in range(self.size)]
        for i, port in enumerate(ports):
            self.procs.append(start(["-m", "bot", "run", "--http", "--port", str(port)],
                                    self.env, self.workdir / f"replica{i}.log"))
        for port in ports:
            self.startup.append(await wait_healthy(f"http://127.0.0.1:{port}/healthz"))
            self.senders.append(SlackSender(f"http://127.0.0.1:{port}/slack/events",
                                            self.secret))
        return self

    def kill(self, index: int) -> None:
        """SIGKILL: no shutdown, no finishing what is in hand."""
        self.procs[index].send_signal(signal.SIGKILL)
        self.procs[index].wait()
        self.killed.add(index)

    def alive(self) -> list[int]:
        return [i for i in range(self.size) if i not in self.killed]

    async def stop(self) -> None:
        for sender in self.senders:
            await sender.close()
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                await asyncio.to_thread(proc.wait, 30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def replica_env(db_url: str, slack: SlackEmulator, *, token: str, secret: str, leads: str,
                announce: str) -> dict[str, str]:
    return clean_env(DATABASE_URL=db_url, SLACK_BOT_TOKEN=token, SLACK_SIGNING_SECRET=secret,
                     SLACK_API_URL=slack.url, LEADERSHIP_CHANNEL_ID=leads,
                     ANNOUNCE_CHANNEL_ID=announce)


async def open_call(db: Database, now: dt.datetime) -> int:
    """An open cycle whose call is due at once: every replica's scheduler will want it."""
    async with db.transaction() as session:
        cycle = await open_cycle(session, CycleRequest(
            title="Scale-out", deadline=(now + dt.timedelta(days=30)).date(),
            session_date=(now + dt.timedelta(days=40)).date(), announce_at=now),
            zoneinfo.ZoneInfo("UTC"), now)
        return cycle.id


@dataclass
class Outcome:
    talks: int = 0
    presses: int = 0
    acked: set[tuple[int, str, str]] = field(default_factory=set)
    refused: int = 0  # connection refused or reset: the replica was dead or died
    stored: dict[tuple[int, str], str] = field(default_factory=dict)
    posts_per_key: Counter[str] = field(default_factory=Counter)
    card_posts: Counter[int] = field(default_factory=Counter)
    cards_agree: bool = False
    call_posts: int = 0
    burst_seconds: float = 0.0
    ack_latencies: list[float] = field(default_factory=list)
    per_replica: Counter[int] = field(default_factory=Counter)

    @property
    def lost(self) -> set[tuple[int, str, str]]:
        """Acknowledged votes that the database does not hold (must be empty)."""
        return {(sid, voter, value) for sid, voter, value in self.acked
                if self.stored.get((sid, voter)) != value}

    @property
    def doubled(self) -> list[str]:
        return [key for key, n in self.posts_per_key.items() if n > 1]


async def scenario(cluster: Cluster, slack: SlackEmulator, db: Database, *, leads: str,
                   announce: str, leaders: list[str], talks: int, kill: int | None,
                   kill_after: int) -> Outcome:
    """Submit talks, press votes across replicas; SIGKILL replica `kill` once it has
    acknowledged `kill_after` presses (so it dies with more in hand)."""
    out = Outcome(talks=talks)
    for t in range(talks):  # each talk through a different replica
        sender = cluster.senders[t % cluster.size]
        status, body = await sender.submit_view(
            f"USPEAK{t:04d}", f"VSCALE{t:06d}", title=f"Scale-out talk {t}",
            focus_area="other", abstract="A talk about running replicas. " * 3,
            email=f"s{t}@example.org", confirmed=True)
        if status != 200:
            raise RuntimeError(f"submission {t} answered HTTP {status}: {body[:200]}")
    await slack.wait_for(lambda: len(slack.channel_messages(leads)) >= talks, timeout=60)
    cards = {_sid(m): m for m in slack.channel_messages(leads)}
    presses = [(sid, leader, CHOICES[(i + j) % 3], cards[sid]["ts"])
               for j, sid in enumerate(sorted(cards)) for i, leader in enumerate(leaders)]
    out.presses = len(presses)
    killed = asyncio.Event()
    # The replica to be killed takes its presses a few at a time, so that when it dies it
    # has some acknowledged, some in hand and some not yet sent, whatever the machine's speed.
    victim_gate = asyncio.Semaphore(4)

    async def press(n: int, sid: int, voter: str, value: str, ts: str) -> None:
        replica = n % cluster.size
        gate = victim_gate if replica == kill else contextlib.nullcontext()
        async with gate:
            began = time.perf_counter()
            try:
                status, _ = await cluster.senders[replica].post(block_action(
                    voter, f"vote_{value}", f"{sid}:{value}", channel=leads, message_ts=ts))
            except (aiohttp.ClientError, OSError):
                out.refused += 1
                return
        if status == 200:
            out.acked.add((sid, voter, value))
            out.ack_latencies.append(time.perf_counter() - began)
            out.per_replica[replica] += 1
            if kill is not None and out.per_replica[kill] >= kill_after \
                    and not killed.is_set():
                killed.set()
                cluster.kill(kill)

    began = time.perf_counter()
    await asyncio.gather(*(press(n, *p) for n, p in enumerate(presses)))
    out.burst_seconds = time.perf_counter() - began
    await settle(db)
    async with db.session() as session:
        out.stored = {(sid, voter): value for sid, voter, value in (await session.execute(
            select(Vote.submission_id, Vote.voter, Vote.value))).all()}
    tallies = {sid: Counter(v for (s, _), v in out.stored.items() if s == sid) for sid in cards}
    await _wait_quietly(slack, lambda: all(
        _shows(_latest(slack, leads, sid), tallies[sid]) for sid in cards))
    out.cards_agree = all(_shows(_latest(slack, leads, sid), tallies[sid]) for sid in cards)
    for channel in list(slack.messages):
        for message in slack.channel_messages(channel):
            key = _key(message)
            if key:
                out.posts_per_key[key] += 1
    out.card_posts = Counter(_sid(m) for m in slack.channel_messages(leads))
    out.call_posts = len(slack.channel_messages(announce))
    return out


async def settle(db: Database, timeout: float = 120.0) -> None:
    """Until the outbox holds nothing pending or being sent (the live replicas deliver)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with db.session() as session:
            busy = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status.in_(("pending", "sending"))))
        if not busy:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("the outbox did not drain")


async def _wait_quietly(slack: SlackEmulator, predicate: Any) -> None:
    try:
        await slack.wait_for(predicate, timeout=30)
    except TimeoutError:
        pass  # reported as cards_agree=False


def _sid(message: dict[str, Any]) -> int:
    for block in reversed(message.get("blocks") or []):
        for element in block.get("elements") or []:
            value = str(element.get("value") or "")
            if ":" in value:
                return int(value.split(":")[0])
    raise ValueError("a card without buttons")


def _latest(slack: SlackEmulator, channel: str, sid: int) -> dict[str, Any]:
    return next(m for m in slack.channel_messages(channel) if _sid(m) == sid)


def _shows(card: dict[str, Any], tally: Counter[str]) -> bool:
    want = f"Yes {tally['yes']} · Maybe {tally['maybe']} · No {tally['no']}"
    return want in json.dumps(card.get("blocks"), ensure_ascii=False)


def _key(message: dict[str, Any]) -> str | None:
    meta = message.get("metadata")
    if not isinstance(meta, dict) or meta.get("event_type") != EVENT_TYPE:
        return None
    payload = meta.get("event_payload")
    return str(payload.get("key")) if isinstance(payload, dict) else None

