"""Reading a talk's text: markup stripped, folded (lower case, accents removed, full-width
forms narrowed), cut into words; the word lists' index, scanned once; the hits quoted as the
speaker wrote them. Knows no rule (bot/guidelines/engine/rules.py reads the hits)."""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\u1100-\u11ff\u3130-\u318f\uff66-\uff9f]")
# A run of CJK text with the Latin letters, digits and spaces mixed into it (terms such as
# "시각 효과" or "3dcg" cross them).
_CJK_RUN = re.compile(CJK.pattern + "(?:" + CJK.pattern[:-1] + r"a-z0-9 ]*" +
                      CJK.pattern + ")?")
# French elision is a word of its own ("l'animation" reads "animation"); "don't" stays one.
TOKEN = re.compile(r"\b(?:[ldjnstcm]|qu)'(?=[^\W_])|[^\W_]+(?:'[^\W_]+)*|[.!?;:。！？]")
STOP = frozenset(".!?;:。！？")

# --- markup ------------------------------------------------------------------------------
_BLOCKS = re.compile(r"<(script|style)\b[^>]{0,1000}>.{0,20000}?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[/!?]?[a-zA-Z][^<>]{0,2000}>|<!--.{0,20000}?-->", re.S)
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S{1,2000}", re.I)
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b")
_MD_MARK = re.compile(r"[*_`~#>|]+|^\s*[-+]\s+", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                      r"\u2066-\u2069\ufeff]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'",
                         "\u00b4": "'", "\uff07": "'"})


