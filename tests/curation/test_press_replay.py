"""A captured signed press replayed within Slack's 5 minutes (or resent by a load balancer,
with or without X-Slack-Retry-Num) never overrides a newer one: Slack's action_ts orders a
leader's presses on a card. Over HTTP (the exact same signed body, the same signature) and
over Socket Mode (the same payload in a new envelope)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from bot.curation.ack import drain_presses
from bot.demo.emulator.requests import block_action
from storage.models import Decision, Submission
from tests.conftest import LEADS, Running
from tests.curation_support import (
    action_for,
    assert_card_agrees,
    audit_actions,
    db_votes,
    open_test_cycle,
    posted_card,
    press,
    settled,
)

SPEAKER_DM = "DMEMBER1"  # the DM of UMEMBER1, who submitted the card's talk
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


class Captured:
    """One press as an attacker (or a load balancer) holds it: the body and its headers."""

    def __init__(self, running: Running, user: str, choice: str, sid: int, ts: str) -> None:
        self.running = running
        self.body = block_action(user, action_for(choice), f"{sid}:{choice}", channel=LEADS,
                                 message_ts=ts)
        self.timestamp = int(time.time())  # the signature covers it: sent again unchanged

    async def send(self, headers: dict[str, str] | None = None) -> None:
        status, text = await self.running.sender.post(self.body, headers=headers,
                                                      timestamp=self.timestamp)
        assert status == 200, text
        await drain_presses()


def card_updates(running: Running, ts: str) -> list[dict[str, Any]]:
    return [c.params for c in running.slack.calls_to("chat.update")
            if c.params.get("ts") == ts]


async def decisions(running: Running, sid: int) -> list[tuple[str, str]]:
    async with running.db.session() as session:
        rows = (await session.scalars(
            select(Decision).where(Decision.submission_id == sid).order_by(Decision.id))).all()
    return [(d.outcome, d.by) for d in rows]


async def status(running: Running, sid: int) -> str:
    async with running.db.session() as session:
        value = await session.scalar(select(Submission.status).where(Submission.id == sid))
    assert value is not None
    return value


@pytest.mark.parametrize("headers", [None, RETRY], ids=["replayed", "retry-header"])
async def test_a_replayed_vote_does_not_override_a_newer_one(
        running: Running, headers: dict[str, str] | None) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    yes = Captured(running, "ULEAD1", "yes", sid, ts)
    await yes.send()
    await press(running, "ULEAD1", "no", sid, ts)  # the leader changes their mind
    await settled(running)
    assert await db_votes(running, sid) == {"ULEAD1": "no"}
    updates = len(card_updates(running, ts))
    await yes.send(headers)  # the same signed request again, inside Slack's 5 minutes
    await settled(running)
    assert await db_votes(running, sid) == {"ULEAD1": "no"}
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "no"}
    assert len(card_updates(running, ts)) == updates  # the card was not touched
    actions = await audit_actions(running, sid)
    assert actions.count("vote.cast") == 1 and actions.count("vote.changed") == 1
    # Still one changeable vote per leader: a new press counts.
    await press(running, "ULEAD1", "yes", sid, ts)
    await settled(running)
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "yes"}


async def test_a_retried_vote_still_counts_once(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    yes = Captured(running, "ULEAD1", "yes", sid, ts)
    await yes.send()
    await yes.send(RETRY)
    await yes.send()
    await settled(running)
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "yes"}
    assert (await audit_actions(running, sid)).count("vote.cast") == 1


@pytest.mark.parametrize("headers", [None, RETRY], ids=["replayed", "retry-header"])
async def test_a_decision_replayed_after_an_undo_does_nothing_and_dms_nobody(
        running: Running, headers: dict[str, str] | None) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    accept = Captured(running, "ULEAD1", "accept", sid, ts)
    await accept.send()
    await settled(running)
    await press(running, "ULEAD1", "undo", sid, ts)
    await settled(running)
    dms = list(running.slack.channel_messages(SPEAKER_DM))
    assert "accepted" in dms[-2]["text"] and "mistake" in dms[-1]["text"]
    updates = len(card_updates(running, ts))
    await accept.send(headers)
    await settled(running)
    assert await status(running, sid) == "submitted"
    assert await decisions(running, sid) == [("accepted", "ULEAD1"), ("undone", "ULEAD1")]
    assert running.slack.channel_messages(SPEAKER_DM) == dms  # no second "accepted"
    assert len(card_updates(running, ts)) == updates
    assert running.slack.ephemeral == []  # nothing to tell: the leader's own older press


async def test_a_decision_replayed_after_another_leaders_undo_does_nothing(
        running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    decline = Captured(running, "ULEAD1", "decline", sid, ts)
    await decline.send()
    await press(running, "ULEAD2", "undo", sid, ts)
    await settled(running)
    dms = list(running.slack.channel_messages(SPEAKER_DM))
    await decline.send()
    await settled(running)
    assert await status(running, sid) == "submitted"
    assert await decisions(running, sid) == [("declined", "ULEAD1"), ("undone", "ULEAD2")]
    assert running.slack.channel_messages(SPEAKER_DM) == dms
    # A new decision is still possible.
    await press(running, "ULEAD1", "accept", sid, ts)
    await settled(running)
    assert await status(running, sid) == "accepted"


async def test_an_undo_replayed_after_a_new_decision_does_nothing(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "accept", sid, ts)
    undo = Captured(running, "ULEAD1", "undo", sid, ts)
    await undo.send()
    await press(running, "ULEAD1", "decline", sid, ts)
    await settled(running)
    dms = list(running.slack.channel_messages(SPEAKER_DM))
    await undo.send()
    await settled(running)
    assert await status(running, sid) == "declined"
    assert running.slack.channel_messages(SPEAKER_DM) == dms


@asynccontextmanager
async def socket_mode(running: Running) -> AsyncIterator[None]:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(running.bot.app, "xapp-1-test",
                                     web_client=running.bot.client)
    await handler.connect_async()
    try:
        await running.slack.wait_for(lambda: running.slack.socket_connected)
        yield
    finally:
        await handler.close_async()


def payload(user: str, choice: str, sid: int, ts: str) -> dict[str, Any]:
    raw = block_action(user, action_for(choice), f"{sid}:{choice}", channel=LEADS,
                       message_ts=ts)
    return dict(json.loads(parse_qs(raw.decode())["payload"][0]))


async def test_replayed_presses_over_socket_mode_change_nothing(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    yes = payload("ULEAD1", "yes", sid, ts)
    accept = payload("ULEAD2", "accept", sid, ts)
    async with socket_mode(running):
        send = running.slack.send_envelope
        await send("interactive", yes)
        await send("interactive", payload("ULEAD1", "no", sid, ts))
        await send("interactive", accept)
        await drain_presses()
        await settled(running)
        await send("interactive", payload("ULEAD2", "undo", sid, ts))
        await drain_presses()
        await settled(running)
        dms = list(running.slack.channel_messages(SPEAKER_DM))
        await send("interactive", yes)
        await send("interactive", accept)
        await drain_presses()
        await settled(running)
    assert await db_votes(running, sid) == {"ULEAD1": "no"}
    assert await status(running, sid) == "submitted"
    assert await decisions(running, sid) == [("accepted", "ULEAD2"), ("undone", "ULEAD2")]
    assert running.slack.channel_messages(SPEAKER_DM) == dms


def test_action_ts_is_read_exactly() -> None:
    from bot.curation.actions import action_us

    assert action_us("1795594666.123456") == 1795594666123456
    assert action_us("1795594666.1234567") == 1795594666123456  # time.time()'s digits
    assert action_us("1795594666.1") == 1795594666100000
    assert action_us("1795594666") == 1795594666000000
    for odd in ("", "abc", "-1.5", "1e9", "1795594666.", " 1.0", "0", "1.2.3"):
        assert action_us(odd) is None
