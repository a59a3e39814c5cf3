from __future__ import annotations

import random


def fmt(qs: list[tuple[int, int, int]]) -> str:
    return f"{len(qs)}\n" + "".join(f"{a} {b} {m}\n" for a, b, m in qs)


def public() -> list[str]:
    return [fmt([(2, 10, 1000), (3, 0, 7), (5, 3, 13)])]


def private(rng: random.Random) -> list[str]:
    e18, e9 = 10**18, 10**9
    tests = [
        fmt([(0, 0, 1)]),
        fmt([(0, 0, 5), (0, 5, 5), (7, 0, 1)]),
        fmt([(5, 1, 1), (123, 456, 1)]),
        fmt([(2, 62, e9), (2, 63, e9 + 7 - 7), (3, 1000, 1000000007 - 7)]),
        fmt([(e18, e18, e9), (e18 - 1, e18, 999999937)]),
        fmt([(10**9 + 5, 2, 10**9), (999999999, 2, 1000000000)]),
        fmt([(rng.randint(0, 10), rng.randint(0, 20), rng.randint(1, 100)) for _ in range(50)]),
        fmt([(rng.randint(0, e18), rng.randint(0, e18), rng.randint(1, e9)) for _ in range(1000)]),
        fmt([(rng.randint(e9, e18), rng.randint(10**6, 10**7), rng.randint(e9 // 2, e9)) for _ in range(200)]),
        fmt([(rng.randint(2, 9), rng.randint(10**17, e18), rng.randint(1, 3)) for _ in range(300)]),
    ]
    return tests
