"""Email adapter: raw messages (IMAP or `email ingest`) into the intake pipeline.

IMAP: IDLE where the server offers it, polling where not; reconnects with exponential
backoff; UIDVALIDITY and the last UID handled are kept in `imap_state`, and each message is
marked handled (\\Seen, or moved to IMAP_PROCESSED_MAILBOX) only after the pipeline has stored
and processed it (or recorded it as failed, for replay), so a crash at any point re-reads at
most one fetch batch, which the Message-ID check skips.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import ssl
from collections.abc import Awaitable
from typing import Any

import aioimaplib

from bot.email.intake import Outcome, ingest, ingest_batch
from bot.services import Services
from handlers.email import imap_session as parts
from storage import imap_state

log = logging.getLogger("wgml.imap")

IDLE_SECONDS = 300.0  # re-issue IDLE well inside servers' 30-minute limit
COMMAND_SECONDS = 60.0  # aioimaplib's STORE/COPY/MOVE wait forever on a dead connection
IDLE_GRACE = 20.0  # beyond IDLE_SECONDS, an IDLE round that has not ended is stuck
MAX_BACKOFF = 300.0
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
FETCH_BATCH = 50  # messages per UID FETCH: few round trips, bounded memory per command
DONE_SECONDS = 10.0  # a server that does not answer DONE within this is gone: reconnect


async def intake_message(services: Services, raw: bytes, *, source: str) -> Outcome:
    """One raw message through the pipeline, then wake delivery for any answer it queued."""
    outcome = await ingest(services.db, services.settings, raw, source=source,
                           now=services.now())
    services.deliverer.kick()
    return outcome


class ImapIntake:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = services.settings
        self.mailbox = self.settings.imap_mailbox
        self.lost = asyncio.Event()
        self.handled = 0  # messages taken from the server since start (for tests and logs)
        self.connected = asyncio.Event()
        self.more_mail = False
        # Where the intake is (connecting, login, select, search, fetch, mark, idle, poll,
        # backoff): for logs, and for tests that stop it in each state.
        self.state = "stopped"
        self.client: aioimaplib.IMAP4 | None = None
        self._exists: int | None = None  # the mailbox's message count as the server told it

    def _untagged(self, line: bytes) -> None:
        """Follow the message count through every untagged EXISTS and EXPUNGE, including
        those aioimaplib drops ("ignored untagged response"): an EXISTS in the answer to UID
        SEARCH, FETCH or STORE, or one sent between commands. A count that grew means mail
        arrived since the last search, and the server does not repeat it once IDLE starts:
        look again first. (A count that did not grow is not new mail: some servers repeat
        EXISTS in every answer.)"""
        words = line.split()
        if len(words) != 2 or not words[0].isdigit():
            return
        count, kind = int(words[0]), words[1].upper()
        if kind == b"EXISTS":
            if self._exists is not None and count > self._exists:
                self.more_mail = True
            self._exists = count
        elif kind == b"EXPUNGE" and self._exists:
            self._exists -= 1

    def _ok(self, resp: Any, what: str) -> None:
        parts.ok(resp, what)
        # An EXISTS reported in a command's answer (mail that arrived while we searched,
        # fetched or flagged) is not repeated once IDLE starts: look again before idling.
        if any(line.endswith(b" EXISTS") for line in parts.lines(resp)):
            self.more_mail = True

    async def _command(self, call: Awaitable[Any], what: str) -> Any:
        """One IMAP command, abandoned when the connection is lost or the server goes quiet."""
        task = asyncio.ensure_future(call)
        lost = asyncio.ensure_future(self.lost.wait())
        try:
            done, _ = await asyncio.wait({task, lost}, timeout=COMMAND_SECONDS,
                                         return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            lost.cancel()
        if task in done:
            return task.result()
        task.cancel()
        reason = "connection lost" if self.lost.is_set() else "no answer"
        raise parts.ImapLost(f"{what}: {reason}")

    async def run_forever(self) -> None:
        delay = 1.0
        try:
            while True:
                try:
                    await self.session()
                    delay = 1.0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    # A cancel that a library swallowed, or that a cleanup turned into an
                    # error, is still a cancel: reconnecting would leave `run` waiting for
                    # this task forever.
                    parts.raise_if_cancelling()
                    self.connected.clear()
                    log.warning("event=imap.disconnected host=%s error=%s retry_in=%.1f",
                                self.settings.imap_host, f"{type(exc).__name__}: {exc}", delay)
                parts.raise_if_cancelling()
                self.state = "backoff"
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, MAX_BACKOFF)
        finally:
            self.state = "stopped"

    def _client(self) -> aioimaplib.IMAP4:
        host = self.settings.imap_host or ""
        port = self.settings.imap_port
        if self.settings.imap_ssl:
            client: aioimaplib.IMAP4 = aioimaplib.IMAP4_SSL(
                host=host, port=port, timeout=30, ssl_context=ssl.create_default_context()
            )
        else:
            client = aioimaplib.IMAP4(host=host, port=port, timeout=30)
        self.lost.clear()

        def on_lost(_exc: Exception | None) -> None:
            self.lost.set()
            # Wake a pending IDLE wait, which would otherwise sleep until its timeout.
            client.protocol.idle_queue.put_nowait(aioimaplib.STOP_WAIT_SERVER_PUSH)

        client.protocol.conn_lost_cb = on_lost
        self._exists = None
        parts.watch_untagged(client, self._untagged)
        return client

    async def session(self) -> None:
        self.state = "connecting"
        client = self.client = self._client()
        try:
            await self._command(client.wait_hello_from_server(), "greeting")
            password = self.settings.imap_password
            self.state = "login"
            resp = await self._command(client.login(
                self.settings.imap_username or "",
                password.get_secret_value() if password else ""), "LOGIN")
            self._ok(resp, "LOGIN")
            self.state = "select"
            resp = await self._command(client.select(self.mailbox), "SELECT")
            self._ok(resp, "SELECT")
            uidvalidity = parts.uidvalidity(resp.lines)
            self.connected.set()
            log.info("event=imap.connected host=%s mailbox=%s uidvalidity=%s idle=%s",
                     self.settings.imap_host, self.mailbox, uidvalidity,
                     client.has_capability("IDLE"))
            while True:
                parts.raise_if_cancelling()
                self.more_mail = False
                await self.fetch_new(client, uidvalidity)
                if self.lost.is_set():
                    raise parts.ImapLost("connection lost")
                if self.more_mail:
                    continue
                if client.has_capability("IDLE"):
                    try:
                        # A watchdog: however IDLE gets stuck (a push lost between the
                        # library and the server, a half-open socket), the session is
                        # rebuilt and the next fetch finds what was missed.
                        async with asyncio.timeout(IDLE_SECONDS + IDLE_GRACE):
                            await self._idle(client)
                    except TimeoutError:
                        raise parts.ImapLost("IDLE stalled; reconnecting") from None
                else:
                    self.state = "poll"
                    await asyncio.sleep(self.settings.imap_poll_seconds)
                    self._ok(await self._command(client.noop(), "NOOP"), "NOOP")
        finally:
            self.connected.clear()
            await parts.close(client)

    async def _idle(self, client: aioimaplib.IMAP4) -> None:
        self.state = "idle"
        idle = await self._command(client.idle_start(timeout=IDLE_SECONDS), "IDLE")
        try:
            if self.more_mail:
                return  # an EXISTS came between the last search and IDLE: look now
            while True:
                push = await parts.server_push(client, IDLE_SECONDS + 5)
                parts.raise_if_cancelling()
                if self.lost.is_set():
                    raise parts.ImapLost("connection lost during IDLE")
                if push == aioimaplib.STOP_WAIT_SERVER_PUSH:
                    break  # IDLE timed out: re-issue it (and look for mail meanwhile)
                if any(b"EXISTS" in line for line in parts.lines(push)):
                    break
        finally:
            if self.lost.is_set() or parts.cancelling():
                # Nobody will answer DONE on a dead connection, and a stopping intake does
                # not wait for the answer: closing the connection ends IDLE as well.
                idle.cancel()
            else:
                if client.has_pending_idle():
                    client.idle_done()
                try:
                    # A server that does not answer DONE promptly is gone (a kicked session
                    # may close without the transport noticing): reconnect. Not wait_for:
                    # on Python 3.11 it can swallow a cancel that lands as the answer does.
                    async with asyncio.timeout(DONE_SECONDS):
                        await idle
                except TimeoutError:
                    raise parts.ImapLost("IDLE did not end") from None

    async def _state(self, uidvalidity: int) -> tuple[int, bool]:
        return await imap_state.last_uid(self.services.db, self.mailbox, uidvalidity)

    async def _advance(self, uidvalidity: int, uid: int) -> None:
        await imap_state.advance(self.services.db, self.mailbox, uidvalidity, uid)

    async def fetch_new(self, client: aioimaplib.IMAP4, uidvalidity: int) -> int:
        self.state = "search"
        last_uid, known = await self._state(uidvalidity)
        criteria = f"UID {last_uid + 1}:*" if known else "UNSEEN"
        resp = await self._command(client.uid_search(criteria, charset=None), "UID SEARCH")
        self._ok(resp, "UID SEARCH")
        # "n:*" always answers the highest UID, even one already handled: drop it.
        uids = sorted({int(x) for line in resp.lines[:-1] for x in line.split()
                       if x.isdigit() and int(x) > last_uid})
        count = 0
        # A batch per round trip (one FETCH, one STORE or MOVE, one state update) and per
        # transaction (the raw messages stored, then the rules) instead of two round trips
        # and two transactions per message. Every message of a batch is stored and processed
        # (or recorded as failed) before any is marked handled; a crash re-reads at most one
        # batch, which the Message-ID check then skips.
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start:start + FETCH_BATCH]
            self.state = "fetch"
            too_large = await self._too_large(client, batch)
            wanted = [uid for uid in batch if uid not in too_large]
            raws = await self._fetch_many(client, wanted) if wanted else {}
            present = [uid for uid in wanted if uid in raws]
            for uid in wanted:
                if uid not in raws:
                    log.warning("event=imap.vanished uid=%s", uid)  # expunged meanwhile
            outcomes = await ingest_batch(self.services.db, self.settings,
                                          [raws[uid] for uid in present], source="imap",
                                          now=self.services.now())
            self.services.deliverer.kick()
            for uid, outcome in zip(present, outcomes, strict=True):
                log.info("event=imap.message uid=%s message_id=%s outcome=%s", uid,
                         outcome.message_id, outcome.outcome)
            self.state = "mark"
            await self._mark_handled(client, batch)
            await self._advance(uidvalidity, batch[-1])
            self.handled += len(batch)
            count += len(batch)
        return count

    async def _too_large(self, client: aioimaplib.IMAP4, uids: list[int]) -> set[int]:
        """The messages over EMAIL_MAX_BYTES, by their RFC822.SIZE: never fetched (a
        message of hundreds of megabytes would be held in memory whole), marked handled."""
        resp = await self._command(client.uid("fetch", parts.uid_set(uids), "(RFC822.SIZE)"),
                                   "UID FETCH")
        self._ok(resp, "UID FETCH")
        limit = self.settings.email_max_bytes
        found: set[int] = set()
        for line in resp.lines:
            if not isinstance(line, bytes | bytearray):
                continue
            uid, size = _UID.search(line), _SIZE.search(line)
            if uid and size and int(uid.group(1)) in uids and int(size.group(1)) > limit:
                found.add(int(uid.group(1)))
                log.warning("event=imap.too_large uid=%s bytes=%s limit=%s; not fetched, "
                            "marked handled", uid.group(1).decode(), size.group(1).decode(),
                            limit)
        return found

    async def _fetch_many(self, client: aioimaplib.IMAP4, uids: list[int]) -> dict[int, bytes]:
        resp = await self._command(client.uid("fetch", parts.uid_set(uids), "(BODY.PEEK[])"),
                                   "UID FETCH")
        self._ok(resp, "UID FETCH")
        found: dict[int, bytes] = {}
        lines = list(resp.lines)
        for i, line in enumerate(lines):
            if not isinstance(line, bytearray):
                continue
            # The UID item sits before the literal (Dovecot) or after it (other servers).
            around = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)
                      and isinstance(lines[j], bytes)]
            for text in around:
                match = _UID.search(text)
                if match and int(match.group(1)) in uids:
                    found.setdefault(int(match.group(1)), bytes(line))
                    break
        return found

    async def _mark_handled(self, client: aioimaplib.IMAP4, uids: list[int]) -> None:
        target = self.settings.imap_processed_mailbox
        uid_set = parts.uid_set(uids)
        if target:
            if client.has_capability("MOVE"):
                self._ok(await self._command(client.uid("move", uid_set, target), "UID MOVE"),
                         "UID MOVE")
                return
            self._ok(await self._command(client.uid("copy", uid_set, target), "UID COPY"),
                     "UID COPY")
            self._ok(await self._command(
                client.uid("store", uid_set, "+FLAGS.SILENT", r"(\Deleted \Seen)"),
                "UID STORE"), "UID STORE")
            if client.has_capability("UIDPLUS"):
                await self._command(client.uid("expunge", uid_set), "UID EXPUNGE")
            return
        self._ok(await self._command(
            client.uid("store", uid_set, "+FLAGS.SILENT", r"(\Seen)"), "UID STORE"), "UID STORE")


async def imap_intake(services: Services) -> None:
    """The background task `run` starts: IMAP intake, when IMAP_HOST is set."""
    if not services.settings.imap_host:
        log.info("event=imap.off reason=IMAP_HOST_unset")
        return
    await ImapIntake(services).run_forever()

