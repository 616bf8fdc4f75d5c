"""Shared pieces of the email tests: a bot wired to aiosmtpd and the Slack emulator."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.email.intake import Outcome
from bot.talks.cycles import CycleRequest, open_cycle
from handlers.email.imap import intake_message
from storage.db import Database
from tests.conftest import Clock, Running
from tests.mail_servers import SmtpServer

FIXTURES = Path(__file__).parent / "email_fixtures"


class MailBot(Running):
    def __init__(self, bot: Bot, slack: SlackEmulator, clock: Clock, smtp: SmtpServer) -> None:
        super().__init__(bot, None, "", slack, clock)  # type: ignore[arg-type]
        self.smtp = smtp

    async def ingest(self, raw: bytes) -> Outcome:
        outcome = await intake_message(self.bot.services, raw, source="ingest")
        await self.settle()
        return outcome

    async def open_cycle(self, title: str = "March session") -> int:
        today = dt.date.today()
        async with self.db.transaction() as session:
            cycle = await open_cycle(
                session, CycleRequest(title=title, deadline=today + dt.timedelta(days=20),
                                      session_date=today + dt.timedelta(days=40)),
                self.bot.settings.zone, dt.datetime.now(dt.UTC))
        return cycle.id


@pytest.fixture(name="smtp")
def smtp_fixture() -> AsyncIterator[SmtpServer]:
    server = SmtpServer().start()
    yield server  # type: ignore[misc]
    server.stop()


def mail_settings(settings: Settings, smtp: SmtpServer, **extra: object) -> Settings:
    return settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_starttls": False,
        "smtp_ssl": False, "smtp_timeout": 5.0, **extra,
    })


@pytest.fixture(name="mailbot")
async def mailbot_fixture(settings: Settings, db: Database, slack: SlackEmulator,
                  smtp: SmtpServer) -> AsyncIterator[MailBot]:
    clock = Clock()
    bot = Bot.build(mail_settings(settings, smtp), db=db, services_clock=clock)
    bot.start_background()
    try:
        yield MailBot(bot, slack, clock, smtp)
    finally:
        await bot.stop_background()


def message(sender: str, body: str, *, message_id: str, subject: str = "Talk proposal",
            in_reply_to: str | None = None, references: str | None = None,
            extra: str = "") -> bytes:
    headers = [f"From: {sender}", "To: WG-ML Bot <wgml-bot@example.org>",
               f"Subject: {subject}", "Date: Mon, 02 Mar 2026 11:15:02 +0000",
               f"Message-ID: {message_id}", "MIME-Version: 1.0",
               "Content-Type: text/plain; charset=utf-8"]
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
        headers.append(f"References: {references or in_reply_to}")
    if extra:
        headers.append(extra)
    return ("\r\n".join(headers) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
