from __future__ import annotations

import random


def fmt(k: int, w: list[int]) -> str:
    return f"{len(w)} {k}\n{' '.join(map(str, w))}\n"


def public() -> list[str]:
    return [fmt(5, [3, 5, 3, 4]), fmt(6, [1, 2, 2, 3])]


def private(rng: random.Random) -> list[str]:
    k9 = 2 * 10**9
    tests = [
        fmt(1, [1]),
        fmt(10, [5, 5]),  # total exactly k
        fmt(9, [5, 5]),
        fmt(k9, [10**9, 10**9, 10**9]),
        fmt(10, [1, 2, 3, 9]),  # pairing the two lightest first is wrong
        fmt(100, [60, 50, 40, 10, 90]),
        fmt(7, [1, 1, 1, 1, 1, 1, 1]),
        fmt(50, [rng.randint(1, 50) for _ in range(30)]),
        fmt(1000, [rng.randint(1, 1000) for _ in range(2000)]),
        fmt(k9, [rng.randint(1, k9) for _ in range(15000)]),
        fmt(10**9, [rng.randint(4 * 10**8, 6 * 10**8) for _ in range(5000)]),
        fmt(k9, [rng.randint(11 * 10**8, k9) for _ in range(1000)]),  # every pair is too heavy
    ]
    return tests
