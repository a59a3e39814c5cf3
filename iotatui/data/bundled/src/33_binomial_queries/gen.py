"""Tests for B33. Committee Selection: k > n, k = 0, n = 0, k = n, n near 10^6."""
from __future__ import annotations

import random


def _fmt(qs: list[tuple[int, int]]) -> str:
    return f"{len(qs)}\n" + "".join(f"{n} {k}\n" for n, k in qs)


def public() -> list[str]:
    return ["4\n5 2\n10 0\n3 5\n50 25\n"]


def private(rng: random.Random) -> list[str]:
    def rand_q(nmax: int) -> tuple[int, int]:
        n = rng.randint(0, nmax)
        return n, rng.randint(0, n + 2)

    return [
        "1\n0 0\n",
        "1\n0 1\n",
        "3\n1 1\n1 0\n1 2\n",
        "2\n1000000 1000000\n1000000 1\n",
        "2\n999999 1000000\n1000000 999999\n",
        "3\n20 10\n30 15\n66 33\n",
        _fmt([rand_q(10) for _ in range(50)]),
        _fmt([rand_q(1000) for _ in range(500)]),
        _fmt([rand_q(10**6) for _ in range(2000)]),
        _fmt([(rng.randint(9 * 10**5, 10**6), rng.randint(4 * 10**5, 6 * 10**5)) for _ in range(10**4)]),
    ]
