"""Delivery through the outbox: 429 and 500 from Slack, lanes, failures kept, crashes."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket

import pytest

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from scheduler.outbox import CLAIM_SECONDS, UNCERTAIN
from scheduler.outbox_admin import OutboxError, list_messages, retry
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import KIND_EMAIL, enqueue, enqueue_slack_message
from tests.sched_helpers import at, make_sched, outbox_rows
from tests.smtp_sink import SmtpServer, make_test_sender

NOW = at("2026-05-04T10:00:00+00:00")
DEAD_WORKER = f"{socket.gethostname()}:{2**22 + 7}:dead00"  # a pid no process can have


async def queue_posts(db: Database, channel: str, n: int, prefix: str = "msg") -> None:
    async with db.transaction() as s:
        for i in range(n):
            await enqueue_slack_message(s, channel=channel, text=f"{prefix} {i}",
                                        key=f"{prefix}:{channel}:{i}")


async def test_429_retry_after_is_honoured_on_the_tick_clock(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    sched = make_sched(db, settings)
    await queue_posts(db, "CA", 1)
    slack.fail("chat.postMessage", 429, retry_after=30)
    report = await sched.deliverer.drain(NOW)
    assert report.retried == 1 and report.sent == 0
    [row] = await outbox_rows(db)
    assert row.status == "pending" and "rate limited" in (row.last_error or "")
    wait = (row.next_attempt_at - NOW).total_seconds()
    assert 30 <= wait <= 31
    # 20 s later is still inside Retry-After: nothing is sent, Slack is not asked again.
    calls = len(slack.calls_to("chat.postMessage"))
    assert (await sched.deliverer.drain(NOW + dt.timedelta(seconds=20))).sent == 0
    assert len(slack.calls_to("chat.postMessage")) == calls
    report = await sched.deliverer.drain(NOW + dt.timedelta(seconds=32))
    assert report.sent == 1
    assert [m["text"] for m in slack.channel_messages("CA")] == ["msg 0"]
    # A 429 means Slack did not post it: no history check was needed.
    assert slack.calls_to("conversations.history") == []


async def test_500_is_retried_with_backoff_and_checked_before_resending(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    sched = make_sched(db, settings)
    await queue_posts(db, "CA", 2)
    slack.fail("chat.postMessage", 500, count=3)
    now = NOW
    delays = []
    for _ in range(3):
        await sched.deliverer.drain(now)
        [head, _second] = await outbox_rows(db)
        delays.append((head.next_attempt_at - now).total_seconds())
        now = head.next_attempt_at
    assert delays[0] <= 2 and 2 <= delays[2] <= 8  # doubles, with jitter
    report = await sched.deliverer.drain(now)
    assert report.sent == 2
    assert [m["text"] for m in slack.channel_messages("CA")] == ["msg 0", "msg 1"]  # in order
    assert slack.calls_to("conversations.history")  # a 5xx may have posted: it checked


async def test_a_rate_limited_channel_does_not_hold_up_others(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    sched = make_sched(db, settings)
    await queue_posts(db, "CSLOW", 3)
    slack.fail("chat.postMessage", 429, retry_after=60)
    await sched.deliverer.drain(NOW)
    await queue_posts(db, "CFAST", 5)
    report = await sched.deliverer.drain(NOW + dt.timedelta(seconds=1))
    assert report.sent == 5 and len(slack.channel_messages("CFAST")) == 5
    assert slack.channel_messages("CSLOW") == []  # waiting out its Retry-After, in order
    await sched.deliverer.drain(NOW + dt.timedelta(seconds=61))
    assert [m["text"] for m in slack.channel_messages("CSLOW")] == ["msg 0", "msg 1", "msg 2"]


async def test_a_stalled_channel_does_not_block_the_live_loop(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    sched = make_sched(db, settings)
    await queue_posts(db, "CSTUCK", 1, "stuck")
    slack.stall("chat.postMessage")
    loop = asyncio.create_task(sched.deliverer.run_forever(idle=0.05))
    try:
        await slack.wait_for(lambda: slack.stalled == 1)
        await queue_posts(db, "COTHER", 3, "other")
        sched.deliverer.kick()
        await slack.wait_for(lambda: len(slack.channel_messages("COTHER")) == 3)
        assert slack.channel_messages("CSTUCK") == []
        slack.release()
        await slack.wait_for(lambda: len(slack.channel_messages("CSTUCK")) == 1, timeout=20)
    finally:
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop
    assert [m["text"] for m in slack.channel_messages("CSTUCK")] == ["stuck 0"]


async def test_failed_messages_are_kept_listed_and_retried_on_request(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    sched = make_sched(db, settings)
    await queue_posts(db, "CGONE", 1)
    slack.fail("chat.postMessage", 404, error="channel_not_found")
    report = await sched.deliverer.drain(NOW)
    assert report.failed == 1
    async with db.session() as s:
        [line] = await list_messages(s, failed_only=True)
        assert line.status == "failed" and "channel_not_found" in (line.last_error or "")
        assert "msg 0" in line.render()
    async with db.transaction() as s:
        await retry(s, line.id, NOW)
    assert (await sched.deliverer.drain(NOW)).sent == 1
    async with db.transaction() as s:
        with pytest.raises(OutboxError, match="already sent"):
            await retry(s, line.id, NOW)
    assert len(slack.channel_messages("CGONE")) == 1


@pytest.mark.parametrize("landed", [True, False])
async def test_crash_between_slack_call_and_marking_sent(
    db: Database, settings: Settings, slack: SlackEmulator, landed: bool
) -> None:
    """A worker dies mid-call (its answer lost). The next worker finds out, never doubles."""
    first = make_sched(db, settings, worker=DEAD_WORKER)
    await queue_posts(db, "CA", 2)
    slack.stall("chat.postMessage", apply_first=landed)
    task = asyncio.create_task(first.deliverer.drain(NOW))
    await slack.wait_for(lambda: slack.stalled == 1)
    task.cancel()  # the process is gone; its row stays claimed by a dead pid
    with pytest.raises(asyncio.CancelledError):
        await task
    head = (await outbox_rows(db))[0]
    assert head.status == "sending" and head.claimed_by == DEAD_WORKER
    slack.release()
    second = make_sched(db, settings)
    report = await second.deliverer.drain(NOW)  # same NOW: the dead claim is released at once
    assert [m["text"] for m in slack.channel_messages("CA")] == ["msg 0", "msg 1"]
    assert report.deduplicated == (1 if landed else 0)
    rows = await outbox_rows(db)
    assert [r.status for r in rows] == ["sent", "sent"]


async def test_live_claim_of_another_process_is_respected(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    await queue_posts(db, "CA", 1)
    async with db.transaction() as s:
        row = (await s.get(OutboxMessage, 1))
        assert row is not None
        row.status, row.claimed_by = "sending", "other-host:123:abc"
        row.claimed_until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=CLAIM_SECONDS)
    sched = make_sched(db, settings)
    assert (await sched.deliverer.drain(NOW)).sent == 0
    async with db.transaction() as s:
        row = await s.get(OutboxMessage, 1)
        assert row is not None
        row.claimed_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)  # lease lapsed
    assert (await sched.deliverer.drain(NOW)).sent == 1
    [row] = await outbox_rows(db)
    assert row.status == "sent" and slack.calls_to("conversations.history")
    assert row.result is not None and UNCERTAIN not in row.result


async def test_smtp_server_stopped_and_restarted_mid_delivery(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    server = SmtpServer()
    server.start()
    send = make_test_sender(server.port, "wgml-bot@example.org")
    sent = 0

    async def send_then_stop(payload: dict[str, object]) -> None:
        nonlocal sent
        await send(payload)  # type: ignore[arg-type]
        sent += 1
        if sent == 2:
            server.stop()  # the server goes away between two messages

    sched = make_sched(db, settings, send_then_stop)
    try:
        async with db.transaction() as s:
            for i in range(5):
                await enqueue(s, kind=KIND_EMAIL, lane="email", key=f"mail:{i}", payload={
                    "to": [f"p{i}@example.org"], "subject": f"hello {i}", "text": "body",
                    "message_id": f"<m{i}@example.org>", "reply_to": "wgml-bot@example.org"})
        report = await sched.deliverer.drain(NOW)
        assert report.sent == 2 and report.retried == 1
        [*_, head] = [r for r in await outbox_rows(db) if r.status != "sent"][:1]
        assert "SMTP" in (head.last_error or "")
        server.start()
        later = NOW + dt.timedelta(minutes=5)
        report = await sched.deliverer.drain(later)
        assert report.sent == 3
        got = [m["Message-ID"] for m in server.sink.messages]
        assert sorted(got) == [f"<m{i}@example.org>" for i in range(5)]  # each exactly once
        assert [m["Subject"] for m in server.sink.messages] == [f"hello {i}" for i in range(5)]
    finally:
        server.stop()


async def test_stop_finishes_the_delivery_in_hand(
    db: Database, settings: Settings, slack: SlackEmulator
) -> None:
    sched = make_sched(db, settings)
    await queue_posts(db, "CA", 3)
    slack.stall("chat.postMessage", apply_first=True)
    loop = asyncio.create_task(sched.deliverer.run_forever(idle=0.05))
    await slack.wait_for(lambda: slack.stalled == 1)
    sched.deliverer.stop()
    slack.release()  # the call in hand ends (a 5xx): recorded, not abandoned mid-way
    await asyncio.wait_for(loop, 10)
    rows = await outbox_rows(db)
    assert [r.status for r in rows] == ["pending"] * 3 and rows[0].attempts == 1
    assert rows[0].result == {UNCERTAIN: True}  # the next attempt checks history first
