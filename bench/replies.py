"""Reply text: the share of the email fixtures whose reply text comes out exactly right, by
language and client, and the parser's speed. `python -m bench.replies` prints the figures.

Compared in the same run, on the same body text (the bot's MIME decoding and HTML-to-text
for every contender, so only quote stripping differs):
- `now`: bot.email.quotes and bot.email.html as they are;
- `before`: both modules as they were at BASE (the commit issue 18's work started from),
  read with `git show` into throw-away modules; skipped when git or the commit is missing;
- the maintained libraries when installed (`pip install mail-parser-reply email-reply-parser
  quotequail`; none is a dependency of the bot): mail-parser-reply with every language it
  ships, email-reply-parser, and quotequail (the text before its first quoted part).
Texts are compared after trimming trailing spaces and runs of blank lines, for everyone.
Fixtures: tests/email_fixtures/*.eml with expected.json; bench/reply_fixture_kinds.json gives
the language and client of the newer ones (the earlier ones count as "earlier").
"""

from __future__ import annotations

import email
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import time
import types
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bot.email import html as html_now
from bot.email import quotes as quotes_now
from bot.email.body import looks_like_html, text_parts

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "email_fixtures"
KINDS = Path(__file__).resolve().parent / "reply_fixture_kinds.json"
BASE = "923873c8264add85a7fe8a4674f6d626c7754a70"
GIT = shutil.which("git") or "git"
Strip = Callable[[str], str]


def _base_commit() -> str | None:
    try:
        out = subprocess.run([GIT, "-C", str(ROOT), "rev-parse", "--verify", "-q",
                              BASE + "^{commit}"], capture_output=True, text=True,
                             check=False, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _module_at(commit: str, path: str, name: str) -> types.ModuleType | None:
    try:
        source = subprocess.run([GIT, "-C", str(ROOT), "show", f"{commit}:{path}"],
                                capture_output=True, text=True, check=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    module = types.ModuleType(name)
    exec(compile(source, f"{commit[:7]}:{path}", "exec"), module.__dict__)  # noqa: S102
    return module


def bodies(raw: bytes) -> tuple[str | None, str | None]:
    """The message's first text/plain and text/html parts, decoded as the bot decodes them."""
    plain, html, _ = text_parts(email.message_from_bytes(raw))
    return plain, html


def body_text(plain: str | None, html: str | None, to_text: Callable[[str], str]) -> str:
    """bot.email.reply's choice of body, with a given HTML-to-text."""
    if plain is not None and plain.strip():
        return to_text(plain) if looks_like_html(plain) and html is None else plain
    if html is not None:
        return to_text(html)
    return plain or ""


def normal(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def contenders() -> dict[str, tuple[Callable[[str], str], Strip]]:
    """name -> (html_to_text, strip) for every parser available in this run."""
    out: dict[str, tuple[Callable[[str], str], Strip]] = {
        "now": (html_now.html_to_text, quotes_now.strip_reply)}
    commit = _base_commit()
    if commit:
        q = _module_at(commit, "bot/email/quotes.py", "_quotes_before")
        h = _module_at(commit, "bot/email/html.py", "_html_before")
        if q and h:
            out["before"] = (h.html_to_text, q.strip_reply)
    if importlib.util.find_spec("mailparser_reply"):
        from mailparser_reply import EmailReplyParser
        from mailparser_reply.constants import MAIL_LANGUAGES

        langs = [x for x in MAIL_LANGUAGES if x != "david"]
        mpr = EmailReplyParser(languages=langs)
        out["mail-parser-reply"] = (html_now.html_to_text, lambda t: mpr.parse_reply(t) or "")
    if importlib.util.find_spec("email_reply_parser"):
        from email_reply_parser import EmailReplyParser as Erp

        out["email-reply-parser"] = (html_now.html_to_text, lambda t: Erp.parse_reply(t) or "")
    if importlib.util.find_spec("quotequail"):
        import quotequail

        def qq(text: str) -> str:
            shown: list[str] = []
            for visible, part in quotequail.quote(text):
                if not visible:
                    break
                shown.append(part)
            return "\n".join(shown)

        out["quotequail"] = (html_now.html_to_text, qq)
    return out


def report() -> int:
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    kinds = json.loads(KINDS.read_text(encoding="utf-8")) if KINDS.exists() else {}
    names = sorted(expected)
    raws = {n: (FIXTURES / f"{n}.eml").read_bytes() for n in names}
    parts = {n: bodies(raws[n]) for n in names}
    parsers = contenders()
    right: dict[str, set[str]] = {}
    for label, (to_text, strip) in parsers.items():
        ok: set[str] = set()
        for n in names:
            try:
                got = strip(body_text(*parts[n], to_text))
            except Exception:  # a library that crashes on a message got it wrong
                got = "\0"
            if normal(got) == normal(str(expected[n]["reply_text"])):
                ok.add(n)
        right[label] = ok
    newer = [n for n in names if n in kinds]
    print(f"replies: {len(names)} fixtures ({len(newer)} with a language and client)")
    for label, ok in right.items():
        share_new = len(ok & set(newer)) / len(newer) if newer else 0.0
        print(f"{label:>19}: exactly right {len(ok)}/{len(names)} = {len(ok) / len(names):.1%}"
              f"; issue-18 set {len(ok & set(newer))}/{len(newer)} = {share_new:.1%}")
    if "before" not in right:
        print("             before: not measured (no git or no base commit in this checkout)")
    for key in ("language", "client"):
        groups: dict[str, list[str]] = defaultdict(list)
        for n in names:
            groups[kinds.get(n, {}).get(key, "earlier")].append(n)
        print(f"by {key} (right / fixtures: " + ", ".join(right) + "):")
        for group in sorted(groups, key=lambda g: (-len(groups[g]), g)):
            members = set(groups[group])
            cells = "  ".join(f"{len(right[x] & members):>3}" for x in right)
            print(f"  {group:<22}{len(members):>3}  {cells}")
    wrong = sorted(set(names) - right["now"])
    if wrong:
        print("now wrong on: " + ", ".join(wrong))
    texts = [body_text(*parts[n], html_now.html_to_text) for n in names]
    timed = {label: parsers[label][1] for label in ("now", "before") if label in parsers}
    rates = _rates(timed, texts)
    for label, rate in rates.items():
        print(f"speed {label:>6}: {rate:,.0f} messages/s (strip_reply on the fixtures' body "
              "text, best of 7 interleaved rounds)")
    if len(rates) == 2:
        print(f"speed ratio now/before: {rates['now'] / rates['before']:.2f}x "
              "(the goal: not below 0.80)")
    return 0


def _rates(strips: dict[str, Strip], texts: list[str], rounds: int = 7) -> dict[str, float]:
    """Messages per second for each parser; rounds interleaved so both see the same load."""
    best = dict.fromkeys(strips, float("inf"))
    for _ in range(rounds):
        for label, strip in strips.items():
            began = time.perf_counter()
            for text in texts:
                strip(text)
            best[label] = min(best[label], time.perf_counter() - began)
    return {label: len(texts) / seconds for label, seconds in best.items()}


async def main() -> int:
    """Async only to fit `make bench`'s runner (bench/__main__.py: asyncio.run)."""
    return report()


if __name__ == "__main__":
    sys.exit(report())
