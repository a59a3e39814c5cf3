from __future__ import annotations

import random


def fmt(s: str) -> str:
    return f"{len(s)}\n{s}\n"


def spiral(total: int) -> str:
    out: list[str] = []
    k = 1
    dirs = "RULD"
    d = 0
    while len(out) < total:
        for _ in range(2):
            out.extend(dirs[d % 4] * k)
            d += 1
        k += 1
    return "".join(out[:total])


def public() -> list[str]:
    return [fmt("RRULDD"), fmt("UUR"), fmt("LR")]


def private(rng: random.Random) -> list[str]:
    n = 10**5
    tests = [
        fmt("U"),
        fmt("UD"),
        fmt("RULD"),  # back at the start only
        fmt("RRRRULLLLD"),
        fmt("R" * n),
        fmt("U" * 19999 + "D"),
        fmt(spiral(n - 1) + "L"),
        fmt(spiral(3000)),
        fmt("".join(rng.choice("LRUD") for _ in range(50))),
        fmt("".join(rng.choice("RRRU") for _ in range(5000)) + "LD"),
        # Far up, one step right, all the way down: a packed key like x * 40000 + y collides here.
        fmt("U" * 40000 + "R" + "D" * 40000),
    ]
    return tests
