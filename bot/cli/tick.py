"""`wgml-bot tick [--now ISO-8601]`: every scheduled job due at NOW once, then delivery."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.app import operations
from bot.cli.common import CommandRunner, UserError, now_utc, print_json, with_db
from bot.config import Settings
from bot.talks.cycles import parse_instant
from bot.talks.errors import CycleError
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", help="ISO-8601 instant used as the clock; unset: the current "
                                      "time")
    parser.add_argument("--json", action="store_true",
                        help="print the report as one JSON object instead of lines")


# How far --now may be from the real clock. A tick far ahead marks every occurrence before it
# as run or skipped for good (`--now 9999-12-31` would end all reminders); a typo in the year
# is the likely cause. Tests and rehearsals need a few years at most.
NOW_RANGE = dt.timedelta(days=5 * 365)


def _now(value: str | None, settings: Settings) -> dt.datetime:
    if not value:
        return now_utc()
    try:
        now = parse_instant(value, settings.zone, "--now")
    except CycleError as exc:
        raise UserError(str(exc)) from None
    real = now_utc()
    if abs(now - real) > NOW_RANGE:
        raise UserError(
            f"--now {value}: more than 5 years from the clock ({real:%Y-%m-%d}); a tick then "
            "would record every job due before it as run or skipped for good")
    return now


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
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
