"""Tests for B25. Cheapest Delivery Route: heavy chains (64-bit sums), unreachable targets, random sparse graphs."""
from __future__ import annotations

import random


def _fmt(n: int, edges: list[tuple[int, int, int]]) -> str:
    return f"{n} {len(edges)}\n" + "".join(f"{a} {b} {w}\n" for a, b, w in edges)


def _random(rng: random.Random, n: int, m: int, wmax: int, connected: bool = True) -> str:
    edges = []
    if connected:
        order = list(range(2, n + 1))
        rng.shuffle(order)
        seen = [1]
        for v in order:
            edges.append((rng.choice(seen), v, rng.randint(1, wmax)))
            seen.append(v)
    while len(edges) < m:
        edges.append((rng.randint(1, n), rng.randint(1, n), rng.randint(1, wmax)))
    rng.shuffle(edges)
    return _fmt(n, [(a, b, w) if rng.random() < 0.5 else (b, a, w) for a, b, w in edges])


def _heavy_chain(rng: random.Random, n: int, extra: int) -> str:
    # A path of roads listed from the far end (Bellman-Ford needs n rounds), plus shortcuts that never help.
    edges = [(i, i + 1, rng.randint(1, 10**5)) for i in range(n - 1, 0, -1)]
    for _ in range(extra):
        a = rng.randint(1, n - 2)
        b = rng.randint(a + 2, n)
        edges.append((a, b, 10**9))
    return _fmt(n, edges)


def public() -> list[str]:
    return [
        "5 6\n1 2 2\n2 5 5\n2 3 4\n1 4 1\n4 3 3\n3 5 1\n",
        "3 1\n1 2 7\n",
    ]


def private(rng: random.Random) -> list[str]:
    return [
        "1 0\n",
        "1 2\n1 1 5\n1 1 3\n",
        "2 0\n",
        "2 3\n1 2 10\n2 1 4\n1 2 7\n",
        "4 3\n4 3 1\n3 2 1\n2 1 1\n",
        "4 2\n1 2 1000000000\n3 4 1000000000\n",
        "6 5\n1 2 1000000000\n2 3 1000000000\n3 4 1000000000\n4 5 1000000000\n5 6 1000000000\n",
        _random(rng, 8, 12, 20),
        _random(rng, 100, 300, 10**9),
        _random(rng, 500, 700, 1000, connected=False),
        _random(rng, 2000, 3000, 10**9),
        _heavy_chain(rng, 10**4, 1),
    ]
