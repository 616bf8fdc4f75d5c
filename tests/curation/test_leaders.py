"""Who the leaders are: conversations.members, every page, cached at most five minutes."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.slack import SlackEmulator
from bot.leaders import (
    CACHE_SECONDS,
    LeaderDirectory,
    LeadersUnavailable,
    slack_member_lister,
)
from bot.slack_ui.answers import UNAVAILABLE
from tests.conftest import LEADS, TOKEN, Running
from tests.curation_support import (
    count_votes,
    db_votes,
    open_test_cycle,
    posted_card,
    press,
    settled,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def directory(slack: SlackEmulator, clock: FakeClock) -> LeaderDirectory:
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    return LeaderDirectory(slack_member_lister(client), clock=clock)


def pages(slack: SlackEmulator) -> int:
    return len(slack.calls_to("conversations.members"))


async def test_every_page_is_read(slack: SlackEmulator) -> None:
    slack.members[LEADS] = [f"U{i:05d}" for i in range(7)] + ["UBOT0001"]
    leaders = await directory(slack, FakeClock()).members(LEADS)
    assert leaders == frozenset(f"U{i:05d}" for i in range(7))  # the bot itself is no leader
    assert pages(slack) == 4  # the emulator answers two at a time
    cursors = [c.params.get("cursor") for c in slack.calls_to("conversations.members")]
    assert cursors == [None, "2", "4", "6"]


async def test_cache_lasts_at_most_five_minutes(slack: SlackEmulator) -> None:
    clock = FakeClock()
    leaders = directory(slack, clock)
    assert await leaders.is_leader(LEADS, "ULEAD3")
    first = pages(slack)
    slack.members[LEADS] = ["ULEAD1", "ULEAD2"]  # ULEAD3 leaves the channel
    clock.advance(CACHE_SECONDS - 1)
    assert await leaders.is_leader(LEADS, "ULEAD3")  # still cached
    assert pages(slack) == first
    clock.advance(1)
    assert not await leaders.is_leader(LEADS, "ULEAD3")  # five minutes: read again
    assert pages(slack) == first + 1
    clock.advance(-3600)  # a clock that jumps back cannot stretch the cache
    await leaders.members(LEADS)
    assert pages(slack) == first + 2


async def test_a_cold_cache_under_a_burst_reads_once(slack: SlackEmulator) -> None:
    slack.members[LEADS] = [f"U{i:05d}" for i in range(40)]
    leaders = directory(slack, FakeClock())
    results = await asyncio.gather(*(leaders.is_leader(LEADS, f"U{i:05d}") for i in range(100)))
    assert results == [True] * 40 + [False] * 60
    assert pages(slack) == 20  # one read of 20 pages, not 100 reads


async def test_a_failed_read_is_not_cached(slack: SlackEmulator) -> None:
    leaders = directory(slack, FakeClock())
    slack.fail("conversations.members", 500)
    with pytest.raises(LeadersUnavailable):
        await leaders.members(LEADS)
    assert await leaders.is_leader(LEADS, "ULEAD1")
    with pytest.raises(LeadersUnavailable):
        await leaders.members("CUNKNOWN1")


async def test_ttl_cannot_be_configured_past_five_minutes(slack: SlackEmulator) -> None:
    clock = FakeClock()
    leaders = LeaderDirectory(slack_member_lister(AsyncWebClient(token=TOKEN,
                                                                 base_url=slack.url)),
                              clock=clock, ttl_seconds=3600)
    await leaders.members(LEADS)
    clock.advance(CACHE_SECONDS)
    await leaders.members(LEADS)
    assert pages(slack) == 4


async def test_a_leader_removed_from_the_channel_loses_the_buttons(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD3", "yes", sid, ts)
    running.slack.members[LEADS] = ["ULEAD1", "ULEAD2"]
    await press(running, "ULEAD3", "no", sid, ts)  # within the cache's five minutes
    running.clock.fixed = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=CACHE_SECONDS + 1)
    await press(running, "ULEAD3", "maybe", sid, ts)
    await settled(running)
    assert await db_votes(running, sid) == {"ULEAD3": "no"}
    assert running.slack.ephemeral[-1]["user"] == "ULEAD3"
    assert "Only the WG-ML leaders" in running.slack.ephemeral[-1]["text"]


async def test_slack_failing_to_list_leaders_is_explained(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    running.slack.fail("conversations.members", 500)
    await press(running, "ULEAD1", "yes", sid, ts)
    await settled(running)
    assert await count_votes(running) == 0
    assert running.slack.ephemeral[-1]["text"] == UNAVAILABLE
    await press(running, "ULEAD1", "yes", sid, ts)  # Slack is back: the press works
    await settled(running)
    assert await count_votes(running) == 1
