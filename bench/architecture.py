"""The house's shape in six numbers, read from the import graph and the files (issue 24).

- domain-to-surface imports: a module of a domain package (`bot/talks`, `bot/curation`, ...)
  importing a surface or anything above one (`bot/slack_ui`, `bot/email`, `bot/site`,
  `handlers`, `scheduler`, `bot/app`, `bot/cli`, `bot/demo`), inside functions too. Goal 0.
- package loops in `bot/`: pairs of `bot.<name>` packages (or top modules such as
  `bot.config`) each importing the other, directly. Goal 0; the strongly connected groups
  are listed too, so a loop through three packages shows as well.
- modules over 400 lines in the four packages. Goal 0.
- README lines. Goal at most 250.
- domain files composing Slack text: a file of a domain package that imports bot/mrkdwn or
  whose code builds mrkdwn or Block Kit itself (a mention `<@{`, bold `*{`, a code span
  `` `{ ``, an emoji code, a block's `"type": "section"`...): the files an "add a surface"
  trial would still touch. Goal 0; what the domain says is a value (its `said.py`), worded
  by each surface.
- domain files composing email text: a file of a domain package that queues an email with
  its finished text (`enqueue_email(..., text=...)`), or defines a builder of an email's
  subject or body (a function named for mail returning `str`, or a string signed as the bot
  or asking for a reply by email). Goal 0; the domain queues a value (`said=`), worded by
  `bot/email/said.py` when the outbox delivers it.

`python -m bench.architecture` prints them with what each counts; `--list` names every
offending import, loop and module. Nothing here is timed.
"""

from __future__ import annotations

import ast
import asyncio
import re
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "scheduler", "storage")
DOMAIN = ("bot.talks", "bot.curation", "bot.sessions", "bot.people", "bot.wishes",
          "bot.subprojects", "bot.guidelines")
SURFACES = ("bot.slack_ui", "bot.email", "bot.site", "handlers", "scheduler", "bot.app",
            "bot.cli", "bot.demo")
