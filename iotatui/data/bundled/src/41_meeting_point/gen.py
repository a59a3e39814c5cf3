"""Tests for B41. Meeting on the Road: one friend, everybody at one point, answers near 10^6, n = 10^4."""
from __future__ import annotations

import random


def _fmt(fr: list[tuple[int, int]]) -> str:
    return f"{len(fr)}\n" + "".join(f"{x} {v}\n" for x, v in fr)


def _random(rng: random.Random, n: int, xmax: int, vmax: int) -> str:
    return _fmt([(rng.randint(0, xmax), rng.randint(1, vmax)) for _ in range(n)])


def public() -> list[str]:
    return ["3\n7 1\n1 2\n3 1\n", "4\n5 10\n3 3\n6 2\n3 4\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1\n5 3\n",
        "3\n10 1\n10 100\n10 7\n",
        "2\n0 1\n1000000 1\n",
        "2\n0 100\n1000000 100\n",
        "2\n0 1\n1 2\n",
        "3\n0 3\n999999 1\n500000 7\n",
        _random(rng, 10, 100, 10),
        _random(rng, 200, 10**6, 100),
        _random(rng, 2000, 10**6, 3),
        _fmt([(rng.randint(0, 10**6), 1) for _ in range(10**4)]),
        _random(rng, 10**4, 10**6, 100),
    ]
