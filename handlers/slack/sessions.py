"""The speaker's buttons after acceptance: `attend_yes` / `attend_no` (will you present?).

Registered before handlers.slack.actions' catch-all; slack-bolt routes them over HTTP and
Socket Mode alike.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.curation.actions import answer
from bot.services import Services
from bot.sessions import attendance
from handlers.slack.curation import press_from_body


def register(app: AsyncApp, services: Services) -> None:
    @app.action(attendance.ATTEND_ACTION)
    async def _attend(ack: AsyncAck, body: dict[str, Any]) -> None:
        # Stored before the acknowledgement (one short transaction, well within Slack's 3
        # seconds): an acknowledged answer is a recorded answer.
        press = press_from_body(body)
        choice = press.action_id.removeprefix("attend_")
        text = await attendance.press(services, press.user, press.value, choice)
        await answer(services, press, text)
        await ack()
        services.deliverer.kick()
