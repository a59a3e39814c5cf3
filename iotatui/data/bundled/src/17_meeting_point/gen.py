from __future__ import annotations

import random


def fmt(x: list[int], v: list[int]) -> str:
    return f"{len(x)}\n{' '.join(map(str, x))}\n{' '.join(map(str, v))}\n"


def public() -> list[str]:
    return [fmt([7, 1, 3], [1, 2, 1]), fmt([5, 10, 3, 2], [2, 3, 2, 4])]


def private(rng: random.Random) -> list[str]:
    m = 10**6
    tests = [
        fmt([5, 5], [1, 1]),
        fmt([1, m], [1, 1]),
        fmt([1, m], [m, m]),
        fmt([1, m], [1, m]),
        fmt([1, 2, 3], [3, 1, 3]),
        fmt([10, 20, 30, 40], [1, 1000, 1000, 1]),
        fmt([rng.randint(1, 20) for _ in range(8)], [rng.randint(1, 5) for _ in range(8)]),
        fmt([rng.randint(1, m) for _ in range(300)], [rng.randint(1, m) for _ in range(300)]),
        fmt([rng.randint(1, m) for _ in range(3000)], [rng.randint(1, 3) for _ in range(3000)]),
        fmt([rng.randint(1, m) for _ in range(10000)], [rng.randint(1, m) for _ in range(10000)]),
        fmt([rng.randint(1, 1000) for _ in range(10000)], [rng.randint(1, 10) for _ in range(10000)]),
    ]
    return tests
