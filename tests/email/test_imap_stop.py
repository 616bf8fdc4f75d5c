"""IMAP intake stops within seconds when cancelled, whatever state it is in, and mail that
arrives while it connects is picked up at once rather than at the next IDLE round.

The bounds below (asyncio.wait_for) detect a hang; they assert no speed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aioimaplib
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from handlers.email.imap import ImapIntake
from storage.db import Database
from storage.models import InboundMessage
from tests.app.test_service import service_env, service_log, start_service, stop_service
from tests.conftest import Clock
from tests.email_helpers import mail_settings, message, smtp_fixture  # noqa: F401 - fixture
from tests.imap_quiet import QuietImap
from tests.mail_servers import DOVECOT, Dovecot, SmtpServer

STOP_BOUND = 10.0  # generous: a stop that takes longer than this is a hang


def _settings(settings: Settings, smtp: SmtpServer, port: int) -> Settings:
    return mail_settings(settings, smtp, imap_host="127.0.0.1", imap_port=port,
                         imap_ssl=False, imap_username=Dovecot.user,
                         imap_password=SecretStr(Dovecot.password), imap_poll_seconds=0.2)


async def _until(predicate: Callable[[], bool | Awaitable[bool]], what: str,
                 timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if not isinstance(value, bool):
            value = await value
        if value:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"not reached: {what}")
        await asyncio.sleep(0.02)


async def _inbound(db: Database) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


@contextlib.asynccontextmanager
async def _bot(settings: Settings, db: Database) -> AsyncIterator[Bot]:
    bot = Bot.build(settings, db=db, services_clock=Clock())
    bot.tasks.append(asyncio.create_task(bot.deliverer.run_forever()))
    try:
        yield bot
    finally:
        await bot.stop_background()


async def _cancel_within_bound(task: asyncio.Task[Any]) -> None:
    task.cancel()
    try:
        await asyncio.wait_for(asyncio.shield(task), STOP_BOUND)
    except asyncio.CancelledError:
        pass
    except TimeoutError:
        raise AssertionError("the IMAP intake did not stop after being cancelled") from None
    assert task.cancelled(), "the intake went on instead of stopping"


# quiet_at, the state the intake waits in
STATES = [
    ("greeting", "connecting"),
    ("LOGIN", "login"),
    ("SELECT", "select"),
    ("SEARCH", "search"),
    ("FETCH", "fetch"),
    ("STORE", "mark"),
    ("", "idle"),  # idling with an answering server
    ("DONE", "idle"),  # idling with a server that will not answer DONE or LOGOUT
]


@pytest.mark.parametrize(("quiet_at", "state"), STATES)
async def test_cancel_stops_a_quiet_server_session_in_every_state(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    quiet_at: str, state: str,
) -> None:
    server = await QuietImap(quiet_at).start()
    try:
        async with _bot(_settings(settings, smtp, server.port), db) as bot:
            intake = ImapIntake(bot.services)
            task = asyncio.create_task(intake.run_forever())
            await _until(lambda: intake.state == state or task.done(), f"state {state}")
            assert not task.done()
            await _cancel_within_bound(task)
    finally:
        await server.stop()


async def test_cancel_stops_the_backoff_between_retries(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
) -> None:
    server = await QuietImap(refuse_login=True).start()
    try:
        async with _bot(_settings(settings, smtp, server.port), db) as bot:
            intake = ImapIntake(bot.services)
            task = asyncio.create_task(intake.run_forever())
            await _until(lambda: intake.state == "backoff", "backoff")
            await _cancel_within_bound(task)
    finally:
        await server.stop()


async def test_a_server_repeating_the_mailbox_size_is_not_searched_again_and_again(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
) -> None:
    server = await QuietImap(chatty=True).start()
    try:
        async with _bot(_settings(settings, smtp, server.port), db) as bot:
            intake = ImapIntake(bot.services)
            task = asyncio.create_task(intake.run_forever())
            await _until(lambda: "IDLE" in server.seen, "IDLE")
            # One search finds the message; a second finds nothing new and then IDLE.
            assert server.seen.count("UID SEARCH") <= 2, server.seen
            await _cancel_within_bound(task)
    finally:
        await server.stop()


async def test_cancel_while_connecting_to_nothing(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
) -> None:
    async with _bot(_settings(settings, smtp, free_port()), db) as bot:
        intake = ImapIntake(bot.services)
        task = asyncio.create_task(intake.run_forever())
        await _until(lambda: intake.state in ("connecting", "backoff"), "connecting")
        await _cancel_within_bound(task)


dovecot_only = pytest.mark.skipif(
    DOVECOT is None, reason="dovecot is not installed (make system-deps installs dovecot-imapd)")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot().start()
    yield server
    server.stop()


async def _append(server: Dovecot, raw: bytes) -> None:
    client = aioimaplib.IMAP4(host="127.0.0.1", port=server.port, timeout=10)
    await client.wait_hello_from_server()
    assert (await client.login(server.user, server.password)).result == "OK"
    assert (await client.append(raw, mailbox="INBOX")).result == "OK"
    await client.logout()


def _proposal(i: int) -> bytes:
    return message(f"Speaker {i} <speaker{i}@studio.example>",
                   f"Title: Talk {i}\nAbstract: We tried model {i} and learned a lot.",
                   message_id=f"<stop{i}@studio.example>")


@dovecot_only
async def test_cancel_stops_idle_with_dovecot_even_as_mail_arrives(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot,
) -> None:
    async with _bot(_settings(settings, smtp, dovecot.port), db) as bot:
        intake = ImapIntake(bot.services)
        task = asyncio.create_task(intake.run_forever())
        await _until(lambda: intake.state == "idle" and intake.client is not None
                     and intake.client.has_pending_idle(), "IDLE with Dovecot")
        # A push and the cancel land in the same turn of the loop: aioimaplib's
        # wait_server_push (asyncio.wait_for on Python 3.11) returned the push and dropped
        # the cancel, so the intake went on idling and `run` waited for it forever.
        assert intake.client is not None
        intake.client.protocol.idle_queue.put_nowait([b"1 EXISTS"])
        await _cancel_within_bound(task)


@dovecot_only
async def test_mail_arriving_while_the_bot_handles_earlier_mail_is_read_at_once(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot,
) -> None:
    """Mail appended while the bot marks the first message handled: Dovecot reports it in
    its answer to UID STORE, which aioimaplib drops ("ignored untagged response: 2 EXISTS"),
    and does not repeat it once IDLE starts. IDLE rounds last minutes in service."""
    await _append(dovecot, _proposal(1))

    class ArrivesMeanwhile(ImapIntake):
        appended = False

        async def _mark_handled(self, client: aioimaplib.IMAP4, uids: list[int]) -> None:
            if not self.appended:
                self.appended = True
                await _append(dovecot, _proposal(2))
            await super()._mark_handled(client, uids)

    async with _bot(_settings(settings, smtp, dovecot.port), db) as bot:
        intake = ArrivesMeanwhile(bot.services)
        task = asyncio.create_task(intake.run_forever())
        try:
            # IDLE_SECONDS is the service's (minutes): only an immediate look passes.
            await _until(lambda: _inbound_is(db, 2), "the second message ingested",
                         timeout=15)
            assert intake.appended
        finally:
            await _cancel_within_bound(task)


@dovecot_only
async def test_mail_arriving_between_search_and_idle_is_read_at_once(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot,
) -> None:
    """Mail appended after the first UID SEARCH (an empty mailbox) and before IDLE."""

    class ArrivesBeforeIdle(ImapIntake):
        appended = False

        async def fetch_new(self, client: aioimaplib.IMAP4, uidvalidity: int) -> int:
            count = await super().fetch_new(client, uidvalidity)
            if not self.appended:
                self.appended = True
                await _append(dovecot, _proposal(3))
                # What a busy server does: it reports the new message in the answer to the
                # next command, here a search aioimaplib routes EXISTS away from.
                await client.uid_search("UID 1:*", charset=None)
            return count

    async with _bot(_settings(settings, smtp, dovecot.port), db) as bot:
        intake = ArrivesBeforeIdle(bot.services)
        task = asyncio.create_task(intake.run_forever())
        try:
            await _until(lambda: _inbound_is(db, 1), "the message ingested", timeout=15)
        finally:
            await _cancel_within_bound(task)


async def _inbound_is(db: Database, n: int) -> bool:
    return await _inbound(db) >= n


async def test_sigterm_stops_run_while_imap_idles_on_a_server_gone_quiet(
    db_url: str, slack: SlackEmulator, tmp_path: Path,
) -> None:
    """`run` with IMAP, as an operator runs it: idling when the server stops answering (not
    even DONE); SIGTERM still ends it within stop_service's bound, with exit 0."""
    from storage.migrate import upgrade

    database = Database(db_url)
    await upgrade(database)
    await database.dispose()
    server = await QuietImap("DONE").start()
    env = service_env(db_url, slack, IMAP_HOST="127.0.0.1", IMAP_PORT=str(server.port),
                      IMAP_SSL="false", IMAP_USERNAME=Dovecot.user,
                      IMAP_PASSWORD=Dovecot.password)
    try:
        proc = await start_service(env, "--http", "--port", str(free_port()), cwd=tmp_path)
        try:
            await _until(lambda: "IDLE" in server.seen or proc.returncode is not None,
                         "the service idling")
            assert "IDLE" in server.seen, service_log(tmp_path)[-3000:]
        finally:
            log = await stop_service(proc, tmp_path)  # SIGTERM; fails when no exit in 20 s
        assert proc.returncode == 0, log[-3000:]
        assert "event=service.task_did_not_stop" not in log  # the intake itself stopped
    finally:
        await server.stop()
