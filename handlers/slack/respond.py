"""How slash subcommands answer: the shape of one, and an answer only the member sees."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.services import Services
from bot.slack_ui.parts import MAX_PARTS
from handlers.slack.payload import text

log = logging.getLogger("wgml.slack")

Ack = Callable[..., Awaitable[None]]
# (services, the command's payload, the text after the subcommand's name, ack, client)
SubcommandRun = Callable[[Services, dict[str, Any], str, Ack, AsyncWebClient], Awaitable[None]]


async def reply(ack: Ack, message: str) -> None:
    """Answer the command with a message only the member sees."""
    await ack(text=message, response_type="ephemeral")


async def reply_in_parts(ack: Ack, command: dict[str, Any], parts: list[str]) -> None:
    """The first part as the command's answer, the rest through its response_url (Slack
    takes five more there); a part Slack does not take stops the rest, and is logged."""
    await reply(ack, parts[0])
    url = text(command, "response_url")
    for n, part in enumerate(parts[1:], 2):
        if not url or n > MAX_PARTS:
            log.warning("event=slack.parts_unsent sent=%s of=%s", n - 1, len(parts))
            return
        try:
            sent = await AsyncWebhookClient(url).send(text=part, response_type="ephemeral",
                                                      replace_original=False)
        except (OSError, TimeoutError) as exc:
            log.warning("event=slack.part_failed part=%s error=%s", n, type(exc).__name__)
            return
        if sent.status_code != 200:
            log.warning("event=slack.part_failed part=%s status=%s", n, sent.status_code)
            return
