"""Tests for B28. Paths in the Orchard: blocked start/finish, trees on the first row/column, big open grids."""
from __future__ import annotations

import random


def _fmt(grid: list[list[str]]) -> str:
    return f"{len(grid)} {len(grid[0])}\n" + "".join("".join(r) + "\n" for r in grid)


def _random(rng: random.Random, n: int, m: int, p: float) -> str:
    g = [["#" if rng.random() < p else "." for _ in range(m)] for _ in range(n)]
    g[0][0] = g[n - 1][m - 1] = "."
    return _fmt(g)


def public() -> list[str]:
    return ["3 3\n...\n.#.\n...\n", "2 2\n.#\n#.\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 1\n.\n",
        "1 1\n#\n",
        "1 5\n.....\n",
        "1 5\n..#..\n",
        "3 4\n#...\n....\n....\n",
        "3 4\n....\n....\n...#\n",
        "4 4\n..#.\n....\n#...\n....\n",
        "3 5\n.....\n.###.\n.....\n",
        _random(rng, 20, 30, 0.1),
        _fmt([["." for _ in range(100)] for _ in range(100)]),
        _random(rng, 400, 400, 0.05),
        _random(rng, 350, 400, 0.01),
    ]
