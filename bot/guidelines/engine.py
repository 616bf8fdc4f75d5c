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

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from bot.guidelines import Concern, lexicon

# What is read of each field: enough for any abstract; the rest of a huge text is ignored.
MAX_TITLE = 1_000
MAX_ABSTRACT = 20_000
MAX_RESULTS = 10_000
_RAW_FACTOR = 4  # markup may take room: this much raw text is stripped before the cut

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\u1100-\u11ff\u3130-\u318f\uff66-\uff9f]")
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
class Matcher:
    """Finds a list's terms in a Text: whole words for Latin terms, substrings for CJK."""

    exact: dict[tuple[str, ...], str] = field(default_factory=dict)
    prefix: dict[tuple[tuple[str, ...], str], str] = field(default_factory=dict)
    stems: set[int] = field(default_factory=set)
    longest: int = 1
    cjk: re.Pattern[str] | None = None

    @classmethod
    def of(cls, terms: Iterable[str]) -> Matcher:
        m = cls()
        cjk: list[str] = []
        for term in terms:
            folded = _fold_term(term)
            if _CJK.search(folded):
                cjk.append(folded)
                continue
            words = tuple(w for w in _TOKEN.findall(folded.rstrip("*")) if w not in _STOP)
            if not words:
                continue
            m.longest = max(m.longest, len(words))
            if folded.endswith("*"):
                m.prefix[(words[:-1], words[-1])] = term
                m.stems.add(len(words[-1]))
            else:
                m.exact[words] = term
        if cjk:
            m.cjk = re.compile("|".join(re.escape(t) for t in
                                        sorted(set(cjk), key=len, reverse=True)))
        return m

    def find(self, text: Text) -> list[Hit]:
        hits: list[Hit] = []
        words = text.words
        n = len(words)
        i = 0
        while i < n:
            found = None
            for size in range(min(self.longest, n - i), 0, -1):
                gram = tuple(w for w, _, _ in words[i:i + size])
                if any(w in _STOP for w in gram):
                    continue
                term = self.exact.get(gram)
                if term is None and self.prefix:
                    last = gram[-1]
                    for k in self.stems:
                        if k <= len(last):
                            term = self.prefix.get((gram[:-1], last[:k]))
                            if term is not None:
                                break
                if term is not None:
                    found = Hit(term, words[i][1], words[i + size - 1][2])
                    i += size
                    break
            if found is None:
                i += 1
            else:
                hits.append(found)
        if self.cjk is not None and text.has_cjk:
            hits.extend(Hit(m.group(0), m.start(), m.end())
                        for m in self.cjk.finditer(text.folded))
        return hits


@dataclass
class Text:
    """A talk's text as read: stripped, folded, cut into words with their spans."""

    shown: str
    folded: str
    where: list[int] | None
    words: list[tuple[str, int, int]]
    has_cjk: bool

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
        out: list[str] = []
        for w, _, end in reversed(self.words):
            if end > hit.start:
                continue
            if w in _STOP or len(out) == count:
                break
            out.append(w)
        return list(reversed(out))


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
_FALSE_FRIENDS = Matcher.of(lexicon.DOMAIN_FALSE_FRIENDS)
_DOMAIN = Matcher.of(lexicon.DOMAIN_STRONG)
_DOMAIN_WEAK = Matcher.of(lexicon.DOMAIN_WEAK)
_OFF_TOPIC = {name: Matcher.of(terms) for name, terms in lexicon.OFF_TOPIC.items()}
_EVIDENCE = Matcher.of(lexicon.EVIDENCE)
_EVIDENCE_WEAK = Matcher.of(lexicon.EVIDENCE_WEAK)
_THEORY = {name: Matcher.of(terms) for name, terms in lexicon.THEORY.items()}
_PITCH = Matcher.of(lexicon.PITCH_STRONG)
_PITCH_WEAK = Matcher.of(lexicon.PITCH_WEAK)
_SHOWCASE = Matcher.of(lexicon.SHOWCASE)
_CONFIDENTIAL = Matcher.of(lexicon.CONFIDENTIAL)
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


