"""Output comparators: ``alphacode`` (the paper's lenient rule, with exact numbers), ``strict`` and ``exit0``.

``alphacode`` follows AlphaCode App. A.2 / code_contests ``OutputsMatch`` where that is sound, and is exact where
code_contests goes through doubles:

- whitespace tokens (space, \\t, \\n, \\r, \\v, \\f; so CRLF, blank lines and trailing spaces never matter);
  case-insensitive;
- numbers are compared by their exact decimal value, parsed from the token text (never through doubles or Python's
  ``int()``, so there is no int-string limit and no size limit): signs, leading zeros, trailing fractional zeros,
  exponents and ``-0`` compare by value (``007`` = ``7``, ``-0`` = ``0``, ``1e5`` = ``100000``);
- the 1e-5 absolute tolerance applies only when *both* tokens are written as non-integers (with a ``.`` or an
  exponent). When either side is written as an integer the values must be equal exactly: ``1e+18`` or
  ``1000000000000000000.0`` for ``1000000000000000001`` is wrong (code_contests collapses both to the same double and
  accepts it), and so is ``3.000001`` for ``3``;
- NaN/Inf and Python-only syntax (``1_000``, hex) are not numbers: they match only the identical token.

Relative-error problems (expected 1e12, got 1e12 + 1) are judged by the absolute rule, as in the paper: a known
limitation. Every step is linear in the output size (``bytes.split``, ``bytes.isdigit``; no backtracking regex) and
the comparators never raise on any input.

``strict``: exact whitespace-separated tokens, case-sensitive. ``exit0``: ignore output (HumanEval-style programs
whose asserts decide; the verdict comes from the exit status alone).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from typing import NamedTuple

FLOAT_TOLERANCE = 1e-5
_TOLERANCE = decimal.Decimal("1e-5")
MAX_EXPONENT_DIGITS = 15
"""Exponents written with more significant digits than this are not numbers (they would overflow ``Decimal``)."""
_SIGNS = (b"+", b"-")
_PLAIN_DECIMAL = re.compile(rb"[+-]?[0-9]+\.[0-9]+\Z")
"""Only ever matched against tokens shorter than 32 bytes, so backtracking is bounded."""


class Number(NamedTuple):
    """A decimal token's exact value: ``(-1)**negative * int(digits) * 10**exponent``, normalized so that equal
    values have equal fields (no leading/trailing zero digits; zero is ``(False, b"", 0)``)."""

    negative: bool
    digits: bytes
    exponent: int
    integer_form: bool
    """Written without ``.`` or exponent (the tolerance never applies to such a token)."""


def parse_number(token: bytes) -> Number | None:
    """The exact value of a decimal token (``[+-]digits[.digits][e[+-]digits]``), or None when it is not one."""
    s = token.lower()
    negative = False
    if s[:1] in _SIGNS:
        negative, s = s[:1] == b"-", s[1:]
    mantissa, has_e, exp_text = s.partition(b"e")
    exponent = 0
    if has_e:
        exp_negative = exp_text[:1] == b"-"
        if exp_text[:1] in _SIGNS:
            exp_text = exp_text[1:]
        if not exp_text.isdigit():  # bytes.isdigit: ASCII digits only, and False for b""
            return None
        exp_text = exp_text.lstrip(b"0")
        if len(exp_text) > MAX_EXPONENT_DIGITS:
            return None
        exponent = -int(exp_text or b"0") if exp_negative else int(exp_text or b"0")
    whole, has_dot, frac = mantissa.partition(b".")
    if not (whole or frac) or (whole and not whole.isdigit()) or (frac and not frac.isdigit()):
        return None
    digits = (whole + frac).lstrip(b"0")
    exponent -= len(frac)
    stripped = digits.rstrip(b"0")
    exponent += len(digits) - len(stripped)
    integer_form = not (has_dot or has_e)
    if not stripped:
        return Number(False, b"", 0, integer_form)
    return Number(negative, stripped, exponent, integer_form)


def _same_value(a: Number, b: Number) -> bool:
    return a.negative == b.negative and a.digits == b.digits and a.exponent == b.exponent


def _to_decimal(n: Number) -> decimal.Decimal:
    return decimal.Decimal(f"{'-' if n.negative else ''}{n.digits.decode() or '0'}E{n.exponent}")


def _within_tolerance(a: Number, b: Number, ta: bytes, tb: bytes) -> bool:
    """|a - b| < 1e-5, decided exactly."""
    # Fast path: doubles decide whenever the rounding error bound is far from the tolerance (the common case of the
    # same float printed with different precision); the exact Decimal computation settles the rest.
    if len(ta) < 40 and len(tb) < 40:
        fa, fb = float(ta), float(tb)
        if abs(fa) < 1e15 and abs(fb) < 1e15:
            d, err = abs(fa - fb), (abs(fa) + abs(fb)) * 1e-15 + 1e-300
            if d + err < FLOAT_TOLERANCE:
                return True
            if d - err > FLOAT_TOLERANCE:
                return False
    # Precision: when |a - b| is anywhere near 1e-5 the two values share every digit above the tolerance, so the
    # exact difference has at most max(len) + a few digits; when it is far from 1e-5, rounding cannot flip the
    # comparison. Exponent bounds are the widest Decimal allows (tokens are capped at MAX_EXPONENT_DIGITS).
    ctx = decimal.Context(prec=max(len(a.digits), len(b.digits)) + 30, Emax=decimal.MAX_EMAX,
                          Emin=decimal.MIN_EMIN, traps=[])
    diff = ctx.subtract(_to_decimal(a), _to_decimal(b))
    return ctx.compare_total_mag(diff, _TOLERANCE) < 0 if diff.is_finite() else False


def tokens_equal(a: bytes, b: bytes) -> bool:
    """One token pair under the ``alphacode`` rule (see module docstring)."""
    if a == b or a.lower() == b.lower():
        return True
    if len(a) < 32 and len(b) < 32 and _PLAIN_DECIMAL.match(a) and _PLAIN_DECIMAL.match(b):
        # The hot case (floats printed with different precision): both non-integer, short, so doubles are exact
        # enough unless the difference is within rounding error of the tolerance.
        fa, fb = float(a), float(b)
        d, err = abs(fa - fb), (abs(fa) + abs(fb)) * 1e-15
        if d + err < FLOAT_TOLERANCE:
            return True
        if d - err > FLOAT_TOLERANCE:
            return False
    na = parse_number(a)
    if na is None:
        return False
    nb = parse_number(b)
    if nb is None:
        return False
    if _same_value(na, nb):
        return True
    if na.integer_form or nb.integer_form:
        return False
    return _within_tolerance(na, nb, a, b)


def alphacode(output: bytes, expected: bytes) -> bool:
    """The default comparator (see module docstring)."""
    got, want = output.split(), expected.split()
    if len(got) != len(want):
        return False
    if got == want:  # fast path: C-speed list compare covers the common exact case
        return True
    return all(tokens_equal(a, b) for a, b in zip(got, want, strict=True))


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
