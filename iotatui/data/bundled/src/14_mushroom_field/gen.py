from __future__ import annotations

import random


def fmt(grid: list[str], qs: list[tuple[int, int, int, int]]) -> str:
    head = f"{len(grid)} {len(grid[0])} {len(qs)}\n"
    return head + "".join(row + "\n" for row in grid) + "".join(f"{a} {b} {c} {d}\n" for a, b, c, d in qs)


def grid(rng: random.Random, n: int, m: int, digits: str = "0123456789") -> list[str]:
    return ["".join(rng.choice(digits) for _ in range(m)) for _ in range(n)]


def queries(rng: random.Random, n: int, m: int, q: int, big: bool = False) -> list[tuple[int, int, int, int]]:
    out = []
    for _ in range(q):
        if big:
            r1, c1 = rng.randint(1, n // 4), rng.randint(1, m // 4)
            r2, c2 = rng.randint(3 * n // 4, n), rng.randint(3 * m // 4, m)
        else:
            r1, r2 = sorted((rng.randint(1, n), rng.randint(1, n)))
            c1, c2 = sorted((rng.randint(1, m), rng.randint(1, m)))
        out.append((r1, c1, r2, c2))
    return out


def public() -> list[str]:
    return [fmt(["1203", "0451", "9000"], [(1, 1, 3, 4), (2, 2, 3, 3), (3, 1, 3, 1)])]


def private(rng: random.Random) -> list[str]:
    tests = [
        fmt(["7"], [(1, 1, 1, 1)]),
        fmt(["0"], [(1, 1, 1, 1)]),
        fmt(["123456789"], [(1, 1, 1, 9), (1, 5, 1, 5), (1, 2, 1, 8)]),
        fmt(list("1234"), [(1, 1, 4, 1), (2, 1, 3, 1), (4, 1, 4, 1)]),
        fmt(["99", "99"], [(1, 1, 2, 2), (2, 2, 2, 2), (1, 2, 2, 2), (2, 1, 2, 2)]),
    ]
    g = grid(rng, 5, 8)
    tests.append(fmt(g, queries(rng, 5, 8, 30)))
    g = grid(rng, 40, 17)
    tests.append(fmt(g, queries(rng, 40, 17, 300)))
    g = grid(rng, 7, 300)
    tests.append(fmt(g, queries(rng, 7, 300, 500)))
    g = grid(rng, 300, 300, "9")
    tests.append(fmt(g, [(1, 1, 300, 300)] + queries(rng, 300, 300, 4999, big=True)))
    g = grid(rng, 250, 200)
    tests.append(fmt(g, queries(rng, 250, 200, 3000)))
    return tests
