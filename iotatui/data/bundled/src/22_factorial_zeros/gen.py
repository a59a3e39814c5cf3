from __future__ import annotations

import random


def fmt(ns: list[int]) -> str:
    return f"{len(ns)}\n" + "".join(f"{n}\n" for n in ns)


def public() -> list[str]:
    return [fmt([10, 4, 100])]


def private(rng: random.Random) -> list[str]:
    e18 = 10**18
    tests = [
        fmt([0]),
        fmt([1, 5, 24, 25]),
        fmt([124, 125, 126, 624, 625]),
        fmt([5**k for k in range(1, 26)]),
        fmt([5**k - 1 for k in range(1, 26)]),
        fmt([e18]),
        fmt([e18 - 1, 2**31, 2**31 - 1, 2**32 + 7]),
        fmt([rng.randint(0, 1000) for _ in range(50)]),
        fmt([rng.randint(0, 10**9) for _ in range(300)]),
        fmt([rng.randint(0, e18) for _ in range(1000)]),
        fmt([rng.randint(10**5, 10**6) for _ in range(1000)]),
    ]
    return tests
