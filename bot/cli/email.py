"""`wgml-bot email ingest | inspect | replay`: the email pipeline from the command line."""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import json
import re
import sys
import unicodedata
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app.operations import deliver_all
from bot.cli.common import CommandRunner, UserError, now_utc, with_db
from bot.config import Settings
from bot.digits import is_number
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
        if p.is_dir():
            raise UserError(f"{path}: a folder, not a message file")
        if p.exists() and not p.is_file():  # /dev/null, a FIFO, a socket: nothing to read
            raise UserError(f"{path}: not a regular file; give a message file (or - for stdin)")
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
            # Hidden files (.DS_Store, an editor's .swp, a maildir's .lock) are no messages.
            files = [str(f) for f in sorted(p.iterdir())
                     if f.is_file() and not f.name.startswith(".")]
            if not files:
                raise UserError(f"{path}: an empty folder; no messages to ingest")
            out += files
        else:
            out.append(path)
    return out


_HEADERS = email.parser.BytesParser(policy=email.policy.compat32)
_WHAT_MAKES_A_MESSAGE = "an email needs a From address, a Message-ID, Date or Subject, and a body"


_HEADER_LINE = re.compile(rb"^(?:[!-9;-~]{1,200}:|[ \t]|From )")


def _looks_like_headers(raw: bytes) -> bool:
    """Whether the bytes start with a header section: every line up to the first blank one
    is `Name: value` or a folded continuation. Judged on the structure, not on the bytes in
    the values or the body: a NUL in a display name or a UTF-16 body is still an email (it is
    stored and read), while random bytes or a text file are not."""
    end = min((i for i in (raw.find(b"\n\n"), raw.find(b"\r\n\r\n")) if i >= 0),
              default=len(raw))
    lines = raw[:min(end, 256 * 1024)].replace(b"\r\n", b"\n").split(b"\n")
    return bool(lines) and not lines[0][:1].isspace() and all(
        _HEADER_LINE.match(line) for line in lines if line)


def not_an_email(raw: bytes) -> str | None:
    """Why these bytes are not an email a person sent, or None when they are one.

    The rules would otherwise answer whatever a From line in a log file or a disk image
    says: a message needs a From address, one of Message-ID/Date/Subject, and a body.
    """
    if not raw.strip():
        return "empty; not an email"
    if not _looks_like_headers(raw):
        return "binary data or plain text, not headers; not an email"
    try:
        msg = _HEADERS.parsebytes(raw[:200_000], headersonly=True)
        senders = [addr for _, addr in getaddresses([str(v) for v in msg.get_all("From", [])])
                   if "@" in addr]
    except Exception:
        return f"unreadable headers; {_WHAT_MAKES_A_MESSAGE}"
    if not senders:
        return f"no From address; not an email ({_WHAT_MAKES_A_MESSAGE})"
    if not any(msg.get(h) for h in ("Message-ID", "Date", "Subject")):
        return f"no Message-ID, Date or Subject; not an email ({_WHAT_MAKES_A_MESSAGE})"
    separator = min((i for i in (raw.find(b"\n\n"), raw.find(b"\r\n\r\n")) if i >= 0),
                    default=-1)
    if separator < 0 or not raw[separator:].strip():
        return f"headers without a body; not an email ({_WHAT_MAKES_A_MESSAGE})"
    return None


def _escape_controls(text: str) -> str:
    # Control, format (bidi overrides) and lone surrogate characters as \uXXXX: JSON reads
    # them back the same, and a terminal shown the output cannot be driven by them.
    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c
        for c in text)


def _print(obj: dict[str, Any]) -> None:
    print(_escape_controls(json.dumps(obj, ensure_ascii=False)), flush=True)


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    if args.email_command == "inspect":
        raw = _read(args.path)
        refused = not_an_email(raw)
        if refused is not None:
            raise UserError(f"{args.path}: {refused}")
        _print(parse_message(raw).as_inspect())
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
                refused = not_an_email(raw)
                if refused is not None:  # nothing stored: there is nothing to replay
                    print(f"wgml-bot: {path}: {refused}", file=sys.stderr)
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
            elif is_number(args.ident):
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

