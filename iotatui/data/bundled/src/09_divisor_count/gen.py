from __future__ import annotations

import random


def fmt(ns: list[int]) -> str:
    return f"{len(ns)}\n" + "".join(f"{n}\n" for n in ns)


def public() -> list[str]:
    return [fmt([12, 1, 36])]


def private(rng: random.Random) -> list[str]:
    big = 10**12
    return [
        fmt([1]),
        fmt([2, 3, 4]),
        fmt([49, 97, 100]),
        fmt([720720, 735134400]),
        fmt([999999999989]),  # a prime close to 10^12: one divisor pair only
        fmt([big]),
        fmt([999999000001, 999966000289]),  # 999966000289 = 999983^2 (a big perfect square)
        fmt([963761198400, big - 1, 2**39]),
        fmt([rng.randint(1, 10**6) for _ in range(3)]),
        fmt([rng.randint(big // 2, big) for _ in range(3)]),
        fmt([rng.randint(1, 10**9) ** 1 for _ in range(3)]),
        fmt([2147483648 * 3, 4294967296, 999999999999]),
    ]
