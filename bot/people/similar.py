"""Similar work: an offline lexical engine (BM25) over submissions. Pure: no I/O, no globals
that change behaviour (only memos of tokenised texts). Tokenising is in bot/people/similar_text.py.

Why lexical: it ships with the bot, needs no model download, explains itself (shared words),
and on the evaluation set in tests/data it is right most of the time (see bench/README.md).

Scores are made comparable across targets by dividing by the target's score against itself,
so a single threshold means the same thing for a short and a long abstract.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.people.similar_text import GENERIC, stem, tokenize

__all__ = ["Doc", "Hit", "Index", "Match", "search", "similar_to", "stem", "studio_key",
           "tokenize"]

# BM25 parameters: k1 saturates repeated words, b normalises by document length.
K1 = 1.2
B = 0.75
K3 = 1.5
# Pseudo-documents that contain none of the words: without them, in the first weeks (a
# handful of submissions) every shared word looks common and twin talks go unnoticed.
PRIOR_DOCS = 10
# Words nearly every talk in this domain uses (similar_text.GENERIC_WORDS) weigh this much.
GENERIC_WEIGHT = 0.3
TITLE_WEIGHT = 2  # a title word counts as much as two abstract words
FOCUS_WEIGHT = 1
# Below this share of the target's self-score a match is noise (measured on the evaluation
# set: true neighbours sit well above it, unrelated talks well below; see bench/similar.py).
THRESHOLD = 0.15
# A suggestion far weaker than the best one is dropped too: a talk with one close neighbour
# shows one, not one and two weak ones.
RELATIVE_CUT = 0.5
# Same-studio work is ranked after other studios' unless its score is this many times higher.
SAME_STUDIO_FACTOR = 2.0
# /wgml find: the matched words must carry at least this share of the topic's weight.
FIND_COVERAGE = 0.5


def focus_token(focus_area: str) -> str:
    return f"focus:{focus_area}" if focus_area else ""


@dataclass(frozen=True)
class Doc:
    """One submission as the engine sees it: public text and who it belongs to."""

    id: int
    title: str
    abstract: str = ""
    results: str = ""
    focus_area: str = ""
    studio: str = ""
    owner: str = ""  # the speaker: their own other talks count as same-studio


@dataclass(frozen=True)
class Match:
    doc: Doc
    score: float  # share of the target's self-score (about 0..1)
    same_studio: bool
    shared: tuple[str, ...] = ()  # the strongest shared tokens: why it matched


@lru_cache(maxsize=16384)
def _doc_tokens(title: str, abstract: str, results: str, focus_area: str) -> tuple[str, ...]:
    title_tokens = tokenize(title)
    tokens = title_tokens * TITLE_WEIGHT + tokenize(abstract) + tokenize(results)
    if focus_area:
        tokens.extend([focus_token(focus_area)] * FOCUS_WEIGHT)
    return tuple(tokens)


def studio_key(studio: str) -> str:
    """"Double Negative Ltd." and "double negative" are one studio; blank is unknown."""
    words = re.findall(r"[a-z0-9]+", studio.lower())
    return " ".join(w for w in words if w not in ("ltd", "inc", "llc", "gmbh", "the", "studio",
                                                  "studios"))


def _same_studio(a: Doc, b: Doc) -> bool:
    if a.owner and a.owner == b.owner:
        return True
    key = studio_key(a.studio)
    return bool(key) and key == studio_key(b.studio)


@lru_cache(maxsize=16384)
def _doc_tf(title: str, abstract: str, results: str, focus_area: str) -> tuple[Counter[str], int]:
    """Term frequencies and length of one document (memoised; never mutated)."""
    tokens = _doc_tokens(title, abstract, results, focus_area)
    return Counter(tokens), len(tokens)


class Index:
    """BM25 over a corpus, built once per call: term frequencies, lengths, document counts.

    Document frequencies are counted only for the words a query asks about (`prepare`), in
    one pass of set intersections: that is what keeps a call over thousands of submissions
    fast without a persistent index.
    """

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.docs = list(docs)
        pairs = [_doc_tf(d.title, d.abstract, d.results, d.focus_area) for d in self.docs]
        self.tfs = [tf for tf, _ in pairs]
        self.lengths = [length for _, length in pairs]
        n = len(self.docs)
        self.avgdl = (sum(self.lengths) / n) if n else 0.0
        self.n = n
        self._df: dict[str, int] = {}

    def prepare(self, terms: Iterable[str]) -> None:
        missing = set(terms) - self._df.keys()
        if not missing:
            return
        counts = dict.fromkeys(missing, 0)
        for tf in self.tfs:
            for term in missing.intersection(tf):
                counts[term] += 1
        self._df.update(counts)

    def df(self, term: str) -> int:
        if term not in self._df:
            self.prepare((term,))
        return self._df[term]

    def idf(self, term: str) -> float:
        # Lucene's non-negative form: a word in every document still weighs a little.
        df = self.df(term)
        idf = math.log(1.0 + (self.n + PRIOR_DOCS - df + 0.5) / (df + 0.5))
        return idf * GENERIC_WEIGHT if term in GENERIC else idf

    def query_weights(self, tokens: Iterable[str]) -> dict[str, float]:
        counts = Counter(tokens)
        self.prepare(counts)
        return {
            term: self.idf(term) * (K3 + 1) * qtf / (K3 + qtf)
            for term, qtf in counts.items()
        }

    def score(self, i: int, weights: dict[str, float]) -> float:
        tf, length = self.tfs[i], self.lengths[i]
        norm = K1 * (1 - B + B * length / self.avgdl) if self.avgdl else K1
        total = 0.0
        for term in weights.keys() & tf.keys():
            f = tf[term]
            total += weights[term] * f * (K1 + 1) / (f + norm)
        return total

    def shared_terms(self, i: int, weights: dict[str, float], limit: int = 4) -> tuple[str, ...]:
        tf = self.tfs[i]
        terms = sorted((t for t in weights if t in tf and not t.startswith("focus:")),
                       key=lambda t: (-weights[t], t))
        return tuple(terms[:limit])


def similar_to(target: Doc, corpus: Sequence[Doc], k: int = 3, *,
               threshold: float = THRESHOLD, relative_cut: float = RELATIVE_CUT) -> list[Match]:
    """The k submissions closest to `target`, other studios first, never the target itself.

    A same-studio match (or the same speaker's) is ranked as if its score were
    SAME_STUDIO_FACTOR times lower, so it comes after other studios' unless much stronger.
    Matches below `threshold` of the target's self-score, or below `relative_cut` of the best
    match's score, are left out: no suggestion beats a wrong one.
    """
    if k <= 0:
        return []
    others = [d for d in corpus if d.id != target.id]
    index = Index([target, *others])
    weights = index.query_weights(index.tfs[0].elements())
    self_score = index.score(0, weights)
    if self_score <= 0:
        return []
    ranked: list[tuple[float, float, int, int, bool]] = []
    for i in range(1, index.n):
        raw = index.score(i, weights)
        share = raw / self_score
        if share < threshold:
            continue
        doc = index.docs[i]
        same = _same_studio(target, doc)
        key = share / SAME_STUDIO_FACTOR if same else share
        ranked.append((key, share, -doc.id, i, same))
    ranked.sort(reverse=True)
    best = max((r[1] for r in ranked), default=0.0)
    return [
        Match(index.docs[i], round(share, 4), same, index.shared_terms(i, weights))
        for _, share, _, i, same in ranked[:k]
        if share >= relative_cut * best
    ]


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float
    coverage: float  # share of the topic's weight found in the document


def search(topic: str, corpus: Sequence[Doc], k: int = 10, *,
           min_coverage: float = FIND_COVERAGE) -> list[Hit]:
    """Submissions about `topic` (a few words), best first; only those that cover enough of
    the topic's informative words, so "gpu scheduling" does not list every GPU talk.

    Words no submission uses are left out of the reckoning ("RAG pipeline docs" still finds
    the RAG talk that never says "docs"); a topic of only such words finds nothing.
    """
    terms = list(dict.fromkeys(tokenize(topic)))
    if not terms or not corpus or k <= 0:
        return []
    index = Index(corpus)
    index.prepare(terms)
    weights = {t: index.idf(t) for t in terms if index.df(t)}
    total_weight = sum(weights.values())
    hits: list[Hit] = []
    for i in range(index.n):
        tf = index.tfs[i]
        found = sum(w for t, w in weights.items() if t in tf)
        coverage = found / total_weight if total_weight else 0.0
        if coverage < min_coverage or found <= 0:
            continue
        hits.append(Hit(index.docs[i], round(index.score(i, weights), 4), round(coverage, 4)))
    hits.sort(key=lambda h: (h.coverage, h.score, -h.doc.id), reverse=True)
    return hits[:k]
