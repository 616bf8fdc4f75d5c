"""How slash subcommands answer: the shape of one, and an answer only the member sees."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services

Ack = Callable[..., Awaitable[None]]
# (services, the command's payload, the text after the subcommand's name, ack, client)
SubcommandRun = Callable[[Services, dict[str, Any], str, Ack, AsyncWebClient], Awaitable[None]]


async def reply(ack: Ack, message: str) -> None:
    """Answer the command with a message only the member sees."""
    await ack(text=message, response_type="ephemeral")
