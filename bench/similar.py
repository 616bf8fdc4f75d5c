"""Similar work: quality on the hand-labelled evaluation set, and speed at a few thousand
submissions. `python -m bench.similar` prints the figures; tests assert quality only.

Quality: for each of the abstracts in tests/data/abstracts.json, the engine suggests up to 3
others; tests/data/similar_pairs.json says which are truly close. Figures:
- precision@3: of the suggestions shown (up to 3), the share that are true neighbours;
- strict precision@3: true neighbours in the top 3 divided by 3 (a talk with one true
  neighbour can score at most 1/3; this is the textbook figure);
- recall@3: share of each talk's true neighbours found in its top 3;
- MRR: mean reciprocal rank of the first true neighbour;
- hit@1: the first suggestion is a true neighbour.
The baseline, measured in the same run, is plain BM25 on whitespace words (no stop words,
stemming, aliases or title weight), to show what the domain tokeniser is worth.

Speed: one `similar_to` call builds its index from scratch; the corpus is the evaluation set
repeated with varied studios and ids up to N submissions. Cold is with the tokeniser's memo
emptied (first call after start); warm is what a running bot sees.
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.people import similar, similar_text
from bot.people.similar import Doc, Match, similar_to

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
Engine = Callable[[Doc, Sequence[Doc], int], list[Doc]]


def load() -> tuple[list[Doc], dict[int, set[int]]]:
    """The evaluation set as engine documents (ids a01.. become 1..) and the true pairs."""
    raw = json.loads((DATA / "abstracts.json").read_text(encoding="utf-8"))
    pairs = json.loads((DATA / "similar_pairs.json").read_text(encoding="utf-8"))

    def num(key: str) -> int:
        return int(key.lstrip("a"))

    docs = [
        Doc(id=num(a["id"]), title=a["title"], abstract=a["abstract"], results=a["results"],
            focus_area=a["focus_area"], studio=a["studio"], owner=f"speaker-{a['id']}")
        for a in raw
    ]
    truth = {num(k): {num(v) for v in vs} for k, vs in pairs.items()}
    return docs, truth


@dataclass(frozen=True)
class Quality:
    precision_at_3: float
    strict_precision_at_3: float
    recall_at_3: float
    mrr: float
    hit_at_1: float
    coverage: float  # share of talks that got at least one suggestion
    suggestions: int


def evaluate(docs: Sequence[Doc], truth: dict[int, set[int]], engine: Engine,
             k: int = 3) -> Quality:
    precisions, strict, recalls, reciprocal, hits1 = [], [], [], [], []
    covered = shown = 0
    for doc in docs:
        got = [d.id for d in engine(doc, docs, k)][:k]
        relevant = truth.get(doc.id, set())
        good = [g in relevant for g in got]
        shown += len(got)
        if got:
            covered += 1
            precisions.append(sum(good) / len(got))
        else:
            precisions.append(0.0)  # no suggestion for a talk that has neighbours is a miss
        strict.append(sum(good) / k)
        recalls.append(sum(good) / len(relevant) if relevant else 0.0)
        first = next((i for i, g in enumerate(good) if g), None)
        reciprocal.append(1 / (first + 1) if first is not None else 0.0)
        hits1.append(1.0 if good[:1] == [True] else 0.0)
    n = len(docs)
    return Quality(
        precision_at_3=statistics.fmean(precisions),
        strict_precision_at_3=statistics.fmean(strict),
        recall_at_3=statistics.fmean(recalls),
        mrr=statistics.fmean(reciprocal),
        hit_at_1=statistics.fmean(hits1),
        coverage=covered / n if n else 0.0,
        suggestions=shown,
    )


def engine_bm25(target: Doc, corpus: Sequence[Doc], k: int) -> list[Doc]:
    return [m.doc for m in similar_to(target, corpus, k)]


def engine_baseline(target: Doc, corpus: Sequence[Doc], k: int) -> list[Doc]:
    """Plain BM25: whitespace words, no stop words, stemming, aliases or title weight."""
    def words(d: Doc) -> list[str]:
        return f"{d.title} {d.abstract} {d.results}".lower().split()

    others = [d for d in corpus if d.id != target.id]
    tfs = [Counter(words(d)) for d in others]
    lengths = [sum(t.values()) for t in tfs]
    avgdl = sum(lengths) / len(lengths)
    n = len(others)
    query = Counter(words(target))
    df = {t: sum(1 for tf in tfs if t in tf) for t in query}
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in query}
    scored = []
    for d, tf, length in zip(others, tfs, lengths, strict=True):
        norm = 1.2 * (0.25 + 0.75 * length / avgdl)
        s = sum(idf[t] * tf[t] * 2.2 / (tf[t] + norm) for t in query if t in tf)
        scored.append((s, d))
    scored.sort(key=lambda p: -p[0])
    return [d for _, d in scored[:k]]


def synthetic_corpus(docs: Sequence[Doc], size: int) -> list[Doc]:
    """The evaluation set repeated with varied ids, studios and a distinguishing word, so the
    texts are not all identical (the tokeniser's memo cannot cheat on a cold run)."""
    out: list[Doc] = []
    i = 0
    while len(out) < size:
        d = docs[i % len(docs)]
        copy = i // len(docs)
        out.append(Doc(id=10_000 + i, title=f"{d.title} (take {copy})",
                       abstract=f"{d.abstract} Variant {copy}: shot{copy} show{copy}.",
                       results=d.results, focus_area=d.focus_area,
                       studio=f"{d.studio} {copy % 7}", owner=f"s{i}"))
        i += 1
    return out


def clear_memo() -> None:
    similar._doc_tokens.cache_clear()
    similar._doc_tf.cache_clear()
    similar_text._MEMO.clear()


def timing(corpus: Sequence[Doc], repeats: int = 5) -> tuple[float, float]:
    """Median milliseconds of one similar_to call, cold and warm."""
    cold, warm = [], []
    for r in range(repeats):
        target = corpus[r * 7 % len(corpus)]
        clear_memo()
        t0 = time.perf_counter()
        similar_to(target, corpus, 3)
        cold.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        similar_to(target, corpus, 3)
        warm.append((time.perf_counter() - t0) * 1000)
    return statistics.median(cold), statistics.median(warm)


def threshold_sweep(docs: Sequence[Doc], truth: dict[int, set[int]]) -> list[str]:
    lines = []
    for threshold in (0.0, 0.10, 0.12, 0.15, 0.18, 0.20):
        for cut in (0.0, 0.5):
            def eng(t: Doc, c: Sequence[Doc], k: int, th: float = threshold,
                    cut: float = cut) -> list[Doc]:
                return [m.doc for m in similar_to(t, c, k, threshold=th, relative_cut=cut)]
            q = evaluate(docs, truth, eng)
            lines.append(f"  threshold={threshold:.2f} relative_cut={cut:.1f} "
                         f"precision@3={q.precision_at_3:.3f} recall@3={q.recall_at_3:.3f} "
                         f"mrr={q.mrr:.3f} suggestions={q.suggestions}")
    return lines


def unrelated_scores(docs: Sequence[Doc], truth: dict[int, set[int]]) -> tuple[float, float]:
    """Median relative score of true neighbours and of the best non-neighbour."""
    true_scores, best_false = [], []
    for doc in docs:
        matches: list[Match] = similar_to(doc, docs, len(docs), threshold=0.0,
                                           relative_cut=0.0)
        rel = truth[doc.id]
        true_scores += [m.score for m in matches if m.doc.id in rel]
        false = [m.score for m in matches if m.doc.id not in rel]
        if false:
            best_false.append(max(false))
    return statistics.median(true_scores), statistics.median(best_false)


async def main() -> int:
    """Async only to fit `make bench`'s runner (bench/__main__.py on main: asyncio.run)."""
    return report()


def report() -> int:
    docs, truth = load()
    print(f"similar: evaluation set of {len(docs)} abstracts, "
          f"{sum(len(v) for v in truth.values())} labelled neighbour links")
    ours = evaluate(docs, truth, engine_bm25)
    base = evaluate(docs, truth, engine_baseline)
    for name, q in (("engine", ours), ("baseline", base)):
        print(f"{name:>9}: precision@3={q.precision_at_3:.3f} "
              f"strict_precision@3={q.strict_precision_at_3:.3f} recall@3={q.recall_at_3:.3f} "
              f"mrr={q.mrr:.3f} hit@1={q.hit_at_1:.3f} coverage={q.coverage:.3f} "
              f"suggestions={q.suggestions}")
    print(f"    ratio: precision@3 engine/baseline = "
          f"{ours.precision_at_3 / base.precision_at_3:.2f}x, "
          f"mrr {ours.mrr / base.mrr:.2f}x")
    true_med, false_med = unrelated_scores(docs, truth)
    print(f"   scores: median true neighbour={true_med:.3f}, median best non-neighbour="
          f"{false_med:.3f}, threshold={similar.THRESHOLD}, "
          f"relative_cut={similar.RELATIVE_CUT}")
    print("threshold sweep:")
    print("\n".join(threshold_sweep(docs, truth)))
    for size in (1000, 3000, 5000):
        corpus = synthetic_corpus(docs, size)
        cold, warm = timing(corpus)
        t0 = time.perf_counter()
        engine_baseline(corpus[0], corpus, 3)
        base_ms = (time.perf_counter() - t0) * 1000
        print(f"   speed: similar_to over {size} submissions: cold {cold:.1f} ms, "
              f"warm {warm:.1f} ms (median of 5); plain BM25 baseline {base_ms:.1f} ms, "
              f"cold/baseline {cold / base_ms:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
