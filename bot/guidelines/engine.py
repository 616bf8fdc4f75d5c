"""The guidelines engine: reads a talk's title, abstract and results against the four rules
with the word lists of `bot.guidelines.lexicon`, and says in one sentence what it read.

Deterministic and offline (no model, no network): the text is stripped of markup (HTML,
Markdown, URLs), folded (lower case, accents removed, full-width forms narrowed) and cut into
words; terms in Latin letters match whole words, terms in CJK or Hangul match anywhere. Each
rule is a small score over the terms found:

- relevance: no VFX, animation, film, games or production term (one only, against several
  of another domain's) -> a concern naming the domain it reads as ("reads as ad ranking").
- practical: little evidence of something tried and its outcome (past-tense experiment
  verbs, "lessons learned", numbers with units, a filled-in results field), less what
  reads as a survey, theory or position piece -> a concern naming which.
- pitch: a sales term (pricing, "contact our sales team", "book a demo") or several
  marketing words ("our platform", superlatives, calls to action); a user's showcase ("we
  used ... in our pipeline") weighs the marketing words down, never the sales terms.
- confidential: a term such as "our proprietary dataset", "under NDA", "unreleased",
  "client footage we cannot share", unless negated just before ("no proprietary data",
  "without client footage", "non-confidential") or after in CJK (機密情報は含みません).
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from bot.guidelines import lexicon
from bot.guidelines.concern import Concern

# What is read of each field: enough for any abstract; the rest of a huge text is ignored.
MAX_TITLE = 1_000
MAX_ABSTRACT = 12_000
MAX_RESULTS = 6_000
_RAW_FACTOR = 2  # markup may take room: this much raw text is stripped before the cut

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\u1100-\u11ff\u3130-\u318f\uff66-\uff9f]")
# A run of CJK text with the Latin letters, digits and spaces mixed into it (terms such as
# "시각 효과" or "3dcg" cross them).
_CJK_RUN = re.compile(_CJK.pattern + "(?:" + _CJK.pattern[:-1] + r"a-z0-9 ]*" +
                      _CJK.pattern + ")?")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.!?;:。！？]")
_STOP = frozenset(".!?;:。！？")

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


def _fold_term(term: str) -> str:
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
            folded = _fold_term(term)
            if _CJK.search(folded):
                self.cjk_terms.setdefault(folded, []).append((name, term))
                continue
            words = tuple(w for w in _TOKEN.findall(folded.rstrip("*")) if w not in _STOP)
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
            if plain[i] in _STOP:
                stop_at = i
            ends[i] = stop_at
        for i in range(n):
            first = plain[i]
            if first in _STOP:
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
        words = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        return cls(shown, folded, where, words, bool(_CJK.search(folded)))

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
            if word in _STOP:
                break
            out.append(word)
        return out[::-1]


def _distinct(hits: list[Hit]) -> dict[str, Hit]:
    first: dict[str, Hit] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        first.setdefault(hit.term, hit)
    return first


def _quote(text: Text, hits: Iterable[Hit], most: int = 3, in_order: bool = True) -> str:
    """The hits as the speaker wrote them, quoted: in the text's order, or as given."""
    seen: list[str] = []
    for hit in (sorted(hits, key=lambda h: h.start) if in_order else hits):
        said = text.said(hit)
        if said.casefold() not in (s.casefold() for s in seen):
            seen.append(said)
        if len(seen) == most:
            break
    return ", ".join(f"'{s}'" for s in seen)


# --- the lists, compiled once ------------------------------------------------------------
def _index() -> Index:
    index = Index()
    index.add("false friend", lexicon.DOMAIN_FALSE_FRIENDS)
    index.add("domain", lexicon.DOMAIN_STRONG)
    for name, terms in lexicon.OFF_TOPIC.items():
        index.add(f"off:{name}", terms)
    index.add("evidence", lexicon.EVIDENCE)
    index.add("evidence weak", lexicon.EVIDENCE_WEAK)
    for name, terms in lexicon.THEORY.items():
        index.add(f"theory:{name}", terms)
    index.add("pitch", lexicon.PITCH_STRONG)
    index.add("pitch weak", lexicon.PITCH_WEAK)
    index.add("showcase", lexicon.SHOWCASE)
    index.add("you", lexicon.YOU)
    index.add("confidential", lexicon.CONFIDENTIAL)
    return index.compile()


_INDEX = _index()
_NEG_WORDS = tuple(tuple(_TOKEN.findall(_fold_term(t))) for t in lexicon.NEGATION_BEFORE
                   if not _CJK.search(t))
_NEG_CJK_BEFORE = tuple(_fold_term(t) for t in lexicon.NEGATION_BEFORE if _CJK.search(t))
_NEG_CJK_AFTER = tuple(_fold_term(t) for t in lexicon.NEGATION_AFTER)
_PRICE_CONTEXT = frozenset(_fold_term(t) for t in lexicon.PRICE_CONTEXT)

_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)?\s?(?:%|％|percent\b|per cent\b|pour cent\b|prozent\b|por ciento\b|"
    r"por cento\b|x\b|×|times\b|fois\b|mal\b|veces\b|vezes\b|倍|ms\b|fps\b|hours?\b|hrs?\b|"
    r"minutes?\b|mins?\b|seconds?\b|days?\b|weeks?\b|frames?\b|shots?\b|gpus?\b|"
    r"heures?\b|stunden\b|horas\b|時間|小时|小時|시간|분|초|秒|分钟|分間|フレーム|帧|프레임|"
    r"shows?\b|episodes?\b|artists?\b|tb\b|gb\b)")
