from __future__ import annotations

import random


def fmt(a: list[int]) -> str:
    return f"{len(a)}\n{' '.join(map(str, a))}\n"


def public() -> list[str]:
    return [fmt([75, 150, 75, 50]), fmt([100, 150, 250])]


def smooth(rng: random.Random, base: int, limit: int = 10**9) -> int:
    x = base
    while True:
        m = rng.choice((2, 3))
        if x * m > limit or rng.random() < 0.15:
            return x
        x *= m


def private(rng: random.Random) -> list[str]:
    tests = [
        fmt([1, 1]),
        fmt([1, 10**9]),
        fmt([2, 10]),  # 10 divides... a max-divides check says Yes
        fmt([6, 4]),
        fmt([9, 2, 3, 6, 1]),
        fmt([5, 5, 5]),
        fmt([12, 18, 8 * 5]),
        fmt([3**18, 2**29]),
        fmt([7 * 2**10, 7 * 3**5, 7, 14, 21, 7 * 9]),
        fmt([7 * 2**10, 7 * 3**5, 7, 14, 21, 7 * 9, 5 * 7]),
    ]
    base = rng.randint(1, 50) * 5
    a = [smooth(rng, base) for _ in range(15000)]
    tests.append(fmt(a))
    a = [smooth(rng, base) for _ in range(5000)]
    a[rng.randrange(len(a))] = base * 5 if base * 5 <= 10**9 else base * 7
    tests.append(fmt(a))
    a = [smooth(rng, 1) for _ in range(3000)]
    tests.append(fmt(a))
    return tests
