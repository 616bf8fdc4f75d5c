"""`wgml-bot run`: the service (Slack, delivery, scheduler, email intake in one loop)."""

from __future__ import annotations

import argparse

from bot.app import service
from bot.cli.common import CommandRunner, UserError, database_refusal, safe_url
from bot.config import Settings
from storage.db import Database
from storage.schema import schema_problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--http", action="store_true",
                        help="serve Slack's HTTP requests even when SLACK_APP_TOKEN is set "
                             "(without SLACK_APP_TOKEN this is the only mode)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on in HTTP mode (0.0.0.0: every interface)")
    parser.add_argument("--port", type=tcp_port, default=3000,
                        help="TCP port for /slack/events and /healthz in HTTP mode")


def tcp_port(value: str) -> int:
    """A port number for argparse: 1 to 65535, said in one line otherwise."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


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
        problem = await schema_problem(db)
    except Exception as exc:
        raise UserError(database_refusal(exc, settings.database_url) or
                        f"cannot reach the database at {safe_url(settings.database_url)}: "
                        f"{exc}") from None
    finally:
        await db.dispose()
    if problem is not None:
        raise UserError(problem)  # serving on a schema the code does not know fails every call
    return await service.run(settings, http=args.http, host=args.host, port=args.port)

