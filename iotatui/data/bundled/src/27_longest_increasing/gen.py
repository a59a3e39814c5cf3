"""Tests for B27. Rising Temperatures: duplicates, negatives, n = 1, sorted / reversed, big random."""
from __future__ import annotations

import random


def _fmt(a: list[int]) -> str:
    return f"{len(a)}\n" + " ".join(map(str, a)) + "\n"


def public() -> list[str]:
    return ["8\n3 1 4 1 5 9 2 6\n", "5\n-2 -2 -2 -2 -2\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1\n-1000000\n",
        "2\n5 5\n",
        "2\n-3 7\n",
        "6\n1 1 2 2 3 3\n",
        "7\n-5 -4 -3 0 -1 2 1\n",
        _fmt(list(range(-10, 10))),
        _fmt(list(range(50, 0, -1))),
        _fmt([rng.randint(-5, 5) for _ in range(40)]),
        _fmt([rng.randint(-10**6, 10**6) for _ in range(1000)]),
        _fmt([rng.randint(0, 100) for _ in range(3000)]),
        _fmt([i // 2 + rng.randint(0, 3) for i in range(2 * 10**4)]),
        _fmt([rng.randint(-10**6, 10**6) for _ in range(2 * 10**4)]),
    ]
