from __future__ import annotations

import random


def fmt(iv: list[tuple[int, int]]) -> str:
    return f"{len(iv)}\n" + "".join(f"{lo} {r}\n" for lo, r in iv)


def public() -> list[str]:
    return [fmt([(1, 5), (2, 3), (3, 6)]), fmt([(1, 2), (2, 3), (3, 4), (1, 4)])]


def rand_iv(rng: random.Random, n: int, span: int, maxlen: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        lo = rng.randint(0, span - 1)
        out.append((lo, min(span, lo + rng.randint(1, maxlen))))
    return out


def private(rng: random.Random) -> list[str]:
    big = 10**9
    tests = [
        fmt([(0, big)]),
        fmt([(0, 1), (0, 1), (0, 1)]),
        fmt([(0, 10), (1, 2), (3, 4), (5, 6)]),  # the earliest start is the worst choice
        fmt([(0, 4), (3, 6), (5, 9)]),  # the shortest interval is the worst choice
        fmt([(5, 7), (1, 3), (3, 5), (7, 9)]),
        fmt([(0, big), (big - 1, big), (0, 1)]),
    ]
    tests.append(fmt(rand_iv(rng, 20, 30, 6)))
    tests.append(fmt(rand_iv(rng, 300, 1000, 50)))
    tests.append(fmt(rand_iv(rng, 2000, 100000, 2000)))
    tests.append(fmt(rand_iv(rng, 8000, big, 10**6)))
    # Short intervals crossing the boundaries of long ones: defeats "sort by length" and "sort by start".
    iv = []
    for i in range(2500):
        base = i * 1000
        iv.append((base, base + 600))
        iv.append((base + 500, base + 1100))
        iv.append((base + 100, base + 1500))
    rng.shuffle(iv)
    tests.append(fmt(iv))
    return tests
