"""Tests for B44. Repairing the Roads: n = 1, self-loops, parallel roads, disconnected, 64-bit totals, n = 10^4."""
from __future__ import annotations

import random


def _fmt(n: int, edges: list[tuple[int, int, int]]) -> str:
    return f"{n} {len(edges)}\n" + "".join(f"{a} {b} {w}\n" for a, b, w in edges)


def _random(rng: random.Random, n: int, m: int, wmax: int, connected: bool = True) -> str:
    edges = []
    if connected:
        perm = list(range(1, n + 1))
        rng.shuffle(perm)
        for i in range(1, n):
            edges.append((perm[i], perm[rng.randrange(i)], rng.randint(1, wmax)))
    while len(edges) < m:
        edges.append((rng.randint(1, n), rng.randint(1, n), rng.randint(1, wmax)))
    rng.shuffle(edges)
    return _fmt(n, edges)


def public() -> list[str]:
    return ["4 5\n1 2 3\n2 3 1\n3 4 4\n1 3 2\n2 4 5\n", "3 1\n1 2 5\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 0\n",
        "1 2\n1 1 5\n1 1 7\n",
        "2 0\n",
        "2 3\n1 2 9\n2 1 4\n1 1 1\n",
        "4 4\n1 2 1\n2 1 1\n3 4 1\n4 3 1\n",
        "3 3\n1 2 1000000000\n2 3 1000000000\n1 3 1000000000\n",
        _random(rng, 10, 20, 10),
        _random(rng, 300, 1000, 10**6),
        _random(rng, 2000, 2500, 10**9, connected=False),
        _random(rng, 5000, 7000, 10**9),
        _fmt(10**4, [(i, i + 1, rng.randint(9 * 10**8, 10**9)) for i in range(1, 10**4)]),
    ]
