"""What the guidelines model reads of a talk: the same features at training time
(bench/guidelines_train.py) and when scoring (bot/guidelines/model/__init__.py), so the two
cannot drift. Pure Python, deterministic, any script.

The text (title, abstract, results) is stripped of tags, folded (NFKC, case-folded) and cut
at MAX_CHARS. Its features, each a string with a one-letter kind:
- `w:word` and `b:word word`: lower-cased words and pairs of neighbours (only across spaces,
  so a pair is a phrase the speaker wrote);
- `c:gram`: character 3-5-grams inside each word padded with spaces (`c: our`), so a word's
  other forms and compound words share features;
- `c:` CJK and Hangul 2-3-grams too: those scripts put no spaces between words;
- `r:empty`, when the results field says nothing;
- in a negation's scope (NEGATIONS), the words' features are marked `!` (`w:!proprietary`).
Each feature has the span of the text it came from, so a reason can quote what was read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 3_000  # the longest labelled talk has under 1,000; the rest is not read

_TAG = re.compile(r"<[/!?]?[a-zA-Z][^<>]{0,2000}>")
_URL = re.compile(r"\b(?:https?://|www\.)\S{1,2000}", re.I)
_CJK = (r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
        r"\u1100-\u11ff\u3130-\u318f")
# A word: letters and digits not in a CJK script; a CJK run is read by its grams only.
_WORD = re.compile(rf"(?:(?![{_CJK}])[^\W_])+(?:'(?:(?![{_CJK}])[^\W_])+)*")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_SPACE = re.compile(r"[ \t\u00a0]+")
# Negation: the words after one of these, up to NEGATED words and within the clause, are
# read as other features (`w:!word`), so "no proprietary data" does not weigh as
# "proprietary data". (CJK negates after the noun; its grams are read as they are.)
NEGATIONS = frozenset(
    "no not without never none non nothing neither nor cannot "  # en
    "sans aucun aucune pas ni jamais "  # fr
    "sin ningun ninguna ningún nunca sem nenhum nenhuma não nao nunca "  # es, pt
    "kein keine keinen keiner keinem ohne nicht niemals "  # de
    "senza nessun nessuna nessuno geen zonder niet "  # it, nl
    "без не нет ни".split())  # ru
NEGATED = 5
_CLAUSE = re.compile(r"[.,;:!?()\[\]\n。、，；：！？]")


@dataclass(frozen=True)
class Read:
    """A talk as the model reads it: the folded text and each feature with where it is."""

    text: str
    features: dict[str, tuple[int, int]]  # feature -> (start, end) of its first occurrence


def fold(text: str) -> str:
    text = _URL.sub(" ", _TAG.sub(" ", text))
    return unicodedata.normalize("NFKC", text).casefold()


def read(title: str, abstract: str, results: str) -> Read:
    """The features of a talk; never raises on any text (empty, huge, any script)."""
    raw = f"{title[:MAX_CHARS]}\n{abstract[:MAX_CHARS]}\n{results[:MAX_CHARS]}"
    text = fold(raw)[:MAX_CHARS]
    feats: dict[str, tuple[int, int]] = {}
    if not fold(results[:MAX_CHARS]).strip():
        feats["r:empty"] = (0, 0)
    previous: tuple[int, int] | None = None
    seen: set[str] = set()
    negated = 0  # words still in a negation's scope
    for m in _WORD.finditer(text):
        start, end = m.span()
        word = m.group()
        if previous is not None and _CLAUSE.search(text, previous[1], start):
            negated = 0
        mark = "!" if negated else ""
        negated = NEGATED if word in NEGATIONS else max(0, negated - 1)
        feats.setdefault(f"w:{mark}{word}", (start, end))
        if previous is not None and _SPACE.fullmatch(text, previous[1], start):
            pair = f"b:{mark}{text[previous[0]:previous[1]]} {word}"
            feats.setdefault(pair, (previous[0], end))
        previous = (start, end)
        if f"{mark}{word}" in seen:
            continue  # its grams are in already
        seen.add(f"{mark}{word}")
        padded = f" {word} "
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                feats.setdefault(f"c:{mark}{padded[i:i + n]}", (start, end))
    for m in _CJK_RUN.finditer(text):
        run, base = m.group(), m.start()
        for n in (2, 3):
            for i in range(len(run) - n + 1):
                feats.setdefault("c:" + run[i:i + n], (base + i, base + i + n))
    return Read(text, feats)
