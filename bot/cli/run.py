"""`wgml-bot run`: the service (Slack, delivery, scheduler, email intake in one loop)."""

from __future__ import annotations

import argparse

from bot.app import service
from bot.cli.common import CommandRunner, UserError, safe_url
from bot.config import Settings
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--http", action="store_true", help="HTTP mode even with SLACK_APP_TOKEN")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    problems = []
    if not settings.slack_bot_token:
        problems.append("SLACK_BOT_TOKEN is not set; see `wgml-bot check-config`")
    if (args.http or not settings.slack_app_token) and not settings.slack_signing_secret:
        problems.append("SLACK_SIGNING_SECRET is needed in HTTP mode")
    if problems:
        raise UserError("; ".join(problems))
    db = Database(settings.database_url)
    try:
        await db.ping()
    except Exception as exc:
        raise UserError(
            f"cannot reach the database at {safe_url(settings.database_url)}: {exc}") from None
    finally:
        await db.dispose()
    return await service.run(settings, http=args.http, host=args.host, port=args.port)

