"""Tests for B36. Two Teams: isolated students, an odd cycle away from student 1, many components, long paths."""
from __future__ import annotations

import random


def _fmt(n: int, edges: list[tuple[int, int]]) -> str:
    return f"{n} {len(edges)}\n" + "".join(f"{a} {b}\n" for a, b in edges)


def _bipartite(rng: random.Random, n: int, m: int) -> str:
    side = [rng.randint(0, 1) for _ in range(n + 1)]
    edges = []
    while len(edges) < m:
        a, b = rng.randint(1, n), rng.randint(1, n)
        if side[a] != side[b]:
            edges.append((a, b))
    return _fmt(n, edges)


def public() -> list[str]:
    return ["4 2\n1 2\n2 3\n", "3 3\n1 2\n2 3\n3 1\n"]


def private(rng: random.Random) -> list[str]:
    path = list(range(1, 10**4 + 1))
    rng.shuffle(path)
    return [
        "1 0\n",
        "2 1\n1 2\n",
        "2 2\n1 2\n2 1\n",
        "40 0\n",
        "6 4\n1 2\n4 5\n5 6\n6 4\n",
        "5 5\n1 2\n2 3\n3 4\n4 1\n5 1\n",
        _bipartite(rng, 30, 20),
        _bipartite(rng, 1000, 600),
        _bipartite(rng, 10**4, 3000),
        _bipartite(rng, 5000, 8000),
        _fmt(10**4, [(path[i], path[i + 1]) for i in range(10**4 - 1)]),
        _fmt(10**4, [(path[i], path[i + 1]) for i in range(10**4 - 1)] + [(path[0], path[-2])]),
    ]