# --- the rules ---------------------------------------------------------------------------
def _relevance(text: Text) -> Concern | None:
    friends = _FALSE_FRIENDS.find(text)
    domain = [h for h in _DOMAIN.find(text)
              if not any(f.start <= h.start < f.end for f in friends)]
    strong = _distinct(domain)
    off = {name: _distinct(m.find(text)) for name, m in _OFF_TOPIC.items()}
    off = {name: hits for name, hits in off.items() if hits}
    off_count = sum(len(h) for h in off.values())
    if len(strong) >= 2 or (len(strong) == 1 and off_count < 3):
        return None
    if not text.words:
        return None
    if off:
        name, hits = max(off.items(), key=lambda kv: (len(kv[1]), -min(
            h.start for h in kv[1].values())))
        reading = f"reads as {name} ({_quote(text, hits.values(), 2)})"
    else:
        reading = "reads as a use outside VFX and animation"
    if strong:
        return Concern("relevance", f"only one VFX or animation term "
                                    f"({_quote(text, strong.values(), 1)}); {reading}")
    return Concern("relevance", f"no VFX, animation or production terms; {reading}")


def _practical(text: Text, results: Text) -> Concern | None:
    strong = _distinct(_EVIDENCE.find(text))
    weak = _distinct(_EVIDENCE_WEAK.find(text))
    numbers = len(_NUMBER.findall(text.folded))
    theory = {name: _distinct(m.find(text)) for name, m in _THEORY.items()}
    theory = {name: hits for name, hits in theory.items() if hits}
    heavy = len(theory.get("theory", {}))
    score = (2 * min(len(strong), 3) + min(len(weak), 3) + 2 * min(numbers, 2)
             - min(sum(len(h) for h in theory.values()), 4) - min(heavy, 2))
    if len(results.words) >= 6:
        score += 2
    if score >= 3 or not text.words:
        return None
    if theory:
        name, hits = max(theory.items(), key=lambda kv: len(kv[1]))
        return Concern("practical", f"no result or experiment; reads as {name} "
                                    f"({_quote(text, hits.values(), 2)})")
    return Concern("practical", "no result or experiment: nothing says what was tried "
                                "and what came of it")


def _pitch(text: Text) -> Concern | None:
    strong = []
    for hit in _PITCH.find(text):
        if hit.term.startswith("pric") and \
                set(text.before(hit, 3)) & _PRICE_CONTEXT:
            continue  # "cloud GPU pricing" is a cost comparison, not a price list
        strong.append(hit)
    sales = _distinct(strong)
    marketing = _distinct(_PITCH_WEAK.find(text))
    showcase = _distinct(_SHOWCASE.find(text))
    weight = len(marketing) - (2 if showcase else 0)
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


def _confidential(text: Text) -> Concern | None:
    hits = [h for h in _CONFIDENTIAL.find(text) if not _negated(text, h)]
    if not hits:
        return None
    return Concern("confidential", f"mentions {_quote(text, hits, 3)}")


def concerns(title: str, abstract: str, results: str) -> list[Concern]:
    """The concerns a talk raises, in RULES order; empty when it fits or says nothing."""
    title = strip_markup(title[:MAX_TITLE * _RAW_FACTOR])[:MAX_TITLE]
    abstract = strip_markup(abstract[:MAX_ABSTRACT * _RAW_FACTOR])[:MAX_ABSTRACT]
    results = strip_markup(results[:MAX_RESULTS * _RAW_FACTOR])[:MAX_RESULTS]
    whole = Text.of(f"{title}.\n{abstract}.\n{results}")
    if all(w in _STOP for w, _, _ in whole.words):
        return []
    found = [
        _relevance(whole),
        _practical(whole, Text.of(results)),
        _pitch(whole),
        _confidential(whole),
    ]
    return [c for c in found if c is not None]
