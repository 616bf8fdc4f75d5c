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


async def post_to_response_url(url: str, messages: list[dict[str, Any]], *,
                               what: str) -> int:
    """Messages (`text`, optional `blocks`) through a response_url, ephemeral, each a new
    message; Slack takes five per url. Returns how many went; a refusal stops the rest and
    is logged."""
    if not url:
        log.warning("event=slack.no_response_url what=%s", what)
        return 0
    for n, message in enumerate(messages[:MAX_PARTS - 1]):
        try:
            sent = await AsyncWebhookClient(url).send(
                text=message["text"], blocks=message.get("blocks"),
                response_type="ephemeral", replace_original=False)
        except (OSError, TimeoutError) as exc:
            log.warning("event=slack.response_url_failed what=%s part=%s error=%s", what,
                        n + 1, type(exc).__name__)
            return n
        if sent.status_code != 200:
            log.warning("event=slack.response_url_failed what=%s part=%s status=%s body=%s",
                        what, n + 1, sent.status_code, sent.body[:200])
            return n
    if len(messages) > MAX_PARTS - 1:
        log.warning("event=slack.parts_unsent what=%s sent=%s of=%s", what, MAX_PARTS - 1,
                    len(messages))
    return min(len(messages), MAX_PARTS - 1)
