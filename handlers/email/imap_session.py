"""The small parts of an IMAP conversation the intake is built from: UID sets, checked
answers, the mailbox's UIDVALIDITY, IDLE's pushes, and leaving (politely, within
LOGOUT_SECONDS, or by dropping the socket). aioimaplib underneath."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

import aioimaplib

log = logging.getLogger("wgml.imap")

LOGOUT_SECONDS = 5.0  # the most a session spends saying goodbye before dropping the socket
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


class ImapLost(ConnectionError):
    """The IMAP connection dropped or the server answered unexpectedly."""


def uid_set(uids: list[int]) -> str:
    """1,2,3,7 -> "1:3,7" (short commands for long runs of UIDs)."""
    parts: list[str] = []
    run: list[int] = []
    for uid in sorted(uids):
        if run and uid == run[-1] + 1:
            run.append(uid)
            continue
        if run:
            parts.append(f"{run[0]}:{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [uid]
    if run:
        parts.append(f"{run[0]}:{run[-1]}" if len(run) > 1 else str(run[0]))
    return ",".join(parts)


def lines(resp: Any) -> list[bytes]:
    if isinstance(resp, list):
        return [bytes(x) for x in resp if isinstance(x, bytes | bytearray)]
    return [bytes(x) for x in getattr(resp, "lines", []) if isinstance(x, bytes | bytearray)]


def ok(resp: Any, what: str) -> None:
    if getattr(resp, "result", None) != "OK":
        text = b" ".join(lines(resp)).decode("utf-8", "replace")[:300]
        raise ImapLost(f"{what} failed: {getattr(resp, 'result', '?')} {text}")


def uidvalidity(answer: list[Any]) -> int:
    for line in lines(answer):
        match = _UIDVALIDITY.search(line)
        if match:
            return int(match.group(1))
    raise ImapLost("the server did not say the mailbox's UIDVALIDITY")


def cancelling() -> bool:
    """Whether the running task has been asked to stop (even if the CancelledError was lost)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def raise_if_cancelling() -> None:
    if cancelling():
        raise asyncio.CancelledError


async def server_push(client: aioimaplib.IMAP4, timeout: float) -> Any:
    """What the server pushes during IDLE (aioimaplib's wait_server_push, without wait_for:
    on Python 3.11 wait_for returns a push that lands with a cancel and drops the cancel)."""
    async with asyncio.timeout(timeout):
        return await client.protocol.idle_queue.get()


def watch_untagged(client: aioimaplib.IMAP4, seen: Callable[[bytes], None]) -> None:
    """Show every untagged response to `seen` (b"2 EXISTS"), even those aioimaplib ignores."""
    protocol = client.protocol
    untagged = getattr(protocol, "_untagged_response", None)
    if untagged is None:  # another aioimaplib: the IDLE round still bounds the delay
        return

    def watched(line: bytes) -> Any:
        seen(line.removeprefix(b"* ").strip())
        return untagged(line)

    protocol._untagged_response = watched


async def close(client: aioimaplib.IMAP4) -> None:
    try:
        # A stopping intake says no goodbye: LOGOUT on a silent server would hold the stop.
        if not cancelling() and client.protocol.state in ("AUTH", "SELECTED"):
            async with asyncio.timeout(LOGOUT_SECONDS):
                await client.protocol.logout()
    except Exception:  # noqa: S110 - the connection is being dropped anyway
        pass
    finally:
        drop(client)


def drop(client: aioimaplib.IMAP4) -> None:
    """Close the socket and everything aioimaplib still has pending on it."""
    waiter = getattr(client, "_idle_waiter", None)
    if waiter is not None:
        waiter.cancel()
    connecting = getattr(client, "_client_task", None)
    if connecting is not None and not connecting.done():
        connecting.cancel()
    for task in [*getattr(client, "tasks", ()), *getattr(client.protocol, "tasks", ())]:
        task.cancel()
    transport = getattr(client.protocol, "transport", None)
    if transport is not None:
        transport.close()
