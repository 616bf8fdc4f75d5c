"""`wgml-bot outbox [list | retry ID]`: pending and failed outgoing messages."""

from __future__ import annotations

import argparse

from bot.app import operations
from bot.cli.common import CommandRunner, UserError, now_utc, record_id, with_db
from bot.config import Settings
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # `wgml-bot outbox` alone lists, as `outbox list` does.
    parser.set_defaults(outbox_command="list")
    parser.add_argument("--failed", action="store_true",
                        help="only failed messages (as `outbox list --failed`)")
    actions = parser.add_subparsers(dest="outbox_command", metavar="ACTION")
    listing = actions.add_parser("list", help="pending and failed messages (the default)",
                                 description="Pending and failed outgoing messages, one a line.")
    # SUPPRESS: `outbox --failed list` keeps the --failed given before the action.
    listing.add_argument("--failed", action="store_true", default=argparse.SUPPRESS,
                         help="only failed messages (default: pending and failed)")
    retry = actions.add_parser("retry", help="queue a failed message again",
                               description="Queue a failed message again; `wgml-bot tick` or "
                                           "the service sends it.")
    retry.add_argument("id", type=record_id, nargs="?", metavar="ID",
                       help="the message's id from `outbox list`")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        if args.outbox_command == "retry":
            if args.id is None:
                raise UserError("say which message: `wgml-bot outbox retry ID` "
                                "(ids from `wgml-bot outbox list`)")
            try:
                async with db.transaction() as session:
                    await operations.retry(session, args.id, now_utc())
            except operations.OutboxError as exc:
                raise UserError(str(exc)) from None
            print(f"message {args.id} queued again; `wgml-bot tick` or the service sends it")
            return 0
        async with db.session() as session:
            lines = await operations.list_messages(session, failed_only=args.failed)
        if not lines:
            print("no failed messages" if args.failed else "nothing pending or failed")
        for line in lines:
            print(line.render())
        return 0

    return await with_db(settings, go)
