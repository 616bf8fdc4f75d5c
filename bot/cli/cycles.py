"""`wgml-bot cycle open | set | list | close`: calls for speakers and their sessions."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import CommandRunner, now_utc, record_id, with_db
from bot.config import Settings
from bot.email.session_texts import program_email
from bot.sessions import program
from bot.talks.cycles import (
    DEFAULT_SESSION_TIME,
    DEFAULT_SLOTS,
    CycleChange,
    CycleRequest,
    close_cycle,
    current_cycle,
    list_cycles,
    open_cycle,
    parse_date,
    parse_instant,
    parse_session_time,
    parse_slots,
    set_cycle,
)
from bot.talks.errors import CycleError
from bot.talks.status import CycleStatus
from storage.db import Database
from storage.models import Cycle


def _session_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    # Read as text and checked by bot.talks.cycles, so a bad value gets its one-line error.
    parser.add_argument("--slots", help="talks in the session" + (
        f" (default {DEFAULT_SLOTS})" if defaults else ""))
    parser.add_argument("--session-time", help="local start, HH:MM" + (
        f" (default {DEFAULT_SESSION_TIME})" if defaults else ""))
    parser.add_argument("--join-url", help="where people join the session"
                        + ("" if defaults else " (empty clears it)"))
    parser.add_argument("--decide-by", help="YYYY-MM-DD, when the leaders mean to have "
                        "decided" + (" (default: three days after the deadline)"
                                     if defaults else ""))


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
    _session_options(c_open, defaults=True)
    c_set = actions.add_parser("set", help="change a cycle's title or session facts",
                               description="Change a cycle's title or session facts; every "
                                           "value is checked before anything changes.")
    c_set.add_argument("id", type=record_id, metavar="ID", help="the cycle's id from `cycle list`")
    c_set.add_argument("--title", help="the session's new name")
    _session_options(c_set, defaults=False)
    actions.add_parser("list", help="list cycles", description="Every cycle, one a line.")
    c_program = actions.add_parser(
        "program", help="print a cycle's session program",
        description="The program as the mailing list gets it: the accepted talks whose "
                    "speakers confirmed, the time and the join URL; says whether it went out.")
    c_program.add_argument("id", type=record_id, metavar="ID",
                           help="the cycle's id from `cycle list`")
    c_close = actions.add_parser("close", help="close a cycle",
                                 description="Close a cycle: it takes no more submissions.")
    c_close.add_argument("id", type=record_id, metavar="ID",
                         help="the cycle's id from `cycle list`")


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
                slots=parse_slots(args.slots) if args.slots is not None else DEFAULT_SLOTS,
                session_time=parse_session_time(args.session_time)
                if args.session_time is not None else DEFAULT_SESSION_TIME,
                join_url=args.join_url,
                decide_by=parse_date(args.decide_by, "--decide-by")
                if args.decide_by is not None else None,
            )
            now = now_utc()
            async with db.transaction() as session:
                cycle = await open_cycle(session, req, zone, now)
            print(cycle.id)
            async with db.session() as session:
                for warning in await _open_warnings(session, settings, cycle, now):
                    print(f"wgml-bot: warning: {warning}", file=sys.stderr)
        elif args.cycle_command == "set":
            change = CycleChange(
                title=args.title,
                slots=parse_slots(args.slots) if args.slots is not None else None,
                session_time=args.session_time,
                join_url=args.join_url,
                decide_by=parse_date(args.decide_by, "--decide-by")
                if args.decide_by is not None else None,
            )
            async with db.transaction() as session:
                cycle = await set_cycle(session, args.id, change)
                line = describe(cycle)
            print(f"cycle {args.id} changed: {line}")
        elif args.cycle_command == "program":
            async with db.session() as session:
                found = await session.get(Cycle, args.id)
                if found is None:
                    raise CycleError(f"no cycle with id {args.id}; see `wgml-bot cycle list`")
                talks = await program.program_talks(session, found.id)
                _, body = program_email(program.announced(found, talks))
                sent = found.program_talks
                state = (f"announced (sequence {found.program_sequence}, "
                         f"{len(sent)} talks)" if sent is not None else "not announced yet")
            print(f"# {state}\n{body}", end="")
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
                    f"\t{describe(c)}"
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
        select(Cycle).where(Cycle.status == CycleStatus.OPEN, Cycle.deadline >= now,
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
def describe(cycle: Cycle) -> str:
    """The session facts of a cycle on one line (list and set print them)."""
    return (f"slots {cycle.slots}\tat {cycle.session_time}\tdecide by {cycle.decide_by or '-'}"
            f"\tjoin {cycle.join_url or '-'}")
