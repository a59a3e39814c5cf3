"""Tests for B37. Forest Fire: no trees, unreachable tree, many fires, long corridor, big random forests."""
from __future__ import annotations

import random


def _fmt(g: list[list[str]]) -> str:
    return f"{len(g)} {len(g[0])}\n" + "".join("".join(r) + "\n" for r in g)


def _random(rng: random.Random, n: int, m: int, rock: float, fires: int, enclose: bool = False) -> str:
    g = [["#" if rng.random() < rock else "." for _ in range(m)] for _ in range(n)]
    for _ in range(fires):
        g[rng.randrange(n)][rng.randrange(m)] = "F"
    if enclose:
        # a tree walled in by rocks: never burns
        r, c = rng.randrange(1, n - 1), rng.randrange(1, m - 1)
        g[r][c] = "."
        g[r - 1][c] = g[r + 1][c] = g[r][c - 1] = g[r][c + 1] = "#"
    return _fmt(g)


def _corridor(n: int, m: int) -> str:
    g = [["." for _ in range(m)] for _ in range(n)]
    for r in range(1, n, 2):
        for c in range(m):
            g[r][c] = "#"
        g[r][m - 1 if (r // 2) % 2 == 0 else 0] = "."
    g[0][0] = "F"
    return _fmt(g)


def public() -> list[str]:
    return ["3 4\nF...\n.##.\n...F\n", "2 3\nF#.\n.#.\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 1\nF\n",
        "2 2\nF#\n#F\n",
        "1 5\n..F..\n",
        "1 6\nF....F\n",
        "3 3\n...\n.F.\n...\n",
        "3 3\nF..\n###\n..F\n",
        _random(rng, 10, 10, 0.2, 2),
        _random(rng, 50, 60, 0.3, 5, enclose=True),
        _random(rng, 100, 100, 0.1, 1),
        _corridor(201, 300),
        _fmt([["F" if (i * 300 + j) % 2 == 0 else "." for j in range(300)] for i in range(300)]),
        _random(rng, 300, 300, 0.25, 3),
    ]
