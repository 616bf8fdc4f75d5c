"""A database slower than Slack's 3 seconds: a vote press is kept, then acknowledged, and
applied exactly once; a press that cannot even be kept is not acknowledged."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from bot.curation import ack, actions
from bot.demo.emulator.requests import block_action
from storage.models import LatePress, Submission, Vote
from tests.conftest import LEADS, TEST_DB, Running
from tests.curation_support import (
    assert_card_agrees,
    audit_actions,
    db_votes,
    open_test_cycle,
    posted_card,
    press,
    settled,
)


async def _kept(running: Running) -> int:
    async with running.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(LatePress)) or 0)


async def test_a_slow_vote_is_kept_acknowledged_and_counted_once(
        running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    # No time at all for the work before the budget: every press takes the path a press
    # takes when the database is slower than Slack's 3 seconds allow.
    monkeypatch.setattr(ack, "ACK_BUDGET", 0.0)
    answers = await asyncio.gather(*(
        running.sender.press(leader, "vote_yes", f"{sid}:yes", channel=LEADS, message_ts=ts)
        for leader in ("ULEAD1", "ULEAD2", "ULEAD3")
    ))
    assert [status for status, _ in answers] == [200, 200, 200]
    await settled(running)
    assert await assert_card_agrees(running, sid, ts) == {
        "ULEAD1": "yes", "ULEAD2": "yes", "ULEAD3": "yes"}
    # Each kept press was applied again after its work committed: nothing counted twice.
    assert (await audit_actions(running, sid)).count("vote.cast") == 3
    assert await _kept(running) == 0


async def test_a_press_the_database_cannot_take_in_time(
        running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD2", "yes", sid, ts)
    monkeypatch.setattr(ack, "ACK_BUDGET", 0.2)
    monkeypatch.setattr(ack, "KEEP_BUDGET", 0.5)
    # Someone holds the submission's row (on SQLite: the database's one write lock).
    async with running.db.transaction() as session:
        await session.execute(
            select(Submission.id).where(Submission.id == sid).with_for_update())
        status, _ = await running.sender.press("ULEAD1", "vote_no", f"{sid}:no",
                                               channel=LEADS, message_ts=ts)
        if TEST_DB == "postgres":
            assert status == 200  # kept (the row lock does not stop that insert): acknowledged
            assert await _kept(running) == 1
        else:
            assert status == 503  # SQLite writes wait for the lock: not kept, not acknowledged
        stopping = asyncio.ensure_future(running.bot.stop_background())
        await asyncio.sleep(0.2)
        assert not stopping.done()  # shutdown waits for the work in hand
    await stopping
    # The work went on once the lock was let go, and the kept press found nothing to do.
    assert await db_votes(running, sid) == {"ULEAD1": "no", "ULEAD2": "yes"}
    assert await _kept(running) == 0
    assert (await audit_actions(running, sid)).count("vote.cast") == 2


async def _keep(running: Running, user: str, choice: str, sid: int, pressed: dt.datetime,
                received: dt.datetime) -> None:
    async with running.db.transaction() as session:
        session.add(LatePress(user=user, action_id=f"vote_{choice}", value=f"{sid}:{choice}",
                              channel=LEADS, action_ts=f"{pressed.timestamp():.6f}",
                              retry_num=0, received_at=received))


async def test_kept_presses_left_by_a_crash_are_applied_by_the_tick(running: Running) -> None:
    from scheduler.runner import LiveScheduler

    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    services = running.bot.services
    now = services.now()
    await press(running, "ULEAD2", "no", sid, ts)  # a newer vote than the kept "yes" below
    async with running.db.session() as session:
        stored_at = await session.scalar(select(Vote.at).where(Vote.voter == "ULEAD2"))
    assert stored_at is not None
    old = now - dt.timedelta(minutes=5)
    await _keep(running, "ULEAD1", "yes", sid, old, old)  # acknowledged, then the crash
    await _keep(running, "ULEAD2", "yes", sid, stored_at - dt.timedelta(seconds=5), old)
    await _keep(running, "UOUTSIDE9", "yes", sid, old, old)  # not a leader: refused again
    await _keep(running, "ULEAD3", "maybe", sid, now, now)  # young: its own work may finish
    await LiveScheduler(services, running.bot.deliverer).tick()
    await settled(running)
    # ULEAD1's vote is in; ULEAD2's newer "no" stands; the young one waits for a later tick.
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "yes", "ULEAD2": "no"}
    assert await _kept(running) == 1
    assert [e["user"] for e in running.slack.ephemeral] == ["UOUTSIDE9"]
    applied_again = await ack.replay(services)  # nothing older left: no change
    assert applied_again == 0


async def test_a_press_that_cannot_be_kept_is_not_acknowledged(
        running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    monkeypatch.setattr(ack, "ACK_BUDGET", 0.0)

    async def cannot_keep(services: object, press: object) -> int:
        raise ConnectionResetError("the database went away")

    monkeypatch.setattr(ack, "keep", cannot_keep)
    status, _ = await running.sender.press("ULEAD1", "vote_yes", f"{sid}:yes", channel=LEADS,
                                           message_ts=ts)
    assert status == 503  # over HTTP: an error Slack shows the leader
    handler = AsyncSocketModeHandler(running.bot.app, "xapp-1-test",
                                     web_client=running.bot.client)
    await handler.connect_async()
    try:
        await running.slack.wait_for(lambda: running.slack.socket_connected)
        raw = block_action("ULEAD2", "vote_no", f"{sid}:no", channel=LEADS, message_ts=ts)
        payload = json.loads(parse_qs(raw.decode())["payload"][0])
        with pytest.raises(TimeoutError):  # over Socket Mode: no acknowledgement at all
            await running.slack.send_envelope("interactive", payload, timeout=1.5)
        await settled(running)
    finally:
        await handler.close_async()
    # Not acknowledged is not "not stored": the work went on, and pressing again is harmless.
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "yes", "ULEAD2": "no"}


async def test_a_press_that_fails_at_once_is_not_acknowledged_as_stored(
        running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """Acknowledged means stored: a vote whose work fails inside the budget (the database
    dropped the connection) is kept and applied again, like a slow one; a decision that
    fails is not acknowledged."""
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    real = actions.handle_press  # ack reads it there, at each press

    async def fails_once(services: object, press: object) -> str:
        monkeypatch.setattr(actions, "handle_press", real)
        raise ConnectionResetError("the database went away")

    monkeypatch.setattr(actions, "handle_press", fails_once)
    status, _ = await running.sender.press("ULEAD1", "vote_yes", f"{sid}:yes", channel=LEADS,
                                           message_ts=ts)
    assert status == 200
    await settled(running)
    assert await assert_card_agrees(running, sid, ts) == {"ULEAD1": "yes"}
    assert await _kept(running) == 0

    monkeypatch.setattr(actions, "handle_press", fails_once)
    status, _ = await running.sender.press("ULEAD1", "decide_accept", f"{sid}:accept",
                                           channel=LEADS, message_ts=ts)
    assert status == 503
    await settled(running)
    async with running.db.session() as session:
        assert await session.scalar(select(Submission.status).where(
            Submission.id == sid)) == "submitted"
