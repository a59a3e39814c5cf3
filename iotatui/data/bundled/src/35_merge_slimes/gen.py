"""Tests for B35. Merging Slimes: n = 1, n = 2, cases where greedy / Huffman fail, 64-bit totals, n = 200."""
from __future__ import annotations

import random


def _fmt(a: list[int]) -> str:
    return f"{len(a)}\n" + " ".join(map(str, a)) + "\n"


def public() -> list[str]:
    return ["4\n10 20 30 40\n", "5\n10 10 10 10 10\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1\n1000000000\n",
        "2\n1 1\n",
        "3\n3 1 3\n",
        "4\n1 100 1 100\n",
        "6\n5 1 1 5 9 2\n",
        "7\n1 3 2 4 2 3 1\n",
        _fmt([rng.randint(1, 10) for _ in range(12)]),
        _fmt([rng.randint(1, 1000) for _ in range(40)]),
        _fmt([10**9] * 200),
        _fmt([rng.randint(1, 10**9) for _ in range(200)]),
        _fmt([rng.choice([1, 10**9]) for _ in range(200)]),
    ]
