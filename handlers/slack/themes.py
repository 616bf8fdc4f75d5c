"""`/wgml themes`: common pain points across studios, for the leaders only; each theme
without a sub-project yet carries the "Propose a sub-project" button."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.leaders import leaders_only
from bot.people.themes_report import themes_from_db
from bot.services import Services
from bot.slack_ui.parts import themes_parts
from bot.slack_ui.subprojects import themes_blocks
from bot.slack_ui.themes import not_a_leader, render_mrkdwn
from bot.subprojects.store import marks_of
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply

log = logging.getLogger("wgml.slack")


async def themes(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                 client: AsyncWebClient) -> None:
    settings = services.settings
    user_id = text(command, "user_id")
    _, refused = await leaders_only(services.leaders, settings.leadership_channel_id, user_id,
                                    not_a_leader(settings.slack_command))
    if refused is not None:
        log.info("event=themes.refused user=%s", user_id)
        await reply(ack, refused)
        return
    async with services.db.read() as session:
        found, read = await themes_from_db(session)
        marks = await marks_of(session, found)
    log.info("event=themes.shown user=%s themes=%s talks=%s", user_id, len(found), read)
    # The text is the notification's and screen readers' version; the blocks, with a button
    # per theme, are what the leader sees, every theme in one message (up to Slack's 50).
    fallback = themes_parts(render_mrkdwn(found, read))[0]
    if not found:
        await reply(ack, fallback)
        return
    heading = (f"*Common pain points across studios* ({len(found)} candidate sub-projects "
               f"from {read} confirmed talks)")
    await ack(text=fallback, response_type="ephemeral",
              blocks=themes_blocks(found, read, marks, heading=heading))
