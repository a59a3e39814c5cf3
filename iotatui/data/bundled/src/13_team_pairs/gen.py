from __future__ import annotations

import random


def fmt(a: list[int]) -> str:
    return f"{len(a) // 2}\n{' '.join(map(str, a))}\n"


def public() -> list[str]:
    return [fmt([5, 8, 3, 6]), fmt([1] * 6)]


def private(rng: random.Random) -> list[str]:
    big = 10**9
    tests = [
        fmt([1, 1]),
        fmt([big, big]),
        fmt([1, big]),
        fmt([1, 2, 3, 100]),
        fmt([10, 1, 9, 2, 8, 3]),
        fmt([1, 1, 50, 50]),  # adjacent pairing after sorting gives 100, the answer is 51
        fmt([7, 7, 7, 1, 1, 1, 4, 4]),
        fmt([1, 10, 10, 2]),
        fmt([1, 2, 9, 10, 10, 11]),
    ]
    tests.append(fmt([rng.randint(1, 100) for _ in range(40)]))
    tests.append(fmt([rng.randint(1, big) for _ in range(2000)]))
    tests.append(fmt([rng.randint(1, big) for _ in range(16000)]))
    tests.append(fmt([rng.choice((1, big, big // 2)) for _ in range(10000)]))
    return tests
