"""A wish's text: trimmed, checked, normalised, and compared with others (pure).

Two wishes are the same when their normalised texts are equal (case, spacing and punctuation
aside), or near-duplicates when the similar-work engine's tokens (bot.people.similar_text:
stop words out, stems, domain aliases such as "motion capture" = "mocap") mostly agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.people.similar_text import tokenize

MAX_CHARS = 300
# Share of the two token sets in common (Jaccard) above which two wishes are one. Measured on
# the pairs in tests/wishes/test_text.py: rewordings of one topic sit at 0.75 and above,
# neighbouring topics ("LLMs for code review" / "LLMs for code generation") at 0.5 or below.
NEAR_DUPLICATE = 0.75
# A `Topic:` line in an email names a wish in a few words: the words must be (nearly) all in
# the wish (containment), and pick one wish more than any other.
TOPIC_COVERAGE = 0.8

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Trimmed, control characters out, runs of spacing as one space: one line."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def problem(text: str) -> str | None:
    """Why this (cleaned) text cannot be a wish: "empty" or "too_long"; None when it can."""
    if not normalise(text):
        return "empty"
    if len(text) > MAX_CHARS:
        return "too_long"
    return None


def normalise(text: str) -> str:
    """The comparison key: NFKC, case-folded, punctuation and symbols as spaces, one space."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return " ".join(kept.split())


def tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Candidate:
    id: int
    text: str


def near_duplicate(text: str, others: Iterable[Candidate],
                   threshold: float = NEAR_DUPLICATE) -> Candidate | None:
    """The wish most like `text` when it is a near-duplicate of one; ties go to the oldest."""
    mine = tokens(text)
    if not mine:
        return None
    best: tuple[float, int, Candidate] | None = None
    for other in others:
        score = jaccard(mine, tokens(other.text))
        if score >= threshold and (best is None or (score, -other.id) > best[:2]):
            best = (score, -other.id, other)
    return best[2] if best else None


def topic_match(words: str, others: Iterable[Candidate]) -> Candidate | None:
    """The one wish a few words (an email's `Topic:` line) name, or None when none or
    several fit equally."""
    mine = tokens(words)
    if not mine:
        return None
    scored: list[tuple[float, Candidate]] = []
    for other in others:
        theirs = tokens(other.text)
        if len(mine & theirs) / len(mine) >= TOPIC_COVERAGE:
            scored.append((jaccard(mine, theirs), other))
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0], s[1].id))
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # ambiguous: better no link than the wrong one
    return scored[0][1]
