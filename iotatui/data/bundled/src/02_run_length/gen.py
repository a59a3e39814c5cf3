from __future__ import annotations

import random


def public() -> list[str]:
    return ["aaabccdddd\n", "zz\n"]


def runs(rng: random.Random, total: int, max_run: int, alphabet: str) -> str:
    out: list[str] = []
    n = 0
    prev = ""
    while n < total:
        c = rng.choice([x for x in alphabet if x != prev] or alphabet)
        k = min(rng.randint(1, max_run), total - n)
        out.append(c * k)
        n += k
        prev = c
    return "".join(out)


def private(rng: random.Random) -> list[str]:
    n = 100_000
    tests = [
        "a\n",
        "ab\n",
        "abcabc\n",
        "q" * 10 + "\n",
        "x" * 9 + "y" * 11 + "x\n",
        "a" * n + "\n",
        runs(rng, 30, 3, "ab") + "\n",
        runs(rng, 1000, 15, "abc") + "\n",
        runs(rng, 5000, 120, "abcdefghijklmnopqrstuvwxyz") + "\n",
        "".join(rng.choice("ab") for _ in range(30_000)) + "\n",
        "ab" * 15_000 + "\n",
        runs(rng, n, 40, "xyz") + "\n",
    ]
    return tests
