"""`/wgml themes`: common pain points across studios, for the leaders only."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.curation.leaders import LeadersUnavailable
from bot.people.themes_report import render_mrkdwn, slack_parts, themes_from_db
from bot.services import Services
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply

log = logging.getLogger("wgml.slack")


def not_a_leader(command: str) -> str:
    return (f"`{command} themes` is for the WG-ML leaders (the members of the leadership "
            f"channel): it lists talks across studios for deciding on sub-projects. "
            f"`{command} find TOPIC` shows who has presented work on a topic.")


async def themes_command(services: Services, user_id: str, rest: str) -> str:
    settings = services.settings
    channel = settings.leadership_channel_id
    if services.leaders is None or not channel:
        return not_a_leader(settings.slack_command)
    try:
        leaders = await services.leaders.members(channel)
    except LeadersUnavailable:
        return ("I could not check who the leaders are just now (Slack did not answer); "
                "please try again in a minute.")
    if user_id not in leaders:
        log.info("event=themes.refused user=%s", user_id)
        return not_a_leader(settings.slack_command)
    async with services.db.session() as session:
        themes, read = await themes_from_db(session)
    log.info("event=themes.shown user=%s themes=%s talks=%s", user_id, len(themes), read)
    return render_mrkdwn(themes, read)


async def themes(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                 client: AsyncWebClient) -> None:
    parts = slack_parts(await themes_command(services, text(command, "user_id"), rest))
    await reply(ack, parts[0])
    # Many candidates continue through the command's response_url, labelled "(part i of n)",
    # as /wgml review does: Slack allows five more messages.
    url = text(command, "response_url")
    for n, part in enumerate(parts[1:], 2):
        if not url:
            log.warning("event=themes.parts_unsent sent=%s of=%s", n - 1, len(parts))
            break
        try:
            sent = await AsyncWebhookClient(url).send(text=part, response_type="ephemeral",
                                                      replace_original=False)
        except (OSError, TimeoutError) as exc:
            log.warning("event=themes.part_failed part=%s error=%s", n, type(exc).__name__)
            break
        if sent.status_code != 200:
            log.warning("event=themes.part_failed part=%s status=%s", n, sent.status_code)
            break
