"""Stopping the service while Slack or SMTP does not answer: the stop is bounded, the message
in hand goes back to the queue (marked uncertain, not counted as a failed attempt), and the
next run delivers it once.

The asyncio.wait_for bounds detect a hang (the old stop waited for Slack's 15 s client
timeout, or 30 s); they assert no speed."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

import scheduler.outbox as outbox_module
from bot.app.parts import slack_client
from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from scheduler.outbox import UNCERTAIN, Deliverer
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import enqueue_email, enqueue_slack_message
from tests.app.test_service import service_env, service_log, start_service, stop_service
from tests.conftest import ANNOUNCE
from tests.email_helpers import mail_settings

STOP_BOUND = 10.0


@pytest.fixture(autouse=True)
def _short_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    # The grace a stop gives a send in hand; short here so the hang detector has room.
    monkeypatch.setattr(outbox_module, "STOP_GRACE", 1.0, raising=False)


class SilentSmtp:
    """An SMTP server that takes the message and never answers the end of DATA."""

    def __init__(self) -> None:
        self.port = free_port()
        self.released = False
        self.reached_data = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.reached_data += 1
        while not self.released:  # noqa: ASYNC110 - released from the test's thread
            await asyncio.sleep(0.05)
        return "451 try later"

    def start(self) -> SilentSmtp:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.released = True
        self.controller.stop()


async def _rows(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        return list((await session.scalars(select(OutboxMessage))).all())


async def _stop_within_bound(bot: Bot) -> None:
    try:
        await asyncio.wait_for(bot.stop_background(), STOP_BOUND)
    except TimeoutError:
        raise AssertionError("stop_background did not return while Slack/SMTP hung") from None


async def _until(predicate: Any, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "not reached"
        await asyncio.sleep(0.02)


def _kept_for_later(row: OutboxMessage) -> None:
    assert row.status == "pending", row.status
    assert row.result and row.result.get(UNCERTAIN)  # checked before it is sent again
    assert row.attempts == 0  # a stop is not a failed attempt
    assert row.last_error and "abandoned at shutdown" in row.last_error


async def test_stop_while_slack_holds_a_post_keeps_it_and_the_next_run_posts_it_once(
    settings: Settings, db: Database, slack: SlackEmulator,
) -> None:
    slack.stall("chat.postMessage", apply_first=True)  # posted, the answer never comes
    bot = Bot.build(settings, db=db)
    bot.start_background()
    try:
        async with db.transaction() as session:
            await enqueue_slack_message(session, channel=ANNOUNCE, text="Call for speakers",
                                        key="stop:slack:1")
        bot.deliverer.kick()
        await slack.wait_for(lambda: slack.stalled == 1, timeout=20)
        await _stop_within_bound(bot)
    finally:
        slack.release()
        await bot.stop_background()
    [row] = await _rows(db)
    _kept_for_later(row)
    # The next run checks the channel's history first: the post is there, not posted again.
    report = await Deliverer(db, slack_client(settings)).drain(dt.datetime.now(dt.UTC))
    assert report.deduplicated == 1
    assert len(slack.channel_messages(ANNOUNCE)) == 1
    [row] = await _rows(db)
    assert row.status == "sent"


async def test_stop_while_smtp_holds_a_message_keeps_it(
    settings: Settings, db: Database, slack: SlackEmulator,
) -> None:
    smtp = SilentSmtp().start()
    try:
        s = mail_settings(settings, smtp, smtp_timeout=60.0)  # type: ignore[arg-type]
        bot = Bot.build(s, db=db)
        bot.start_background()
        try:
            async with db.transaction() as session:
                await enqueue_email(session, to=["speaker@studio.example"], subject="Thanks",
                                    text="We got your talk.", domain="example.org")
            bot.deliverer.kick()
            await _until(lambda: smtp.reached_data == 1)
            await _stop_within_bound(bot)
        finally:
            await bot.stop_background()
    finally:
        smtp.stop()
    [row] = await _rows(db)
    _kept_for_later(row)


async def test_sigterm_stops_run_while_slack_holds_a_post(
    db_url: str, slack: SlackEmulator, tmp_path: Path,
) -> None:
    """The same as an operator sees it: `run --http`, SIGTERM, a bounded clean exit."""
    from storage.migrate import upgrade

    db = Database(db_url)
    await upgrade(db)
    async with db.transaction() as session:
        await enqueue_slack_message(session, channel=ANNOUNCE, text="Call for speakers",
                                    key="stop:slack:2")
    slack.stall("chat.postMessage")
    proc = await start_service(service_env(db_url, slack), "--http", "--port",
                               str(free_port()), cwd=tmp_path)
    try:
        await slack.wait_for(lambda: slack.stalled == 1, timeout=60)
        proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(proc.wait(), STOP_BOUND + 2)
        except TimeoutError:
            raise AssertionError("no bounded stop on SIGTERM:\n" + service_log(tmp_path)
                                 [-3000:]) from None
        assert code == 0, service_log(tmp_path)[-3000:]
    finally:
        slack.release()
        await stop_service(proc, tmp_path)
    try:
        [row] = await _rows(db)
        assert row.status == "pending" and row.result and row.result.get(UNCERTAIN)
    finally:
        await db.dispose()
