"""Tests for B29. Astronomical Difference: all sign combinations, equal numbers, borrows across long runs of zeros."""
from __future__ import annotations

import random


def _num(rng: random.Random, digits: int, negative: bool | None = None) -> str:
    s = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(digits - 1))
    if negative is None:
        negative = rng.random() < 0.5
    return ("-" + s) if negative else s


def public() -> list[str]:
    return ["100000000000000000000\n1\n", "-5\n-12\n"]


def private(rng: random.Random) -> list[str]:
    big = _num(rng, 1000, False)
    return [
        "0\n0\n",
        "0\n-7\n",
        "3\n10\n",
        "-9223372036854775808\n1\n",
        "9223372036854775807\n-9223372036854775807\n",
        "1" + "0" * 999 + "\n" + "1\n",
        f"{big}\n{big}\n",
        f"-{big}\n{big}\n",
        f"{_num(rng, 40, False)}\n{_num(rng, 45, False)}\n",
        f"{_num(rng, 300)}\n{_num(rng, 299)}\n",
        f"{_num(rng, 999, True)}\n{_num(rng, 1000, True)}\n",
        f"{_num(rng, 1000)}\n{_num(rng, 1000)}\n",
    ]
