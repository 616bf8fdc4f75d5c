"""Delivery at Slack's rate limit: queued posts to many channels, against an emulator that
answers 429 with Retry-After beyond about one chat.postMessage per second per channel.

Reports the time against the minimum the limit allows (the ratio), exactly-once delivery
(each idempotency key reaches the channel once) and whether one slow channel (a quarter of
the rate) holds the others up. Default 200 posts to 20 channels; `--full` for 2,000.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.slack import SlackEmulator
from scheduler.outbox import Deliverer
from storage.db import Database
from storage.models import Base
from storage.outbox import enqueue_slack_message

TOKEN = "xoxb-bench"
SLOW = "CSLOW0000"
SLOW_RATE = 0.25  # posts per second in the slow channel


class LimitedSlack(SlackEmulator):
    """One post per second per channel, and one channel slower still."""

    def _rate_limited(self, channel: str) -> web.Response | None:
        if channel != SLOW:
            return super()._rate_limited(channel)
        rate, self.channel_rate = self.channel_rate, SLOW_RATE
        try:
            return super()._rate_limited(channel)
        finally:
            self.channel_rate = rate


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.delivery", description=__doc__)
    ap.add_argument("--full", action="store_true", help="2,000 posts (about 100 s)")
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--channels", type=int, default=20)
    ap.add_argument("--slow-posts", type=int, default=5,
                    help="posts queued to the slow channel (on top of --posts)")
    return ap.parse_args(argv or [])


async def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.getLogger("wgml").setLevel(logging.ERROR)  # 429 retries are the point, not news
    posts = 2000 if args.full else args.posts
    channels = [f"CBENCH{i:04d}" for i in range(args.channels)]
    slack = await LimitedSlack(token=TOKEN).start()
    slack.channel_rate = 1.0
    work = Path(tempfile.mkdtemp(prefix="wgml-bench-delivery-"))
    db = Database(f"sqlite+aiosqlite:///{work / 'bench.db'}")
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    # The slow channel's posts are queued first, so a head-of-line design would stall on it.
    queued: list[tuple[str, str]] = [(SLOW, f"slow {i}") for i in range(args.slow_posts)]
    queued += [(channels[i % len(channels)], f"post {i}") for i in range(posts)]
    async with db.transaction() as session:
        for channel, text in queued:
            await enqueue_slack_message(session, channel=channel, text=text, key=f"bench:{text}")
    deliverer = Deliverer(db, AsyncWebClient(token=TOKEN, base_url=slack.url))
    began = time.monotonic()
    finished: dict[str, float] = {}
    want = Counter(channel for channel, _ in queued)

    def progress() -> bool:
        for channel, n in want.items():
            if channel not in finished and len(slack.channel_messages(channel)) >= n:
                finished[channel] = time.monotonic() - began
        return len(finished) == len(want)

    task = asyncio.create_task(deliverer.run_forever(idle=0.2))
    try:
        await slack.wait_for(progress, timeout=60 + 3 * len(queued))
    finally:
        deliverer.stop()
        await asyncio.wait_for(task, 30)
        await db.dispose()
        await slack.stop()
    per_channel = math.ceil(posts / len(channels))
    minimum = (per_channel - 1) / 1.0  # the first post goes at once, then one a second
    fast = max(t for c, t in finished.items() if c != SLOW)
    slow_min = (args.slow_posts - 1) / SLOW_RATE
    print(f"== Delivery at the rate limit: {posts} posts to {len(channels)} channels "
          f"(1 post/s/channel) + {args.slow_posts} to a slow channel ({SLOW_RATE}/s) ==")
    print(f"all fast channels delivered in {fast:.1f} s; minimum the limit allows "
          f"{minimum:.1f} s; ratio {fast / max(minimum, 1e-9):.2f}x")
    print(f"slow channel done in {finished[SLOW]:.1f} s (its own minimum {slow_min:.1f} s); "
          f"fast channels finished {'before' if fast < finished[SLOW] else 'after'} it")
    calls = slack.calls_to("chat.postMessage")
    keys = Counter(_key(m) for c in want for m in slack.channel_messages(c))
    doubled = sum(1 for n in keys.values() if n > 1)
    missing = len(queued) - len(keys)
    print(f"chat.postMessage calls {len(calls)} (answered 429: {len(calls) - sum(keys.values())});"
          f" delivered {sum(keys.values())} of {len(queued)}; keys delivered twice {doubled}; "
          f"missing {missing} ({'exactly once' if not doubled and not missing else 'NOT'})")
    return 0 if not doubled and not missing else 1


def _key(message: dict[str, Any]) -> str:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {} if isinstance(meta, dict) else {}
    return str(payload.get("key") or message.get("text"))


if __name__ == "__main__":
    import sys

    raise SystemExit(asyncio.run(main(sys.argv[1:])))
