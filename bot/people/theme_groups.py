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
    averages (it is one of the least similar pairs). A heap of candidate merges with lazy
    invalidation and re-evaluation; each merge touches the smaller cluster's edges only, so
    the whole is about O(n k log² n) for k neighbours, with memory O(n k).
    """
    graph = similarity_graph(vectors, neighbours)
    # A cluster keeps the id of the one of its two halves with more edges, and only the
    # other half's edges are folded in: each edge moves O(log n) times in all.
    members: dict[int, list[int]] = {i: [i] for i in range(len(vectors))}
    # Sums of pairwise similarities between clusters (the average is sum / (|a| |b|)).
    sums: dict[int, dict[int, float]] = dict(enumerate(graph))
    heap = [(-s, i, j) for i, row in enumerate(graph) for j, s in row.items()
            if i < j and s >= threshold]
    heapq.heapify(heap)
    while heap:
        key, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # one of them was folded into another: a stale entry
        average = sums[a][b] / (len(members[a]) * len(members[b]))
        if average != -key:
            # A cluster grew since this was pushed, and its average with it fell (pairs
            # whose average may rise are pushed again when they change): its place now.
            if average >= threshold:
                heapq.heappush(heap, (-average, a, b))
            continue
        big, small = (a, b) if len(sums[a]) >= len(sums[b]) else (b, a)
        members[big].extend(members.pop(small))
        row, row_small = sums[big], sums.pop(small)
        del row[small]
        size = len(members[big])
        for other, value in row_small.items():
            if other == big:
                continue
            other_row = sums[other]
            del other_row[small]
            total = row.get(other, 0.0) + value
            row[other] = other_row[big] = total
            average = total / (size * len(members[other]))
            if average >= threshold:
                heapq.heappush(heap, (-average, min(big, other), max(big, other)))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
