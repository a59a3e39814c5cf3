"""Tests for B32. Sum of Pairwise XOR: n = 1, all equal, top bit 2^29 set, large counts (64-bit sums)."""
from __future__ import annotations

import random


def _fmt(a: list[int]) -> str:
    return f"{len(a)}\n" + " ".join(map(str, a)) + "\n"


def public() -> list[str]:
    return ["3\n1 2 3\n", "4\n7 7 7 7\n"]


def private(rng: random.Random) -> list[str]:
    top = 2**30 - 1
    return [
        "1\n5\n",
        "2\n0 0\n",
        "2\n0 1073741823\n",
        "3\n536870912 0 536870912\n",
        "5\n1 2 4 8 16\n",
        _fmt([rng.randint(0, 15) for _ in range(20)]),
        _fmt([rng.randint(0, 10**6) for _ in range(500)]),
        _fmt([rng.randint(0, top) for _ in range(3000)]),
        _fmt([0] * 7500 + [top] * 7500),
        _fmt([rng.choice([top, rng.randint(0, top)]) for _ in range(15000)]),
    ]
