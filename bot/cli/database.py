"""`wgml-bot db upgrade | downgrade REVISION --yes | current`: the database schema."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import CommandRunner, UserError, with_db
from bot.config import Settings
from storage.db import Database
from storage.migrate import MigrationError, downgrade, revisions, upgrade
from storage.schema import current_revision


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="create or migrate the schema (safe to repeat)")
    down = actions.add_parser(
        "downgrade", help="migrate the schema back to REVISION (to run an older release); "
                          "what later revisions added is dropped with its data")
    down.add_argument("revision", metavar="REVISION",
                      help="the revision to go back to, e.g. 0012 (`base`: no schema)")
    down.add_argument("--yes", action="store_true",
                      help="really drop what the later revisions added (without it, nothing "
                           "changes and the command says what it would do)")
    actions.add_parser("current", help="print the schema revision")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        if args.db_command == "upgrade":
            before, after = await upgrade(db)
            if before == after:
                print(f"schema is up to date (revision {after})")
            else:
                print(f"schema upgraded from {before or 'empty'} to {after}")
        elif args.db_command == "downgrade":
            return await _downgrade(db, args.revision, args.yes)
        else:
            print(await current_revision(db) or "empty")
        return 0

    return await with_db(settings, go)


async def _downgrade(db: Database, revision: str, yes: bool) -> int:
    current = await current_revision(db)
    if current == revision or (revision == "base" and current is None):
        print(f"schema is already at {current or 'empty'}; nothing changed")
        return 0
    known = revisions(db.url)
    if revision != "base" and revision not in known:
        raise UserError(f"no revision {revision[:40]!r}; the revisions are {', '.join(known)} "
                        "(or base)")
    if revision != "base" and current in known and known.index(revision) > known.index(current):
        raise UserError(f"{revision} is after the schema's {current}: that is `db upgrade`")
    if not yes:
        print(f"would downgrade the schema from {current or 'empty'} to {revision}, dropping "
              "the columns and tables the later revisions added, with their data; nothing "
              "changed (add --yes to do it, after a backup)", file=sys.stderr)
        return 2
    try:
        before, after = await downgrade(db, revision)
    except MigrationError as exc:
        raise UserError(str(exc)) from None
    print(f"schema downgraded from {before or 'empty'} to {after or 'empty'}")
    return 0
