"""`/wgml themes`: common pain points across studios, for the leaders only."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.people.themes_report import themes_command
from bot.services import Services
from bot.slack_ui.parts import themes_parts
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply_in_parts

log = logging.getLogger("wgml.slack")


async def themes(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                 client: AsyncWebClient) -> None:
    await reply_in_parts(ack, command, themes_parts(
        await themes_command(services, text(command, "user_id"), rest)))
