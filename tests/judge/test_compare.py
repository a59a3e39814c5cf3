"""Comparator unit tests (notes §7.3 C1–C10, C15; issue 8 classes 1 and 2)."""

from __future__ import annotations

import random
import time

import pytest

from judge import compare
from judge.engine import classify, output_cap


@pytest.mark.parametrize(("got", "want", "alphacode", "strict"), [
    (b"3", b"3\n", True, True),                                   # C1 no final newline
    (b"1 2  \r\n\r\n\n", b"1 2\n", True, True),                   # C1 trailing spaces, CRLF, blank lines
    (b"1\x0b2", b"1 2", True, True),                              # \v is whitespace
    (b"1 2", b"1\n2", True, True),                                # C2 lines are not significant
    (b"yes", b"YES", True, False),                                # C3 case
    (b"0.3333333", b"0.333333333", True, False),                  # C4 abs 1e-5
    (b"0.33", b"0.333333333", False, False),
    (b"1000000000001", b"1e12", False, False),                    # C5 absolute rule: a known limitation
    (b"1000000000000000001", b"1000000000000000000", False, False),  # C6 big ints exact
    (b"123456789012345678901234567890", b"123456789012345678901234567890", True, True),
    (b"007", b"7", True, False),
    (b"100000", b"1e5", True, False),                             # C7
    (b"3", b"3.000001", False, False),                            # an integer side is exact (issue 8)
    (b"3.0", b"3.000001", True, False),                           # both non-integer: abs 1e-5
    (b"nan", b"0", False, False),                                 # C8
    (b"inf", b"1e400", False, False),
    (b"nan", b"NaN", True, False),                                # the identical string still matches
    (b"1e400", b"1e400", True, True),
    (b"1_000", b"1000", False, False),                            # Python-only float syntax is not a number
    (b"2 1", b"1 2", False, False),                               # C10 order matters
    (b"1 1 2", b"1 2", False, False),                             # duplicates count
    (b"", b"", True, True),
    (b"\xff\xfe\x00 3", b"3", False, False),                      # C15 binary garbage
    (b"\xff", b"\xff", True, True),
])
def test_comparators(got: bytes, want: bytes, alphacode: bool, strict: bool) -> None:
    assert compare.alphacode(got, want) is alphacode
    assert compare.strict(got, want) is strict


def test_unknown_comparator_names_value() -> None:
    with pytest.raises(ValueError, match="'fuzzy'"):
        compare.get("fuzzy")


def test_classify_precedence() -> None:
    base = {"exit_code": 0, "signal": None, "timeout": None, "output_limit": False, "mem_error": False,
            "max_rss": 1000}
    cmp = compare.alphacode
    assert classify(base, b"3", b"3", 10**6, cmp) == "OK"
    assert classify(base, b"4", b"3", 10**6, cmp) == "WRONG_ANSWER"
    assert classify({**base, "exit_code": 1}, b"3", b"3", 10**6, cmp) == "RUNTIME_ERROR"       # C13
    assert classify({**base, "signal": 11, "exit_code": None}, b"3", b"3", 10**6, cmp) == "RUNTIME_ERROR"
    assert classify({**base, "timeout": "wall"}, b"3", b"3", 10**6, cmp) == "TIME_LIMIT"       # R3
    assert classify({**base, "max_rss": 2 * 10**6}, b"3", b"3", 10**6, cmp) == "MEMORY_LIMIT"
    assert classify({**base, "exit_code": 1, "mem_error": True}, b"", b"3", 10**6, cmp) == "MEMORY_LIMIT"
    assert classify({**base, "output_limit": True}, b"3", b"3", 10**6, cmp) == "OUTPUT_LIMIT"


def test_output_cap_scales_with_expected() -> None:
    assert output_cap(b"3") == 8 << 20
    assert output_cap(b"x" * (10 << 20)) > 40 << 20


BIG = b"1" + b"0" * 5000


