from __future__ import annotations

import random


def pal(rng: random.Random, n: int, alphabet: str) -> str:
    half = "".join(rng.choice(alphabet) for _ in range(n // 2))
    mid = rng.choice(alphabet) if n % 2 else ""
    return half + mid + half[::-1]


def insert(rng: random.Random, s: str, c: str, pos: int | None = None) -> str:
    p = rng.randint(0, len(s)) if pos is None else pos
    return s[:p] + c + s[p:]


def public() -> list[str]:
    return ["abca\n", "abc\n", "racecar\n"]


def private(rng: random.Random) -> list[str]:
    tests = ["a\n", "ab\n", "aab\n", "abb\n", "abcd\n",
             "ebcbbececabbacecbbcbe\n",  # the mismatch is ambiguous: skipping the left char fails, the right works
             "cuppucu\n",
             "aguokepatgbnvfqmgmlcupuufxoohdfpgjdmysgvhmvffcnqxjjx"
             "qncffvmhvgsymdjgpfdhooxfuupuculmgmqfvnbgtapekouga\n"]
    tests.append(pal(rng, 99998, "ab") + "\n")
    p = pal(rng, 99998, "ab")
    tests.append(insert(rng, p, "b", len(p) // 3) + "\n")
    p = pal(rng, 60000, "abc")
    tests.append(insert(rng, insert(rng, p, "c", 100), "a", 50000) + "\n")
    p = "a" * 40000 + "b" + "a" * 39999
    tests.append(p + "\n")
    return tests
