"""Delivery at Slack's per-channel rate limit: after a 429 the lane paces itself instead of
bouncing off the limit on every post; every post arrives exactly once, in order."""

from __future__ import annotations

import asyncio

from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.slack import SlackEmulator
from scheduler.outbox import Deliverer
from storage.db import Database
from storage.outbox import enqueue_slack_message
from tests.conftest import TOKEN


async def test_a_rate_limited_lane_paces_itself(db: Database, slack: SlackEmulator) -> None:
    slack.channel_rate = 1.0
    queued = [(channel, f"{channel} post {i}") for i in range(3) for channel in ("CA", "CB")]
    async with db.transaction() as session:
        for channel, text in queued:
            await enqueue_slack_message(session, channel=channel, text=text, key=text)
    deliverer = Deliverer(db, AsyncWebClient(token=TOKEN, base_url=slack.url))
    task = asyncio.create_task(deliverer.run_forever(idle=0.1))
    try:
        await slack.wait_for(lambda: all(
            len(slack.channel_messages(c)) == 3 for c in ("CA", "CB")), timeout=30)
    finally:
        deliverer.stop()
        await asyncio.wait_for(task, 30)
    for channel in ("CA", "CB"):
        texts = [m["text"] for m in slack.channel_messages(channel)]
        assert texts == [f"{channel} post {i}" for i in range(3)]  # once each, in order
    calls = slack.calls_to("chat.postMessage")
    bounced = len(calls) - len(queued)
    # Each lane meets the limit once (its second post); after that it waits its turn.
    assert bounced <= 2, f"{bounced} posts answered 429"
