"""`wgml-bot export --format json|csv|ics [--cycle ID]`: to standard output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from bot.cli.common import CommandRunner, with_db
from bot.cli.progress import ProgressReporter
from bot.config import Settings
from bot.subprojects.export import subprojects_json
from bot.talks.cycles import CycleError
from bot.talks.export import export_data, to_csv, to_json
from bot.talks.export_ics import to_ics
from bot.wishes.export import wishes_csv, wishes_json
from storage.db import Database
from storage.models import Cycle

RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "json": to_json, "csv": to_csv, "ics": to_ics,
    "wishes-csv": lambda data: wishes_csv(data["wishes"]),  # wishes: a CSV file of their own
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=sorted(RENDERERS), default="json",
                        help="json: everything; csv: one row per submission; ics: the "
                             "sessions' calendar; wishes-csv: one row per wish")
    parser.add_argument("--cycle", type=int, metavar="ID",
                        help="only this cycle (default: every cycle)")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        with ProgressReporter("exporting cycles") as progress:
            async with db.read() as session:
                if args.cycle is not None and await session.get(Cycle, args.cycle) is None:
                    raise CycleError(f"no cycle with id {args.cycle}; see `wgml-bot cycle list`")
                data = await export_data(session, args.cycle, progress)
                data["subprojects"] = await subprojects_json(session)
                # Wishes sit above talks in the domain's floors: added here, every wish
                # whatever --cycle says (bot.wishes.export).
                data["wishes"] = await wishes_json(session)
        # The calendar needs the group's zone: session times are local (TIMEZONE).
        out = (to_ics(data, settings.timezone) if args.format == "ics"
               else RENDERERS[args.format](data))
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
        return 0

    return await with_db(settings, go)

