"""Ten years of the group (issue 29): each operation a person waits on, timed at two sizes
of seeded history (bench/scale_seed.py), in process through the functions the handlers and
commands call, with the growth ratio, the queries each ran (a `before_cursor_execute`
count; an operation whose queries grow with the data is flagged N+1) and its peak memory
(tracemalloc's peak of Python allocations, in a run of its own so it does not slow the
timed ones). Times are medians of ROUNDS runs.

    python -m bench.scale [--sizes 1000,10000] [--full] [--postgres]

Default sizes 500 and 5,000 (10x) keep `make bench` short; `--sizes 1000,10000` is issue
29's measurement, `--full` adds 100,000 talks for the exports and themes (the other
operations read one 1,000-talk call, whatever the history). Also measured: the old
whole-graph export (bench/export_baseline.py) as the same-run baseline, the index
migration (0014) on the seeded database, and a vote's commit while an export runs (SQLite;
its acknowledgement over HTTP during an export: bench/export_ack.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from bench import export_baseline
from bench.common import fresh_postgres, postgres_reachable
from bench.scale_seed import BIG_CALL, LEADERS, LEADS, PROLIFIC, seed
from bot.cli.export import write_export
from bot.config import Settings
from bot.curation.actions import Mail, decide
from bot.curation.review import ReviewQuery, review_page
from bot.curation.vote_batch import VotePress, apply_votes
from bot.leaders import LeaderDirectory
from bot.people.networking import find_work
from bot.people.themes_report import themes_from_db
from bot.services import Services
from bot.site import build_site
from bot.slack_ui.home import home_view, load_home
from bot.slack_ui.review import review_answer
from bot.talks.export import Selection
from bot.talks.submissions import submissions_of
from bot.wishes.store import most_backed
from scheduler.decide import confirmed_talks, summary_posts
from scheduler.digest import build_digest
from scheduler.tick import Ticker
from storage.db import Database
from storage.migrate import downgrade, upgrade
from storage.models import Cycle, Submission

ROUNDS = 3
MAIL = Mail(domain="wgml-bot.example.org")


class Sink(io.TextIOBase):
    """Where an export goes: counts what it was given, keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


class Queries:
    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


Op = Callable[[Database], Awaitable[object]]


def _export(fmt: str) -> Op:
    async def run(db: Database) -> object:
        async with db.read() as session:
            await write_export(session, fmt, Sink(), Selection())
        return None
    return run


async def _export_before(db: Database) -> object:
    async with db.read() as session:
        return len(export_baseline.to_json(await export_baseline.export_data(session)))


async def _themes(db: Database) -> object:
    async with db.read() as session:
        return len((await themes_from_db(session))[0])


async def _wishes(db: Database) -> object:
    async with db.read() as session:
        return await most_backed(session)


class _NoDelivery:
    def kick(self, after: float = 0.0) -> None:
        return None


async def _members(channel: str) -> list[str]:
    return list(LEADERS) if channel == LEADS else []


def _services(db: Database) -> Services:
    """What a handler is given, with the leaders read from a stand-in of the channel."""
    settings = Settings(_env_file=None, database_url=db.url,  # type: ignore[call-arg]
                        leadership_channel_id=LEADS)
    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    return Services(settings=settings, db=db, deliverer=_NoDelivery(), clock=clock,
                    leaders=LeaderDirectory(_members, clock=clock))


async def _home(db: Database) -> object:
    """A leader's Home tab: the member's talks, the call's counts, what they owe."""
    services = _services(db)
    leaders = set(LEADERS)
    async with db.read() as session:
        data = await load_home(session, LEADERS[7], leaders, services.now())
    return home_view(data, services.settings.zone)


def _review(owed: bool) -> Op:
    async def run(db: Database) -> object:
        services = _services(db)
        outcome = await review_page(services, LEADERS[7], ReviewQuery(owed=owed))
        return review_answer(outcome, services.settings.slack_command)
    return run


async def _find(db: Database) -> object:
    async with db.read() as session:
        return len(await find_work(session, "denoising render"))


