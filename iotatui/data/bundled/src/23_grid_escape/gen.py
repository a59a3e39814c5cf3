"""Tests for B23. Grid Escape: random grids, snake mazes, unreachable exits, 1-row / 1-column grids."""
from __future__ import annotations

import random


def _fmt(grid: list[list[str]]) -> str:
    return f"{len(grid)} {len(grid[0])}\n" + "".join("".join(r) + "\n" for r in grid)


def _random(rng: random.Random, n: int, m: int, wall: float) -> str:
    grid = [["#" if rng.random() < wall else "." for _ in range(m)] for _ in range(n)]
    cells = rng.sample(range(n * m), 2)
    (sr, sc), (er, ec) = divmod(cells[0], m), divmod(cells[1], m)
    grid[sr][sc], grid[er][ec] = "S", "E"
    return _fmt(grid)


def _snake(n: int, m: int) -> str:
    # Walls on every odd row with a gap alternating between the right and the left end: one long corridor.
    grid = [["." for _ in range(m)] for _ in range(n)]
    for r in range(1, n, 2):
        for c in range(m):
            grid[r][c] = "#"
        grid[r][m - 1 if (r // 2) % 2 == 0 else 0] = "."
    grid[0][0] = "S"
    last = n - 1 if (n - 1) % 2 == 0 else n - 2
    grid[last][m - 1 if (last // 2) % 2 == 0 else 0] = "E"
    return _fmt(grid)


def public() -> list[str]:
    return ["3 4\nS..#\n.#..\n...E\n", "2 3\nS#E\n.#.\n"]


def private(rng: random.Random) -> list[str]:
    tests = [
        "1 2\nSE\n",
        "1 5\nS...E\n",
        "5 1\nE\n.\n#\n.\nS\n",
        "3 3\n.#.\n#S#\n.#E\n",
        "4 4\nS...\n.##.\n.##.\n...E\n",
        _random(rng, 10, 10, 0.2),
        _random(rng, 20, 30, 0.3),
        _random(rng, 50, 50, 0.45),
        _random(rng, 100, 80, 0.25),
        _snake(41, 37),
        _random(rng, 300, 300, 0.3),
        _snake(300, 300),
    ]
    return tests
