"""Slack events: the App Home tab (`app_home_opened` -> `views.publish`) and its buttons."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.leaders import LeadersUnavailable
from bot.services import Services
from bot.slack_ui.ids import HOME_SUBMIT_ACTION
from handlers.slack.payload import text
from handlers.slack.respond import Ack
from handlers.slack.submit import open_form

log = logging.getLogger("wgml.slack")


async def publish_home(services: Services, client: AsyncWebClient, user_id: str) -> None:
    from bot.slack_ui.home import home_view, load_home
    from bot.slack_ui.wishes import HOME_TOP, home_blocks, with_home_blocks
    from bot.wishes.store import most_backed

    channel = services.settings.leadership_channel_id
    leaders: set[str] | None
    try:
        leaders = (set(await services.leaders.members(channel))
                   if channel and services.leaders is not None else set())
    except LeadersUnavailable as exc:
        # The member still gets their own view; only the leaders' part needs the channel.
        log.warning("event=home.leaders_unreadable channel=%s error=%s", channel, exc)
        leaders = None
    async with services.db.read() as session:
        data = await load_home(session, user_id, leaders, services.now())
        view = home_view(data, services.settings.zone, services.settings.slack_command)
        wishes, total = await most_backed(session, HOME_TOP)
        view = with_home_blocks(view, home_blocks(wishes, total, user_id,
                                                  services.settings.slack_command))
    await client.views_publish(user_id=user_id, view=view)
    log.info("event=home.published user=%s leader=%s", user_id, data.review is not None)


def register(app: AsyncApp, services: Services) -> None:
    @app.event("app_home_opened")
    async def _home_opened(event: dict[str, Any], client: AsyncWebClient) -> None:
        user_id = text(event, "user")
        # The Messages tab fires this event too; only the Home tab has a view to publish.
        if not user_id or text(event, "tab") not in ("", "home"):
            return
        await publish_home(services, client, user_id)

    # Registered after every event listener (bolt runs the first that matches): any other
    # signed event is acknowledged with 200. Bolt answers an unhandled one 404, and Slack
    # retries non-2xx deliveries, then disables the subscription after repeated failures.
    @app.event(re.compile(".*"))
    async def _ignored(event: dict[str, Any]) -> None:
        log.debug("event=slack.event_ignored type=%s", text(event, "type"))

    @app.action(HOME_SUBMIT_ACTION)
    async def _home_submit(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        # Exactly what `/wgml submit` does: views.open with this press's trigger_id.
        command = {"trigger_id": text(body, "trigger_id"), "user_id": text(body, "user", "id")}
        await open_form(services, command, "", ack, client)
