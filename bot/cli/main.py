"""The `wgml-bot` command line. Errors a person can fix print one line and exit 1.

Every command is listed in COMMANDS below, each from its own module; nothing registers
itself on import.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.cli import check, cycles, database, demo, email, export, run, schedule
from bot.cli.common import Command, UserError
from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging
from bot.talks.cycles import CycleError


async def run_command(argv: list[str], settings: Settings) -> int:
    """`wgml-bot ARGV...` in this process with the given settings (the demo's operator)."""
    args = build_parser().parse_args(argv)
    return await COMMANDS[args.command].run(args, settings)


COMMANDS: dict[str, Command] = {c.name: c for c in (
    run.COMMAND,
    database.COMMAND,
    cycles.COMMAND,
    export.COMMAND,
    check.COMMAND,
    schedule.TICK,
    schedule.OUTBOX,
    email.COMMAND,
    demo.command(run_command),
)}


class DefaultsFormatter(argparse.HelpFormatter):
    """Adds "(default: X)" to an option's help when it has a default worth saying and its
    text does not already say one (a flag's False or an unset None says nothing)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if "default" in text or default in (None, False, argparse.SUPPRESS) or \
                not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """Every (sub)command's --help shows each option's default; sub-actions inherit this
    class (argparse makes subparsers of the parent's type), so they show them too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DefaultsFormatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="wgml-bot",
        description="Runs the ASWF ML Working Group's speaker pipeline on Slack and email.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS.values():
        command.add_arguments(sub.add_parser(command.name, help=command.help,
                                             description=command.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = COMMANDS[args.command]
    try:
        settings = load_settings()
    except ConfigError as exc:
        if not command.standalone:
            for problem in exc.problems:
                print(f"wgml-bot: configuration error: {problem}", file=sys.stderr)
            return 1
        settings = Settings.model_construct()  # the command builds its own settings
    except Exception as exc:  # e.g. an unreadable .env file
        print(f"wgml-bot: cannot read the settings: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return 1
    setup_logging(settings.log_format, settings.log_level)
    try:
        return asyncio.run(command.run(args, settings))
    except (UserError, CycleError) as exc:
        print(f"wgml-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"wgml-bot: {exc}", file=sys.stderr)
        return 1
