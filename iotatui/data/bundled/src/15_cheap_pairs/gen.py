from __future__ import annotations

import random


def fmt(x: int, a: list[int]) -> str:
    return f"{len(a)} {x}\n{' '.join(map(str, a))}\n"


def public() -> list[str]:
    return [fmt(5, [1, 4, 2, 3]), fmt(-1, [0, 0, -1])]


def private(rng: random.Random) -> list[str]:
    big = 10**9
    tests = [
        fmt(0, [0, 0]),
        fmt(-1, [0, 0]),
        fmt(2 * big, [big, big]),
        fmt(-2 * big, [-big, -big, -big]),
        fmt(6, [3, 3, 3, 4]),  # a_i + a_i <= x must not count a souvenir twice
        fmt(4, [2, 2, 2, 2, 3]),
        fmt(1, [rng.randint(-5, 5) for _ in range(30)]),
        fmt(rng.randint(-100, 100), [rng.randint(-100, 100) for _ in range(500)]),
        fmt(0, [rng.randint(-big, big) for _ in range(12000)]),
        fmt(2, [rng.randint(0, 1) for _ in range(70000)]),  # every pair counts: ~2.45e9 pairs
        fmt(1, [rng.randint(0, 1) for _ in range(30000)]),
    ]
    return tests
