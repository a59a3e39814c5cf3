"""Tests for B43. Balanced Brackets Count: odd lengths, n = 1, n = 2, large Catalan numbers, n = 10^6."""
from __future__ import annotations

import random


def _fmt(ns: list[int]) -> str:
    return f"{len(ns)}\n" + "".join(f"{n}\n" for n in ns)


def public() -> list[str]:
    return ["4\n2\n6\n7\n40\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1\n1\n",
        "1\n2\n",
        "3\n3\n5\n999999\n",
        "2\n1000000\n999998\n",
        _fmt(list(range(1, 41))),
        _fmt([2 * rng.randint(20, 200) for _ in range(30)]),
        _fmt([rng.randint(1, 5000) for _ in range(200)]),
        _fmt([rng.randint(1, 10**6) for _ in range(1000)]),
        _fmt([2 * rng.randint(4 * 10**5, 5 * 10**5) for _ in range(10**4)]),
        _fmt([rng.randint(1, 10**6) for _ in range(10**4)]),
    ]
