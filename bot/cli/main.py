"""The `wgml-bot` command line. Errors a person can fix print one line and exit 1."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot.config import ConfigError, Settings, load_settings, static_checks
from bot.logs import setup_logging
from bot.talks.cycles import (
    CycleError,
    CycleRequest,
    close_cycle,
    list_cycles,
    open_cycle,
    parse_date,
    parse_instant,
)
from storage.db import Database
from storage.models import Cycle

Command = Callable[[argparse.Namespace, Settings], Awaitable[int]]
COMMANDS: dict[str, Command] = {}


class UserError(Exception):
    """Something the operator can fix; printed as one line."""


def command(name: str) -> Callable[[Command], Command]:
    def add(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return add


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wgml-bot",
        description="Runs the ASWF ML Working Group's speaker pipeline on Slack and email.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="the service: Slack, delivery, scheduler, email intake")
    run.add_argument("--http", action="store_true", help="HTTP mode even with SLACK_APP_TOKEN")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=3000)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="create or migrate the schema (safe to repeat)")
    db_sub.add_parser("current", help="print the schema revision")

    cycle = sub.add_parser("cycle", help="calls for speakers")
    cycle_sub = cycle.add_subparsers(dest="cycle_command", required=True, metavar="ACTION")
    c_open = cycle_sub.add_parser("open", help="open a call for speakers; prints its id")
    c_open.add_argument("--title", required=True)
    c_open.add_argument("--deadline", required=True, help="YYYY-MM-DD, end of day in TIMEZONE")
    c_open.add_argument("--session-date", required=True, help="YYYY-MM-DD")
    c_open.add_argument("--announce-at", help="ISO-8601 (default: now)")
    c_open.add_argument("--theme")
    cycle_sub.add_parser("list", help="list cycles")
    c_close = cycle_sub.add_parser("close", help="close a cycle")
    c_close.add_argument("id", type=int)

    export = sub.add_parser("export", help="export cycles and submissions to standard output")
    export.add_argument("--format", choices=["json", "csv", "ics"], default="json")
    export.add_argument("--cycle", type=int)

    sub.add_parser("check-config", help="say what is missing or unreachable, one line each")

    for extra in EXTRA_PARSERS:
        extra(sub)
    return parser


# Modules that add subcommands (tick, email, demo, outbox) append a parser builder here.
EXTRA_PARSERS: list[Callable[[Any], None]] = []
# Commands that ignore the operator's configuration (the demo builds its own): they run even
# when the environment or .env holds settings that do not validate.
STANDALONE: set[str] = set()


def main(argv: list[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        if args.command not in STANDALONE:
            if args.command == "check-config":
                for problem in exc.problems:
                    print(f"FAIL {problem}")
                return 1
            for problem in exc.problems:
                print(f"wgml-bot: configuration error: {problem}", file=sys.stderr)
            return 1
        settings = Settings.model_construct()  # the command builds its own settings
    setup_logging(settings.log_format, settings.log_level)
    key = args.command
    handler = COMMANDS.get(key)
    if handler is None:
        parser.error(f"unknown command {key}")
    try:
        return _run(handler(args, settings))
    except (UserError, CycleError) as exc:
        print(f"wgml-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"wgml-bot: {exc}", file=sys.stderr)
        return 1


def _run(coro: Awaitable[int]) -> int:
    assert isinstance(coro, Coroutine)
    return asyncio.run(coro)


def _load_extensions() -> None:
    # Imported for their side effect of registering commands (they import this module).
    import bot.cli.demo
    import bot.cli.email
    import bot.cli.schedule  # noqa: F401


async def _with_db(settings: Settings, fn: Callable[[Database], Awaitable[int]]) -> int:
    db = Database(settings.database_url)
    try:
        return await fn(db)
    except Exception as exc:
        if _is_connection_error(exc):
            raise UserError(
                f"cannot reach the database at {_safe_url(settings.database_url)}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        if _is_missing_schema(exc):
            raise UserError("the database has no schema yet; run `wgml-bot db upgrade`") from None
        raise
    finally:
        await db.dispose()


def _is_connection_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    if _is_missing_schema(exc):
        return False
    return isinstance(exc, OSError | ConnectionError | OperationalError | InterfaceError)


def _is_missing_schema(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable URL)"


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@command("run")
async def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.service import run

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
            f"cannot reach the database at {_safe_url(settings.database_url)}: {exc}") from None
    finally:
        await db.dispose()
    return await run(settings, http=args.http, host=args.host, port=args.port)


@command("db")
async def _cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import current_revision, upgrade

    async def go(db: Database) -> int:
        if args.db_command == "upgrade":
            before, after = await upgrade(db)
            if before == after:
                print(f"schema is up to date (revision {after})")
            else:
                print(f"schema upgraded from {before or 'empty'} to {after}")
        else:
            print(await current_revision(db) or "empty")
        return 0

    return await _with_db(settings, go)


@command("cycle")
async def _cmd_cycle(args: argparse.Namespace, settings: Settings) -> int:
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
            async with db.transaction() as session:
                cycle = await open_cycle(session, req, zone, now_utc())
            print(cycle.id)
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

    return await _with_db(settings, go)


@command("export")
async def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.talks.export import export_data, to_csv, to_json

    renderers: dict[str, Callable[[dict[str, Any]], str]] = {"json": to_json, "csv": to_csv}
    from bot.talks.export_ics import to_ics

    renderers["ics"] = to_ics

    from bot.cli.progress import ProgressReporter

    async def go(db: Database) -> int:
        with ProgressReporter("exporting cycles") as progress:
            async with db.session() as session:
                if args.cycle is not None and await session.get(Cycle, args.cycle) is None:
                    raise CycleError(f"no cycle with id {args.cycle}; see `wgml-bot cycle list`")
                data = await export_data(session, args.cycle, progress)
        out = renderers[args.format](data)
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
        return 0

    return await _with_db(settings, go)


@command("check-config")
async def _cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    checks = static_checks(settings)
    from bot.app.checks import connection_checks

    checks += await connection_checks(settings)
    for check in checks:
        print(check.line())
    return 0 if all(c.ok for c in checks) else 1


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))
