"""`wgml-bot db upgrade | current`: the database schema."""

from __future__ import annotations

import argparse

from bot.cli.common import CommandRunner, with_db
from bot.config import Settings
from storage.db import Database
from storage.migrate import upgrade
from storage.schema import current_revision


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="create or migrate the schema (safe to repeat)")
    actions.add_parser("current", help="print the schema revision")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        if args.db_command == "upgrade":
            before, after = await upgrade(db)
            if before == after:
                print(f"schema is up to date (revision {after})")
            else:
                print(f"schema upgraded from {before or 'empty'} to {after}")
        else:
            print(await current_revision(db) or "empty")
        return 0

    return await with_db(settings, go)

