"""IMAP intake against a real Dovecot: IDLE picks up appended mail, a dropped connection
resumes without loss or duplication, handled mail is flagged or moved."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import aioimaplib
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from handlers.email.imap import ImapIntake
from storage.db import Database
from storage.models import ImapState, InboundMessage, OutboxMessage, Submission
from tests.conftest import Clock
from tests.email_helpers import mail_settings, message, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import DOVECOT, Dovecot, SmtpServer

pytestmark = pytest.mark.skipif(
    DOVECOT is None, reason="dovecot is not installed (make system-deps installs dovecot-imapd)"
)


@pytest.fixture(autouse=True)
def _short_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    # IDLE is re-issued every few seconds here (minutes in service), bounding the delay of
    # a notification lost between commands, a race not yet pinned down (see the report).
    import handlers.email.imap as module

    monkeypatch.setattr(module, "IDLE_SECONDS", 3.0)


@pytest.fixture
def dovecot() -> AsyncIterator[Dovecot]:
    server = Dovecot().start()
    yield server  # type: ignore[misc]
    server.stop()


async def _client(dovecot: Dovecot) -> aioimaplib.IMAP4:
    client = aioimaplib.IMAP4(host="127.0.0.1", port=dovecot.port, timeout=10)
    await client.wait_hello_from_server()
    assert (await client.login(dovecot.user, dovecot.password)).result == "OK"
    return client


async def _append(dovecot: Dovecot, *raws: bytes, mailbox: str = "INBOX") -> None:
    client = await _client(dovecot)
    for raw in raws:
        assert (await client.append(raw, mailbox=mailbox)).result == "OK"
    await client.logout()


async def _until(predicate: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.05)


def _imap_settings(settings: Settings, smtp: SmtpServer, dovecot: Dovecot,
                   **extra: object) -> Settings:
    return mail_settings(settings, smtp, imap_host="127.0.0.1", imap_port=dovecot.port,
                         imap_ssl=False, imap_username=dovecot.user,
                         imap_password=SecretStr(dovecot.password), imap_poll_seconds=0.2, **extra)


async def _count(db: Database, model: type) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _proposal(i: int) -> bytes:
    return message(f"Speaker {i} <speaker{i}@studio.example>",
                   f"Title: Talk {i}\nAbstract: We tried model {i} for task {i} and learned a lot.",
                   message_id=f"<imap{i}@studio.example>")


@contextlib.asynccontextmanager
async def _intake(settings: Settings, db: Database) -> AsyncIterator[tuple[Bot, ImapIntake]]:
    bot = Bot.build(settings, db=db, services_clock=Clock())
    # Only the deliverer: the IMAP intake is started here, to hold its handle.
    bot.tasks.append(asyncio.create_task(bot.deliverer.run_forever()))
    intake = ImapIntake(bot.services)
    task = asyncio.create_task(intake.run_forever())
    try:
        yield bot, intake
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await bot.stop_background()


async def test_idle_picks_up_appended_mail_and_survives_a_kick(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot,
) -> None:
    await _append(dovecot, _proposal(1))  # waiting before the bot starts
    s = _imap_settings(settings, smtp, dovecot)
    async with _intake(s, db) as (_bot, intake):
        await _until(lambda: _has(db, InboundMessage, 1))
        await asyncio.wait_for(intake.connected.wait(), timeout=20)
        await _append(dovecot, _proposal(2))  # arrives during IDLE
        await _until(lambda: _has(db, InboundMessage, 2), timeout=60)
        dovecot.kick()  # the server drops the bot mid-session
        await _append(dovecot, _proposal(3), _proposal(4))
        # Generous bounds: noticing the cut can take an IDLE round and a reconnect backoff.
        await _until(lambda: _has(db, InboundMessage, 4), timeout=90)
        await _until(lambda: _last_uid_is(db, 4), timeout=90)  # marked handled, not stored
        await smtp.wait_for(4)
    assert await _count(db, Submission) == 4
    assert await _count(db, OutboxMessage) == 4
    assert len(smtp.received) == 4  # one answer each: nothing read twice
    async with db.session() as session:
        state = await session.get(ImapState, "INBOX")
        assert state is not None and state.last_uid == 4
    client = await _client(dovecot)
    await client.select("INBOX")
    unseen = await client.uid_search("UNSEEN", charset=None)
    assert unseen.lines[0].strip() == b""  # every message marked handled
    await client.logout()


async def test_restart_reads_only_new_mail_and_moves_to_processed(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot,
) -> None:
    setup = await _client(dovecot)
    assert (await setup.create("Processed")).result == "OK"
    await setup.logout()
    s = _imap_settings(settings, smtp, dovecot, imap_processed_mailbox="Processed")
    await _append(dovecot, _proposal(1), _proposal(2))
    async with _intake(s, db) as (_bot, intake):
        await _until(lambda: _handled(intake, 2))
        await smtp.wait_for(2)
    # Stopped; mail arrives; a new process starts from the stored UID.
    await _append(dovecot, _proposal(3))
    async with _intake(s, db):
        await _until(lambda: _last_uid_is(db, 3))
        await smtp.wait_for(3)
    assert len(smtp.received) == 3
    client = await _client(dovecot)
    inbox = await client.select("INBOX")
    assert any(b"0 EXISTS" in bytes(line) for line in inbox.lines)
    processed = await client.select("Processed")
    assert any(b"3 EXISTS" in bytes(line) for line in processed.lines)
    await client.logout()


async def _last_uid_is(db: Database, uid: int) -> bool:
    async with db.session() as session:
        state = await session.get(ImapState, "INBOX")
        return state is not None and state.last_uid >= uid


async def _handled(intake: ImapIntake, n: int) -> bool:
    return intake.handled >= n


async def _has(db: Database, model: type, n: int) -> bool:
    return await _count(db, model) >= n


async def test_polls_when_the_server_offers_no_idle(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
) -> None:
    server = Dovecot(extra_conf="\nimap_capability = IMAP4rev1 UIDPLUS\n").start()
    try:
        s = _imap_settings(settings, smtp, server)
        async with _intake(s, db) as (_bot, intake):
            await asyncio.wait_for(intake.connected.wait(), timeout=20)
            await _append(server, _proposal(1))
            await _until(lambda: _has(db, InboundMessage, 1))
            await _append(server, _proposal(2))
            await _until(lambda: _has(db, InboundMessage, 2))
            await smtp.wait_for(2)
        assert len(smtp.received) == 2
    finally:
        server.stop()


async def test_a_new_uidvalidity_rereads_unseen_mail_only(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot,
) -> None:
    s = _imap_settings(settings, smtp, dovecot)
    await _append(dovecot, _proposal(1))
    async with _intake(s, db) as (_bot, intake):
        await _until(lambda: _handled(intake, 1))
        await smtp.wait_for(1)
    async with db.transaction() as session:
        state = await session.get(ImapState, "INBOX")
        assert state is not None
        state.uidvalidity += 1  # as if the server had renumbered the mailbox
    await _append(dovecot, _proposal(2))
    async with _intake(s, db):
        await _until(lambda: _last_uid_is(db, 2))
        await smtp.wait_for(2)
    assert len(smtp.received) == 2  # message 1 was \Seen: not read again
    async with db.session() as session:
        state = await session.get(ImapState, "INBOX")
        assert state is not None and state.last_uid == 2
