"""`wgml-bot demo [--html FILE] [--site DIR]`: the whole pipeline offline, on stand-ins.

The demo and its stand-ins are an optional extra (`pip install -e '.[demo]'`, which `make
demo` installs), so they are imported when the demo runs, not when `wgml-bot` starts.
"""

from __future__ import annotations

import argparse
import importlib
import logging
from pathlib import Path

from bot.cli.common import CommandRunner, UserError
from bot.config import Settings

EXTRA_MISSING = ("the demo's stand-ins are not installed; run `pip install -e '.[demo]'` "
                 "(or `make demo`, which does)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--html", metavar="FILE", help="also write a transcript as an HTML page")
    parser.add_argument("--site", metavar="DIR",
                        help="build the public archive into DIR at the end (default: a new "
                             "temporary folder, printed)")
    parser.add_argument("--verbose", action="store_true", help="show the bot's own logs")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    """The demo runs operator commands (`cycle open`, `tick`, `email ingest`) through `cli`,
    as an operator would type them. It ignores the operator's settings: it builds its own."""
    html = Path(args.html) if args.html else None
    if html is not None and not html.parent.exists():
        raise UserError(f"--html {html}: the folder {html.parent} does not exist")
    if not args.verbose:
        logging.getLogger().setLevel(logging.WARNING)
        # Chatty at INFO (alembic), a deprecation (aiosmtpd), and the scheduler's skips,
        # which the story itself shows.
        for name in ("alembic", "mail.log", "wgml.scheduler"):
            logging.getLogger(name).setLevel(logging.ERROR)
    try:
        demo = importlib.import_module("bot.demo.main")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in {"pymap", "aiosmtpd"}:
            raise UserError(EXTRA_MISSING) from None
        raise
    code: int = await demo.run_demo(html, cli=cli, site=Path(args.site) if args.site else None)
    return code
