from __future__ import annotations

import random


def fmt(a: list[int]) -> str:
    return f"{len(a)}\n{' '.join(map(str, a))}\n"


def public() -> list[str]:
    return [fmt([6, -3, 0, 4]), fmt([-2, 0, 2])]


def private(rng: random.Random) -> list[str]:
    big = 10**9
    tests = [
        fmt([-big, big]),
        fmt([big, -big]),
        fmt([5, 1]),
        fmt([0, 10, 20, 30, 40]),
        fmt([1, 100, 200, 300, 301]),  # the unique closest pair is the last one after sorting
        fmt([-big, 0, big]),
        fmt(rng.sample(range(-50, 51), 30)),
    ]
    a = rng.sample(range(-big, big + 1), 1000)
    tests.append(fmt(a))
    step = rng.randint(1, 1000)
    b = [i * step - 10**8 for i in range(2000)]
    rng.shuffle(b)
    tests.append(fmt(b))
    tests.append(fmt(rng.sample(range(-big, big + 1), 15000)))
    c = sorted(rng.sample(range(-big, big + 1, 7), 5000))
    c.append(c[-1] + 3)  # the unique minimum is the last gap
    rng.shuffle(c)
    tests.append(fmt(c))
    return tests
