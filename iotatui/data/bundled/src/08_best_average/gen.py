from __future__ import annotations

import random


def fmt(k: int, a: list[int]) -> str:
    return f"{len(a)} {k}\n{' '.join(map(str, a))}\n"


def public() -> list[str]:
    return [fmt(2, [1, 12, -5, -6, 50]), fmt(3, [3, -1, 2, 7])]


def private(rng: random.Random) -> list[str]:
    m = 10**4
    tests = [
        fmt(1, [-7]),
        fmt(1, [m]),
        fmt(3, [-5, -4, -6]),
        fmt(3, [-m, -m, -m, -m + 1]),
        fmt(2, [0, 0, 0]),
        fmt(3, [1, 1, 2, 0, 0]),
        fmt(7, [rng.randint(-m, m) for _ in range(7)]),
        fmt(6, [rng.randint(-100, 100) for _ in range(40)]),
        fmt(7, [rng.randint(-m, -1) for _ in range(2000)]),
        fmt(15000, [rng.randint(-m, m) for _ in range(30000)]),
        fmt(9999, [rng.randint(-3, 3) for _ in range(20000)]),
    ]
    return tests