async def _tick(db: Database) -> object:
    """The scheduler's tick with nothing new due (what runs every 30 s)."""
    services = _services(db)
    return await Ticker(db, services.settings, None).run_jobs(services.now())


async def _site(db: Database) -> object:
    """`wgml-bot site build`: the archive read, rendered and written to a fresh folder."""
    with tempfile.TemporaryDirectory() as where:
        return await build_site(db, Path(where) / "site", _services(db).settings)


async def _mine(db: Database) -> object:
    async with db.read() as session:
        return len(await submissions_of(session, PROLIFIC))


async def _digest(db: Database) -> object:
    async with db.read() as session:
        cycle = await session.get(Cycle, BIG_CALL)
        assert cycle is not None
        return await build_digest(session, cycle, LEADERS)


async def _summary(db: Database) -> object:
    async with db.read() as session:
        cycle = await session.get(Cycle, BIG_CALL)
        assert cycle is not None
        talks = await confirmed_talks(session, cycle)
        return summary_posts(cycle, talks, hidden=False, leaders=LEADERS)


async def _undecided(db: Database, skip: int) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(Submission.id).where(
            Submission.cycle_id == BIG_CALL, Submission.status == "submitted")
            .order_by(Submission.id).offset(skip).limit(1)) or 0)


_votes = iter(range(10**9))


async def _vote(db: Database) -> object:
    """One press as the batcher applies it: its transaction, committed (the ack waits for
    it)."""
    sid = await _undecided(db, 500)
    n = next(_votes)
    press = VotePress(submission_id=sid, voter=LEADERS[n % len(LEADERS)],
                      value=("yes", "maybe", "no")[n % 3], now=dt.datetime.now(dt.UTC),
                      channel="CLEADERS1")
    async with db.transaction() as session:
        await apply_votes(session, [press])
    return None


def _decision(outcome: str) -> Op:
    async def run(db: Database) -> object:
        sid = await _undecided(db, 0)
        async with db.transaction() as session:
            return await decide(session, sid, LEADERS[0], outcome, now=dt.datetime.now(dt.UTC),
                                channel="CLEADERS1", mail=MAIL)
    return run


OPERATIONS: list[tuple[str, Op, bool]] = [  # (name, run, runs at --full's 100k too)
    ("Home tab (a leader)", _home, False),
    ("/wgml review (page 1)", _review(False), False),
    ("/wgml review mine (owed)", _review(True), False),
    ("/wgml find", _find, False),
    ("tick (nothing new due)", _tick, False),
    ("/wgml mine (prolific speaker)", _mine, False),
    ("/wgml wishes", _wishes, False),
    ("digest of the 1,000-talk call", _digest, False),
    ("ready-to-decide summary", _summary, False),
    ("vote (its transaction)", _vote, False),
    ("accept in the 1,000-talk call", _decision("accepted"), False),
    ("decline in the 1,000-talk call", _decision("declined"), False),
    ("themes", _themes, True),
    ("export json", _export("json"), True),
    ("export csv", _export("csv"), True),
    ("export ics", _export("ics"), True),
    ("site build (the public archive)", _site, False),
    ("export json before (whole graph)", _export_before, False),
]


async def _measure(db: Database, queries: Queries, run: Op) -> tuple[float, int, float]:
    """(median seconds, queries of one run, peak MiB)."""
    times = []
    for _ in range(ROUNDS):
        before = queries.count
        began = time.perf_counter()
        await run(db)
        times.append(time.perf_counter() - began)
        ran = queries.count - before
    tracemalloc.start()
    await run(db)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), ran, peak


async def _migration_seconds(db: Database) -> float:
    """Down to 0013 (`wgml-bot db downgrade`: 0014's indexes dropped), then the timed
    upgrade to the head."""
    await downgrade(db, "0013")
    began = time.perf_counter()
    await upgrade(db)
    return time.perf_counter() - began


async def _vote_during_export(db: Database) -> tuple[float, float]:
    """(the vote's commit while an export runs, alone), seconds."""
    alone = (await _measure(db, Queries(db), _vote))[0]
    export = asyncio.create_task(_export("json")(db))
    await asyncio.sleep(0.3)  # the export's read transaction is open and reading
    began = time.perf_counter()
    await _vote(db)
    during = time.perf_counter() - began
    await export
    return during, alone


