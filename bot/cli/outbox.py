"""`wgml-bot outbox [list | retry ID]`: pending and failed outgoing messages."""

from __future__ import annotations

import argparse

from bot.app import operations
from bot.cli.common import CommandRunner, UserError, now_utc, with_db
from bot.config import Settings
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    parser.add_argument("id", nargs="?", type=int, help="the message to retry")
    parser.add_argument("--failed", action="store_true", help="only failed messages")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        if args.action == "retry":
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
        if args.id is not None:
            raise UserError("`outbox list` takes no id; did you mean `outbox retry ID`?")
        async with db.session() as session:
            lines = await operations.list_messages(session, failed_only=args.failed)
        if not lines:
            print("no failed messages" if args.failed else "nothing pending or failed")
        for line in lines:
            print(line.render())
        return 0

    return await with_db(settings, go)
