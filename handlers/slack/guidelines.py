"""The card's Dismiss buttons on guideline concerns (`guideline_dismiss:N`)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from bot.slack_ui.ids import DISMISS_PATTERN
from handlers.slack.curation import press_from_body
from handlers.slack.respond import Ack


def register(app: AsyncApp, services: Services) -> None:
    @app.action(DISMISS_PATTERN)
    async def _dismiss(ack: Ack, body: dict[str, Any]) -> None:
        # Kept first, then acknowledged: one short transaction, and an acknowledged press
        # is a kept dismissal (the answer, if any, goes ephemeral through the outbox).
        from bot.curation.guideline_dismiss import dismiss_press

        await dismiss_press(services, press_from_body(body))
        await ack()
