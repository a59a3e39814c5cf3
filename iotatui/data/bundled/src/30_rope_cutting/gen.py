"""Tests for B30. Cutting Ropes: impossible cases, answer 1, k beyond 32 bits, a single rope, big random."""
from __future__ import annotations

import random


def _fmt(k: int, ropes: list[int]) -> str:
    return f"{len(ropes)} {k}\n" + " ".join(map(str, ropes)) + "\n"


def public() -> list[str]:
    return ["4 11\n802 743 457 539\n", "2 10\n3 4\n"]


def private(rng: random.Random) -> list[str]:
    big = [rng.randint(1, 10**9) for _ in range(10**4)]
    return [
        "1 1\n1\n",
        "1 1\n1000000000\n",
        "1 3\n10\n",
        "1 11\n10\n",
        "3 3\n5 5 5\n",
        "2 7\n3 4\n",
        _fmt(10**13, [10**9] * 10**4),
        _fmt(5 * 10**12 + 1, [10**9] * 5000),
        _fmt(rng.randint(1, 100), [rng.randint(1, 1000) for _ in range(50)]),
        _fmt(rng.randint(10**5, 10**6), [rng.randint(1, 10**6) for _ in range(1000)]),
        _fmt(rng.randint(10**9, 10**10), big),
        _fmt(sum(big[:3000]) // 2, big[:3000]),
    ]
