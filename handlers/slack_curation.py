"""The card's buttons (`vote_*`, `decide_*`) and the leaders' and speakers' commands.

Registered before handlers.slack_actions' catch-all; over HTTP, bot.web hands presses
straight to settle_press. A press is acknowledged after its transaction commits, so an
acknowledged vote is a stored vote. Should the database be slower than Slack's 3 seconds
allow, a vote press is written down first (bot.late_presses) and then acknowledged; a press
that cannot be stored either way is not acknowledged, and Slack shows the leader it failed.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import late_presses
from bot.curation import Press, handle_press
from bot.leaders import LeaderDirectory, slack_member_lister
from bot.review import review_command, review_parts
from bot.services import Services
from bot.web import QuickRoute
from bot.withdraw import withdraw_command
from handlers.slack_commands import Ack, reply, subcommand
from handlers.slack_payload import text

log = logging.getLogger("wgml.slack")

ACK_BUDGET = 2.0  # seconds of work before keeping the press instead (Slack allows 3)
KEEP_BUDGET = 0.6  # seconds to keep it (bot.late_presses) before giving up on acknowledging
# The card's re-render waits this long after a press, so a burst's acknowledgements go out
# before the deliverer renders on the same event loop (one render for the burst anyway).
RENDER_AFTER = 0.2
_LATE: set[asyncio.Future[Any]] = set()  # work still going on after the answer


PRESS_ACTION = re.compile(r"^(vote|decide)_")


def press_from_body(body: dict[str, Any], retry_header: str = "") -> Press:
    retry = retry_header.strip()
    return Press(
        user=text(body, "user", "id")[:64],
        action_id=text(body, "actions", 0, "action_id")[:255],
        value=text(body, "actions", 0, "value")[:255],
        channel=(text(body, "channel", "id") or text(body, "container", "channel_id"))[:32],
        action_ts=text(body, "actions", 0, "action_ts")[:40],
        # The header is outside Slack's signature: '²' passes isdigit() but not int().
        retry_num=int(retry) if retry.isascii() and retry.isdigit() and len(retry) < 6 else 0,
    )


def _retry_header(request: AsyncBoltRequest | None) -> str:
    if request is None:
        return ""
    values = request.headers.get("x-slack-retry-num") or []
    return values[0] if values else ""


async def settle_press(services: Services, press: Press) -> bool:
    """Whether the press may be acknowledged: True once it is stored (or refused and
    answered), or, when that takes longer than ACK_BUDGET, once a vote press is kept in
    late_presses (bot.late_presses); False when neither happened in time, so the press is
    not acknowledged. The work goes on in the background either way (see drain_presses)."""
    work = asyncio.ensure_future(handle_press(services, press))
    done, _ = await asyncio.wait({work}, timeout=ACK_BUDGET)
    if done and not work.cancelled() and work.exception() is None:
        _report(work)
        services.deliverer.kick(RENDER_AFTER)
        return True
    # Slow, or failed at once (nothing committed): a vote press is kept as for a slow one,
    # so an acknowledged press is still a stored one; anything else is not acknowledged.
    log.warning("event=curation.slow_press user=%s action=%s failed=%s", press.user,
                press.action_id, bool(done))
    _LATE.add(work)
    keeping = (asyncio.ensure_future(late_presses.keep(services, press))
               if late_presses.keepable(press) else None)
    kept = False
    if keeping is not None:
        _LATE.add(keeping)
        written, _ = await asyncio.wait({keeping}, timeout=KEEP_BUDGET)
        kept = bool(written) and not keeping.cancelled() and keeping.exception() is None

    def finished(_: asyncio.Future[Any]) -> None:
        if not work.done() or (keeping is not None and not keeping.done()):
            return  # the other one calls again
        if work not in _LATE:
            return  # both were done when their callbacks ran: the first call did it all
        for task in (work, keeping):
            if task is not None:
                _LATE.discard(task)
                _report(task)
        services.deliverer.kick()
        if keeping is not None and not keeping.cancelled() and keeping.exception() is None:
            # Applied now, as the retry Slack could have sent: a no-op if the work committed.
            _LATE.add(asyncio.ensure_future(_apply_kept(services, keeping.result())))

    work.add_done_callback(finished)
    if keeping is not None:
        keeping.add_done_callback(finished)
    if not kept:
        log.error("event=curation.press_not_acknowledged user=%s action=%s", press.user,
                  press.action_id)
    return kept


async def _apply_kept(services: Services, row_id: int) -> None:
    try:
        await late_presses.replay(services, [row_id])
    finally:
        _LATE.discard(asyncio.current_task())


def quick_route(services: Services) -> QuickRoute:
    """For bot.web: vote and decide presses straight to settle_press, without slack-bolt.

    Why: under a burst of presses, bolt's middleware chain, its matching over every listener
    and its ack wait (a 10 ms polling loop per request) cost more of the one event loop than
    the vote itself. The HTTP layer has already checked the signature and the timestamp.
    Returns None for anything else, which then goes through bolt as before.
    """

    def route(payload: dict[str, Any], retry_header: str) -> Awaitable[bool] | None:
        if payload.get("type") != "block_actions":
            return None
        if not PRESS_ACTION.match(text(payload, "actions", 0, "action_id")):
            return None
        return settle_press(services, press_from_body(payload, retry_header))

    return route


async def _press(services: Services, ack: AsyncAck, body: dict[str, Any],
                 request: AsyncBoltRequest) -> None:
    if await settle_press(services, press_from_body(body, _retry_header(request))):
        await ack()
        return
    # Not stored in time: answered as a failure, never acknowledged (in Socket Mode bolt then
    # sends nothing), so Slack tells the leader it did not go through. Setting the response
    # also keeps bolt from handing the press on to the catch-all listener, which would ack.
    ack.response = BoltResponse(status=503, body="could not store this in time")


async def drain_presses(timeout: float = 10.0) -> None:
    """Wait for presses still finishing after their answer, and for the kept presses they
    leave behind (at shutdown, and in tests)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while _LATE:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            return
        await asyncio.wait(set(_LATE), timeout=left)
        await asyncio.sleep(0)  # let done-callbacks add what follows


