"""The slash command: `/wgml SUBCOMMAND ...`, routed through the SUBCOMMANDS table below."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.mrkdwn import escape, unescape
from bot.services import Services
from handlers.slack.curation import review, withdraw
from handlers.slack.edit import edit_command
from handlers.slack.networking import find, introductions
from handlers.slack.payload import text
from handlers.slack.publish import unpublish
from handlers.slack.respond import Ack, SubcommandRun, reply
from handlers.slack.submit import open_form
from handlers.slack.subproject_command import subproject_command
from handlers.slack.themes import themes
from handlers.slack.wishes import wish_command, wishes_command

log = logging.getLogger("wgml.slack")


def register(app: AsyncApp, services: Services) -> None:
    @app.command(services.settings.slack_command)
    async def _command(ack: Ack, command: dict[str, Any], client: AsyncWebClient) -> None:
        # Slack sends the typed text with & < > as entities; subcommands get what was typed
        # (`/wgml find R&D` must search for R&D, and echo it escaped once, not twice).
        words = unescape(text(command, "text")).strip().split(maxsplit=1)
        name = words[0].lower() if words else "help"
        rest = words[1] if len(words) > 1 else ""
        subcommand = BY_NAME.get(name)
        if subcommand is None:
            await reply(ack, f"I don't know `{escape(name[:30])}`.\n" + _help_text(services))
            return
        await subcommand.run(services, command, rest, ack, client)


async def _mine(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                client: AsyncWebClient) -> None:
    from bot.slack_ui import messages
    from bot.slack_ui.home import mine_blocks
    from bot.talks.submissions import submissions_of

    async with services.db.read() as session:
        rows = await submissions_of(session, text(command, "user_id"))
        slash = services.settings.slack_command
        # Blocks for the Edit buttons; the text stays for notifications and screen readers.
        await ack(text=messages.mine(rows, slash), response_type="ephemeral",
                  blocks=mine_blocks(rows, services.now(), slash) if rows else None)


async def _help(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                client: AsyncWebClient) -> None:
    await reply(ack, _help_text(services))


def _help_text(services: Services) -> str:
    from bot.slack_ui import messages

    return messages.help_text(services.settings.slack_command,
                              [(s.usage, s.help) for s in SUBCOMMANDS])


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str  # as shown in help, after the command: "withdraw WGML-2026-007"
    help: str
    run: SubcommandRun


# Every subcommand, in the order `help` lists them; help is generated from this table.
SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("submit", "submit", "propose a talk (a short form)", open_form),
    Subcommand("mine", "mine", "your submissions and their status", _mine),
    Subcommand("edit", "edit WGML-2026-007", "change one of yours (the form, filled in; you "
               "confirm each new version)", edit_command),
    Subcommand("withdraw", "withdraw WGML-2026-007", "withdraw one of yours", withdraw),
    Subcommand("unpublish", "unpublish WGML-2026-007", "take one of yours off the public "
               "archive (`mine` has a button to list it again)", unpublish),
    Subcommand("review", "review [CALL] [owed] [page N]", "for leaders, the open call's "
               "submissions by focus area, in pages; `owed`: only those you have not voted on",
               review),
    Subcommand("find", "find TOPIC", "who has presented or proposed work on a topic (it "
               "searches talk titles)", find),
    Subcommand("themes", "themes", "for leaders, pain points several studios share: "
               "candidate sub-projects", themes),
    Subcommand("subproject", "subproject ID status active", "for leaders, list sub-projects "
               "or set one's status (proposed, active, graduated REPO_URL, closed)",
               subproject_command),
    Subcommand("wish", "wish TOPIC", "ask for a talk on a topic (the call for speakers names "
               "the most wanted); leaders: `wish close ID`, `wish reopen ID`", wish_command),
    Subcommand("wishes", "wishes", "the topics members asked for, most backed first: back "
               "the ones you would come to hear", wishes_command),
    Subcommand("introductions", "introductions off|on",
               "whether I may introduce you to others", introductions),
    Subcommand("help", "help", "this message", _help),
)
BY_NAME = {s.name: s for s in SUBCOMMANDS}
