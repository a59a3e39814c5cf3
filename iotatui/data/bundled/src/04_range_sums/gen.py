from __future__ import annotations

import random


def fmt(a: list[int], qs: list[tuple[int, int]]) -> str:
    return f"{len(a)} {len(qs)}\n{' '.join(map(str, a))}\n" + "".join(f"{lo} {r}\n" for lo, r in qs)


def rand_queries(rng: random.Random, n: int, q: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(q):
        lo, r = sorted((rng.randint(1, n), rng.randint(1, n)))
        out.append((lo, r))
    return out


def public() -> list[str]:
    return [fmt([1, -2, 3, 10, -4], [(1, 5), (2, 3), (4, 4), (1, 1)])]


def private(rng: random.Random) -> list[str]:
    big = 10**9
    tests = [
        fmt([7], [(1, 1)]),
        fmt([-big], [(1, 1), (1, 1)]),
        fmt([0, 0, 0], [(1, 3), (2, 2)]),
        fmt([big] * 5, [(1, 5), (5, 5), (2, 4)]),
        fmt([-big] * 6, [(1, 6), (3, 6), (1, 1)]),
        fmt([3, -3, 3, -3], [(1, 1), (1, 2), (1, 3), (1, 4), (2, 4), (4, 4), (3, 4)]),
    ]
    a = [rng.randint(-20, 20) for _ in range(50)]
    tests.append(fmt(a, rand_queries(rng, 50, 50)))
    a = [rng.randint(-big, big) for _ in range(1000)]
    tests.append(fmt(a, rand_queries(rng, 1000, 1000)))
    n = 5000
    a = [rng.choice((big, big - 1, -big)) if rng.random() < 0.5 else big for _ in range(n)]
    tests.append(fmt(a, [(1, n), (2, n), (1, n - 1)] + rand_queries(rng, n, 3000)))
    a = [rng.randint(-big, big) for _ in range(n)]
    tests.append(fmt(a, [(1, n), (n, n)] + rand_queries(rng, n, n - 2)))
    return tests
