"""`wgml-bot cycle open | list | close`: calls for speakers."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import CommandRunner, now_utc, with_db
from bot.config import Settings
from bot.talks.cycles import (
    CycleRequest,
    close_cycle,
    current_cycle,
    list_cycles,
    open_cycle,
    parse_date,
    parse_instant,
)
from storage.db import Database
from storage.models import Cycle


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="cycle_command", required=True, metavar="ACTION")
    c_open = actions.add_parser("open", help="open a call for speakers; prints its id")
    c_open.add_argument("--title", required=True,
                        help="the session's name, shown in the call (required)")
    c_open.add_argument("--deadline", required=True,
                        help="YYYY-MM-DD: submissions close at the end of that day in "
                             "TIMEZONE (required)")
    c_open.add_argument("--session-date", required=True,
                        help="YYYY-MM-DD: the day the talks are given (required)")
    c_open.add_argument("--announce-at",
                        help="ISO-8601 instant the call goes out (default: now)")
    c_open.add_argument("--theme", help="a theme named in the call (default: none)")
    actions.add_parser("list", help="list cycles", description="Every cycle, one a line.")
    c_close = actions.add_parser("close", help="close a cycle",
                                 description="Close a cycle: it takes no more submissions.")
    c_close.add_argument("id", type=int, metavar="ID", help="the cycle's id from `cycle list`")


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
            now = now_utc()
            async with db.transaction() as session:
                cycle = await open_cycle(session, req, zone, now)
            print(cycle.id)
            async with db.session() as session:
                for warning in await _open_warnings(session, settings, cycle, now):
                    print(f"wgml-bot: warning: {warning}", file=sys.stderr)
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


async def _open_warnings(session: AsyncSession, settings: Settings, cycle: Cycle,
                         now: dt.datetime) -> list[str]:
    """What the operator should know about the cycle just opened; it is open either way."""
    warnings = []
    if not settings.announce_channel_id and not (
            settings.mailing_list_address and settings.bot_email_address):
        warnings.append(
            "neither ANNOUNCE_CHANNEL_ID nor MAILING_LIST_ADDRESS (with BOT_EMAIL_ADDRESS) is "
            "set: nobody is told of this call until one is (then it goes out, until the "
            "deadline)")
    others = (await session.scalars(
        select(Cycle).where(Cycle.status == "open", Cycle.deadline >= now,
                            Cycle.id != cycle.id).order_by(Cycle.id))).all()
    if others:
        taking = await current_cycle(session, now)
        names = ", ".join(f"cycle {c.id} ({c.title!r}, deadline {c.deadline_date})"
                          for c in others)
        receiver = f"cycle {taking.id}" if taking is not None else f"cycle {cycle.id}"
        warnings.append(
            f"this call overlaps {names}: submissions go to {receiver}, the earliest "
            "deadline, until it passes; close one with `wgml-bot cycle close ID`")
    return warnings
