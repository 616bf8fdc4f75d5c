"""`/wgml themes`: common pain points across studios, for the leaders only; each theme
without a sub-project yet carries the "Propose a sub-project" button.

Reading every talk takes longer than Slack's 3 seconds on a large history, so the command is
acknowledged at once ("Reading N talks…") and the report follows through the command's
`response_url` (Slack takes five messages there within 30 minutes; this uses one, or one for
an error). One report is worked out at a time per process: a second leader asking meanwhile
waits for the first to finish rather than doubling the CPU the votes share.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from bot.leaders import leaders_only
from bot.services import Services
from bot.talks.status import CONFIRMED
from handlers.slack.payload import text
from handlers.slack.respond import Ack, post_to_response_url, reply
from storage.models import Submission

log = logging.getLogger("wgml.slack")

# The reports being worked out: held here so a task is not collected before it ends.
_RUNNING: set[asyncio.Task[None]] = set()
_ONE_AT_A_TIME = asyncio.Lock()
FAILED = ("I could not work out the common pain points just now ({error}). Please try "
          "`{command} themes` again in a minute; `wgml-bot themes` prints them too.")


async def themes(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                 client: AsyncWebClient) -> None:
    from bot.people.themes_report import MAX_TALKS
    from bot.slack_ui.themes import not_a_leader

    settings = services.settings
    user_id = text(command, "user_id")
    _, refused = await leaders_only(services.leaders, settings.leadership_channel_id, user_id,
                                    not_a_leader(settings.slack_command))
    if refused is not None:
        log.info("event=themes.refused user=%s", user_id)
        await reply(ack, refused)
        return
    url = text(command, "response_url")
    if not url:  # nowhere to send a late answer (never from Slack itself): say so at once
        await reply(ack, FAILED.format(error="Slack gave no response_url",
                                       command=settings.slack_command))
        return
    async with services.db.read() as session:
        count = int(await session.scalar(select(func.count()).select_from(Submission).where(
            Submission.status.in_(CONFIRMED))) or 0)
    count = min(count, MAX_TALKS)
    await reply(ack, f"Reading {count} talk{'s' if count != 1 else ''} for common pain "
                     "points… the report follows here in a moment.")
    task = asyncio.create_task(report(services, user_id, url), name="themes.report")
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


async def report(services: Services, user_id: str, url: str) -> None:
    """Work the report out and send it through `url`; a failure is told there too."""
    from bot.people.themes_report import themes_from_db
    from bot.slack_ui.parts import themes_parts
    from bot.slack_ui.subprojects import themes_blocks
    from bot.slack_ui.themes import render_mrkdwn
    from bot.subprojects.store import marks_of

    command = services.settings.slack_command
    try:
        async with _ONE_AT_A_TIME:
            async with services.db.read() as session:
                found, read = await themes_from_db(session)
                marks = await marks_of(session, found)
        log.info("event=themes.shown user=%s themes=%s talks=%s", user_id, len(found), read)
        # The text is the notification's and screen readers' version; the blocks, with a
        # button per theme, are what the leader sees (every theme up to Slack's 50 blocks).
        fallback = themes_parts(render_mrkdwn(found, read))[0]
        message: dict[str, Any] = {"text": fallback}
        if found:
            heading = (f"*Common pain points across studios* ({len(found)} candidate "
                       f"sub-projects from {read} confirmed talks)")
            message["blocks"] = themes_blocks(found, read, marks, heading=heading)
    except Exception as exc:
        log.exception("event=themes.failed user=%s", user_id)
        message = {"text": FAILED.format(error=type(exc).__name__, command=command)}
    await post_to_response_url(url, [message], what="themes")


async def finished() -> None:
    """Wait for the reports under way (tests; a stop lets them end on their own)."""
    while _RUNNING:
        await asyncio.gather(*list(_RUNNING), return_exceptions=True)
