"""The card's buttons (`vote_*`, `decide_*`) and the leaders' and speakers' commands.

Registered before handlers.slack_actions' catch-all. A press is acknowledged after its
transaction commits, so an acknowledged vote is a stored vote; should the database be slow,
the acknowledgement goes out anyway before Slack's 3 seconds and the work finishes after.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from bot.curation import Press, handle_press
from bot.leaders import LeaderDirectory, slack_member_lister
from bot.review import review_command
from bot.services import Services
from bot.withdraw import withdraw_command
from handlers.slack_commands import Ack, reply, subcommand
from handlers.slack_payload import text

log = logging.getLogger("wgml.slack")

ACK_BUDGET = 2.0  # seconds of work before acknowledging regardless (Slack allows 3)
# The card's re-render waits this long after a press, so a burst's acknowledgements go out
# before the deliverer renders on the same event loop (one render for the burst anyway).
RENDER_AFTER = 0.05
_LATE: set[asyncio.Task[str]] = set()  # presses still finishing after their ack


PRESS_ACTION = re.compile(r"^(vote|decide)_")


def press_from_body(body: dict[str, Any], retry_header: str = "") -> Press:
    retry = retry_header.strip()
    return Press(
        user=text(body, "user", "id")[:64],
        action_id=text(body, "actions", 0, "action_id")[:255],
        value=text(body, "actions", 0, "value")[:255],
        channel=(text(body, "channel", "id") or text(body, "container", "channel_id"))[:32],
        action_ts=text(body, "actions", 0, "action_ts")[:40],
        retry_num=int(retry) if retry.isdigit() and len(retry) < 6 else 0,
    )


def _retry_header(request: AsyncBoltRequest | None) -> str:
    if request is None:
        return ""
    values = request.headers.get("x-slack-retry-num") or []
    return values[0] if values else ""


async def settle_press(services: Services, press: Press) -> None:
    """Return once the press is stored (or refused), or once ACK_BUDGET has passed; the
    caller acknowledges then. Late work goes on in the background (see drain_presses)."""
    work = asyncio.ensure_future(handle_press(services, press))
    done, _ = await asyncio.wait({work}, timeout=ACK_BUDGET)
    if done:
        _report(work)
        services.deliverer.kick(RENDER_AFTER)
        return
    log.warning("event=curation.slow_press user=%s action=%s", press.user, press.action_id)
    _LATE.add(work)

    def finished(task: asyncio.Task[str]) -> None:
        _LATE.discard(task)
        _report(task)
        services.deliverer.kick()

    work.add_done_callback(finished)


def quick_route(services: Services) -> Callable[[dict[str, Any], str], Awaitable[None] | None]:
    """For bot.web: vote and decide presses straight to settle_press, without slack-bolt.

    Why: under a burst of presses, bolt's middleware chain, its matching over every listener
    and its ack wait (a 10 ms polling loop per request) cost more of the one event loop than
    the vote itself. The HTTP layer has already checked the signature and the timestamp.
    Returns None for anything else, which then goes through bolt as before.
    """

    def route(payload: dict[str, Any], retry_header: str) -> Awaitable[None] | None:
        if payload.get("type") != "block_actions":
            return None
        if not PRESS_ACTION.match(text(payload, "actions", 0, "action_id")):
            return None
        return settle_press(services, press_from_body(payload, retry_header))

    return route


async def _press(services: Services, ack: Ack, body: dict[str, Any],
                 request: AsyncBoltRequest) -> None:
    try:
        await settle_press(services, press_from_body(body, _retry_header(request)))
    finally:
        await ack()


async def drain_presses(timeout: float = 10.0) -> None:
    """Wait for acknowledged presses still finishing (at shutdown, and in tests)."""
    if _LATE:
        await asyncio.wait(set(_LATE), timeout=timeout)


def _report(task: asyncio.Task[str]) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        # Nothing was committed (the transaction rolled back); the leader can press again.
        log.error("event=curation.press_failed error=%s", type(exc).__name__, exc_info=exc)


def register(app: AsyncApp, services: Services) -> None:
    if services.leaders is None:
        services.leaders = LeaderDirectory(slack_member_lister(app.client), clock=services.now)

    @app.action(re.compile(r"^vote_"))
    async def _vote(ack: Ack, body: dict[str, Any], request: AsyncBoltRequest) -> None:
        await _press(services, ack, body, request)

    @app.action(re.compile(r"^decide_"))
    async def _decide(ack: Ack, body: dict[str, Any], request: AsyncBoltRequest) -> None:
        await _press(services, ack, body, request)


@subcommand("review")
async def _review(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                  client: AsyncWebClient) -> None:
    await reply(ack, await review_command(services, text(command, "user_id"), rest))


@subcommand("withdraw")
async def _withdraw(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                    client: AsyncWebClient) -> None:
    answer = await withdraw_command(services, text(command, "user_id"), rest)
    await reply(ack, answer)
    services.deliverer.kick()