@pytest.mark.parametrize(("got", "want", "equal"), [
    # integers at any length, no int-string limit (issue 8 class 1)
    (BIG, BIG, True), (BIG + b"1", BIG + b"2", False), (b"-" + BIG, b"-" + BIG, True), (b"0" * 6000 + b"5", b"5", True),
    (BIG, b"1e5000", True), (BIG, b"1e4999", False), (b"9" * 100000, b"9" * 99999 + b"8", False),
    # a float-written side never matches an integer it only rounds to (issue 8 class 2)
    (b"1e+18", b"1000000000000000001", False), (b"1000000000000000000.0", b"1000000000000000001", False),
    (b"1E18", b"1000000000000000000", True), (b"1.000000000000000001e18", b"1000000000000000001", True),
    (b"1e18", b"999999999999999999", False), (b"1000000000000000000.000001", b"1000000000000000000", False),
    (b"5.0", b"5", True), (b"5.", b"5", True), (b"5.0000001", b"5", False),
    # signs, leading zeros, -0
    (b"-0", b"0", True), (b"+0", b"-0.0", True), (b"-0.0e7", b"0", True), (b"+7", b"7", True), (b"-7", b"7", False),
    (b"-007.50", b"-7.5", True), (b"00", b"0", True),
    # tolerance between two non-integers, decided exactly (not through doubles)
    (b"1.000009", b"1.0", True), (b"1.00001", b"1.0", False), (b"0.99999", b"1.0", False),
    (b"123456789012345678.5", b"123456789012345678.50002", False),
    (b"123456789012345678.5", b"123456789012345678.500001", True),
    (b"1.5e400", b"1.5000000001e400", False), (b"1e-999999999", b"-1e-999999999", True),
    (b"1e999999999999999", b"1.0", False), (b"1e9999999999999999999", b"1e9999999999999999999", True),
    (b"1e9999999999999999999", b"1e9999999999999999998", False),  # exponents this long are not numbers
    # not numbers: identical text only
    (b"0x10", b"16", False), (b"1_0", b"10", False), (b"inf", b"INF", True), (b"1e", b"1", False), (b".", b"0", False),
    (b"-", b"-", True), (b"e5", b"100000", False),
])
def test_exact_numbers(got: bytes, want: bytes, equal: bool) -> None:
    assert compare.alphacode(got, want) is equal
    assert compare.alphacode(want, got) is equal  # symmetric


@pytest.mark.parametrize("got", [
    b"1" * 80000 + b"x", b"1." + b"1" * 80000 + b"x", b"1e" + b"1" * 80000, b"1." + b"1" * 40000 + b"e" + b"1" * 40000,
    b"-" * 80000, b"." * 80000, b"9" * 80000 + b".", b"1e+" + b"0" * 80000 + b"1", b"1" * 40000 + b"." + b"1" * 40000,
])
def test_linear_time_on_adversarial_tokens(got: bytes) -> None:
    """80,000-byte tokens compare in milliseconds (the old regex backtracked quadratically: ~100 s)."""
    want = b"1" * 40000 + b"." + b"1" * 39999 + b"2"
    t0 = time.perf_counter()
    for _ in range(5):
        compare.alphacode(got, want)
        compare.alphacode(got + b" " + got, want + b" " + want)
    assert time.perf_counter() - t0 < 0.5


def test_many_float_tokens_are_fast() -> None:
    got = b" ".join(b"%.9f" % (i / 7) for i in range(100000))
    want = b" ".join(b"%.6f" % (i / 7) for i in range(100000))
    t0 = time.perf_counter()
    assert compare.alphacode(got, want)
    assert time.perf_counter() - t0 < 3.0


def test_comparator_never_raises() -> None:
    rng = random.Random(8)
    alphabet = b"0123456789+-.eE xX_naifNAIF\x00\xff"
    for _ in range(3000):
        a = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        b = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert compare.alphacode(a, b) in (True, False)
        assert compare.alphacode(a, a) is True
