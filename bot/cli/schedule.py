"""`wgml-bot tick` and `wgml-bot outbox`: the scheduler and the outbox for operators."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bot.cli.main import EXTRA_PARSERS, UserError, _with_db, command, now_utc, print_json
from bot.config import Settings
from bot.talks.cycles import CycleError, parse_instant
from storage.db import Database


def _parsers(sub: Any) -> None:
    tick = sub.add_parser(
        "tick", help="run every scheduled job due at NOW once, then deliver what is due")
    tick.add_argument("--now", help="ISO-8601 instant used as the clock (default: now)")
    tick.add_argument("--json", action="store_true", help="print the report as JSON")

    outbox = sub.add_parser("outbox", help="pending and failed outgoing messages")
    outbox.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    outbox.add_argument("id", nargs="?", type=int, help="the message to retry")
    outbox.add_argument("--failed", action="store_true", help="only failed messages")


EXTRA_PARSERS.append(_parsers)


def _now(value: str | None, settings: Settings) -> dt.datetime:
    if not value:
        return now_utc()
    try:
        return parse_instant(value, settings.zone, "--now")
    except CycleError as exc:
        raise UserError(str(exc)) from None


@command("tick")
async def _cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.service import email_sender, slack_client
    from scheduler.outbox import Deliverer
    from scheduler.tick import Ticker

    now = _now(args.now, settings)

    async def go(db: Database) -> int:
        client = slack_client(settings) if settings.slack_bot_token else None
        deliverer = Deliverer(db, client, email_sender(settings), clock=lambda: now)
        ticker = Ticker(db, settings, deliverer.slack)
        report = await ticker.run_jobs(now)
        delivery = await deliverer.drain(now)
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

    return await _with_db(settings, go)


@command("outbox")
async def _cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from scheduler.outbox_admin import OutboxError, list_messages, retry

    async def go(db: Database) -> int:
        if args.action == "retry":
            if args.id is None:
                raise UserError("say which message: `wgml-bot outbox retry ID` "
                                "(ids from `wgml-bot outbox list`)")
            try:
                async with db.transaction() as session:
                    await retry(session, args.id, now_utc())
            except OutboxError as exc:
                raise UserError(str(exc)) from None
            print(f"message {args.id} queued again; `wgml-bot tick` or the service sends it")
            return 0
        if args.id is not None:
            raise UserError("`outbox list` takes no id; did you mean `outbox retry ID`?")
        async with db.session() as session:
            lines = await list_messages(session, failed_only=args.failed)
        if not lines:
            print("no failed messages" if args.failed else "nothing pending or failed")
        for line in lines:
            print(line.render())
        return 0

    return await _with_db(settings, go)
