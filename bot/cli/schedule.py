"""`wgml-bot tick` and `wgml-bot outbox`: the scheduler and the outbox for operators."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.app import operations
from bot.cli.common import Command, UserError, now_utc, print_json, with_db
from bot.config import Settings
from bot.talks.cycles import CycleError, parse_instant
from storage.db import Database


def _tick_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", help="ISO-8601 instant used as the clock; unset: the current "
                                      "time")
    parser.add_argument("--json", action="store_true",
                        help="print the report as one JSON object instead of lines")


def _outbox_arguments(parser: argparse.ArgumentParser) -> None:
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
    retry.add_argument("id", type=int, nargs="?", metavar="ID",
                       help="the message's id from `outbox list`")


def _now(value: str | None, settings: Settings) -> dt.datetime:
    if not value:
        return now_utc()
    try:
        return parse_instant(value, settings.zone, "--now")
    except CycleError as exc:
        raise UserError(str(exc)) from None


async def _tick(args: argparse.Namespace, settings: Settings) -> int:
    now = _now(args.now, settings)

    async def go(db: Database) -> int:
        result = await operations.tick(settings, db, now)
        report, delivery = result.jobs, result.delivery
        summary = {
            "now": now.isoformat(), "ran": report.ran, "skipped": report.skipped,
            "claimed_elsewhere": report.claimed_elsewhere, "errors": report.errors,
            "delivered": delivery.sent, "already_delivered": delivery.deduplicated,
            "retrying": delivery.retried, "failed": delivery.failed,
        }
        if args.json:
            print_json(summary)
        else:
            for label in report.ran:
                print(f"ran {label}")
            for label in report.skipped:
                print(f"skipped {label}")
            print(f"delivered {delivery.sent}, retrying {delivery.retried}, "
                  f"failed {delivery.failed}")
        # Failed deliveries stay queued and are retried: not an error of the tick (CONTRACT).
        return 1 if report.errors else 0

    return await with_db(settings, go)


async def _outbox(args: argparse.Namespace, settings: Settings) -> int:
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


TICK = Command("tick", "run every scheduled job due at NOW once, then deliver what is due",
               _tick_arguments, _tick)
OUTBOX = Command("outbox", "pending and failed outgoing messages", _outbox_arguments, _outbox)
