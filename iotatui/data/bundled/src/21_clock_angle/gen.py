from __future__ import annotations

import random


def fmt(times: list[tuple[int, int]]) -> str:
    return f"{len(times)}\n" + "".join(f"{h:02d}:{m:02d}\n" for h, m in times)


def public() -> list[str]:
    return [fmt([(3, 0), (12, 30), (9, 45), (18, 0)])]


def private(rng: random.Random) -> list[str]:
    tests = [
        fmt([(0, 0)]),
        fmt([(12, 0)]),
        fmt([(6, 0)]),
        fmt([(23, 59)]),
        fmt([(0, 1), (0, 59), (11, 59), (13, 1)]),
        fmt([(1, 5), (2, 11), (7, 38)]),
        fmt([(21, 0), (15, 0), (20, 30)]),
        fmt([(h, 0) for h in range(24)]),
        fmt([(rng.randint(0, 23), rng.randint(0, 59)) for _ in range(30)]),
        fmt([(h, m) for h in range(24) for m in range(60)]),
        fmt([(rng.randint(12, 23), rng.randint(0, 59)) for _ in range(500)]),
    ]
    return tests