MAX_LINES = 400
MAX_README = 250


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def domain_to_surface(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    return sorted((m, imported) for m in graph.modules if _under(m, DOMAIN)
                  for imported in graph.find_modules_directly_imported_by(m)
                  if _under(imported, SURFACES))


def _bot_package(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" and len(parts) > 1 else None


def package_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        source = _bot_package(module)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _bot_package(imported)
            if target is not None and target != source:
                edges.setdefault(source, set()).add(target)
    return edges


def package_loops(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in edges.items() for b in targets
                  if a < b and a in edges.get(b, set()))


def loop_groups(edges: dict[str, set[str]]) -> list[list[str]]:
    """Packages that reach each other (strongly connected, more than one): by reachability,
    which is plenty for a few dozen packages."""
    nodes = sorted(set(edges) | {t for targets in edges.values() for t in targets})

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for nxt in edges.get(todo.pop(), set()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reached = {n: reach(n) for n in nodes}
    groups: list[list[str]] = []
    placed: set[str] = set()
    for n in nodes:
        if n in placed or n not in reached[n]:
            continue
        group = sorted(m for m in reached[n] if n in reached[m])
        placed.update(group)
        groups.append(group)
    return groups


def long_modules(root: Path = ROOT) -> list[tuple[str, int]]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                found.append((str(path.relative_to(root)), lines))
    return found


# What composing Slack text looks like in code: the escaping leaf imported, or mrkdwn and
# Block Kit written by hand (in string literals; comments and docstrings are not code).
SLACK_TEXT = re.compile(
    r"^\s*(?:from bot\.mrkdwn import|from bot import mrkdwn|import bot\.mrkdwn)"
    r"|<@\{|<#\{|<!(?:here|channel)"
    r"|[\"'][^\"'\n]*(?:\*\{|`\{|\{[a-z_.()]+\}`|\*[A-Za-z][^*\"'\n]*\*\s)"
    r"|[\"']:[a-z_]+:[ \"']"
    r"|[\"']type[\"']\s*:\s*[\"'](?:section|mrkdwn|actions|button|context|header)[\"']",
    re.M)


def _domain_dirs(root: Path) -> list[Path]:
    return [root.joinpath(*p.split(".")) for p in DOMAIN]


def _code(text: str) -> str:
    """The file without its comments and docstrings (which may quote mrkdwn harmlessly)."""
    text = re.sub(r'(?s)(^|\n)\s*(?:"""|\'\'\').*?(?:"""|\'\'\')', "\\1", text)
    return re.sub(r"(?m)#.*$", "", text)


def slack_text_files(root: Path = ROOT) -> list[tuple[str, list[str]]]:
    """Domain files composing Slack text, each with the first few lines that do."""
    found = []
    for folder in _domain_dirs(root):
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
            code = _code(path.read_text(encoding="utf-8"))
            lines = [line.strip() for line in code.splitlines() if SLACK_TEXT.search(line)]
            if lines:
                found.append((str(path.relative_to(root)), lines[:3]))
    return found


# An email's own words in a string: its sign-off, or the reply it asks for.
EMAIL_WORDS = re.compile(r"The WG-ML bot, for|reply to this email|Reply with|^Hello\b", re.I)
MAIL_NAME = re.compile(r"(?:^|_)(?:e?mail|subject)(?:_|$)")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    return found


def _email_text_lines(code: str) -> list[str]:
    """What in one file's code composes an email: `enqueue_email(text=...)`, a mail builder
    (`def email_text(...) -> str`), or a string in an email's own words."""
    tree = ast.parse(code)
    docs = _docstrings(tree)
    lines: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "enqueue_email" and any(k.arg == "text" for k in node.keywords):
                lines.append((node.lineno, "enqueue_email(..., text=...)"))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            returns = ast.unparse(node.returns) if node.returns else ""
            if MAIL_NAME.search(node.name) and returns in ("str", "tuple[str, str]"):
                lines.append((node.lineno, f"def {node.name}(...) -> {returns}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docs and EMAIL_WORDS.search(node.value):
            lines.append((node.lineno, repr(node.value[:60])))
    return [text for _, text in sorted(lines)]


def email_text_files(root: Path = ROOT) -> list[tuple[str, list[str]]]:
    """Domain files composing email text, each with the first few things that do."""
    found = []
    for folder in _domain_dirs(root):
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
            lines = _email_text_lines(path.read_text(encoding="utf-8"))
            if lines:
                found.append((str(path.relative_to(root)), lines[:3]))
    return found


def readme_lines(root: Path = ROOT) -> int:
    return len((root / "README.md").read_text(encoding="utf-8").splitlines())


def report(listing: bool = False) -> int:
    graph = grimp.build_graph(*PACKAGES)
    crossings = domain_to_surface(graph)
    edges = package_edges(graph)
    loops = package_loops(edges)
    groups = loop_groups(edges)
    longs = long_modules()
    readme = readme_lines()
    slack_text = slack_text_files()
    email_text = email_text_files()
    print("Architecture (issue 24): the import graph and the files, no timing")
    print(f"  domain-to-surface imports : {len(crossings):4d}   (goal 0)")
    print(f"  package loops in bot/     : {len(loops):4d}   (goal 0; "
          f"{len(groups)} group(s) of packages reaching each other)")
    print(f"  modules over {MAX_LINES} lines    : {len(longs):4d}   (goal 0)")
    print(f"  README lines              : {readme:4d}   (goal <= {MAX_README})")
    print(f"  domain files composing Slack text: {len(slack_text):4d}   (goal 0: the domain "
          "says values, the surfaces word them)")
    print(f"  domain files composing email text: {len(email_text):4d}   (goal 0: the domain "
          "queues values, bot/email/said.py words them)")
    if listing:
        for importer, imported in crossings:
            print(f"    {importer} -> {imported}")
        for a, b in loops:
            print(f"    {a} <-> {b}")
        for group in groups:
            print(f"    reach each other: {', '.join(group)}")
        for path, lines in longs:
            print(f"    {path}: {lines} lines")
        for path, found in slack_text:
            print(f"    {path} composes Slack text: {found[0][:90]}")
        for path, found in email_text:
            print(f"    {path} composes email text: {'; '.join(found)[:110]}")
    return 0


async def main() -> int:
    """Async only to fit `make bench`'s runner."""
    return report(listing="--list" in sys.argv)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
