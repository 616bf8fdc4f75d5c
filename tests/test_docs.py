"""The documentation (README.md and every page in docs/) and the code name the same commands
and settings: each `wgml-bot` command and action, each `/wgml` subcommand and each setting is
documented somewhere, and everything the documentation names exists.

The lists come from the code (the CLI's parser built from COMMANDS, the SUBCOMMANDS table,
the Settings fields), so a command or setting added on any branch fails here until a page
says what it does, and a renamed one fails until the page follows.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from bot.config import Settings
from handlers.slack.commands import SUBCOMMANDS

ROOT = Path(__file__).resolve().parent.parent
# Words in capitals with underscores that the pages name but that are not settings:
# `make test PG_URL=...` (the Makefile's).
NOT_SETTINGS = frozenset({"PG_URL"})


def pages() -> dict[str, str]:
    found = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8")}
    for path in sorted((ROOT / "docs").glob("*.md")):
        found[f"docs/{path.name}"] = path.read_text(encoding="utf-8")
    return found


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_commands() -> dict[str, set[str]]:
    """Each command and its actions ("cycle" -> {"open", "set", ...}; "run" -> set())."""
    return {name: set(_subparsers(child))
            for name, child in _subparsers(build_parser(None)).items()}


def slash_subcommands() -> set[str]:
    return {s.name for s in SUBCOMMANDS}


def setting_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def _code(text: str) -> list[str]:
    """The lines of code blocks and the inline code spans: where commands are written."""
    spans: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
            continue
        if inside:
            spans.append(line.strip())
        else:
            spans += re.findall(r"`([^`]+)`", line)
    return spans


_CLI = re.compile(r"^(?:\S*/)?wgml-bot\s+([a-z][a-z-]*)(?:\s+(\S+))?")
_SLASH = re.compile(r"(?<![\w/])/wgml\s+([a-z][a-z-]*)")
_SETTING = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # what only a setting looks like
_WORD = re.compile(r"\b[A-Z][A-Z0-9_]+\b")  # TIMEZONE too, when a setting has that name


def documented_cli() -> dict[tuple[str, str | None], str]:
    """(command, action or None) -> the page naming it; an action is any plain word after
    the command (options, placeholders and brackets are not)."""
    found: dict[tuple[str, str | None], str] = {}
    for page, text in pages().items():
        for span in _code(text):
            match = _CLI.match(span)
            if match is None:
                continue
            command, word = match.group(1), match.group(2)
            action = word if word and re.fullmatch(r"[a-z][a-z-]*", word) else None
            found.setdefault((command, action), page)
    return found


def documented_slash() -> dict[str, str]:
    found: dict[str, str] = {}
    for page, text in pages().items():
        for name in _SLASH.findall(text):
            found.setdefault(name, page)
    return found


def documented_settings() -> dict[str, str]:
    """Setting-like names in code spans (`LEADERSHIP_CHANNEL_ID`, or a setting's own name
    such as `TIMEZONE`) -> the page naming them."""
    settings = setting_names()
    found: dict[str, str] = {}
    for page, text in pages().items():
        for span in re.findall(r"`([^`\n]+)`", text):
            for name in _WORD.findall(span):
                if name in settings or _SETTING.fullmatch(name):
                    found.setdefault(name, page)
    return found


def test_every_command_and_action_is_documented() -> None:
    documented = documented_cli()
    missing = [f"wgml-bot {command}" + (f" {action}" if action else "")
               for command, actions in sorted(cli_commands().items())
               for action in (sorted(actions) or [None])
               if (command, action) not in documented
               and not (action is None and any(c == command for c, _ in documented))]
    assert not missing, f"not in README.md or docs/: {missing}"


def test_every_documented_command_exists() -> None:
    commands = cli_commands()
    wrong = []
    for (command, action), page in sorted(documented_cli().items(), key=str):
        if command not in commands:
            wrong.append(f"{page}: wgml-bot {command}")
        elif action is not None and commands[command] and action not in commands[command]:
            wrong.append(f"{page}: wgml-bot {command} {action}")
    assert not wrong, f"documented but not in bot/cli: {wrong}"


def test_every_slash_subcommand_is_documented_and_no_other() -> None:
    documented = documented_slash()
    assert not slash_subcommands() - set(documented), (
        f"not in README.md or docs/: {sorted(slash_subcommands() - set(documented))}")
    wrong = {f"{page}: /wgml {name}" for name, page in documented.items()
             if name not in slash_subcommands()}
    assert not wrong, f"documented but not in SUBCOMMANDS: {sorted(wrong)}"


def test_every_word_review_reads_is_documented() -> None:
    from bot.curation.review import ARGUMENTS

    usages = [span for text in pages().values() for span in _code(text)
              if span.startswith("/wgml review")]
    for word in ARGUMENTS:
        assert any(word in span.split() for span in usages), f"`/wgml review {word}` is " \
            "not in the docs"


def test_every_setting_is_documented_and_no_other() -> None:
    documented = documented_settings()
    missing = setting_names() - set(documented)
    assert not missing, f"settings not in README.md or docs/: {sorted(missing)}"
    wrong = {f"{page}: {name}" for name, page in documented.items()
             if name not in setting_names() and name not in NOT_SETTINGS}
    assert not wrong, f"documented but not a setting: {sorted(wrong)}"


@pytest.mark.parametrize("page", sorted(pages()))
def test_every_link_between_pages_leads_somewhere(page: str) -> None:
    base = (ROOT / page).parent
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", pages()[page]):
        if "://" in target:
            continue
        assert (base / target).exists(), f"{page} links to {target}, which does not exist"


def test_the_readers_of_the_docs_can_fail() -> None:
    """The matchers find what they are meant to, and nothing in prose."""
    text = "Run `wgml-bot cycle open --title T` then\n```\nwgml-bot outbox retry ID\n```\n" \
           "authenticated as wgml-bot in ASWF; `/wgml submit`; `SMTP_HOST` and `Status`"
    cli = [(m.group(1), m.group(2)) for s in _code(text) if (m := _CLI.match(s))]
    assert cli == [("cycle", "open"), ("outbox", "retry")]
    assert _SLASH.findall(text) == ["submit"]
    assert _SETTING.findall(" ".join(re.findall(r"`([^`\n]+)`", text))) == ["SMTP_HOST"]
