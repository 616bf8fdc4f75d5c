"""Votes on the leaders' card: tallies in place, changes, retries, outsiders, bad buttons."""

from __future__ import annotations

import asyncio
import json
import random
from urllib.parse import parse_qs

from sqlalchemy import select

from bot.demo.emulator.requests import block_action, interactive
from bot.slack_ui.answers import BAD_VALUE, REFUSAL
from storage.models import AuditEvent, Submission
from tests.conftest import LEADS, Running
from tests.curation_support import (
    assert_card_agrees,
    audit_actions,
    card_actions,
    card_votes,
    count_votes,
    db_votes,
    open_test_cycle,
    posted_card,
    press,
    settled,
    votes_section,
)


async def test_votes_update_the_card_in_place(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    assert votes_section(running, ts).endswith("No votes yet.")
    await press(running, "ULEAD1", "yes", sid, ts)
    await press(running, "ULEAD2", "maybe", sid, ts)
    await press(running, "ULEAD3", "no", sid, ts)
    await settled(running)
    shown = await assert_card_agrees(running, sid, ts)
    assert shown == {"ULEAD1": "yes", "ULEAD2": "maybe", "ULEAD3": "no"}
    # In place: one card in the channel, updated with chat.update, never re-posted.
    assert len(running.slack.channel_messages(LEADS)) == 1
    assert running.slack.calls_to("chat.update")
    assert all(c.params["ts"] == ts for c in running.slack.calls_to("chat.update"))
    assert (await audit_actions(running, sid)).count("vote.cast") == 3
    assert running.slack.ephemeral == []  # a vote needs no answer: the card is the answer


async def test_a_leader_changes_their_vote(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "yes", sid, ts)
    await press(running, "ULEAD1", "no", sid, ts)
    await press(running, "ULEAD1", "no", sid, ts)  # the same again changes nothing
    await settled(running)
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "no"}
    actions = await audit_actions(running, sid)
    assert actions.count("vote.cast") == 1 and actions.count("vote.changed") == 1
    async with running.db.session() as session:
        changed = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "vote.changed"))
    assert changed is not None
    assert changed.detail["previous"] == "yes" and changed.detail["value"] == "no"
    assert changed.actor == "ULEAD1"


async def test_a_retried_request_counts_once(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    body = block_action("ULEAD2", "vote_maybe", f"{sid}:maybe", channel=LEADS, message_ts=ts)
    for retry in (None, 1, 2):
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} \
            if retry else None
        status, _ = await running.sender.post(body, headers=headers)
        assert status == 200
    # Slack's retries of one press racing each other.
    results = await asyncio.gather(*(
        running.sender.post(body, headers={"X-Slack-Retry-Num": "3"}) for _ in range(10)))
    assert all(status == 200 for status, _ in results)
    await settled(running)
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD2": "maybe"}
    assert await count_votes(running) == 1
    assert (await audit_actions(running, sid)).count("vote.cast") == 1


async def test_outsiders_are_refused_and_change_nothing(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "yes", sid, ts)
    await settled(running)
    updates = len(running.slack.calls_to("chat.update"))
    for choice in ("yes", "no", "accept", "decline", "undo"):
        await press(running, "UOUTSIDE9", choice, sid, ts)
    await settled(running)
    assert await db_votes(running, sid) == {"ULEAD1": "yes"}
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.status == "submitted" and sub.decided_by is None
        refusals = (await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "curation.refused"))).all()
    assert len(refusals) == 5
    assert {r.actor for r in refusals} == {"UOUTSIDE9"}
    assert {r.submission_id for r in refusals} == {sid}
    assert len(running.slack.ephemeral) == 5
    for eph in running.slack.ephemeral:
        assert eph["user"] == "UOUTSIDE9" and eph["channel"] == LEADS
        assert eph["text"] == REFUSAL
    assert len(running.slack.calls_to("chat.update")) == updates  # the card did not move
    await assert_card_agrees(running, sid, ts)


