"""Tests for B31. Friend Groups: repeated merges, self-friendship, a long chain (needs path compression)."""
from __future__ import annotations

import random


def _fmt(n: int, ev: list[str]) -> str:
    return f"{n} {len(ev)}\n" + "".join(e + "\n" for e in ev)


def _random(rng: random.Random, n: int, q: int, p_merge: float) -> str:
    ev = []
    for _ in range(q):
        r = rng.random()
        if r < p_merge:
            ev.append(f"1 {rng.randint(1, n)} {rng.randint(1, n)}")
        elif r < (1 + p_merge) / 2:
            ev.append(f"2 {rng.randint(1, n)} {rng.randint(1, n)}")
        else:
            ev.append(f"3 {rng.randint(1, n)}")
    return _fmt(n, ev)


def _chain(n: int, queries: int) -> str:
    ev = [f"1 {i} {i + 1}" for i in range(1, n)]
    ev += ["3 1" if i % 2 else f"2 1 {n}" for i in range(queries)]
    return _fmt(n, ev)


def public() -> list[str]:
    return ["5 7\n1 1 2\n2 1 3\n1 3 2\n2 1 3\n3 2\n1 1 3\n3 5\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 3\n3 1\n1 1 1\n2 1 1\n",
        "2 4\n2 1 2\n1 2 1\n2 1 2\n3 1\n",
        "3 5\n1 1 2\n1 2 1\n1 1 2\n3 1\n3 3\n",
        "4 6\n1 1 2\n1 3 4\n3 1\n1 2 4\n3 3\n2 1 3\n",
        _random(rng, 10, 30, 0.4),
        _random(rng, 100, 300, 0.3),
        _random(rng, 1000, 5000, 0.2),
        _random(rng, 3000, 4000, 0.6),
        _chain(50, 20),
        _chain(10**4, 10**4),
    ]
