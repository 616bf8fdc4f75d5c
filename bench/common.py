"""Shared bench plumbing: processes, ports, percentiles, a printed table."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent



def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    env.update(PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING", **extra)
    return env


def open_bench_cycle(env: dict[str, str]) -> None:
    """`wgml-bot db upgrade`, then an open call with its deadline a month away."""
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    day = dt.date.today()
    subprocess.run([sys.executable, "-m", "bot", "cycle", "open", "--title", "Bench",
                    "--deadline", str(day + dt.timedelta(days=30)),
                    "--session-date", str(day + dt.timedelta(days=40))],
                   env=env, check=True, capture_output=True)


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, *args], env=env, stdout=out, stderr=out,
                                cwd=log.parent)


async def wait_healthy(url: str, timeout: float = 60.0) -> float:
    """Seconds until `url` answers 200."""
    began = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        while time.perf_counter() - began < timeout:
            try:
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - began
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.01)
    raise TimeoutError(f"{url} never became healthy")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return (f"p50 {pct(values, 50) * 1000:7.1f} ms  p99 {pct(values, 99) * 1000:7.1f} ms  "
            f"max {max(values) * 1000:7.1f} ms  mean {statistics.fmean(values) * 1000:7.1f} ms")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


PG_URL = os.environ.get("PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")


async def fresh_postgres(prefix: str) -> str:
    """A new, empty PostgreSQL database named `prefix` (dropped first if a run left it)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    conn = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                 password=url.password, database=url.database or "postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{prefix}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{prefix}"')
    finally:
        await conn.close()
    return url.set(database=prefix).render_as_string(hide_password=False)


async def postgres_reachable() -> bool:
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    try:
        conn = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                     password=url.password, database=url.database or "postgres",
                                     timeout=5)
    except (OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True
