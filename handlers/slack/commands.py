"""The slash command: `/wgml submit | mine | help` (and more registered by other modules)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.services import Services
from bot.slack_ui import messages
from bot.slack_ui.blocks import submission_modal
from bot.slack_ui.mrkdwn import escape, unescape
from bot.talks.cycles import current_cycle
from bot.talks.submissions import submissions_of
from handlers.slack.payload import text
from storage.models import Speaker
from storage.outbox import enqueue_ephemeral

log = logging.getLogger("wgml.slack")

Ack = Callable[..., Awaitable[None]]
Subcommand = Callable[[Services, dict[str, Any], str, Ack, AsyncWebClient], Awaitable[None]]

# Other modules add subcommands here (review, withdraw, find, ...).
SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(name: str) -> Callable[[Subcommand], Subcommand]:
    def add(fn: Subcommand) -> Subcommand:
        SUBCOMMANDS[name] = fn
        return fn

    return add


async def reply(ack: Ack, message: str) -> None:
    """Answer the command with a message only the member sees."""
    await ack(text=message, response_type="ephemeral")


def register(app: AsyncApp, services: Services) -> None:
    @app.command(services.settings.slack_command)
    async def _command(ack: Ack, command: dict[str, Any], client: AsyncWebClient) -> None:
        # Slack sends the typed text with & < > as entities; subcommands get what was typed
        # (`/wgml find R&D` must search for R&D, and echo it escaped once, not twice).
        words = unescape(text(command, "text")).strip().split(maxsplit=1)
        name = words[0].lower() if words else "help"
        rest = words[1] if len(words) > 1 else ""
        handler = SUBCOMMANDS.get(name)
        if handler is None:
            await reply(ack, f"I don't know `{escape(name[:30])}`.\n" + messages.help_text(
                services.settings.slack_command))
            return
        await handler(services, command, rest, ack, client)


@subcommand("help")
async def _help(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                client: AsyncWebClient) -> None:
    await reply(ack, messages.help_text(services.settings.slack_command))


@subcommand("submit")
async def _submit(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                  client: AsyncWebClient) -> None:
    trigger_id = text(command, "trigger_id")
    user_id = text(command, "user_id")
    if not trigger_id or not user_id:
        await reply(ack, "Slack sent this command without a trigger; please try again.")
        return
    await ack()
    # views.open is the one call not sent through the outbox: its trigger_id dies in 3 s.
    email = studio = cycle_line = ""
    try:
        async with services.db.session() as session:
            speaker = await session.scalar(
                select(Speaker).where(Speaker.slack_user_id == user_id)
            )
            if speaker is not None:
                email, studio = speaker.email or "", speaker.studio
            cycle = await current_cycle(session, services.now())
            if cycle is not None:
                cycle_line = f"Call: *{escape(cycle.title)}*, deadline " + messages.deadline_text(
                    cycle, services.settings.zone)
            else:
                cycle_line = messages.no_cycle_notice()
    except Exception:
        log.exception("event=submit.prefill_failed user=%s", user_id)
    try:
        await client.views_open(
            trigger_id=trigger_id,
            view=submission_modal(email=email, studio=studio, cycle_line=cycle_line),
        )
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else "unknown"
        log.warning("event=submit.views_open_failed user=%s error=%s", user_id, error)
        channel = text(command, "channel_id")
        if channel:
            async with services.db.transaction() as session:
                await enqueue_ephemeral(
                    session, channel=channel, user=user_id,
                    text=f"Slack did not let me open the form ({error}). "
                    f"Please run `{services.settings.slack_command} submit` again.",
                )
            services.deliverer.kick()


@subcommand("mine")
async def _mine(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                client: AsyncWebClient) -> None:
    async with services.db.session() as session:
        rows = await submissions_of(session, text(command, "user_id"))
        await reply(ack, messages.mine(rows, services.settings.slack_command))
