"""Tests for B24. Counting Islands: U-shapes, diagonal touches, a long snake island, random maps."""
from __future__ import annotations

import random


def _fmt(grid: list[list[str]]) -> str:
    return f"{len(grid)} {len(grid[0])}\n" + "".join("".join(r) + "\n" for r in grid)


def _random(rng: random.Random, n: int, m: int, land: float) -> str:
    return _fmt([["#" if rng.random() < land else "." for _ in range(m)] for _ in range(n)])


def _snake(n: int, m: int) -> str:
    # One island shaped as a single winding corridor: recursion depth equals its area.
    grid = [["." for _ in range(m)] for _ in range(n)]
    for r in range(0, n, 2):
        for c in range(m):
            grid[r][c] = "#"
    for r in range(1, n, 2):
        grid[r][m - 1 if (r // 2) % 2 == 0 else 0] = "#"
    return _fmt(grid)


def _checker(n: int, m: int) -> str:
    return _fmt([["#" if (i + j) % 2 == 0 else "." for j in range(m)] for i in range(n)])


def public() -> list[str]:
    return ["4 5\n##..#\n#...#\n..#..\n.#.##\n", "3 3\n###\n#.#\n###\n"]


def private(rng: random.Random) -> list[str]:
    return [
        "1 1\n.\n",
        "1 1\n#\n",
        "1 7\n#.##.#.\n",
        "4 1\n#\n#\n.\n#\n",
        "3 5\n#.#.#\n#.#.#\n#####\n",
        "4 4\n.##.\n#..#\n#..#\n.##.\n",
        _checker(7, 9),
        _random(rng, 15, 20, 0.5),
        _random(rng, 60, 60, 0.55),
        _random(rng, 200, 150, 0.6),
        _snake(299, 300),
        _random(rng, 300, 300, 0.45),
    ]