def _report(task: asyncio.Future[Any]) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        # Nothing was committed (the transaction rolled back); the leader can press again.
        log.error("event=curation.press_failed error=%s", type(exc).__name__, exc_info=exc)


def register(app: AsyncApp, services: Services) -> None:
    if services.leaders is None:
        services.leaders = LeaderDirectory(slack_member_lister(app.client), clock=services.now)

    # The same pattern bot.web's quick route takes, so both paths handle the same presses.
    @app.action(PRESS_ACTION)
    async def _button(ack: AsyncAck, body: dict[str, Any], request: AsyncBoltRequest) -> None:
        await _press(services, ack, body, request)


@subcommand("review")
async def _review(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                  client: AsyncWebClient) -> None:
    parts = review_parts(await review_command(services, text(command, "user_id"), rest))
    await reply(ack, parts[0])
    # A long review (many talks) continues in more ephemeral messages through the command's
    # response_url (Slack allows five), rather than one message past Slack's limits.
    url = text(command, "response_url")
    for n, part in enumerate(parts[1:], 2):
        if not url or n > 6:
            log.warning("event=review.parts_unsent sent=%s of=%s", n - 1, len(parts))
            break
        try:
            sent = await AsyncWebhookClient(url).send(text=part, response_type="ephemeral",
                                                      replace_original=False)
        except (OSError, TimeoutError) as exc:
            log.warning("event=review.part_failed part=%s error=%s", n, type(exc).__name__)
            break
        if sent.status_code != 200:
            log.warning("event=review.part_failed part=%s status=%s", n, sent.status_code)
            break


@subcommand("withdraw")
async def _withdraw(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                    client: AsyncWebClient) -> None:
    answer = await withdraw_command(services, text(command, "user_id"), rest)
    await reply(ack, answer)
    services.deliverer.kick()
