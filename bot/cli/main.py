"""The `wgml-bot` command line. Errors a person can fix print one line and exit 1.

Every command is a row of COMMANDS below: its name, its help line and the module that runs
it. A command's module (and what it imports) is loaded only when that command runs, so
`wgml-bot run` does not carry the exporter, the migrations or the demo in memory. Each
module has `add_arguments(parser)` and `async run(args, settings, cli)`; nothing registers
itself on import.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from bot.cli.common import UserError
from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging
from bot.talks.errors import CycleError


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    module: str
    # Runs even when the operator's settings do not validate: the demo builds its own, and
    # check-config reports every invalid value itself.
    standalone: bool = False

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("run", "the service: Slack, delivery, scheduler, email intake", "bot.cli.run"),
    Command("db", "database schema", "bot.cli.database"),
    Command("cycle", "calls for speakers", "bot.cli.cycles"),
    Command("export", "export cycles and submissions to standard output", "bot.cli.export"),
    Command("check-config", "say what is missing or unreachable, one line each",
            "bot.cli.check", standalone=True),
    Command("tick", "run every scheduled job due at NOW once, then deliver what is due",
            "bot.cli.tick"),
    Command("themes", "pain points talks from several studios share: candidate sub-projects",
            "bot.cli.themes"),
    Command("subproject", "sub-projects started from common pain points: list, set status",
            "bot.cli.subprojects"),
    Command("outbox", "pending and failed outgoing messages", "bot.cli.outbox"),
    Command("wish", "topics members asked for: list, close, reopen", "bot.cli.wish"),
    Command("email", "email intake: ingest, inspect and replay messages", "bot.cli.email"),
    Command("guidelines", "read a talk against the session guidelines: its concerns, as JSON",
            "bot.cli.guidelines", standalone=True),
    Command("site", "the public archive: build the static website of published talks",
            "bot.cli.site"),
    Command("demo", "play the whole pipeline offline on stand-ins", "bot.cli.demo",
            standalone=True),
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


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Every command's help line; the arguments of the one named in `argv` (if any), or of
    every command when `argv` is None (for documentation and tests)."""
    parser = Parser(
        prog="wgml-bot",
        description="Runs the ASWF ML Working Group's speaker pipeline on Slack and email.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = None if argv is None else next((a for a in argv if not a.startswith("-")), None)
    for command in COMMANDS.values():
        child = sub.add_parser(command.name, help=command.help, description=command.help)
        if argv is None or command.name == chosen:
            command.load().add_arguments(child)
    return parser


async def run_command(argv: list[str], settings: Settings) -> int:
    """`wgml-bot ARGV...` in this process with the given settings (the demo's operator)."""
    args = build_parser(argv).parse_args(argv)
    code: int = await COMMANDS[args.command].load().run(args, settings, run_command)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
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
    engine = getattr(settings, "guidelines_engine", "words")
    if engine != "words":  # the default needs nothing loaded at start (test_import_closure)
        from bot.guidelines import use as use_guidelines_engine

        try:
            use_guidelines_engine(engine)
        except RuntimeError as exc:  # e5 chosen, its extra not installed
            print(f"wgml-bot: {exc}", file=sys.stderr)
            return 1
    try:
        return int(asyncio.run(command.load().run(args, settings, run_command)))
    except (UserError, CycleError) as exc:
        print(f"wgml-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"wgml-bot: {exc}", file=sys.stderr)
        return 1
