"""A vote's acknowledgement over HTTP while a JSON export of the whole history runs (issue
29, "votes during an export"), on SQLite: a real `wgml-bot run --http` on a seeded database
(bench/scale_seed.py), signed block_actions presses (the leaders' Yes/Maybe/No) against it,
one every INTERVAL seconds, first alone, then while `wgml-bot export --format json` runs in
a process of its own, as an operator would run it next to the service.

    python -m bench.export_ack [--talks 10000] [--nice N]

Prints the acknowledgements' latencies alone and during the export (the goal: well under a
second), the export's own time and its output size, and checks every vote was stored.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench.common import clean_env, start, stop, summary, wait_healthy
from bench.scale_seed import BIG_CALL, LEADERS, LEADS, card_ts, seed
from bot.demo.emulator.requests import SlackSender, block_action
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from storage.db import Database
from storage.models import Submission, Vote

SECRET = "bench-secret"
TOKEN = "xoxb-bench"
INTERVAL = 0.1  # seconds between presses
ALONE = 30  # presses before the export


async def _talks(db: Database) -> list[int]:
    async with db.read() as session:
        return list((await session.scalars(select(Submission.id).where(
            Submission.cycle_id == BIG_CALL, Submission.status == "submitted")
            .order_by(Submission.id).limit(200))).all())


async def _stored(db: Database, pressed: dict[tuple[int, str], str]) -> int:
    """How many of the pressed (talk, leader) votes hold the value last pressed."""
    async with db.read() as session:
        rows = (await session.execute(select(Vote.submission_id, Vote.voter, Vote.value)
                                      .where(Vote.submission_id.in_({k[0] for k in pressed}))
                                      )).all()
    return sum(1 for sid, voter, value in rows if pressed.get((sid, voter)) == value)


class Presser:
    """Presses Yes, Maybe and No on the open call's cards, each from a leader in turn."""

    def __init__(self, sender: SlackSender, talks: list[int]) -> None:
        self.sender, self.talks, self.n = sender, talks, 0
        self.last: dict[tuple[int, str], str] = {}  # each (talk, leader)'s latest press
        self.failed: list[str] = []

    async def press(self) -> float:
        n, self.n = self.n, self.n + 1
        sid = self.talks[n % len(self.talks)]
        value = ("yes", "maybe", "no")[n % 3]
        leader = LEADERS[(n // len(self.talks)) % len(LEADERS)]
        self.last[(sid, leader)] = value
        body = block_action(leader, f"vote_{value}", f"{sid}:{value}", channel=LEADS,
                            message_ts=card_ts(sid))
        began = time.perf_counter()
        status, text = await self.sender.post(body)
        took = time.perf_counter() - began
        if status != 200:  # e.g. 503 "could not store this in time": counted, not stored
            self.failed.append(f"HTTP {status} after {took * 1000:.0f} ms: {text[:80]}")
            self.last.pop((sid, leader), None)
        return took


async def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.export_ack", description=__doc__)
    ap.add_argument("--talks", type=int, default=10_000)
    ap.add_argument("--nice", type=int, default=0, metavar="N",
                    help="run the export under `nice -n N` (is the delay CPU or locking?)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="wgml-export-ack-"))
    url = f"sqlite+aiosqlite:///{work / 'bench.db'}"
    db = Database(url)
    began = time.perf_counter()
    await seed(db, args.talks, now=dt.datetime.now(dt.UTC).replace(microsecond=0))
    print(f"seeded {args.talks:,} talks in {time.perf_counter() - began:.1f} s (SQLite)")
    talks = await _talks(db)
    slack = await SlackEmulator(token=TOKEN, members={LEADS: list(LEADERS)}).start()
    env = clean_env(DATABASE_URL=url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_URL=slack.url, LEADERSHIP_CHANNEL_ID=LEADS)
    port = free_port()
    bot = start(["-m", "bot", "run", "--http", "--port", str(port)], env, work / "bot.log")
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET)
    alone: list[float] = []
    during: list[float] = []
    try:
        await wait_healthy(f"http://127.0.0.1:{port}/healthz")
        presser = Presser(sender, talks)
        for _ in range(5):  # warm up (a press refused here is not counted)
            await presser.press()
        warm_failed, presser.failed = presser.failed, []
        for _ in range(ALONE):
            alone.append(await presser.press())
            await asyncio.sleep(INTERVAL)
        with (work / "export.json").open("wb") as out:
            export_began = time.perf_counter()
            nice = ["nice", "-n", str(args.nice)] if args.nice else []
            export = await asyncio.create_subprocess_exec(
                *nice, sys.executable, "-m", "bot", "export", "--format", "json", env=env,
                stdout=out, stderr=asyncio.subprocess.PIPE)
            finished = asyncio.ensure_future(export.wait())
            while not finished.done():
                during.append(await presser.press())
                await asyncio.sleep(INTERVAL)
            export_took = time.perf_counter() - export_began
        if export.returncode != 0:
            assert export.stderr is not None
            raise RuntimeError(f"export failed: {(await export.stderr.read())[-400:]!r}")
        await asyncio.sleep(2.0)  # the batcher's last commit
    finally:
        await sender.close()
        stop(bot)
        await slack.stop()
    stored = await _stored(db, presser.last)
    await db.dispose()
    size = (work / "export.json").stat().st_size
    print(f"== A vote's acknowledgement over HTTP, SQLite, {args.talks:,} talks ==")
    print(f"alone          {summary(alone)}")
    print(f"during export  {summary(during)}")
    print(f"export json: {export_took:.2f} s ({size / 2**20:.1f} MiB), "
          f"{len(during)} presses during it")
    if warm_failed:
        print(f"refused while warming up: {len(warm_failed)} ({warm_failed[0]})")
    print(f"refused: {len(presser.failed)}" + (f" ({presser.failed[0]})" if presser.failed
                                               else ""))
    print(f"votes pressed {presser.n}, on {len(presser.last)} (talk, leader) pairs: "
          f"{stored} stored as last pressed "
          f"({'none lost' if stored == len(presser.last) else 'LOST VOTES'})")
    return 0 if stored == len(presser.last) else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
