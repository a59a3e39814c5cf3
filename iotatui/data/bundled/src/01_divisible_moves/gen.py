from __future__ import annotations

import random


def fmt(cases: list[tuple[int, int]]) -> str:
    return f"{len(cases)}\n" + "".join(f"{a} {b}\n" for a, b in cases)


def public() -> list[str]:
    return [fmt([(10, 4), (13, 9), (100, 13), (123, 456), (92, 46)])]


def private(rng: random.Random) -> list[str]:
    big = 10**9
    tests = [
        fmt([(1, 1)]),
        fmt([(1, big)]),
        fmt([(big, 1), (big, big), (big - 1, big), (big, big - 1)]),
        fmt([(7, 7), (14, 7), (21, 7), (6, 7)]),
        fmt([(5, 10), (10, 5), (999999999, 3), (999999998, 1000000000)]),
    ]
    for _ in range(3):
        tests.append(fmt([(rng.randint(1, 1000), rng.randint(1, 100)) for _ in range(50)]))
    tests.append(fmt([(rng.randint(1, big), rng.randint(1, 1000)) for _ in range(200)]))
    tests.append(fmt([(rng.randint(1, big), rng.randint(big // 2, big)) for _ in range(2000)]))
    # Exact multiples mixed in: catches answers that print b instead of 0.
    cases = []
    for _ in range(5000):
        b = rng.randint(big // 2, big)
        a = b if rng.random() < 0.5 else rng.randint(1, big)
        cases.append((a, b))
    tests.append(fmt(cases))
    return tests
