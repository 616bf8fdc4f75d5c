"""`wgml-bot cycle open | list | close`: calls for speakers."""

from __future__ import annotations

import argparse

from bot.cli.common import CommandRunner, now_utc, with_db
from bot.config import Settings
from bot.talks.cycles import (
    CycleRequest,
    close_cycle,
    list_cycles,
    open_cycle,
    parse_date,
    parse_instant,
)
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="cycle_command", required=True, metavar="ACTION")
    c_open = actions.add_parser("open", help="open a call for speakers; prints its id")
    c_open.add_argument("--title", required=True)
    c_open.add_argument("--deadline", required=True, help="YYYY-MM-DD, end of day in TIMEZONE")
    c_open.add_argument("--session-date", required=True, help="YYYY-MM-DD")
    c_open.add_argument("--announce-at", help="ISO-8601 (default: now)")
    c_open.add_argument("--theme")
    actions.add_parser("list", help="list cycles")
    c_close = actions.add_parser("close", help="close a cycle")
    c_close.add_argument("id", type=int)


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        zone = settings.zone
        if args.cycle_command == "open":
            req = CycleRequest(
                title=args.title,
                deadline=parse_date(args.deadline, "--deadline"),
                session_date=parse_date(args.session_date, "--session-date"),
                announce_at=parse_instant(args.announce_at, zone, "--announce-at")
                if args.announce_at else None,
                theme=args.theme,
            )
            async with db.transaction() as session:
                cycle = await open_cycle(session, req, zone, now_utc())
            print(cycle.id)
        elif args.cycle_command == "close":
            async with db.transaction() as session:
                cycle = await close_cycle(session, args.id)
            print(f"cycle {cycle.id} closed")
        else:
            async with db.session() as session:
                cycles = await list_cycles(session)
            if not cycles:
                print("no cycles yet; open one with `wgml-bot cycle open`")
            for c in cycles:
                print(
                    f"{c.id}\t{c.status}\t{c.title}\tdeadline {c.deadline_date}"
                    f"\tsession {c.session_date}"
                    f"\tannounce {c.announce_at.astimezone(zone):%Y-%m-%d %H:%M %Z}"
                )
        return 0

    return await with_db(settings, go)

