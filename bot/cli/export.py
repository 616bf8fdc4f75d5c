"""`wgml-bot export --format json|csv|ics|wishes-csv [--cycle ID] [--since YYYY-MM-DD]`:
to standard output, each talk written as soon as it is read (bot.talks.export)."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import CommandRunner, UserError, day_start, record_id, with_db
from bot.cli.progress import ProgressReporter
from bot.config import Settings
from bot.subprojects.export import subprojects_json
from bot.talks.errors import CycleError
from bot.talks.export import Selection, cycles_json, submissions_json, submissions_text
from bot.talks.export_csv import csv_rows
from bot.talks.export_ics import CalendarWriter
from bot.talks.export_write import JsonDocument, csv_cells_writer
from bot.talks.status import Status
from bot.wishes.export import wishes_csv, wishes_json
from storage.db import Database, read_text_leniently
from storage.models import Cycle

FORMATS = ["csv", "ics", "json", "wishes-csv"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="json",
                        help="json: everything; csv: one row per submission; ics: the "
                             "sessions' calendar; wishes-csv: one row per wish")
    parser.add_argument("--cycle", type=record_id, metavar="ID",
                        help="only this cycle (default: every cycle)")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only talks created or changed (edited, voted on, noted, "
                             "decided...) on or after this day in TIMEZONE")


async def write_export(session: AsyncSession, fmt: str, out: TextIO, selection: Selection,
                       timezone: str = "UTC",
                       progress: Callable[[int, int], None] | None = None) -> None:
    """One export, written to `out` as it is read."""
    if fmt == "wishes-csv":  # wishes: a CSV file of their own, nothing of the talks
        out.write(wishes_csv(await wishes_json(session)))
        return
    cycles = await cycles_json(session, selection.cycle_id)
    by_id = {c["id"]: c for c in cycles}
    if fmt == "ics":
        # The calendar needs the group's zone (session times are local) and only the
        # accepted talks, without their votes or notes.
        calendar = CalendarWriter(out, timezone)
        accepted = Selection(selection.cycle_id, selection.since, (Status.ACCEPTED,))
        async for subs in submissions_json(session, accepted, progress, children=False):
            for s in subs:
                calendar.add(s, by_id.get(s["cycle_id"]))
        calendar.close()
        return
    if fmt == "csv":
        writer = csv_cells_writer(out)
        async for rows in csv_rows(session, selection, progress):
            writer.writerows(rows)
        return
    doc = JsonDocument(out)
    doc.list("cycles", cycles)
    doc.begin_list("submissions")
    async for texts in submissions_text(session, selection, progress):
        doc.texts_(texts)
    doc.end_list()
    doc.list("subprojects", await subprojects_json(session))
    # Wishes sit above talks in the domain's floors: added here, every wish whatever
    # --cycle says (bot.wishes.export).
    doc.list("wishes", await wishes_json(session))
    doc.close()


def _output() -> TextIO:
    """Standard output as the export writes it: UTF-8 whatever the locale, and a lone
    surrogate (mail's undecodable bytes, kept in a JSON column) written as its escape,
    `\\udcff`, which in JSON is that very character: the document stays valid UTF-8 and
    reads back equal, where the locale's codec would fail or write an invalid byte."""
    if sys.stdout is None:
        raise UserError("standard output is closed: send the export somewhere, "
                        "e.g. `wgml-bot export > export.json`")
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    return sys.stdout


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    selection = Selection(cycle_id=args.cycle, since=day_start(args.since, settings))
    out = _output()

    async def go(db: Database) -> int:
        with ProgressReporter("exporting talks") as progress:
            async with db.read() as session:
                await read_text_leniently(session)
                if args.cycle is not None and await session.get(Cycle, args.cycle) is None:
                    raise CycleError(f"no cycle with id {args.cycle}; see `wgml-bot cycle list`")
                await write_export(session, args.format, out, selection,
                                   settings.timezone, progress)
        out.flush()
        return 0

    return await with_db(settings, go)
