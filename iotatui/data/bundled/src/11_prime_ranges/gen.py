from __future__ import annotations

import random


def fmt(qs: list[tuple[int, int]]) -> str:
    return f"{len(qs)}\n" + "".join(f"{lo} {r}\n" for lo, r in qs)


def public() -> list[str]:
    return [fmt([(1, 10), (11, 19), (20, 22), (1, 1)])]


def private(rng: random.Random) -> list[str]:
    m = 10**6
    tests = [
        fmt([(1, 1)]),
        fmt([(2, 2)]),
        fmt([(1, 2), (2, 3), (4, 4), (3, 5)]),
        fmt([(1, m)]),
        fmt([(m, m), (999983, m), (999983, 999983), (999984, m)]),
        fmt([(1, 100), (97, 97), (98, 100)]),
    ]
    tests.append(fmt([tuple(sorted((rng.randint(1, 100), rng.randint(1, 100)))) for _ in range(100)]))
    tests.append(fmt([tuple(sorted((rng.randint(1, m), rng.randint(1, m)))) for _ in range(2000)]))
    tests.append(fmt([(rng.randint(1, 1000), m - rng.randint(0, 1000)) for _ in range(12000)]))
    qs = []
    for _ in range(5000):
        lo = rng.randint(1, m)
        qs.append((lo, min(m, lo + rng.randint(0, 50))))
    tests.append(fmt(qs))
    return tests
