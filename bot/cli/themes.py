"""`wgml-bot themes [--since YYYY-MM-DD] [--format text|json]`: pain points that talks from
two or more studios share, across every cycle (bot/people/themes.py explains how)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import CommandRunner, day_start, print_json, with_db
from bot.config import Settings
from bot.people.themes_report import render_text, themes_from_db, to_json
from bot.subprojects.store import marks_of
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", help="only talks submitted on or after this date "
                        "(YYYY-MM-DD, in TIMEZONE)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text for people, json for scripts")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    since = day_start(args.since, settings)

    async def go(db: Database) -> int:
        async with db.read() as session:
            themes, read = await themes_from_db(session, since)
            marks = await marks_of(session, themes)
        if args.format == "json":
            print_json(to_json(themes, read, marks))
        else:
            sys.stdout.write(render_text(themes, read, marks) + "\n")
        return 0

    return await with_db(settings, go)
