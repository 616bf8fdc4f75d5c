"""`wgml-bot demo [--html FILE]`: registered with bot.cli.main when imported."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from bot.cli.main import EXTRA_PARSERS, STANDALONE, UserError, command
from bot.config import Settings


def _parser(sub: Any) -> None:
    demo = sub.add_parser("demo", help="play the whole pipeline offline on stand-ins")
    demo.add_argument("--html", metavar="FILE", help="also write a transcript as an HTML page")
    demo.add_argument("--verbose", action="store_true", help="show the bot's own logs")


EXTRA_PARSERS.append(_parser)
STANDALONE.add("demo")


@command("demo")
async def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    # The demo ignores the operator's settings on purpose: it builds its own (bot.demo.play).
    html = Path(args.html) if args.html else None
    if html is not None and not html.parent.exists():
        raise UserError(f"--html {html}: the folder {html.parent} does not exist")
    if not args.verbose:
        logging.getLogger().setLevel(logging.WARNING)
        # Chatty at INFO (alembic), a deprecation (aiosmtpd), and the scheduler's skips, which
        # the story itself shows.
        for name in ("alembic", "mail.log", "wgml.scheduler"):
            logging.getLogger(name).setLevel(logging.ERROR)
    from rich.console import Console

    from bot.demo.play import run_demo  # after the log levels: importing alembic logs at INFO

    console = Console()
    if not console.is_terminal:  # CI logs and pipes: wide enough for the tables
        console = Console(width=120)
    return await run_demo(console, html)
