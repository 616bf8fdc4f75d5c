"""The grouping behind the pain-point themes (bot/people/theme_groups.py): the nearest-neighbour
chain makes the merges that always merging the most alike pair of clusters makes (average
linkage is reducible), checked against that greedy rule written plainly, on random sparse
vectors and on a graph whose clusters grow large."""

from __future__ import annotations

import math
import random

import pytest

from bot.people.theme_groups import average_link, similarity_graph


def greedy(vectors: list[dict[str, float]], threshold: float) -> list[list[int]]:
    """The definition: merge the two clusters with the highest average similarity over the
    same sparse graph (a pair that is no edge counts 0) while it is at least `threshold`."""
    graph = similarity_graph(vectors)
    clusters = [[i] for i in range(len(vectors))]
    while True:
        best, pair = threshold, None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                total = sum(graph[i].get(j, 0.0) for i in clusters[a] for j in clusters[b])
                average = total / (len(clusters[a]) * len(clusters[b]))
                if average >= best and (pair is None or average > best):
                    best, pair = average, (a, b)
        if pair is None:
            return sorted((sorted(c) for c in clusters), key=lambda c: c[0])
        a, b = pair
        clusters[a] += clusters.pop(b)


def unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()}


def random_vectors(rng: random.Random, n: int, words: int, topics: int) -> list[dict[str, float]]:
    out = []
    for _ in range(n):
        topic = rng.randrange(topics)
        own = {f"t{topic}w{rng.randrange(6)}": rng.random() + 0.5 for _ in range(3)}
        own |= {f"w{rng.randrange(words)}": rng.random() for _ in range(rng.randint(1, 5))}
        out.append(unit(own))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_the_chain_merges_as_the_greedy_definition(seed: int) -> None:
    rng = random.Random(seed)
    vectors = random_vectors(rng, rng.randint(5, 60), words=40, topics=rng.randint(2, 8))
    for threshold in (0.05, 0.15, 0.3):
        assert average_link(vectors, threshold) == greedy(vectors, threshold)


def test_large_groups_and_lone_talks() -> None:
    # Two tight topics of 40 talks each, and talks sharing nothing with anyone.
    rng = random.Random(7)
    vectors = [unit({"a": 1.0, f"x{rng.randrange(5)}": rng.random()}) for _ in range(40)]
    vectors += [unit({"b": 1.0, f"y{rng.randrange(5)}": rng.random()}) for _ in range(40)]
    vectors += [{f"alone{i}": 1.0} for i in range(5)]
    groups = average_link(vectors, 0.2)
    assert groups == greedy(vectors, 0.2)
    assert sorted(len(g) for g in groups) == [1, 1, 1, 1, 1, 40, 40]
    assert average_link([], 0.1) == [] and average_link([{"a": 1.0}], 0.1) == [[0]]
