"""Tests for B39. Paying with Coins: coins above x, a coin equal to x, coin 1 (huge counts), big random sets."""
from __future__ import annotations

import random


def _fmt(x: int, coins: list[int]) -> str:
    return f"{len(coins)} {x}\n" + " ".join(map(str, coins)) + "\n"


def public() -> list[str]:
    return ["3 9\n2 3 5\n", "2 3\n2 4\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 1\n1\n",
        "1 10000\n1\n",
        "1 7\n10000\n",
        "2 5\n5 10\n",
        "3 4\n1 2 3\n",
        "4 10\n9999 3 7 10\n",
        _fmt(20, [1, 2, 5, 10]),
        _fmt(1000, rng.sample(range(1, 60), 10)),
        _fmt(10**4, list(range(1, 101))),
        _fmt(10**4, rng.sample(range(1, 10**4 + 1), 100)),
        _fmt(9973, rng.sample(range(2, 400), 100)),
    ]
