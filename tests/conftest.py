"""Real parts: SQLite or PostgreSQL (WGML_TEST_DB), the Slack emulator, the bot over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy.engine import make_url

from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.requests import SlackSender
from bot.demo.emulator.slack import SlackEmulator, bound_port
from storage.db import Database
from storage.migrate import stamp_head
from storage.models import Base
from tests.smtp_sink import SmtpServer

TEST_DB = os.environ.get("WGML_TEST_DB", "sqlite")
PG_URL = os.environ.get(
    "WGML_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
LEADS = "CLEADERS1"
ANNOUNCE = "CANNOUNCE1"
LEADERS = ["ULEAD1", "ULEAD2", "ULEAD3"]


async def _admin(sql: str) -> None:
    import asyncpg

    url = make_url(PG_URL)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class DatabaseFactory:
    """Fresh, empty databases: a file for SQLite, a new database for PostgreSQL."""

    def __init__(self, tmp: Any) -> None:
        self.tmp = tmp
        self.created: list[str] = []

    async def url(self) -> str:
        if TEST_DB == "postgres":
            name = f"wgml_test_{uuid.uuid4().hex[:12]}"
            await _admin(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        return f"sqlite+aiosqlite:///{self.tmp / f'wgml-{uuid.uuid4().hex[:8]}.db'}"

    async def drop_all(self) -> None:
        for name in self.created:
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def databases(tmp_path: Any) -> AsyncIterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path)
    yield factory
    await factory.drop_all()


@pytest.fixture
async def db_url(databases: DatabaseFactory) -> str:
    return await databases.url()


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        await conn.run_sync(stamp_head)  # the models are the head schema: /healthz agrees
    yield database
    await database.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) in this process, recording what it receives."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def slack() -> AsyncIterator[SlackEmulator]:
    emulator = SlackEmulator(token=TOKEN, members={LEADS: list(LEADERS)})
    emulator.channels[ANNOUNCE] = {"is_private": False, "is_member": True}
    await emulator.start()
    yield emulator
    await emulator.stop()
    # Every call the bot made in the test is one Slack's published spec accepts.
    assert not emulator.spec_violations, emulator.spec_violations


@pytest.fixture
def settings(db_url: str, slack: SlackEmulator, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The tests' settings come from here only, never from a developer's .env.
    for key in list(os.environ):
        if key.startswith(("SLACK_", "SMTP_", "IMAP_")) or key in (
            "DATABASE_URL", "LEADERSHIP_CHANNEL_ID", "ANNOUNCE_CHANNEL_ID"):
            monkeypatch.delenv(key, raising=False)
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db_url,
        slack_bot_token=TOKEN,  # type: ignore[arg-type]
        slack_signing_secret=SECRET,  # type: ignore[arg-type]
        slack_api_url=slack.url,
        leadership_channel_id=LEADS,
        announce_channel_id=ANNOUNCE,
        mailing_list_address="wg-ml@lists.example.org",
        bot_email_address="wgml-bot@example.org",
    )


class Clock:
    """A clock tests can set; defaults to the real time."""

    def __init__(self) -> None:
        self.fixed: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        return self.fixed or dt.datetime.now(dt.UTC)


class Running:
    """The bot serving HTTP on a free port, its deliverer running, and a signed sender."""

    def __init__(self, bot: Bot, sender: SlackSender, base: str, slack: SlackEmulator,
                 clock: Clock) -> None:
        self.bot = bot
        self.sender = sender
        self.base = base
        self.slack = slack
        self.clock = clock

    @property
    def db(self) -> Database:
        return self.bot.db

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until the outbox has nothing pending or sending."""
        from sqlalchemy import func, select

        from storage.models import OutboxMessage

        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            async with self.db.session() as session:
                busy = await session.scalar(
                    select(func.count()).select_from(OutboxMessage).where(
                        OutboxMessage.status.in_(("pending", "sending")),
                        OutboxMessage.next_attempt_at <= dt.datetime.now(dt.UTC)
                        + dt.timedelta(seconds=1),
                    )
                )
            if not busy:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{busy} outbox messages still undelivered")
            self.bot.deliverer.kick()
            await asyncio.sleep(0.02)

    async def submit(self, user: str = "UMEMBER1", *, view_id: str | None = None,
                     **fields: Any) -> tuple[int, str]:
        values = {
            "title": "We tried SAM 2 for rotoscoping hair",
            "focus_area": "content_creation",
            "abstract": "We ran SAM 2 on 40 shots of hair and fur and compared with artists.",
            "results": "Worked on clean plates; failed on motion blur.",
            "studio": "Example Studio",
            "email": "member@example.org",
            "confirmed": True,
        }
        values.update(fields)
        return await self.sender.submit_view(user, view_id or f"V{uuid.uuid4().hex[:10]}",
                                             **values)


@pytest.fixture
async def running(settings: Settings, db: Database, slack: SlackEmulator
                  ) -> AsyncIterator[Running]:
    clock = Clock()
    bot = Bot.build(settings, db=db, services_clock=clock)
    runner = web.AppRunner(bot.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = bound_port(site)
    base = f"http://127.0.0.1:{port}"
    sender = SlackSender(f"{base}/slack/events", SECRET, slack.new_response_url)
    bot.start_background()
    try:
        yield Running(bot, sender, base, slack, clock)
    finally:
        await sender.close()
        await bot.stop_background()
        await runner.cleanup()
        await bot.client.close() if hasattr(bot.client, "close") else None


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
