"""Output comparators: ``alphacode`` (the paper's lenient rule, with exact big integers), ``strict`` and ``exit0``.

``alphacode`` follows AlphaCode App. A.2 / code_contests ``OutputsMatch``: whitespace tokens (space, \\t, \\n, \\r,
\\v, \\f; so CRLF, blank lines and trailing spaces never matter), case-insensitive, numbers equal when their absolute
difference is < 1e-5 — except that two *integer* tokens are compared exactly at any size (code_contests collapses
integers above int32 into doubles, which accepts ``10**18 + 1`` for ``10**18``), and NaN/Inf are never numerically
equal to anything (they still match the identical string). ``"100000"`` vs ``"1e5"`` and ``"3"`` vs ``"3.000001"``
are equal (code_contests behaviour). Relative-error problems (expected 1e12, got 1e12 + 1) are judged by the absolute
rule, as in the paper: a known limitation.

``strict``: exact whitespace-separated tokens, case-sensitive. ``exit0``: ignore output (HumanEval-style programs
whose asserts decide; the verdict comes from the exit status alone).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

FLOAT_TOLERANCE = 1e-5
_INT = re.compile(rb"[+-]?\d+\Z")
# Deliberately narrower than Python's float(): no "nan"/"inf"/"1_000"/hex forms.
_NUM = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


def _tokens_equal_alphacode(a: bytes, b: bytes) -> bool:
    if a == b:
        return True
    la, lb = a.lower(), b.lower()
    if la == lb:
        return True
    if _INT.match(a) and _INT.match(b):
        return int(a) == int(b)
    if _NUM.match(a) and _NUM.match(b):
        fa, fb = float(a), float(b)
        if math.isinf(fa) or math.isinf(fb):
            return False
        return abs(fa - fb) < FLOAT_TOLERANCE
    return False


def alphacode(output: bytes, expected: bytes) -> bool:
    """The default comparator (see module docstring)."""
    got, want = output.split(), expected.split()
    if len(got) != len(want):
        return False
    if got == want:  # fast path: C-speed list compare covers the common exact case
        return True
    return all(_tokens_equal_alphacode(a, b) for a, b in zip(got, want, strict=True))


def strict(output: bytes, expected: bytes) -> bool:
    """Exact whitespace-separated tokens, case-sensitive."""
    return output.split() == expected.split()


def exit0(output: bytes, expected: bytes) -> bool:
    """Accept any output: the exit status alone decides (HumanEval's check() asserts)."""
    return True


COMPARATORS: dict[str, Callable[[bytes, bytes], bool]] = {"alphacode": alphacode, "strict": strict, "exit0": exit0}


def get(name: str) -> Callable[[bytes, bytes], bool]:
    """Comparator by name; ValueError names the bad value."""
    try:
        return COMPARATORS[name]
    except KeyError:
        raise ValueError(f"comparator: unknown {name!r} (choose from {', '.join(COMPARATORS)})") from None
