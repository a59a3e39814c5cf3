from __future__ import annotations

import random


def fmt(t: int, a: list[int]) -> str:
    return f"{len(a)} {t}\n{' '.join(map(str, a))}\n"


def public() -> list[str]:
    return [fmt(5, [3, 1, 2, 1]), fmt(3, [2, 2, 3])]


def private(rng: random.Random) -> list[str]:
    big = 10**9
    tests = [
        fmt(1, [1]),
        fmt(1, [2]),
        fmt(10**18, [big]),
        fmt(5, [6, 7, 8]),
        fmt(10, [1, 1, 1, 9, 9, 1, 1, 1, 1]),
        fmt(4, [5, 1, 1, 1, 1]),
        fmt(6, [4, 3, 3, 1, 1, 1]),
    ]
    a = [rng.randint(1, 10) for _ in range(200)]
    tests.append(fmt(rng.randint(10, 60), a))
    n = 15000
    a = [rng.randint(big // 2, big) for _ in range(n)]
    tests.append(fmt(sum(a) - rng.randint(1, big // 2), a))  # all but one book: long windows everywhere
    a = [rng.randint(1, big) for _ in range(n)]
    tests.append(fmt(3 * 10**12, a))
    a = [big] * 2000
    tests.append(fmt(2000 * big, a))  # window sum exceeds 2^31 many times over
    return tests
