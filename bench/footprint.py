"""Footprint of `wgml-bot run --http`: start-up to a healthy /healthz and idle resident
memory, against the bare slack-bolt app (bench/baseline_app.py) and against the floor (the
same app with the design card's libraries imported, bench/floor_app.py), all measured in the
same run, interleaved, ROUNDS times each; medians are reported.

Goals (issue 13): at most 1.3x the bare bolt app's memory and 2x its start-up.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import clean_env, open_bench_cycle, rss_mib, start, stop, wait_healthy
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port

ROUNDS = 5
SECRET = "bench-secret"
TOKEN = "xoxb-bench"
CANDIDATES = {
    "bare bolt": ["-m", "bench.baseline_app"],
    "floor": ["-m", "bench.floor_app"],
    "wgml-bot": ["-m", "bot", "run", "--http", "--port"],
}


async def measure(args: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    port = free_port()
    proc = start([*args, str(port)], env, log)
    try:
        began = await wait_healthy(f"http://127.0.0.1:{port}/healthz")
        await asyncio.sleep(1.0)  # idle: imports done, first requests answered
        return began, rss_mib(proc.pid)
    finally:
        stop(proc)


async def main(argv: list[str] | None = None) -> int:
    slack = await SlackEmulator(token=TOKEN, members={"CLEADS": ["UL1"]}).start()
    work = Path(tempfile.mkdtemp(prefix="wgml-bench-footprint-"))
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{work / 'bench.db'}",
                    SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_URL=slack.url, LEADERSHIP_CHANNEL_ID="CLEADS")
    open_bench_cycle(env)
    starts: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    rss: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    try:
        for _ in range(ROUNDS):  # interleaved, so each sees the same machine
            for name, args in CANDIDATES.items():
                began, mib = await measure(args, env, work / f"{name.replace(' ', '_')}.log")
                starts[name].append(began)
                rss[name].append(mib)
    finally:
        await slack.stop()
    base_start = statistics.median(starts["bare bolt"])
    base_rss = statistics.median(rss["bare bolt"])
    print(f"== Footprint (median of {ROUNDS}, interleaved) ==")
    print(f"{'':10s} {'start-up':>9s} {'ratio':>6s}   {'idle RSS':>9s} {'ratio':>6s}")
    for name in CANDIDATES:
        s, m = statistics.median(starts[name]), statistics.median(rss[name])
        print(f"{name:10s} {s:8.2f}s {s / base_start:5.2f}x   {m:7.1f}MiB {m / base_rss:5.2f}x")
    bot_s = statistics.median(starts["wgml-bot"]) / base_start
    bot_m = statistics.median(rss["wgml-bot"]) / base_rss
    floor_m = statistics.median(rss["floor"]) / base_rss
    print(f"goals: memory <= 1.3x ({'met' if bot_m <= 1.3 else 'not met'}: {bot_m:.2f}x; the "
          f"floor alone is {floor_m:.2f}x), start-up <= 2x "
          f"({'met' if bot_s <= 2 else 'not met'}: {bot_s:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
