"""The themes engine's clustering as it was before issue 29, kept here only as the baseline
that bench/themes.py (quality) and bench/themes_scale.py (time and memory) compare the sparse
clustering of bot/people/themes.py with, in the same run. Not used by the bot.

It compares every pair of talks in Python and keeps every positive pair in a dict of dicts:
O(n^2) time and memory (327 s and 4.8 GB resident at 10,000 talks on main).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from bot.people.themes import THRESHOLD, Talk, _vectors, cosine


def cluster_ids(talks: Sequence[Talk], threshold: float = THRESHOLD) -> list[list[int]]:
    """bot/people/themes.py:cluster_ids with the all-pairs clustering."""
    docs = _vectors(talks)
    groups = [[docs[i].talk.id for i in g] for g in average_link([d.vector for d in docs],
                                                                    threshold)]
    grouped = {i for g in groups for i in g}
    groups.extend([t.id] for t in talks if t.id not in grouped)
    return groups


def average_link(vectors: Sequence[dict[str, float]], threshold: float) -> list[list[int]]:
    """Average-link agglomerative clustering on cosine similarity, stopping when no two
    clusters are at least `threshold` alike on average. Groups of indexes, singletons too.

    A heap of candidate merges with lazy invalidation: O(n² log n), fine for the thousands
    of talks a working group gathers in years.
    """
    n = len(vectors)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    # Sums of pairwise similarities between clusters (the average is sum / (|a| |b|)).
    sums: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    heap: list[tuple[float, int, int]] = []
    for i in range(n):
        for j in range(i + 1, n):
            s = cosine(vectors[i], vectors[j])
            if s > 0:
                sums[i][j] = sums[j][i] = s
                if s >= threshold:
                    heap.append((-s, i, j))
    heapq.heapify(heap)
    next_id = n
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # one of them was merged already: a stale entry
        merged = members.pop(a) + members.pop(b)
        row_a, row_b = sums.pop(a), sums.pop(b)
        row: dict[int, float] = {}
        for other in (row_a.keys() | row_b.keys()) - {a, b}:
            total = row_a.get(other, 0.0) + row_b.get(other, 0.0)
            row[other] = total
            sums[other].pop(a, None)
            sums[other].pop(b, None)
            sums[other][next_id] = total
            average = total / (len(merged) * len(members[other]))
            if average >= threshold:
                heapq.heappush(heap, (-average, other, next_id))
        sums[next_id] = row
        members[next_id] = merged
        next_id += 1
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
