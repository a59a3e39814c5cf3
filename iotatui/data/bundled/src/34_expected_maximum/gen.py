"""Tests for B34. Expected Maximum: m = 1, n = 1, large m with small n and vice versa, both at 10^5."""
from __future__ import annotations

import random


def public() -> list[str]:
    return ["6 1\n", "2 2\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 1\n",
        "1 100000\n",
        "100000 1\n",
        "6 3\n",
        "3 10\n",
        "100000 2\n",
        "100000 100000\n",
        "99999 7\n",
        f"{rng.randint(10, 1000)} {rng.randint(10, 1000)}\n",
        f"{rng.randint(10**4, 10**5)} {rng.randint(1, 50)}\n",
        f"{rng.randint(10**4, 10**5)} {rng.randint(10**4, 10**5)}\n",
    ]
