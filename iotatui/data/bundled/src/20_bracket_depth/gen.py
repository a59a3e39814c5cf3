from __future__ import annotations

import random

PAIRS = ["()", "[]", "{}"]


def balanced(rng: random.Random, n_pairs: int, max_depth: int) -> str:
    out: list[str] = []
    stack: list[str] = []
    opened = 0
    while opened < n_pairs or stack:
        if opened < n_pairs and (not stack or (len(stack) < max_depth and rng.random() < 0.5)):
            p = rng.choice(PAIRS)
            out.append(p[0])
            stack.append(p[1])
            opened += 1
        else:
            out.append(stack.pop())
    return "".join(out)


def public() -> list[str]:
    return ["([]){}\n", "([)]\n", "{[()()]}\n"]


def private(rng: random.Random) -> list[str]:
    tests = ["(\n", ")\n", "()\n", ")(\n", "(]\n", "[()]{}\n", "((((\n", "(()\n", "())(()\n", "{[()]}}\n"]
    tests.append(balanced(rng, 30, 6) + "\n")
    s = balanced(rng, 30000, 40)
    tests.append(s + "\n")
    tests.append("(" * 50000 + ")" * 50000 + "\n")
    t = list(balanced(rng, 20000, 1000))
    i = len(t) // 2
    while t[i] not in ")]}":
        i += 1
    t[i] = {")": "]", "]": "}", "}": ")"}[t[i]]  # one wrong closing type deep inside
    tests.append("".join(t) + "\n")
    tests.append("[" * 25000 + "]" * 24999 + "\n")
    return tests
