"""Acknowledgement latency: bursts of /wgml submit against `wgml-bot run --http` and against a
bare slack-bolt app (bench/baseline_app.py), both talking to the same Slack emulator.

Also reports the footprint: start-up time to a healthy /healthz and idle resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    clean_env,
    fresh_postgres,
    open_bench_cycle,
    pct,
    rss_mib,
    start,
    stop,
    summary,
    wait_healthy,
)
from bot.demo.emulator.requests import SlackSender, block_action, slash_command
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port

SECRET = "bench-secret"
TOKEN = "xoxb-bench"
ROUNDS = 5
BURST = 200
VOTERS = 100
LEADS = "CLEADS"


async def burst(sender: SlackSender, n: int, body: Callable[[int], bytes]) -> list[float]:
    async def one(i: int) -> float:
        began = time.perf_counter()
        status, text = await sender.post(body(i))
        elapsed = time.perf_counter() - began
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {text[:200]}")
        return elapsed

    return list(await asyncio.gather(*(one(i) for i in range(n))))


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.ack", description=__doc__)
    ap.add_argument("--postgres", action="store_true",
                    help="a fresh PostgreSQL database (PG_URL) instead of a SQLite file")
    ap.add_argument("--votes-only", action="store_true", help="skip the /wgml submit bursts")
    ap.add_argument("--profile", metavar="FILE",
                    help="run the bot under pyinstrument and write its text report to FILE")
    args = ap.parse_args(argv or [])
    if args.profile:  # the bot runs in another directory
        args.profile = os.path.abspath(args.profile)
    return args


async def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    leaders = [f"UL{i:05d}" for i in range(ROUNDS * VOTERS)]
    slack = await SlackEmulator(token=TOKEN, members={LEADS: leaders}, page_size=200).start()
    work = Path(tempfile.mkdtemp(prefix="wgml-bench-"))
    db_url = (await fresh_postgres("wgml_bench_ack") if args.postgres
              else f"sqlite+aiosqlite:///{work / 'bench.db'}")
    print(f"database: {db_url.split(':')[0]}")
    env = clean_env(DATABASE_URL=db_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_URL=slack.url, LEADERSHIP_CHANNEL_ID=LEADS)
    open_bench_cycle(env)
    bot_port, base_port = free_port(), free_port()
    profiler = (["-m", "pyinstrument", "-r", "text",
                 "-o", args.profile] if args.profile else [])
    bot = start([*profiler, "-m", "bot", "run", "--http", "--port", str(bot_port)], env,
                work / "bot.log")
    bot_start = await wait_healthy(f"http://127.0.0.1:{bot_port}/healthz")
    base = start(["-m", "bench.baseline_app", str(base_port)], env, work / "base.log")
    base_start = await wait_healthy(f"http://127.0.0.1:{base_port}/healthz")
    await asyncio.sleep(1.0)
    idle = {"bot": rss_mib(bot.pid), "baseline": rss_mib(base.pid)}
    senders = {
        "bot": SlackSender(f"http://127.0.0.1:{bot_port}/slack/events", SECRET),
        "baseline": SlackSender(f"http://127.0.0.1:{base_port}/slack/events", SECRET),
    }
    latencies: dict[str, list[float]] = {"bot": [], "baseline": []}
    votes: dict[str, list[float]] = {"bot": [], "baseline": []}
    try:
        def body(i: int) -> bytes:
            return slash_command(f"UB{i:05d}", "submit")

        for sender in senders.values():  # warm up connections and imports
            await burst(sender, 20, body)
        for _ in range(0 if args.votes_only else ROUNDS):  # interleaved: same machine for both
            for name, sender in senders.items():
                latencies[name] += await burst(sender, BURST, body)
                await asyncio.sleep(0.2)
        # One talk on the leaders' channel, then bursts of presses from distinct leaders.
        await senders["bot"].submit_view("USPEAKER", "VBENCH0001", title="Bench talk",
                                         focus_area="other", abstract="x " * 30,
                                         email="s@example.org", confirmed=True)
        await slack.wait_for(lambda: slack.channel_messages(LEADS), timeout=30)
        card = slack.channel_messages(LEADS)[0]
        sid = card["blocks"][-1]["elements"][0]["value"].split(":")[0]
        for r in range(ROUNDS):
            for name, sender in senders.items():
                def press(i: int, r: int = r) -> bytes:
                    return block_action(leaders[r * VOTERS + i], "vote_yes", f"{sid}:yes",
                                        channel=LEADS, message_ts=card["ts"])

                votes[name] += await burst(sender, VOTERS, press)
                await asyncio.sleep(0.2)
        # The card shows what the database holds once the outbox has caught up.
        want = f"Yes {ROUNDS * VOTERS}"
        try:
            await slack.wait_for(lambda: want in json.dumps(
                slack.channel_messages(LEADS)[0]["blocks"]), timeout=30)
            card_ok = True
        except TimeoutError:
            card_ok = False
    finally:
        for sender in senders.values():
            await sender.close()
        stop(bot)
        stop(base)
        await slack.stop()
    if not args.votes_only:
        print(f"== Acknowledgement latency: {ROUNDS} bursts of {BURST} concurrent "
              "/wgml submit ==")
        for name, values in latencies.items():
            print(f"{name:9s} {summary(values)}")
        ratio = pct(latencies["bot"], 99) / pct(latencies["baseline"], 99)
        over = sum(1 for v in latencies["bot"] if v >= 3.0)
        print(f"p99 ratio bot/baseline: {ratio:.2f}x (goal <= 1.2x); acks over 3 s: {over}")
    print(f"== Acknowledgement latency: {ROUNDS} bursts of {VOTERS} concurrent vote presses ==")
    for name, values in votes.items():
        print(f"{name:9s} {summary(values)}")
    ratio = pct(votes["bot"], 99) / pct(votes["baseline"], 99)
    print(f"p99 ratio bot/baseline: {ratio:.2f}x (goal <= 1.2x); "
          f"acks over 3 s: {sum(1 for v in votes['bot'] if v >= 3.0)}")
    export = subprocess.run([sys.executable, "-m", "bot", "export"], env=env, check=True,
                            capture_output=True, text=True)
    stored = sum(len(s["votes"]) for s in json.loads(export.stdout)["submissions"])
    print(f"votes pressed {ROUNDS * VOTERS}, votes stored {stored} "
          f"({'none lost' if stored == ROUNDS * VOTERS else 'LOST VOTES'}); card shows "
          f"{want!r}: {'yes' if card_ok else 'NO'}; card renders (chat.update): "
          f"{len(slack.calls_to('chat.update'))}")
    print("== Footprint ==")
    print(f"start-up to healthy /healthz: bot {bot_start:.2f} s, baseline {base_start:.2f} s "
          f"(ratio {bot_start / base_start:.2f}x)")
    print(f"idle RSS: bot {idle['bot']:.1f} MiB, baseline {idle['baseline']:.1f} MiB "
          f"(ratio {idle['bot'] / idle['baseline']:.2f}x)")
    views = len(slack.calls_to("views.open"))
    print(f"views.open calls seen by the emulator: {views}")
    return 0 if stored == ROUNDS * VOTERS and card_ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
