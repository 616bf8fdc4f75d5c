"""Footprint of `wgml-bot run --http`: start-up to a healthy /healthz and idle resident
memory, against the bare slack-bolt app (bench/baseline_app.py) and against the floor (the
same app with the design card's libraries imported, bench/floor_app.py), all measured in the
same run, interleaved, ROUNDS times each; medians are reported.

Goals (issue 29), against the floor: idle RSS at most 1.1x and start-up at most 1.3x.
(Issue 13 asked 1.3x memory and 2x start-up against the bare bolt app; the floor alone is
above that: the design card's libraries themselves weigh more, see bench/README.md.)
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
    floor_start = statistics.median(starts["floor"])
    floor_rss = statistics.median(rss["floor"])
    print(f"== Footprint (median of {ROUNDS}, interleaved) ==")
    print(f"{'':10s} {'start-up':>9s} {'/bolt':>6s} {'/floor':>6s}   {'idle RSS':>9s} "
          f"{'/bolt':>6s} {'/floor':>6s}")
    for name in CANDIDATES:
        s, m = statistics.median(starts[name]), statistics.median(rss[name])
        print(f"{name:10s} {s:8.2f}s {s / base_start:5.2f}x {s / floor_start:5.2f}x   "
              f"{m:7.1f}MiB {m / base_rss:5.2f}x {m / floor_rss:5.2f}x")
    bot_s = statistics.median(starts["wgml-bot"]) / floor_start
    bot_m = statistics.median(rss["wgml-bot"]) / floor_rss
    print(f"goals against the floor: idle RSS <= 1.1x ({'met' if bot_m <= 1.1 else 'not met'}: "
          f"{bot_m:.2f}x), start-up <= 1.3x ({'met' if bot_s <= 1.3 else 'not met'}: "
          f"{bot_s:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
