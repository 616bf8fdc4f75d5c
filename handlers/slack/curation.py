"""The card's buttons (`vote_*`, `decide_*`) and the leaders' and speakers' commands.

Registered before handlers.slack.actions' catch-all; over HTTP, bot.app.web hands presses
straight to bot.curation.ack.settle_press, which says whether a press may be acknowledged
(see there: an acknowledged vote is a stored vote).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.curation.ack import settle_press
from bot.curation.actions import Press
from bot.curation.review import review_command, review_parts
from bot.services import Services
from bot.talks.withdraw import withdraw_command
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply

log = logging.getLogger("wgml.slack")

# A payload -> an awaitable saying whether the request may be acknowledged, or None when
# the payload is not one it handles (it then goes through slack-bolt). bot.app.web calls it.
QuickRoute = Callable[[dict[str, Any], str], Awaitable[bool] | None]


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


def quick_route(services: Services) -> QuickRoute:
    """For bot.app.web: vote and decide presses straight to settle_press, without slack-bolt.

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


def register(app: AsyncApp, services: Services) -> None:
    # The same pattern bot.app.web's quick route takes, so both paths handle the same presses.
    @app.action(PRESS_ACTION)
    async def _button(ack: AsyncAck, body: dict[str, Any], request: AsyncBoltRequest) -> None:
        await _press(services, ack, body, request)


async def review(services: Services, command: dict[str, Any], rest: str, ack: Ack,
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


async def withdraw(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                    client: AsyncWebClient) -> None:
    answer = await withdraw_command(services, text(command, "user_id"), rest)
    await reply(ack, answer)
    services.deliverer.kick()
