"""Message buttons. Button presses nobody handles are still acknowledged, never a 404 or 500."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from handlers.slack.payload import text
from handlers.slack.respond import Ack

log = logging.getLogger("wgml.slack")


def register(app: AsyncApp, services: Services) -> None:
    # bot.app.slack registers this last: bolt tries listeners in order, so the card's
    # buttons and the Home tab's (handlers.slack.curation, .events) match before this one.
    @app.action(re.compile(r".*"))
    async def _unknown_action(ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        log.info(
            "event=slack.unknown_action action=%s user=%s",
            text(body, "actions", 0, "action_id")[:64], text(body, "user", "id"),
        )
