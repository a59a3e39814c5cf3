"""Tests for B42. Typo Distance: single letters, one string a prefix of the other, small alphabets, 1000 x 1000."""
from __future__ import annotations

import random


def _word(rng: random.Random, n: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _mutate(rng: random.Random, s: str, k: int) -> str:
    w = list(s)
    for _ in range(k):
        op = rng.randrange(3)
        i = rng.randrange(len(w) + 1)
        if op == 0 or not w:
            w.insert(i, rng.choice("abc"))
        elif op == 1 and i < len(w):
            del w[i]
        elif i < len(w):
            w[i] = rng.choice("xyz")
    return "".join(w) or "a"


def public() -> list[str]:
    return ["love\nmovie\n", "abc\nabc\n"]


def private(rng: random.Random) -> list[str]:
    base = _word(rng, 1000, "ab")
    mid = _word(rng, 300)
    return [
        "a\na\n",
        "a\nb\n",
        "a\nzzzzz\n",
        "abcdef\nabc\n",
        "kitten\nsitting\n",
        "intention\nexecution\n",
        "abab\nbaba\n",
        f"{_word(rng, 12, 'ab')}\n{_word(rng, 9, 'ab')}\n",
        f"{mid}\n{_mutate(rng, mid, 40)}\n",
        f"{_word(rng, 700)}\n{_word(rng, 650)}\n",
        f"{base}\n{_mutate(rng, base, 200)[:1000]}\n",
        f"{_word(rng, 1000, 'abc')}\n{_word(rng, 1000, 'abc')}\n",
    ]
