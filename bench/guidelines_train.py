"""Trains the guidelines model (bot/guidelines/model/): one logistic regression a rule over
the features of bot/guidelines/model/features.py, on the labelled sets bench/guidelines.py
reads (bench/data/guidelines/README.md says how they were built), and writes its weights to
bot/guidelines/model/weights.json. Deterministic: the same sets give the same file.

    .venv/bin/pip install scikit-learn   # training only; the package never imports it
    python -m bench.guidelines_train [--dry-run]

It prints grouped 5-fold cross-validation figures (a talk's folds are chosen by its
`source`, so translations of one page never sit on both sides) for the word lists alone
and for word lists OR model, and picks each rule's threshold on the out-of-fold
probabilities: the most bad talks given their rule while the good talks flagged stay within
GOOD_BUDGET. The word lists were tuned on most of these talks, so their figures here are
flattering; the model's are out of fold.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_selection import chi2
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from bench.guidelines import GOOD, SETS
from bot.guidelines import RULES
from bot.guidelines.engine import concerns as word_lists
from bot.guidelines.model.features import read

OUT = Path(__file__).resolve().parent.parent / "bot" / "guidelines" / "model" / "weights.json"
SEED = 0
FOLDS = 5
MIN_DF = 2  # a feature seen in one talk only is that talk, not a cue
KEEP = 5_000  # features kept a rule (chi-squared), of the tens of thousands seen
C = 16.0  # inverse regularisation; features are L2-normalised a talk
GOOD_BUDGET = 0.03  # share of good talks flagged (word lists or model) allowed in CV
GRID = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)


@dataclass
class Talk:
    id: str
    label: str
    expect: list[str]
    also: list[str]
    source: str
    features: list[str]
    words: set[str]  # the rules the word lists raise


def load() -> list[Talk]:
    talks = []
    for path in SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["split"] == "held-out":  # a blind set (heldout-2026-12-07d): never trained on
                continue
            feats = sorted(read(row["title"], row["abstract"], row["results"]).features)
            said = word_lists(row["title"], row["abstract"], row["results"])
            talks.append(Talk(row["id"], row["label"], row["expect"], row["also"],
                              row["source"], feats, {c.rule for c in said}))
    return talks


def positive(talk: Talk, rule: str) -> bool:
    """A talk the rule fairly reads as bad: expected, or fair too (`also`)."""
    return rule in talk.expect or rule in talk.also


@dataclass
class RuleModel:
    bias: float
    weights: dict[str, float]

    def probability(self, features: list[str]) -> float:
        norm = 1.0 / math.sqrt(len(features)) if features else 0.0
        z = self.bias + norm * sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def fit(talks: list[Talk], rule: str) -> RuleModel:
    """One rule's model: features in at least MIN_DF talks, the KEEP most telling by
    chi-squared, a balanced logistic regression; weights rounded as they are shipped."""
    df: dict[str, int] = {}
    for t in talks:
        for f in t.features:
            df[f] = df.get(f, 0) + 1
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    x = matrix(talks, {f: i for i, f in enumerate(vocab)})
    y = np.array([positive(t, rule) for t in talks], dtype=int)
    scores, _ = chi2(x, y)
    scores = np.nan_to_num(scores)
    order = sorted(range(len(vocab)), key=lambda i: (-scores[i], vocab[i]))[:KEEP]
    kept = sorted(vocab[i] for i in order)
    x = matrix(talks, {f: i for i, f in enumerate(kept)})
    lr = LogisticRegression(C=C, class_weight="balanced", solver="liblinear",
                            random_state=SEED, max_iter=1000)
    lr.fit(x, y)
    weights = {f: round(float(w), 4) for f, w in zip(kept, lr.coef_[0], strict=True)
               if round(float(w), 4) != 0.0}
    return RuleModel(round(float(lr.intercept_[0]), 4), weights)


def matrix(talks: list[Talk], index: dict[str, int]) -> csr_matrix:
    rows, cols, vals = [], [], []
    for r, t in enumerate(talks):
        norm = 1.0 / math.sqrt(len(t.features)) if t.features else 0.0
        for f in t.features:
            if f in index:
                rows.append(r)
                cols.append(index[f])
                vals.append(norm)
    return csr_matrix((vals, (rows, cols)), shape=(len(talks), len(index)))


def average(models: list[RuleModel]) -> RuleModel:
    """One linear model whose logit is the mean of the folds' logits."""
    weights: dict[str, float] = {}
    for m in models:
        for f, w in m.weights.items():
            weights[f] = weights.get(f, 0.0) + w / len(models)
    return RuleModel(round(sum(m.bias for m in models) / len(models), 4),
                     {f: round(w, 4) for f, w in sorted(weights.items()) if round(w, 4)})


def out_of_fold(talks: list[Talk]) -> tuple[dict[str, list[float]], dict[str, RuleModel]]:
    """Each talk's probability a rule, from the models of the folds it was not in; and the
    shipped model a rule, the mean of those folds' models: it sees every talk, and its
    probabilities are on the scale the thresholds were chosen on (a model fitted to all
    talks at once is surer of itself than its folds were)."""
    folded: dict[str, list[RuleModel]] = {rule: [] for rule in RULES}
    probs = {rule: [0.0] * len(talks) for rule in RULES}
    strata = [t.label for t in talks]
    groups = [t.source for t in talks]
    folds = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(np.zeros(len(talks)), strata, groups):
        part = [talks[i] for i in train]
        for rule in RULES:
            model = fit(part, rule)
            folded[rule].append(model)
            for i in test:
                probs[rule][i] = model.probability(talks[i].features)
    return probs, {rule: average(folded[rule]) for rule in RULES}