def strip_markup(text: str) -> str:
    """The words a person reads: no tags, entities decoded, no Markdown marks or URLs."""
    if "<" in text:
        text = _BLOCKS.sub(" ", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "](" in text:
        text = _MD_IMAGE.sub(r"\1", text)
        text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _MD_MARK.sub(" ", text)
    return _CONTROL.sub(" ", text).translate(_QUOTES)


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    folded = unicodedata.normalize("NFKD", c.casefold())
    folded = "".join(ch for ch in folded if not ("\u0300" <= ch <= "\u036f"))
    return unicodedata.normalize("NFC", folded)


def fold(text: str) -> tuple[str, list[int] | None]:
    """Lower case, accents removed, compatibility forms narrowed; with, for non-ASCII text,
    the index in `text` of each folded character (None: same positions)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        f = c.lower() if c.isascii() else _fold_char(c)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


def fold_term(term: str) -> str:
    return fold(term.replace("-", " "))[0]


# --- matching ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    term: str  # the lexicon's term
    start: int  # the span in the folded text
    end: int


@dataclass
class Index:
    """Every list's terms in one index, so a text is scanned once: whole words for Latin
    terms (a trailing `*` a prefix of the last word), substrings for CJK terms. `find`
    returns each list's hits, longest first where they overlap."""

    exact: dict[tuple[str, ...], list[tuple[str, str]]] = field(default_factory=dict)
    prefix: dict[tuple[tuple[str, ...], str], list[tuple[str, str]]] = \
        field(default_factory=dict)
    stems: list[int] = field(default_factory=list)
    starts: set[str] = field(default_factory=set)  # first words of multi-word terms
    longest: int = 1
    cjk_terms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cjk_first: dict[str, list[str]] = field(default_factory=dict)
    stem_set: set[str] = field(default_factory=set)

    def add(self, name: str, terms: Iterable[str]) -> None:
        for term in terms:
            folded = fold_term(term)
            if CJK.search(folded):
                self.cjk_terms.setdefault(folded, []).append((name, term))
                continue
            words = tuple(w for w in TOKEN.findall(folded.rstrip("*")) if w not in STOP)
            if not words:
                continue
            self.longest = max(self.longest, len(words))
            if len(words) > 1:
                self.starts.add(words[0])
            if folded.endswith("*"):
                self.prefix.setdefault((words[:-1], words[-1]), []).append((name, term))
                if len(words[-1]) not in self.stems:
                    self.stems.append(len(words[-1]))
            else:
                self.exact.setdefault(words, []).append((name, term))

    def compile(self) -> Index:
        self.stems.sort()
        self.stem_set = {stem for _, stem in self.prefix}
        for term in sorted(self.cjk_terms, key=len, reverse=True):
            self.cjk_first.setdefault(term[0], []).append(term)
        return self

    def find(self, text: Text) -> dict[str, list[Hit]]:
        found: dict[str, list[Hit]] = {}
        words = text.words
        plain = [w for w, _, _ in words]
        n = len(words)
        exact, prefix, stems, starts = self.exact, self.prefix, self.stems, self.starts
        stem_set = self.stem_set
        ends = [n] * n  # the next sentence end at or after each word: no term crosses it
        stop_at = n
        for i in range(n - 1, -1, -1):
            if plain[i] in STOP:
                stop_at = i
            ends[i] = stop_at
        for i in range(n):
            first = plain[i]
            if first in STOP:
                continue
            room = min(self.longest, ends[i] - i)
            for size in (range(room, 0, -1) if first in starts else (1,)):
                gram = tuple(plain[i:i + size])
                owners = exact.get(gram)
                last = gram[-1]
                more: list[tuple[str, str]] = []
                for k in stems:
                    if k > len(last):
                        break
                    if last[:k] in stem_set:
                        more.extend(prefix.get((gram[:-1], last[:k]), ()))
                if owners or more:
                    hit_start, hit_end = words[i][1], words[i + size - 1][2]
                    for name, term in (*(owners or ()), *more):
                        found.setdefault(name, []).append(Hit(term, hit_start, hit_end))
        if self.cjk_first and text.has_cjk:
            folded = text.folded
            for run in _CJK_RUN.finditer(folded):
                for at in range(run.start(), run.end()):
                    for term in self.cjk_first.get(folded[at], ()):
                        if folded.startswith(term, at):
                            for name, owner in self.cjk_terms[term]:
                                found.setdefault(name, []).append(
                                    Hit(owner, at, at + len(term)))
        return {name: _outer(hits) for name, hits in found.items()}


def _outer(hits: list[Hit]) -> list[Hit]:
    """The hits no longer hit of the same list contains ("our proprietary dataset" keeps
    "proprietary dataset" out)."""
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end and hit.end <= kept[-1].end:
            continue
        kept.append(hit)
    return kept


@dataclass
class Text:
    """A talk's text as read: stripped, folded, cut into words with their spans."""

    shown: str
    folded: str
    where: list[int] | None
    words: list[tuple[str, int, int]]
    has_cjk: bool
    _starts: list[int] | None = None

    @classmethod
    def of(cls, raw: str) -> Text:
        shown = strip_markup(raw)
        folded, where = fold(shown)
        words = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(folded)]
        return cls(shown, folded, where, words, bool(CJK.search(folded)))

    def said(self, hit: Hit) -> str:
        """The words of a hit as the speaker wrote them (one line, at most 60 characters)."""
        if self.where is None:
            piece = self.shown[hit.start:hit.end]
        else:
            piece = self.shown[self.where[hit.start]:self.where[hit.end - 1] + 1]
        piece = " ".join(piece.split())
        return piece if len(piece) <= 60 else piece[:59] + "…"

    def before(self, hit: Hit, count: int) -> list[str]:
        """Up to `count` words before a hit, within its sentence."""
        if self._starts is None:
            self._starts = [start for _, start, _ in self.words]
        i = bisect.bisect_left(self._starts, hit.start)
        out: list[str] = []
        while i > 0 and len(out) < count:
            i -= 1
            word = self.words[i][0]
            if word in STOP:
                break
            out.append(word)
        return out[::-1]


def distinct(hits: list[Hit]) -> dict[str, Hit]:
    first: dict[str, Hit] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        first.setdefault(hit.term, hit)
    return first


def quote(text: Text, hits: Iterable[Hit], most: int = 3, in_order: bool = True) -> str:
    """The hits as the speaker wrote them, quoted: in the text's order, or as given."""
    seen: list[str] = []
    for hit in (sorted(hits, key=lambda h: h.start) if in_order else hits):
        said = text.said(hit)
        if said.casefold() not in (s.casefold() for s in seen):
            seen.append(said)
        if len(seen) == most:
            break
    return ", ".join(f"'{s}'" for s in seen)
