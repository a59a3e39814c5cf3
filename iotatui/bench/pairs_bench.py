"""``iotatui bench pairs``: closest-negative search, ours vs the naive double loop, on one synthetic problem.

The problem mimics CodeContests: a handful of solution "approaches" (base programs of 1–3 KB of code-like text);
every correct and incorrect program is a base with a few token/line mutations (renames, changed constants, inserted
or deleted lines), so programs are near each other within an approach and far across approaches. Both
implementations run on the same inputs in the same process; the bench compares their outputs and fails (exit 1)
when they differ.
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

_NAMES = ("n", "m", "k", "i", "j", "x", "y", "ans", "res", "cnt", "total", "best", "cur", "lo", "hi", "mid", "a", "b",
          "dp", "pre", "seen", "stack", "q", "val", "idx", "mod")
_OPS = ("+", "-", "*", "//", "%", "<<", "^", "&")


def _line(rng: random.Random, depth: int) -> tuple[str, bool]:
    ind = "    " * depth
    v, w, u = rng.choice(_NAMES), rng.choice(_NAMES), rng.choice(_NAMES)
    c = rng.randint(0, 1000)
    kind = rng.randrange(9)
    if kind == 0:
        return f"{ind}for {v} in range({w}, {u} + {c % 7}):", True
    if kind == 1:
        return f"{ind}if {v} {rng.choice(('<', '>', '<=', '==', '!='))} {w} {rng.choice(_OPS)} {c}:", True
    if kind == 2:
        return f"{ind}while {v} < {w} and {u} > {c % 13}:", True
    if kind == 3:
        return f"{ind}{v} = max({v}, {w}[{u}] {rng.choice(_OPS)} {c})", False
    if kind == 4:
        return f"{ind}{v}.append(({w}, {u} {rng.choice(_OPS)} {c}))", False
    if kind == 5:
        return f"{ind}print({v} % {c + 7} if {w} else -1)", False
    if kind == 6:
        return f"{ind}{v}, {w} = {w}, {v} {rng.choice(_OPS)} {u}", False
    if kind == 7:
        return f"{ind}{v} = [0] * ({w} + {c % 5 + 1})", False
    return f"{ind}{v} += {w} {rng.choice(_OPS)} {u} {rng.choice(_OPS)} {c}", False


def base_program(rng: random.Random, target_len: int) -> list[str]:
    """A code-like Python program of about ``target_len`` characters, as lines."""
    lines = ["import sys", "input = sys.stdin.readline", "", "def main():",
             "    n, m = map(int, input().split())", "    a = list(map(int, input().split()))"]
    depth = 1
    size = sum(len(x) + 1 for x in lines)
    while size < target_len:
        text, opens = _line(rng, depth)
        lines.append(text)
        size += len(text) + 1
        if opens:
            depth += 1
            text, _ = _line(rng, depth)
            while text.endswith(":"):
                text, _ = _line(rng, depth)
            lines.append(text)
            size += len(text) + 1
        elif depth > 1 and rng.random() < 0.35:
            depth -= 1
    lines += ["", "main()"]
    return lines


def mutate(rng: random.Random, lines: list[str], edits: int) -> str:
    """Apply ``edits`` random edits: rename a name on a line, change a constant, duplicate or delete a line."""
    out = list(lines)
    for _ in range(edits):
        i = rng.randrange(6, max(7, len(out) - 2))
        kind = rng.randrange(4)
        if kind == 0:
            out[i] = out[i].replace(rng.choice(_NAMES) + " ", rng.choice(_NAMES) + " ", 1)
        elif kind == 1:
            digits = [k for k, ch in enumerate(out[i]) if ch.isdigit()]
            if digits:
                k = rng.choice(digits)
                out[i] = out[i][:k] + str(rng.randrange(10)) + out[i][k + 1:]
        elif kind == 2:
            out.insert(i, out[i])
        elif len(out) > 10:
            del out[i]
    return "\n".join(out) + "\n"


def synthetic_problem(n_correct: int = 300, n_incorrect: int = 600, approaches: int = 6,
                      seed: int = 0) -> tuple[list[str], list[str]]:
    """(correct, incorrect) program texts, 1–3 KB each, mutations of a few base programs."""
    rng = random.Random(seed)
    bases = [base_program(rng, rng.randint(1000, 2900)) for _ in range(approaches)]
    correct = [mutate(rng, rng.choice(bases), rng.randint(1, 8)) for _ in range(n_correct)]
    incorrect = [mutate(rng, rng.choice(bases), rng.randint(2, 14)) for _ in range(n_incorrect)]
    return correct, incorrect


def first_difference(ours: list[Any], naive: list[Any]) -> int | None:
    """Index of the first correct program whose closest negative differs between the two results (a missing entry
    counts as a difference); None when they are identical."""
    for i, (a, b) in enumerate(zip(ours, naive, strict=False)):
        if a != b:
            return i
    return None if len(ours) == len(naive) else min(len(ours), len(naive))


def main(json_out: bool = False, n_correct: int = 300, n_incorrect: int = 600, seed: int = 0,
         workers: int = -1, check: bool = True, **_: Any) -> dict[str, Any]:
    """Run ours and the naive loop on the same synthetic problem, compare their outputs, print and return timings.

    ``check`` (the CLI): different outputs end the process with exit 1 after printing the result, since a speedup
    over a different answer means nothing. Tests pass ``check=False`` and assert on ``identical`` themselves.
    """
    from iotatui.data.pairs import closest, closest_naive

    correct, incorrect = synthetic_problem(n_correct, n_incorrect, seed=seed)
    # Import cost is paid once per process, not per problem: warm both sides' libraries before timing.
    import Levenshtein  # noqa: F401
    import numpy  # noqa: F401
    from rapidfuzz import process  # noqa: F401
    t0 = time.perf_counter()
    ours = closest(correct, incorrect, workers=workers)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive = closest_naive(correct, incorrect)
    naive_s = time.perf_counter() - t0
    diff = first_difference(ours, naive)
    lens = [len(s) for s in correct + incorrect]
    result = {
        "bench": "pairs", "n_correct": n_correct, "n_incorrect": n_incorrect,
        "mean_chars": round(sum(lens) / len(lens)), "cpus": os.cpu_count(),
        "mean_closest_distance": round(sum(d for _, d in ours) / max(len(ours), 1), 1),
        "identical": diff is None, "first_difference": diff, "ours_s": round(ours_s, 4), "naive_s": round(naive_s, 4),
        "speedup": round(naive_s / ours_s, 1) if ours_s > 0 else float("inf"),
    }
    if json_out:
        print(json.dumps(result))
    else:
        print(f"closest-negative search: {n_correct} correct x {n_incorrect} incorrect, "
              f"mean {result['mean_chars']} chars, {result['cpus']} CPUs")
        print(f"  {'ours (histogram bound + rapidfuzz cpdist)':<44} {ours_s:9.3f} s")
        print(f"  {'naive (double loop, Levenshtein.distance)':<44} {naive_s:9.3f} s")
        same = "yes" if diff is None else f"NO, first difference at correct #{diff}"
        print(f"  {'speedup':<44} {result['speedup']:9.1f} x   (identical output: {same}; goal >= 20x)")
    if check and diff is not None:
        got = (ours[diff] if diff < len(ours) else None, naive[diff] if diff < len(naive) else None)
        raise SystemExit(f"pairs bench: outputs differ at correct #{diff}: ours {got[0]} vs naive {got[1]}")
    return result


if __name__ == "__main__":
    main()
