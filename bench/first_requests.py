"""The first requests after start-up: `wgml-bot run --http` is started, becomes healthy, idles
a second, and is then sent one `/wgml submit` and one vote press on a card; each one's time
to Slack's acknowledgement (the HTTP answer) is measured. Since the listeners import what
they answer with at their first request (issue 29), these two pay for those imports.

`--root DIR` (repeatable) runs the bot of other checkouts too (their .venv), interleaved
with each other on the same database and Slack emulator: `--root /work/main` gives the
figures before a change. Five rounds; medians and the worst.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, clean_env, open_bench_cycle, stop, wait_healthy
from bot.demo.emulator.requests import SlackSender, block_action, slash_command
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port

ROUNDS = 5
SECRET = "bench-secret"
TOKEN = "xoxb-bench"
LEADS = "CLEADS"


def start_bot(root: Path, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    python = root / ".venv" / "bin" / "python"
    with log.open("ab") as out:
        return subprocess.Popen([str(python), "-m", "bot", "run", "--http", "--port", str(port)],
                                env={**env, "PYTHONPATH": str(root)}, stdout=out, stderr=out,
                                cwd=log.parent)


async def timed(sender: SlackSender, body: bytes) -> float:
    began = time.perf_counter()
    status, text = await sender.post(body)
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {text[:200]}")
    return time.perf_counter() - began


async def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.first_requests", description=__doc__)
    ap.add_argument("--root", action="append", default=[], type=Path,
                    help="another checkout whose bot to measure as well (its .venv)")
    args = ap.parse_args(argv)
    roots = [ROOT, *(r.resolve() for r in args.root)]
    leaders = [f"UL{i:04d}" for i in range(ROUNDS * len(roots) + 1)]
    slack = await SlackEmulator(token=TOKEN, members={LEADS: leaders}).start()
    work = Path(tempfile.mkdtemp(prefix="wgml-bench-first-"))
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{work / 'bench.db'}",
                    SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_URL=slack.url, LEADERSHIP_CHANNEL_ID=LEADS)
    open_bench_cycle(env)
    results: dict[Path, dict[str, list[float]]] = {
        r: {"submit": [], "vote": []} for r in roots}
    try:
        # One talk and its card on the leaders' channel, for the presses.
        port = free_port()
        bot = start_bot(ROOT, port, env, work / "setup.log")
        sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET)
        try:
            await wait_healthy(f"http://127.0.0.1:{port}/healthz")
            await sender.submit_view("USPEAKER", "VFIRST0001", title="First requests",
                                     focus_area="other", abstract="x " * 30,
                                     email="s@example.org", confirmed=True)
            await slack.wait_for(lambda: slack.channel_messages(LEADS), timeout=30)
        finally:
            await sender.close()
            stop(bot)
        card = slack.channel_messages(LEADS)[0]
        sid = card["blocks"][-1]["elements"][0]["value"].split(":")[0]
        voter = iter(leaders)
        for _ in range(ROUNDS):
            for root in roots:  # interleaved, so each sees the same machine
                port = free_port()
                bot = start_bot(root, port, env, work / f"{root.name}.log")
                sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET)
                try:
                    await wait_healthy(f"http://127.0.0.1:{port}/healthz")
                    await asyncio.sleep(1.0)  # idle, as bench.footprint measures it
                    results[root]["submit"].append(await timed(
                        sender, slash_command("USUBMIT", "submit")))
                    results[root]["vote"].append(await timed(sender, block_action(
                        next(voter), "vote_yes", f"{sid}:yes", channel=LEADS,
                        message_ts=card["ts"])))
                finally:
                    await sender.close()
                    stop(bot)
    finally:
        await slack.stop()
    print(f"== First requests after start-up (median and worst of {ROUNDS}, interleaved) ==")
    for root, found in results.items():
        line = "   ".join(
            f"first {what}: {statistics.median(v) * 1000:6.1f} ms (worst {max(v) * 1000:6.1f})"
            for what, v in (("/wgml submit", found["submit"]), ("vote press", found["vote"])))
        print(f"{root!s:28s} {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
