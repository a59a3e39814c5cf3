"""Comparator unit tests (notes §7.3 C1–C10, C15)."""

from __future__ import annotations

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
    (b"3", b"3.000001", True, False),
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
