from __future__ import annotations

import random


def public() -> list[str]:
    return ["5 1\nBGGBG\n", "5 2\nBGGBG\n", "4 1\nGGGB\n"]


def private(rng: random.Random) -> list[str]:
    tests = ["1 1\nB\n", "1 50\nG\n", "2 1\nBG\n", "2 50\nGB\n", "3 1\nBBG\n", "6 2\nBGBGBG\n",
             "50 50\n" + "B" * 25 + "G" * 25 + "\n", "50 1\n" + "BG" * 25 + "\n", "50 3\n" + "B" * 49 + "G\n"]
    for n, t in ((10, 3), (20, 7), (37, 12), (50, 25), (50, 49)):
        tests.append(f"{n} {t}\n{''.join(rng.choice('BG') for _ in range(n))}\n")
    return tests
