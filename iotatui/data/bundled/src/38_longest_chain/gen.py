"""Tests for B38. Longest Chain of Tasks: no edges, shuffled labels, a layered DAG with 2^k paths, a long chain."""
from __future__ import annotations

import random


def _fmt(n: int, edges: list[tuple[int, int]]) -> str:
    return f"{n} {len(edges)}\n" + "".join(f"{a} {b}\n" for a, b in edges)


def _random_dag(rng: random.Random, n: int, m: int) -> str:
    order = list(range(1, n + 1))
    rng.shuffle(order)  # topological order hidden behind random labels
    edges = []
    for _ in range(m):
        i, j = sorted(rng.sample(range(n), 2))
        edges.append((order[i], order[j]))
    return _fmt(n, edges)


def _layers(rng: random.Random, width: int, depth: int) -> str:
    n = width * depth
    label = list(range(1, n + 1))
    rng.shuffle(label)
    edges = [(label[d * width + i], label[(d + 1) * width + j])
             for d in range(depth - 1) for i in range(width) for j in range(width)]
    rng.shuffle(edges)
    return _fmt(n, edges)


def public() -> list[str]:
    return ["5 5\n1 2\n2 3\n1 3\n4 3\n3 5\n", "3 0\n"]


def private(rng: random.Random) -> list[str]:
    chain = list(range(1, 10**4 + 1))
    rng.shuffle(chain)
    return [
        "1 0\n",
        "2 1\n2 1\n",
        "2 3\n1 2\n1 2\n1 2\n",
        "4 4\n4 3\n3 2\n2 1\n4 1\n",
        "6 6\n1 2\n1 3\n3 4\n4 5\n2 6\n5 6\n",
        _random_dag(rng, 20, 30),
        _random_dag(rng, 500, 2000),
        _layers(rng, 3, 40),
        _random_dag(rng, 10**4, 10**4),
        _fmt(10**4, [(chain[i], chain[i + 1]) for i in range(10**4 - 1)]),
        _layers(rng, 4, 900),
    ]
