"""`wgml-bot guidelines check FILE|-`: reads a talk as JSON, `{"title", "abstract",
"results"}` (from standard input with `-`), and prints the session guidelines' concerns,
`{"concerns": [{"rule", "reason"}]}` (empty when the talk fits). Bad input is one line on
standard error and exit status 1; the check itself never fails (bot/guidelines/engine/)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.common import CommandRunner, UserError, print_json
from bot.config import Settings
from bot.guidelines import check

MAX_BYTES = 5_000_000  # a talk is a few kilobytes; this is far beyond any
FIELDS = ("title", "abstract", "results")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="guidelines_command", metavar="ACTION", required=True)
    checking = actions.add_parser(
        "check", help="print the concerns a talk raises (JSON in, JSON out)",
        description='Reads {"title", "abstract", "results"} as JSON from FILE or, with -, '
                    'from standard input; prints {"concerns": [{"rule", "reason"}]}.')
    checking.add_argument("file", metavar="FILE|-", help="a JSON file, or - for standard input")


def _read(name: str) -> bytes:
    if name == "-":
        if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
            raise UserError("standard input is closed; give a FILE or pipe the talk in")
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        where = "standard input"
    else:
        where = name
        try:
            with open(name, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise UserError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise UserError(f"{where} is over {MAX_BYTES // 1_000_000} MB; a talk is a few "
                        "kilobytes of JSON")
    return data


def _text(data: bytes, where: str) -> str:
    if b"\x00" in data:
        raise UserError(f"{where} is binary (it has NUL bytes), not JSON text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{where} is not UTF-8 text (invalid byte at offset {exc.start})"
                        ) from None


def _kind(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def parse(data: bytes, where: str = "the input") -> dict[str, str]:
    """The talk's three texts from its JSON, or a UserError saying what is wrong."""
    text = _text(data, where)
    if not text.strip():
        raise UserError(f'{where} is empty; expected JSON like {{"title": "...", '
                        f'"abstract": "...", "results": "..."}}')
    try:
        talk = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, "
                        f"column {exc.colno})") from None
    except RecursionError:
        raise UserError(f"{where} is nested too deeply to be a talk") from None
    if not isinstance(talk, dict):
        raise UserError(f'{where} must be a JSON object with "title", "abstract" and '
                        f'"results", not {_kind(talk)}')
    fields: dict[str, str] = {}
    for name in FIELDS:
        value = talk.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise UserError(f'"{name}" must be a string, not {_kind(value)}')
        # Lone surrogates (JSON "\ud800") cannot be printed; they carry no words anyway.
        fields[name] = value.encode("utf-8", "replace").decode("utf-8")
    if not fields["title"].strip() and not fields["abstract"].strip():
        # Missing, null or blank alike: there is nothing to read, so nothing can "fit".
        raise UserError(f'{where} has neither "title" nor "abstract" (or both are blank)')
    return fields


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    where = "standard input" if args.file == "-" else args.file
    talk = parse(_read(args.file), where)
    found = check(talk["title"], talk["abstract"], talk["results"])
    print_json({"concerns": [c.to_json() for c in found]})
    return 0
