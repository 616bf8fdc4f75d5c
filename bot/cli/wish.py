"""`wgml-bot wish list | close ID | reopen ID`: the topics members asked for, for the
operator (who may close and reopen any, as the leaders do with `/wgml wish close ID`)."""

from __future__ import annotations

import argparse
import re
import sys

from bot.cli.common import CommandRunner, UserError, now_utc, print_json, record_id, with_db
from bot.config import Settings
from bot.wishes.export import wish_json, wishes_csv
from bot.wishes.model import Changed, WishStatus, WishView
from bot.wishes.store import every_wish, most_backed, set_open
from storage.db import Database

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def _plain(text: str) -> str:
    """Member text for a terminal: no escape sequences, no bidi overrides, one line."""
    return _CONTROL.sub(" ", text).strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(wish_command="list", all=False, format="text")
    actions = parser.add_subparsers(dest="wish_command", metavar="ACTION")
    listing = actions.add_parser("list", help="open wishes, most backed first (the default)",
                                 description="Open wishes, most backed first, one a line.")
    listing.add_argument("--all", action="store_true",
                         help="every wish in id order, answered and closed ones too")
    listing.add_argument("--format", choices=("text", "json", "csv"), default="text",
                         help="text for people; json and csv as in `wgml-bot export`")
    for name, what in (("close", "close a wish: it leaves `/wgml wishes` and the call"),
                       ("reopen", "reopen a closed or answered wish")):
        action = actions.add_parser(name, help=what, description=what)
        action.add_argument("id", type=record_id, metavar="ID", help="the wish's number")


def line(w: WishView) -> str:
    n = len(w.backers)
    extra = ""
    if w.studios:
        extra += f"; studios: {_plain(', '.join(w.studios))}"
    if w.answered_by:
        extra += f"; answered by {' '.join(w.answered_by)}"
    if w.closed_by:
        extra += f"; closed by {_plain(w.closed_by)}"
    return (f"#{w.id} [{w.status}] {n} backer{'s' if n != 1 else ''}: {_plain(w.text)}"
            f" (asked by {_plain(w.by)} {w.created_at:%Y-%m-%d}{extra})")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        if args.wish_command in ("close", "reopen"):
            async with db.transaction() as session:
                result = await set_open(session, args.id, "cli", now_utc(),
                                        open_=args.wish_command == "reopen")
            if result.outcome is Changed.MISSING or result.wish is None:
                raise UserError(f"there is no wish #{args.id}; see `wgml-bot wish list --all`")
            state = ("is already " if result.outcome is Changed.UNCHANGED else "now ") \
                + result.wish.status
            print(f"wish #{args.id} {state}: {_plain(result.wish.text)}")
            return 0
        async with db.session() as session:
            wishes = (await every_wish(session) if args.all
                      else (await most_backed(session))[0])
        if args.format == "json":
            print_json({"wishes": [wish_json(w) for w in wishes]})
        elif args.format == "csv":
            sys.stdout.write(wishes_csv([wish_json(w) for w in wishes]))
        elif not wishes:
            print("no wishes yet" if args.all else
                  f"no {WishStatus.OPEN} wishes (`--all` lists answered and closed ones)")
        else:
            for w in wishes:
                print(line(w))
        return 0

    return await with_db(settings, go)