async def test_a_retried_refusal_is_answered_once(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    body = block_action("UOUTSIDE9", "vote_yes", f"{sid}:yes", channel=LEADS, message_ts=ts)
    await running.sender.post(body)
    await running.sender.post(body, headers={"X-Slack-Retry-Num": "1"})
    await settled(running)
    assert len(running.slack.ephemeral) == 1
    assert (await audit_actions(running, sid)).count("curation.refused") == 1


async def test_bad_button_values_are_explained_and_change_nothing(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    bad = [
        ("vote_yes", "nonsense"),
        ("vote_yes", ""),
        ("vote_yes", f"{sid}:accept"),  # a vote button carrying a decision
        ("decide_accept", f"{sid}:yes"),
        ("vote_yes", f"{sid}:no"),  # action and value disagree
        ("vote_abstain", f"{sid}:abstain"),
        ("vote_yes", f"-{sid}:yes"),
        ("vote_yes", "0:yes"),
        ("vote_yes", "1" * 40 + ":yes"),
        ("vote_yes", f"{sid}:yes:extra"),
        ("decide_", f"{sid}:"),
    ]
    for action_id, value in bad:
        await press(running, "ULEAD1", "", sid, ts, action_id=action_id, value=value)
    await press(running, "ULEAD1", "yes", 987654, ts)  # well formed, no such submission
    await settled(running)
    assert await count_votes(running) == 0
    texts = [e["text"] for e in running.slack.ephemeral]
    assert texts.count(BAD_VALUE) == len(bad)
    assert any("can't find that submission" in t for t in texts)
    assert all(e["user"] == "ULEAD1" for e in running.slack.ephemeral)
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.status == "submitted"
    assert (await audit_actions(running)).count("curation.bad_press") == len(bad)


async def test_malformed_action_payloads_never_500(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await posted_card(running)
    payloads = [
        {"type": "block_actions", "actions": [{"action_id": "vote_yes"}]},
        {"type": "block_actions", "user": "ULEAD1",
         "actions": [{"action_id": "vote_yes", "value": 5}]},
        {"type": "block_actions", "user": {"id": "ULEAD1"}, "channel": "x",
         "actions": [{"action_id": "decide_accept", "value": [f"{sid}:accept"]}]},
        {"type": "block_actions", "user": {"id": "<!channel>"},
         "actions": [{"action_id": "vote_no", "value": f"{sid}:no"}]},
    ]
    for payload in payloads:
        status, _ = await running.sender.post(interactive(payload))
        assert status == 200
    await settled(running)
    assert await count_votes(running) == 0
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.status == "submitted"


async def test_a_hundred_leaders_pressing_at_once_lose_no_vote(running: Running) -> None:
    leaders = [f"UL{i:04d}" for i in range(120)]
    running.slack.members[LEADS] = leaders  # read 2 per page: 60 pages
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    rng = random.Random(4)
    first = {leader: rng.choice(("yes", "maybe", "no")) for leader in leaders[:110]}
    pages_before = len(running.slack.calls_to("conversations.members"))
    await asyncio.gather(*(press(running, who, value, sid, ts) for who, value in first.items()))
    # One paginated read for the whole burst, not one per press.
    assert len(running.slack.calls_to("conversations.members")) - pages_before == 60
    # A second burst: 40 leaders change their minds while 10 new ones vote, with retries.
    second = {leader: rng.choice(("yes", "maybe", "no")) for leader in leaders[70:120]}
    presses = [press(running, who, value, sid, ts) for who, value in second.items()]
    retries = [
        running.sender.post(
            block_action(who, f"vote_{value}", f"{sid}:{value}", channel=LEADS, message_ts=ts),
            headers={"X-Slack-Retry-Num": "1"})
        for who, value in list(second.items())[:20]
    ]
    await asyncio.gather(*presses, *retries)
    await settled(running, timeout=120)
    expected = {**first, **second}
    assert len(expected) == 120
    assert await count_votes(running) == 120
    assert await assert_card_agrees(running, sid, ts) == expected
    assert card_votes(running, ts) == expected
    actions = await audit_actions(running, sid)
    changed = sum(1 for who, value in second.items() if who in first and first[who] != value)
    assert actions.count("vote.cast") == 120
    assert actions.count("vote.changed") == changed
    assert "vote_yes" in card_actions(running, ts)


async def test_votes_arrive_over_socket_mode_too(running: Running) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    handler = AsyncSocketModeHandler(running.bot.app, "xapp-1-test", web_client=running.bot.client)
    await handler.connect_async()
    try:
        await running.slack.wait_for(lambda: running.slack.socket_connected)
        for user, value in (("ULEAD1", "yes"), ("UOUTSIDE9", "no")):
            raw = block_action(user, f"vote_{value}", f"{sid}:{value}", channel=LEADS,
                               message_ts=ts)
            payload = json.loads(parse_qs(raw.decode())["payload"][0])
            await running.slack.send_envelope("interactive", payload)
        await running.slack.wait_for(lambda: len(running.slack.ephemeral) == 1)
        await settled(running)
    finally:
        await handler.close_async()
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "yes"}
    assert running.slack.ephemeral[0]["user"] == "UOUTSIDE9"


async def test_a_late_retry_of_an_old_press_does_not_undo_a_newer_vote(running: Running) -> None:
    from bot.curation.ack import drain_presses

    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    old_press = block_action("ULEAD1", "vote_yes", f"{sid}:yes", channel=LEADS, message_ts=ts)
    status, _ = await running.sender.post(old_press)
    assert status == 200
    await drain_presses()
    await press(running, "ULEAD1", "no", sid, ts)  # the leader changes their mind
    status, _ = await running.sender.post(
        old_press, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert status == 200
    await drain_presses()
    await settled(running)
    assert await db_votes(running, sid) == {"ULEAD1": "no"}
    await assert_card_agrees(running, sid, ts)