async def _database(tmp: Path, n: int, postgres: bool) -> Database:
    url = (await fresh_postgres(f"wgml_scale_{n}") if postgres
           else f"sqlite+aiosqlite:///{tmp / f'scale-{n}.db'}")
    db = Database(url)
    began = time.perf_counter()
    counts = await seed(db, n)
    print(f"  seeded {n:,} talks in {time.perf_counter() - began:.1f} s "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))})")
    return db


async def run(sizes: list[int], full: bool, postgres: bool) -> int:
    where = "PostgreSQL" if postgres else "SQLite"
    print(f"ten years at scale ({where}; medians of {ROUNDS}; peak = tracemalloc):")
    results: dict[tuple[str, int], tuple[float, int, float]] = {}
    extra: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(set(sizes) | ({100_000} if full else set())):
            db = await _database(Path(tmp), n, postgres)
            queries = Queries(db)
            try:
                for name, op, at_full in OPERATIONS:
                    if n == 100_000 and not at_full:
                        continue
                    took, ran, peak = results[(name, n)] = await _measure(db, queries, op)
                    print(f"    {n:>7,} {name}: {took:.3f} s, {ran} queries, "
                          f"peak {peak:.1f} MiB", flush=True)
                extra.setdefault("migration 0014", []).append(
                    f"{n:,}: {await _migration_seconds(db):.2f} s")
                if not postgres:
                    during, alone = await _vote_during_export(db)
                    extra.setdefault("vote during an export", []).append(
                        f"{n:,}: {during * 1000:.0f} ms (alone {alone * 1000:.0f} ms)")
            finally:
                await db.dispose()
    ordered = sorted({n for _, n in results})
    small, big = ordered[0], (ordered[1] if len(ordered) > 1 else ordered[0])
    print(f"  {'operation':<34}" + "".join(f"{n:>10,}" for n in ordered)
          + f"  {'growth':>7} {'queries':>13} {'peak MiB':>9}")
    for name, _, _ in OPERATIONS:
        row = [results.get((name, n)) for n in ordered]
        a, b = results.get((name, small)), results.get((name, big))
        growth = f"{b[0] / a[0]:6.1f}x" if a and b and a[0] > 0 else "      -"
        q = f"{a[1] if a else '-'}->{b[1] if b else '-'}"
        # The exports read 1,000 talks a query (bot/talks/export.py CHUNK): their queries
        # grow with the chunks, by design, not with each talk.
        chunked = name.startswith("export") and "before" not in name
        flag = " N+1?" if a and b and b[1] > 2 * a[1] + 5 and not chunked else ""
        peak = max((r[2] for r in row if r), default=0.0)
        print(f"  {name:<34}" + "".join(f"{r[0]:9.3f}s" if r else f"{'-':>10}" for r in row)
              + f"  {growth} {q:>13}{flag} {peak:9.1f}")
    for name, values in extra.items():
        print(f"  {name}: " + "; ".join(values))
    if ("export json", big) in results and ("export json before (whole graph)", big) in results:
        print(f"  export json at {big:,}: {results[('export json', big)][0]:.2f} s against "
              f"{results[('export json before (whole graph)', big)][0]:.2f} s before "
              f"(peak {results[('export json', big)][2]:.1f} against "
              f"{results[('export json before (whole graph)', big)][2]:.1f} MiB)")
    return 0


async def main() -> int:
    sizes = [500, 5000]
    for arg in sys.argv[1:]:
        if arg.startswith("--sizes="):
            sizes = [int(x) for x in arg.split("=", 1)[1].split(",")]
    if "--sizes" in sys.argv:
        sizes = [int(x) for x in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    postgres = "--postgres" in sys.argv
    if postgres and not await postgres_reachable():
        print("bench.scale: PostgreSQL not reachable; skipped")
        return 0
    return await run(sizes, "--full" in sys.argv, postgres)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
