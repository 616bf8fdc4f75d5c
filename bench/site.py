"""The public archive at scale: `site build` (read, render, write) with 10,000 published talks
against a baseline of 1,000 in the same run (SQLite, in process), each talk with a confirmed
and a pending version, five talks a session. Prints seconds and the ratio (linear is 10).

    python -m bench.site
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from bot.config import Settings
from bot.sessions.archive import read_archive
from bot.site import build_site
from storage.db import Database
from storage.models import Base, Cycle, Speaker, Submission, SubmissionVersion

SMALL, LARGE = 1_000, 10_000
PER_SESSION = 5
NOW = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
FOCUS = ("content_creation", "llm_pipeline", "infrastructure", "other")


async def _database(path: Path, n: int) -> Database:
    db = Database(f"sqlite+aiosqlite:///{path}")
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    sessions = n // PER_SESSION
    async with db.transaction() as session:
        await session.execute(insert(Cycle), [{
            "id": c + 1, "title": f"Session {c + 1}", "deadline": NOW, "announce_at": NOW,
            "deadline_date": NOW.date(), "session_date": NOW.date() - dt.timedelta(days=c + 1),
            "timezone": "Europe/London", "status": "closed",
            "program_talks": list(range(c * PER_SESSION + 1, (c + 1) * PER_SESSION + 1))}
            for c in range(sessions)])
        await session.execute(insert(Speaker), [
            {"id": i + 1, "name": f"Speaker {i}", "studio": f"Studio {i % 40}"}
            for i in range(n)])
        text = "We tried a model on a task and measured what worked and what failed. " * 6
        await session.execute(insert(Submission), [{
            "id": i + 1, "ref": f"WGML-2026-{i + 1:05d}", "cycle_id": i // PER_SESSION + 1,
            "speaker_id": i + 1, "title": f"Talk {i} on roto and hair", "abstract": text,
            "results": "Saved a third of the time.", "focus_area": FOCUS[i % 4],
            "studio": f"Studio {i % 40}", "source": "slack", "status": "accepted",
            "confidentiality_confirmed": True, "attendance": "confirmed", "publish": True,
            "slides_url": f"https://slides.example.org/{i}", "created_at": NOW,
            "updated_at": NOW} for i in range(n)])
        await session.execute(insert(SubmissionVersion), [{
            "submission_id": i + 1, "n": k, "title": f"Talk {i} on roto and hair",
            "focus_area": FOCUS[i % 4], "abstract": text if k == 1 else "pending edit",
            "results": "", "studio": f"Studio {i % 40}", "created_at": NOW,
            "created_by": "U1", "channel": "slack",
            "confirmed_at": NOW if k == 1 else None} for i in range(n) for k in (1, 2)])
    return db


async def _measure(db: Database, out: Path, rounds: int = 3) -> dict[str, float]:
    settings = Settings(_env_file=None, site_url="https://wgml.example.org/")  # type: ignore[call-arg]
    reads, builds = [], []
    for _ in range(rounds):
        began = time.perf_counter()
        async with db.read() as session:
            archive = await read_archive(session, now=NOW)
        reads.append(time.perf_counter() - began)
        assert len(archive.talks) > 0
        began = time.perf_counter()
        await build_site(db, out, settings, now=NOW)
        builds.append(time.perf_counter() - began)
    return {"query": statistics.median(reads), "site build": statistics.median(builds)}


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        small = await _database(Path(tmp) / "small.db", SMALL)
        large = await _database(Path(tmp) / "large.db", LARGE)
        try:
            base = await _measure(small, Path(tmp) / "small-site")
            big = await _measure(large, Path(tmp) / "large-site")
        finally:
            await small.dispose()
            await large.dispose()
    print(f"site: median seconds, {SMALL} published talks (baseline) vs {LARGE}")
    print(f"{'operation':<12} {SMALL:>8} {LARGE:>8} {'ratio':>7}")
    for name in base:
        print(f"{name:<12} {base[name]:>8.3f} {big[name]:>8.3f} {big[name] / base[name]:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
