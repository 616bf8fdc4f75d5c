"""Grouping talks by their pain vectors (bot/people/themes.py): the sparse similarity graph
through an inverted index, and average-link clustering over it. Pure, no I/O."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence

# The sparse graph the grouping runs over (similarity_graph): each talk's closest talks, and
# how many talks a word lists in the inverted index. On the evaluation set (81 talks) nothing
# is cut, so the groups are those of comparing every pair (bench/themes.py checks it); at
# 10,000 talks the grouping stays about linear (bench/themes_scale.py).
NEIGHBOURS = 15
POSTINGS = 20


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def similarity_graph(vectors: Sequence[dict[str, float]], neighbours: int = NEIGHBOURS,
                     postings: int = POSTINGS) -> list[dict[int, float]]:
    """Each talk's most similar talks (index -> cosine), symmetric, found through an
    inverted index instead of comparing every pair.

    Each word lists the `postings` talks where it weighs most; a talk adds up, over its words,
    its weight times theirs for the talks listed. Two talks sharing only words common to more
    than `postings` talks may be missed or under-scored, and those are the pairs with the
    least weight (a common word has a low idf): on a few hundred talks nothing is cut and the
    similarities are exact. A talk keeps its `neighbours` best; a pair kept by either talk
    is an edge. Time and memory grow with the talks (times a bounded number of words and
    postings), not with their square.
    """
    index: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            index[term].append((weight, i))
    for term, listed in index.items():
        if len(listed) > postings:
            index[term] = heapq.nlargest(postings, listed)
    graph: list[dict[int, float]] = [{} for _ in vectors]
    for i, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for other_weight, j in index[term]:
                scores[j] += weight * other_weight
        scores.pop(i, None)
        best = (heapq.nlargest(neighbours, scores.items(), key=lambda kv: kv[1])
                if len(scores) > neighbours else scores.items())
        row = graph[i]
        for j, s in best:
            # Either side may have been cut differently: the larger is the closer to exact.
            if s > 0 and s > row.get(j, 0.0):
                row[j] = graph[j][i] = s
    return graph


def average_link(vectors: Sequence[dict[str, float]], threshold: float,
                 neighbours: int = NEIGHBOURS) -> list[list[int]]:
    """Average-link agglomerative clustering on cosine similarity, stopping when no two
    clusters are at least `threshold` alike on average. Groups of indexes, singletons too.

    Over the sparse graph of similarity_graph: a pair that is not an edge counts as 0 in the
    averages (it is one of the least similar pairs). The nearest-neighbour chain (Murtagh
    1983; Müllner, "Modern hierarchical, agglomerative clustering algorithms", 2011, §3):
    follow each cluster's most similar cluster until two are each other's, and merge them.
    Average linkage is reducible (a merged cluster is never more alike to a third than the
    closer of its halves was), so this makes the same merges as always merging the most
    alike pair, and a cluster whose best is below `threshold` never merges again. Every
    cluster enters the chain a bounded number of times and each visit reads its row once:
    no heap of stale averages, about O(n k) for k neighbours, memory O(n k).
    """
    graph = similarity_graph(vectors, neighbours)
    # A cluster keeps the id of the one of its two halves with more edges, and only the
    # other half's edges are folded in: each edge moves O(log n) times in all.
    members: dict[int, list[int]] = {i: [i] for i in range(len(vectors))}
    # Sums of pairwise similarities between clusters (the average is sum / (|a| |b|)).
    sums: dict[int, dict[int, float]] = dict(enumerate(graph))
    finished: set[int] = set()  # best average below the threshold: never merges again

    def nearest(c: int, prefer: int) -> int | None:
        """c's most alike cluster at or above the threshold (ties: `prefer`, the one before
        it in the chain, then the lowest id), or None."""
        size = len(members[c])
        best, best_avg = None, threshold
        for other, total in sums[c].items():
            average = total / (size * len(members[other]))
            if average > best_avg or (average == best_avg and (
                    best is None or other == prefer or (best != prefer and other < best))):
                best, best_avg = other, average
        return best

    # Clusters to start a chain from: every talk, then each cluster a merge made (the rest
    # of the chain stays valid after a merge; the new cluster is visited again later).
    starts = list(range(len(vectors) - 1, -1, -1))
    while starts:
        start = starts.pop()
        if start not in members or start in finished:
            continue
        chain = [start]
        while chain:
            c = chain[-1]
            before = chain[-2] if len(chain) > 1 else -1
            best = nearest(c, before)
            if best is None:
                finished.add(c)
                chain.pop()
                continue
            if best != before:
                chain.append(best)
                continue
            chain.pop()
            chain.pop()
            big, small = (c, best) if len(sums[c]) >= len(sums[best]) else (best, c)
            members[big].extend(members.pop(small))
            row, row_small = sums[big], sums.pop(small)
            del row[small]
            for other, value in row_small.items():
                if other == big:
                    continue
                other_row = sums[other]
                del other_row[small]
                row[other] = other_row[big] = row.get(other, 0.0) + value
            starts.append(big)
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
