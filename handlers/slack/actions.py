"""Message buttons. Button presses nobody handles are still acknowledged, never a 404 or 500."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from handlers.slack.commands import Ack
from handlers.slack.payload import text

log = logging.getLogger("wgml.slack")


def register(app: AsyncApp, services: Services) -> None:
    # Registered last by build_app's order of calls within this module: specific handlers
    # (votes, decisions) are added above this catch-all by register_curation.
    @app.action(re.compile(r".*"))
    async def _unknown_action(ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        log.info(
            "event=slack.unknown_action action=%s user=%s",
            text(body, "actions", 0, "action_id")[:64], text(body, "user", "id"),
        )