@dataclass
class Figures:
    good: int
    good_flagged: int
    bad: int
    bad_right: int
    per_rule: dict[str, tuple[float, float]]

    def line(self, name: str) -> str:
        rules = " ".join(f"{r}={p:.2f}/{rc:.2f}" for r, (p, rc) in self.per_rule.items())
        return (f"  {name:>13}: good flagged {self.good_flagged / self.good:6.1%} "
                f"({self.good_flagged}/{self.good})  bad right "
                f"{self.bad_right / self.bad:6.1%} ({self.bad_right}/{self.bad})  {rules}")


def figures(talks: list[Talk], raised: list[set[str]]) -> Figures:
    good = [i for i, t in enumerate(talks) if t.label in GOOD]
    bad = [i for i, t in enumerate(talks) if t.label not in GOOD]
    per_rule = {}
    for rule in RULES:
        flagged = [i for i in range(len(talks)) if rule in raised[i]]
        fair = sum(positive(talks[i], rule) for i in flagged)
        expected = [i for i, t in enumerate(talks) if rule in t.expect]
        found = sum(rule in raised[i] for i in expected)
        per_rule[rule] = (fair / len(flagged) if flagged else 1.0,
                          found / len(expected) if expected else 1.0)
    return Figures(len(good), sum(bool(raised[i]) for i in good), len(bad),
                   sum(all(r in raised[i] for r in talks[i].expect) for i in bad), per_rule)


def combined(talks: list[Talk], probs: dict[str, list[float]],
             thresholds: dict[str, float]) -> list[set[str]]:
    return [t.words | {r for r in RULES if probs[r][i] >= thresholds[r]}
            for i, t in enumerate(talks)]


def choose(talks: list[Talk], probs: dict[str, list[float]],
           indices: list[int]) -> dict[str, float]:
    """The thresholds (a grid, every combination) giving the most bad talks their rule
    while the good talks flagged stay within GOOD_BUDGET; ties go to higher thresholds."""
    good = np.array([talks[i].label in GOOD for i in indices])
    words = {r: np.array([r in talks[i].words for i in indices]) for r in RULES}
    above = {r: {g: np.array([probs[r][i] >= g for i in indices]) for g in GRID}
             for r in RULES}
    need = {r: np.array([r in talks[i].expect for i in indices]) for r in RULES}
    budget = math.floor(GOOD_BUDGET * good.sum())
    best: tuple[int, float] = (-1, 0.0)
    chosen = dict.fromkeys(RULES, GRID[-1])
    for combo in itertools.product(GRID, repeat=len(RULES)):
        raised = {r: words[r] | above[r][g] for r, g in zip(RULES, combo, strict=True)}
        anything = np.logical_or.reduce([raised[r] for r in RULES])
        if (anything & good).sum() > budget:
            continue
        right = np.logical_and.reduce([raised[r] | ~need[r] for r in RULES]) & ~good
        score = (int(right.sum()), sum(combo))
        if score > best:
            best, chosen = score, dict(zip(RULES, combo, strict=True))
    return chosen


def nested(talks: list[Talk], probs: dict[str, list[float]]) -> list[set[str]]:
    """An honest figure for the thresholds too: each fold's talks judged with thresholds
    chosen on the other folds' out-of-fold probabilities."""
    raised: list[set[str]] = [set() for _ in talks]
    folds = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED + 1)
    for train, test in folds.split(np.zeros(len(talks)), [t.label for t in talks],
                                   [t.source for t in talks]):
        th = choose(talks, probs, list(train))
        for i in test:
            raised[i] = talks[i].words | {r for r in RULES if probs[r][i] >= th[r]}
    return raised


def write(models: dict[str, RuleModel], thresholds: dict[str, float],
          talks: list[Talk]) -> str:
    data = {
        "about": "The guidelines model: one logistic regression a rule over the features of "
                 "bot/guidelines/model/features.py; rebuilt by `python -m "
                 "bench.guidelines_train` (scikit-learn, seed 0).",
        "sources": [f"bench/data/guidelines/{p.name}" for p in SETS],
        "talks": len(talks),
        "licence": "Weights are statistics derived from short condensations of public web "
                   "pages (each talk's `source` in the sets above); no text of the pages "
                   "is stored here beyond word fragments. Distributed with the project "
                   "(Apache-2.0).",
        "scoring": "p = sigmoid(bias + sum(weights[f] for f in features) / "
                   "sqrt(len(features))); a concern when p >= threshold",
        "rules": {rule: {"bias": models[rule].bias, "threshold": thresholds[rule],
                         "weights": dict(sorted(models[rule].weights.items()))}
                  for rule in RULES},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main(dry_run: bool = False) -> int:
    talks = load()
    print(f"guidelines model: {len(talks)} labelled talks, grouped {FOLDS}-fold CV "
          f"(groups: source), good budget {GOOD_BUDGET:.0%}")
    probs, models = out_of_fold(talks)
    thresholds = choose(talks, probs, list(range(len(talks))))
    print(f" thresholds: {thresholds}")
    print(figures(talks, [t.words for t in talks]).line("words only"))
    model_only = [{r for r in RULES if probs[r][i] >= thresholds[r]} for i in range(len(talks))]
    print(figures(talks, model_only).line("model only"))
    print(figures(talks, combined(talks, probs, thresholds)).line("words+model"))
    print(figures(talks, nested(talks, probs)).line("nested"))
    text = write(models, thresholds, talks)
    print(f" weights: {sum(len(m.weights) for m in models.values())} features, "
          f"{len(text.encode()) / 1024:.0f} KB")
    if not dry_run:
        OUT.write_text(text, encoding="utf-8")
        print(f" written: {OUT}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print figures, write nothing")
    sys.exit(main(parser.parse_args().dry_run))
