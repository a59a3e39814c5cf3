"""Tests for B40. Best AND Pair: the two largest numbers are not optimal, top bit 2^29, zeros, duplicates."""
from __future__ import annotations

import random


def _fmt(a: list[int]) -> str:
    return f"{len(a)}\n" + " ".join(map(str, a)) + "\n"


def public() -> list[str]:
    return ["4\n2 4 8 10\n", "3\n7 7 1\n"]


def private(rng: random.Random) -> list[str]:
    top = 2**30 - 1
    return [
        "2\n0 0\n",
        "2\n1073741823 1073741823\n",
        "2\n536870912 536870911\n",
        "3\n16 15 7\n",
        "4\n8 7 6 5\n",
        "3\n5 6 13\n",
        "5\n805306368 536870912 1 268435455 268435454\n",
        _fmt([rng.randint(0, 63) for _ in range(10)]),
        _fmt([rng.randint(0, 10**6) for _ in range(300)]),
        _fmt([rng.randint(0, top) for _ in range(5000)]),
        _fmt([1 << rng.randint(0, 29) for _ in range(15000)]),
        _fmt([rng.randint(0, top) for _ in range(15000)]),
    ]
