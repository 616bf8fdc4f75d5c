"""Common pain points: how well bot/people/themes.py groups talks, against hand-made gold
groups, next to a plain baseline. `python -m bench.themes` prints the figures; tests assert
modest floors on them.

The set is tests/data/themes.json: talks written for this, each with a gold group (talks
sharing a pain point) or none. Its "heldout" part is never used for tuning: the engine's and
the baseline's thresholds are chosen on the "tune" part only, and both parts are reported.

Figures, each part clustered on its own:
- pairwise precision, recall and F1: over pairs of talks, "same group" against gold;
- ARI: the adjusted Rand index (Hubert and Arabie), computed here (no scikit-learn).
A talk with no gold group is its own singleton. The baseline is plain TF-IDF (lower-cased
words, stop words out, smoothed idf, L2) on title, abstract and results, with average-link
cosine agglomerative clustering: what one would write without thinking about pain.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.people import themes
from bot.people.similar_text import STOP_WORDS
from bot.people.themes import Talk, average_link

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "themes.json"
Clusterer = Callable[[Sequence[Talk], float], list[list[int]]]
GRID = [round(0.02 * i, 2) for i in range(1, 40)]


def load() -> tuple[dict[str, list[Talk]], dict[int, str]]:
    """Talks by part ("tune", "heldout") and each talk's gold label (singletons unique)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    parts: dict[str, list[Talk]] = {"tune": [], "heldout": []}
    gold: dict[int, str] = {}
    for row in data["talks"]:
        talk = Talk(id=row["id"], title=row["title"], abstract=row["abstract"],
                    results=row["results"], studio=row["studio"], speaker=row["speaker"],
                    focus_area=row["focus_area"])
        parts[row["split"]].append(talk)
        gold[row["id"]] = row["gold"] or f"single:{row['id']}"
    return parts, gold


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    ari: float
    groups: int  # predicted groups of two or more


def _comb2(n: int) -> float:
    return n * (n - 1) / 2


def adjusted_rand(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """ARI of two labellings of the same items (1 is identical, about 0 is chance)."""
    n = len(truth)
    table = Counter(zip(truth, predicted, strict=True))
    index = sum(_comb2(v) for v in table.values())
    a = sum(_comb2(v) for v in Counter(truth).values())
    b = sum(_comb2(v) for v in Counter(predicted).values())
    expected = a * b / _comb2(n) if n > 1 else 0.0
    top = (a + b) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def score(talks: Sequence[Talk], gold: dict[int, str], groups: list[list[int]]) -> Scores:
    label = {i: n for n, group in enumerate(groups) for i in group}
    ids = [t.id for t in talks]
    tp = fp = fn = 0
    for x, i in enumerate(ids):
        for j in ids[x + 1:]:
            same_gold = gold[i] == gold[j]
            same_pred = label[i] == label[j]
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ari = adjusted_rand([gold[i] for i in ids], [str(label[i]) for i in ids])
    return Scores(precision, recall, f1, ari, sum(1 for g in groups if len(g) > 1))


# ---- the baseline ------------------------------------------------------------------------------

_WORD = re.compile(r"\b\w\w+\b")


def tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """scikit-learn's TfidfVectorizer defaults (smooth idf, L2), stop words removed."""
    docs = [Counter(w for w in _WORD.findall(t.lower()) if w not in STOP_WORDS) for t in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    n = len(docs)
    out = []
    for d in docs:
        vec = {w: tf * (math.log((1 + n) / (1 + df[w])) + 1) for w, tf in d.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


def baseline(talks: Sequence[Talk], threshold: float) -> list[list[int]]:
    vectors = tfidf_vectors([f"{t.title} {t.abstract} {t.results}" for t in talks])
    return [[talks[i].id for i in g] for g in average_link(vectors, threshold)]


def engine(talks: Sequence[Talk], threshold: float) -> list[list[int]]:
    return themes.cluster_ids(talks, threshold)


def tune(clusterer: Clusterer, talks: Sequence[Talk], gold: dict[int, str]) -> float:
    """The threshold with the best pairwise F1 on the tuning talks (ties: the lower)."""
    return max(GRID, key=lambda th: (round(score(talks, gold, clusterer(talks, th)).f1, 6),
                                     -th))


def evaluate() -> dict[str, dict[str, Scores]]:
    parts, gold = load()
    out: dict[str, dict[str, Scores]] = {}
    for name, clusterer, threshold in (
        ("engine", engine, themes.THRESHOLD),
        ("baseline", baseline, tune(baseline, parts["tune"], gold)),
    ):
        out[name] = {part: score(talks, gold, clusterer(talks, threshold))
                     for part, talks in parts.items()}
        out[name]["threshold"] = Scores(threshold, 0, 0, 0, 0)
    return out


def report() -> int:
    parts, gold = load()
    golds = {p: len({gold[t.id] for t in ts if not gold[t.id].startswith("single:")})
             for p, ts in parts.items()}
    print(f"themes: {sum(len(t) for t in parts.values())} talks; tuning part "
          f"{len(parts['tune'])} talks in {golds['tune']} gold groups, held-out part "
          f"{len(parts['heldout'])} talks in {golds['heldout']} gold groups")
    results = evaluate()
    for name, by_part in results.items():
        print(f"{name:>9} (threshold {by_part['threshold'].precision:.2f}, "
              f"{'fixed in bot/people/themes.py' if name == 'engine' else 'tuned on tune'}):")
        for part in ("tune", "heldout"):
            s = by_part[part]
            print(f"    {part:>8}: pairwise P={s.precision:.3f} R={s.recall:.3f} "
                  f"F1={s.f1:.3f}  ARI={s.ari:.3f}  groups={s.groups}")
    for part in ("tune", "heldout"):
        e, b = results["engine"][part], results["baseline"][part]
        print(f"  {part}: engine F1 {e.f1:.3f} vs baseline {b.f1:.3f}; "
              f"ARI {e.ari:.3f} vs {b.ari:.3f}")
    return 0


async def main() -> int:
    """Async only to fit `make bench`'s runner."""
    return report()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
