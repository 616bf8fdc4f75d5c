"""Email after a crash: at-least-once with a stable Message-ID, and never outliving a claim.

SMTP cannot tell whether a message was accepted, so a row whose sender died after the
server said 250 is sent again. These tests pin what that looks like, on SQLite and
PostgreSQL, with a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import pytest

import scheduler.outbox as outbox
from bot.config import Settings
from scheduler.outbox import UNCERTAIN
from storage.db import Database
from storage.outbox import enqueue_email
from tests.sched_helpers import at, make_sched, outbox_rows
from tests.smtp_sink import SmtpServer, make_test_sender

NOW = at("2026-05-04T10:00:00+00:00")
DEAD_WORKER = f"{socket.gethostname()}:{2**22 + 11}:dead00"  # a pid no process can have


async def _queue(db: Database) -> str:
    async with db.transaction() as s:
        mid = await enqueue_email(s, to=["speaker@studio.example"], subject="Your talk",
                                  text="Hello", domain="example.org", key="mail:1")
    assert mid is not None
    return mid


async def test_a_crash_after_the_server_accepted_sends_once_more_with_the_same_id(
    db: Database, settings: Settings, smtp: SmtpServer, caplog: pytest.LogCaptureFixture,
) -> None:
    mid = await _queue(db)
    send = make_test_sender(smtp.port, "wgml-bot@example.org")
    accepted = asyncio.Event()

    async def send_then_die(payload: dict[str, Any]) -> None:
        await send(payload)  # the server said 250 ...
        accepted.set()
        await asyncio.Event().wait()  # ... and the process dies before recording it

    first = make_sched(db, settings, send_then_die, worker=DEAD_WORKER)
    task = asyncio.create_task(first.deliverer.drain(NOW))
    await asyncio.wait_for(accepted.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [row] = await outbox_rows(db)
    assert row.status == "sending" and row.claimed_by == DEAD_WORKER
    second = make_sched(db, settings, send)
    with caplog.at_level(logging.WARNING, logger="wgml.outbox"):
        report = await second.deliverer.drain(NOW)  # the dead claim is released at once
    assert report.sent == 1
    # At-least-once: the copy carries the same Message-ID, so the receiver can drop it.
    assert [m["Message-ID"] for m in smtp.sink.messages] == [mid, mid]
    [row] = await outbox_rows(db)
    assert row.status == "sent" and row.attempts == 2
    assert f"event=outbox.email_maybe_repeated id={row.id} message_id={mid}" in caplog.text


async def test_one_smtp_conversation_never_outlives_its_claim(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _queue(db)
    monkeypatch.setattr(outbox, "EMAIL_SEND_SECONDS", 0.2)

    async def stuck(payload: dict[str, Any]) -> None:
        await asyncio.sleep(30)  # a server that accepted the connection and went quiet

    sched = make_sched(db, settings, stuck)
    report = await asyncio.wait_for(sched.deliverer.drain(NOW), 10)
    assert report.retried == 1 and report.sent == 0
    [row] = await outbox_rows(db)
    # Back in the queue, released by its own worker, and marked: it may have gone out.
    assert row.status == "pending" and row.claimed_by is None
    assert "SMTP took over" in (row.last_error or "")
    assert row.result == {UNCERTAIN: True}