# Marketing copy speaks to the reader: "ください", "您", "하세요".
_YOU_CJK = re.compile("|".join(re.escape(t) for t in lexicon.YOU if _CJK.search(t)) or "$^")
# Someone telling what they did: "we trained", "I wrote", "nous avons", "しました", "했다".
_TOLD = re.compile(
    r"\b(?:we|i|our team|the team)\s(?:re\s?|then\s|also\s|first\s)?"
    r"(?!need\b|feed\b|speed\b)(?:[a-z]+ed|built|"
    r"ran|wrote|took|made|got|saw|found|kept|hit|cut|put|went|spent|chose|brought|shot|"
    r"grew|began|learnt|rebuilt|swapped|set up)\b|\bnous avons\b|\bwir haben\b|"
    r"\b[a-z]+(?:amos|imos)\b|ました|しました|했다|였다|었다|했습니다|였습니다|었습니다")


# --- the rules ---------------------------------------------------------------------------
Hits = dict[str, list[Hit]]


def _group(hits: Hits, prefix: str) -> dict[str, dict[str, Hit]]:
    """The non-empty lists whose name starts with `prefix`, each as its distinct terms."""
    return {name[len(prefix):]: _distinct(found) for name, found in hits.items()
            if name.startswith(prefix) and found}


def _relevance(text: Text, hits: Hits) -> Concern | None:
    friends = hits.get("false friend", [])
    strong = _distinct([h for h in hits.get("domain", [])
                        if not any(f.start <= h.start < f.end for f in friends)])
    off = _group(hits, "off:")
    off_count = sum(len(h) for h in off.values())
    if len(strong) >= 2 or (len(strong) == 1 and off_count < 2):
        return None
    if off:
        name, found = max(off.items(), key=lambda kv: (len(kv[1]), -min(
            h.start for h in kv[1].values())))
        reading = f"reads as {name} ({_quote(text, found.values(), 2)})"
    else:
        reading = "reads as a use outside VFX and animation"
    if strong:
        return Concern("relevance", f"only one VFX or animation term "
                                    f"({_quote(text, strong.values(), 1)}); {reading}")
    return Concern("relevance", f"no VFX, animation or production terms; {reading}")


def _practical(text: Text, hits: Hits, results: str) -> Concern | None:
    strong = _distinct(hits.get("evidence", []))
    weak = _distinct(hits.get("evidence weak", []))
    numbers = len(_NUMBER.findall(text.folded))
    told = len(_TOLD.findall(text.folded))
    theory = _group(hits, "theory:")
    heavy = len(theory.get("theory", {}))
    score = (2 * min(len(strong) + min(told, 2), 3) + min(len(weak), 3)
             + 2 * min(numbers, 2) - min(sum(len(h) for h in theory.values()), 4)
             - min(heavy, 2))
    if len(_TOKEN.findall(results)) >= 6:
        score += 2
    if score >= 3:
        return None
    if theory:
        name, found = max(theory.items(), key=lambda kv: len(kv[1]))
        return Concern("practical", f"no result or experiment; reads as {name} "
                                    f"({_quote(text, found.values(), 2)})")
    return Concern("practical", "no result or experiment: nothing says what was tried "
                                "and what came of it")


def _pitch(text: Text, hits: Hits) -> Concern | None:
    strong = []
    for hit in hits.get("pitch", []):
        if hit.term.startswith(("pric", "per ", "license fee", "licence fee")):
            before = text.before(hit, 8)
            if set(before[-2:]) & _PRICE_CONTEXT and "our" not in before:
                continue  # "cloud GPU pricing", "licence cost per seat": a user's costs
        strong.append(hit)
    sales = _distinct(strong)
    marketing = _distinct(hits.get("pitch weak", []))
    you = len(hits.get("you", [])) + len(_YOU_CJK.findall(text.folded))
    weight = len(marketing) + (2 if you >= 3 else 0) - (2 if hits.get("showcase") else 0)
    if not sales and weight < 3:
        return None
    cues = list(sales.values()) + list(marketing.values())
    return Concern("pitch", f"reads as a product pitch: {_quote(text, cues, 3, in_order=False)}")


def _negated(text: Text, hit: Hit) -> bool:
    if _CJK.search(hit.term):
        before = text.folded[max(0, hit.start - 6):hit.start]
        after = text.folded[hit.end:hit.end + 14]
        return any(n in before for n in _NEG_CJK_BEFORE) or \
            any(n in after for n in _NEG_CJK_AFTER)
    words = text.before(hit, 4)
    return any(tuple(words[i:i + len(neg)]) == neg
               for neg in _NEG_WORDS for i in range(len(words) - len(neg) + 1)) or \
        any(n in text.folded[hit.end:hit.end + 14] for n in _NEG_CJK_AFTER)


def _confidential(text: Text, hits: Hits) -> Concern | None:
    found = [h for h in hits.get("confidential", []) if not _negated(text, h)]
    if not found:
        return None
    return Concern("confidential", f"mentions {_quote(text, found, 3)}")


def concerns(title: str, abstract: str, results: str) -> list[Concern]:
    """The concerns a talk raises, in RULES order; empty when it fits or says nothing."""
    title = strip_markup(title[:MAX_TITLE * _RAW_FACTOR])[:MAX_TITLE]
    abstract = strip_markup(abstract[:MAX_ABSTRACT * _RAW_FACTOR])[:MAX_ABSTRACT]
    results = strip_markup(results[:MAX_RESULTS * _RAW_FACTOR])[:MAX_RESULTS]
    whole = Text.of(f"{title}.\n{abstract}.\n{results}")
    if all(w in _STOP for w, _, _ in whole.words):
        return []
    hits = _INDEX.find(whole)
    found = [
        _relevance(whole, hits),
        _practical(whole, hits, fold(results)[0]),
        _pitch(whole, hits),
        _confidential(whole, hits),
    ]
    return [c for c in found if c is not None]
