"""`wgml-bot email ingest | inspect | replay`: the email pipeline from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app.operations import deliver_all
from bot.cli.common import CommandRunner, UserError, now_utc, with_db
from bot.config import Settings
from bot.email.intake import Outcome, ingest, process
from bot.email.reply import parse_message
from storage.db import Database
from storage.models import InboundMessage

MAX_MESSAGE_BYTES = 50 * 1024 * 1024  # a bigger "message" is a mistake (a disk image, a log)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="email_command", required=True, metavar="ACTION")
    ing = actions.add_parser(
        "ingest", help="feed raw RFC 5322 messages through the intake pipeline"
    )
    ing.add_argument("paths", nargs="+", metavar="PATH",
                     help="message files (or folders of them); - reads one from stdin")
    ins = actions.add_parser("inspect", help="show how a message is read; changes nothing")
    ins.add_argument("path", metavar="PATH", help="a message file; - reads stdin")
    rep = actions.add_parser("replay", help="process stored messages again")
    group = rep.add_mutually_exclusive_group(required=True)
    group.add_argument("--failed", action="store_true", help="every message that failed")
    group.add_argument("--id", dest="ident",
                       help="one stored message: its number or its Message-ID")


def _read(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_MESSAGE_BYTES + 1)
    else:
        p = Path(path)
        if not p.is_file():
            raise UserError(f"{path}: no such file")
        if p.stat().st_size > MAX_MESSAGE_BYTES:
            raise UserError(f"{path}: over {MAX_MESSAGE_BYTES // 2**20} MB; not an email?")
        data = p.read_bytes()
    if len(data) > MAX_MESSAGE_BYTES:
        raise UserError(f"{path}: over {MAX_MESSAGE_BYTES // 2**20} MB; not an email?")
    return data


def _expand(paths: list[str]) -> list[str]:
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            out += [str(f) for f in sorted(p.iterdir()) if f.is_file()]
        else:
            out.append(path)
    return out


def _print(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    if args.email_command == "inspect":
        _print(parse_message(_read(args.path)).as_inspect())
        return 0

    async def go(db: Database) -> int:
        outcomes: list[Outcome] = []
        if args.email_command == "ingest":
            problems = 0
            for path in _expand(args.paths):
                try:
                    raw = _read(path)
                except (UserError, OSError) as exc:
                    print(f"wgml-bot: {exc}", file=sys.stderr)
                    problems += 1
                    continue
                outcome = await ingest(db, settings, raw, source="ingest", now=now_utc())
                outcomes.append(outcome)
                _print(outcome.as_json())
            await deliver_all(settings, db, now_utc())
            return 1 if problems or any(o.outcome == "failed" for o in outcomes) else 0
        async with db.session() as session:
            query = select(InboundMessage.id)
            if args.failed:
                query = query.where(InboundMessage.status == "failed")
            elif args.ident.isdigit():
                query = query.where(InboundMessage.id == int(args.ident))
            else:
                wanted = args.ident.strip()
                wanted = wanted if wanted.startswith("<") else f"<{wanted}>"
                query = query.where(InboundMessage.message_id == wanted)
            ids = list((await session.scalars(query.order_by(InboundMessage.id))).all())
        if not ids and not args.failed:
            raise UserError(f"no stored message {args.ident!r}; see the inbound_messages table")
        for inbound_id in ids:
            outcome = await process(db, settings, inbound_id, now=now_utc(), replay=True)
            outcomes.append(outcome)
            _print(outcome.as_json())
        await deliver_all(settings, db, now_utc())
        return 1 if any(o.outcome == "failed" for o in outcomes) else 0

    return await with_db(settings, go)

