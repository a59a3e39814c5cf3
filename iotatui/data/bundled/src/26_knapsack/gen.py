"""Tests for B26. Backpack Before the Hike: exact-capacity items, items heavier than W, huge values (64-bit sums)."""
from __future__ import annotations

import random


def _fmt(W: int, items: list[tuple[int, int]]) -> str:
    return f"{len(items)} {W}\n" + "".join(f"{w} {v}\n" for w, v in items)


def _random(rng: random.Random, n: int, W: int, wmax: int, vmax: int) -> str:
    return _fmt(W, [(rng.randint(1, wmax), rng.randint(1, vmax)) for _ in range(n)])


def public() -> list[str]:
    return ["3 8\n3 30\n4 50\n5 60\n", "4 10\n5 10\n4 40\n6 30\n3 50\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 5\n5 10\n",
        "1 4\n5 10\n",
        "2 1\n1 7\n1 9\n",
        "3 6\n2 3\n2 3\n2 3\n",
        "3 10\n6 100\n5 60\n5 60\n",
        "4 7\n1 1\n3 4\n4 5\n5 7\n",
        _fmt(10**4, [(100, 10**9)] * 100),
        _random(rng, 10, 50, 20, 100),
        _random(rng, 20, 1000, 300, 10**6),
        _random(rng, 60, 5000, 10**4, 10**9),
        _random(rng, 100, 10**4, 500, 10**9),
        _random(rng, 100, 10**4, 10**4, 10**9),
    ]
