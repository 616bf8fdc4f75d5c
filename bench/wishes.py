"""Wishes at scale: asking (the near-duplicate scan over every open wish), pressing,
listing the most backed, the submission form's select, with 3,000 open wishes against a
baseline of 100 in the same run (SQLite, in process). Prints milliseconds and ratios.

    python -m bench.wishes
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import insert

from bot.wishes.answers import answerable
from bot.wishes.store import ask, most_backed, press
from bot.wishes.text import normalise
from storage.db import Database
from storage.models import Base, Wish, WishBacking

SMALL, LARGE = 100, 3000
NOW = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
WORDS = ("splat denoise roto matte rig lipsync upscale depth usd asset farm gpu llm rag "
         "review shot plate lens hair fur cloth crowd layout lighting comp track").split()


def _text(rng: random.Random, n: int) -> str:
    return f"{' '.join(rng.sample(WORDS, 5))} case{n} in production at scale"


async def _database(path: Path, n: int) -> Database:
    db = Database(f"sqlite+aiosqlite:///{path}")
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    rng = random.Random(n)
    async with db.transaction() as session:
        texts = [_text(rng, i) for i in range(n)]
        await session.execute(insert(Wish), [
            {"text": t, "key": normalise(t), "by": f"U{i:05d}", "status": "open",
             "created_at": NOW} for i, t in enumerate(texts)])
        await session.execute(insert(WishBacking), [
            {"wish_id": i + 1, "member": f"UB{j:03d}", "active": True, "at": NOW}
            for i in range(n) for j in range(rng.randint(1, 6))])
    return db


async def _time(fn: Callable[[], Awaitable[object]], rounds: int = 15) -> float:
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


async def _measure(db: Database) -> dict[str, float]:
    counter = iter(range(10**6))

    async def asking() -> None:
        async with db.transaction() as session:
            await ask(session, f"UASK{next(counter)}", f"a brand new topic {next(counter)}", NOW)

    async def pressing() -> None:
        async with db.transaction() as session:
            await press(session, 1, f"UPRESS{next(counter)}", NOW, action_us=next(counter) + 1)

    async def listing() -> None:
        async with db.session() as session:
            await most_backed(session, 40)

    async def select_options() -> None:
        async with db.session() as session:
            await answerable(session, 100)

    await asking()  # warm the tokeniser's memo and the connection
    return {"ask": await _time(asking), "press": await _time(pressing),
            "list 40": await _time(listing), "form select": await _time(select_options)}


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        small = await _database(Path(tmp) / "small.db", SMALL)
        large = await _database(Path(tmp) / "large.db", LARGE)
        try:
            base, big = await _measure(small), await _measure(large)
        finally:
            await small.dispose()
            await large.dispose()
    print(f"wishes: median ms per operation, {SMALL} open wishes (baseline) vs {LARGE}")
    print(f"{'operation':<12} {SMALL:>8} {LARGE:>8} {'ratio':>7}")
    for name in base:
        print(f"{name:<12} {base[name]:>8.2f} {big[name]:>8.2f} {big[name] / base[name]:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
