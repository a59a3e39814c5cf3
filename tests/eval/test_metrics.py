"""The evaluation estimators against hand-computed values and their edge cases (n < k, c = 0, c = n)."""

from __future__ import annotations

import math

import pytest

from iotatui.evalmetrics import (
    SampleResult,
    bootstrap_ci,
    from_verdict_rows,
    mcnemar_exact,
    n_at_k,
    paired,
    pass_at_k,
    passed_public,
    rating_bucket,
    summarize,
)


def S(problem: str, verdict: str, public: bool | None = None, cluster: str | None = None,
      language: str | None = None) -> SampleResult:
    return SampleResult(problem, verdict, public, cluster, language)


def test_pass_at_k_hand_values() -> None:
    assert pass_at_k(10, 1, 1) == pytest.approx(0.1)
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - 3 / 10)  # 1 - C(3,2)/C(5,2)
    assert pass_at_k(4, 1, 2) == pytest.approx(0.5)  # 1 - C(3,2)/C(4,2) = 1 - 3/6
    assert pass_at_k(100, 10, 10) == pytest.approx(1 - math.comb(90, 10) / math.comb(100, 10))
    assert pass_at_k(1000, 3, 100) == pytest.approx(1 - math.comb(997, 100) / math.comb(1000, 100))


def test_pass_at_k_edges() -> None:
    assert pass_at_k(3, 1, 5) is None  # n < k: undefined, never guessed
    assert pass_at_k(10, 0, 1) == 0.0 and pass_at_k(10, 0, 10) == 0.0  # c = 0
    assert pass_at_k(7, 7, 1) == 1.0 and pass_at_k(7, 7, 7) == 1.0  # c = n
    assert pass_at_k(10, 2, 9) == 1.0  # n - c < k: every k-subset holds a correct one
    assert pass_at_k(10, 1, 10) == 1.0
    for bad in ((3, 4, 1), (3, 1, 0), (-1, 0, 1)):
        with pytest.raises(ValueError):
            pass_at_k(*bad)


def test_ten_at_k_filters_clusters_and_submits_largest_first() -> None:
    # Cluster A (2 samples, wrong on hidden tests) is larger than B (1, correct): one submission picks A.
    samples = [S("p", "WRONG_ANSWER", True, "A"), S("p", "WRONG_ANSWER", True, "A"), S("p", "OK", True, "B")]
    assert n_at_k(samples, submissions=1) == 0.0
    assert n_at_k(samples, submissions=2) == 1.0
    # Subsampling k=1 of 3 with one submission: solved iff the drawn sample is B, chance 1/3.
    assert n_at_k(samples, k=1, submissions=1, draws=3000) == pytest.approx(1 / 3, abs=0.04)
    assert n_at_k(samples, k=4) is None  # k > n
    # Samples failing the public tests are never submitted, whatever they would do on hidden tests.
    filtered = [S("p", "WRONG_ANSWER", False, f"w{i}") for i in range(20)] + [S("p", "OK", True, "ok")]
    assert n_at_k(filtered, submissions=1) == 1.0
    # 12 singleton clusters (ties), one correct: 10 submissions pick it with chance 10/12.
    ties = [S("p", "WRONG_ANSWER", True, None) for _ in range(11)] + [S("p", "OK", True, None)]
    assert n_at_k(ties, submissions=10, draws=3000) == pytest.approx(10 / 12, abs=0.04)
    assert n_at_k([S("p", "WRONG_ANSWER", True)] * 5) == 0.0  # c = 0
    assert n_at_k([S("p", "OK", True)] * 5, k=2) == 1.0  # c = n
    # Reproducible: same seed, same estimate.
    assert n_at_k(ties, draws=50, seed=3) == n_at_k(ties, draws=50, seed=3)


def test_summarize_counts_solved_compile_rate_and_pass_at_k() -> None:
    res = [S("A", "OK", language="python3"), S("A", "COMPILE_ERROR", language="cpp"),
           S("A", "WRONG_ANSWER", language="cpp"), S("A", "SANDBOX_ERROR", language="cpp"),
           S("B", "WRONG_ANSWER", language="python3"), S("B", "TIME_LIMIT", language="python3")]
    info = {"A": {"difficulty": "EASY", "cf_rating": 1250}, "B": {"difficulty": "HARD", "cf_rating": 0}}
    out = summarize(res, info, ci_iters=200, problems=True)
    assert out["problems"] == 2 and out["samples"] == 6 and out["solved"] == 1
    assert out["compile_rate"] == pytest.approx(4 / 5)  # the sandbox error counts in neither
    assert out["compile_rate_by_language"] == {"cpp": pytest.approx(1 / 2), "python3": 1.0}
    assert list(out["pass_at_k"]) == ["1"]  # B has only 2 samples: no pass@10
    assert out["pass_at_k"]["1"] == pytest.approx((1 / 4 + 0) / 2)
    assert out["ten_at_k"]["k"] == 2
    assert out["verdicts"] == {"COMPILE_ERROR": 1, "OK": 1, "SANDBOX_ERROR": 1, "TIME_LIMIT": 1, "WRONG_ANSWER": 2}
    assert out["by_difficulty"]["EASY"]["solved"] == 1 and out["by_difficulty"]["HARD"]["solved"] == 0
    assert set(out["by_rating"]) == {"1200-1599", "unrated"}
    lo, hi = out["ci"]["solved"]
    assert 0 <= lo <= 1 <= hi <= 2
    rows = {r["problem"]: r for r in out["per_problem"]}
    assert rows["A"]["verdicts"]["OK"] == 1 and rows["A"]["pass_at_k"]["1"] == pytest.approx(0.25)
    assert rows["B"]["solved"] is False and rows["A"]["cf_rating"] == 1250


def test_summarize_empty_is_zero_not_a_crash() -> None:
    out = summarize([])
    assert out["problems"] == 0 and out["solved"] == 0 and out["pass_at_k"] == {} and out["compile_rate"] is None


def test_bootstrap_ci() -> None:
    assert bootstrap_ci([2.0] * 10, lambda xs: sum(xs) / len(xs)) == (2.0, 2.0)
    vals = [0.0] * 50 + [1.0] * 50
    lo, hi = bootstrap_ci(vals, lambda xs: sum(xs) / len(xs), iters=2000, seed=1)
    assert lo < 0.5 < hi and 0.35 < lo and hi < 0.65  # the normal approximation gives about +-0.098
    assert bootstrap_ci(vals, lambda xs: sum(xs) / len(xs), iters=100, seed=1) == \
        bootstrap_ci(vals, lambda xs: sum(xs) / len(xs), iters=100, seed=1)
    with pytest.raises(ValueError):
        bootstrap_ci([], sum)


def test_mcnemar_and_paired_comparison() -> None:
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(5, 0) == pytest.approx(2 / 32)
    assert mcnemar_exact(6, 0) == pytest.approx(2 / 64)
    assert mcnemar_exact(3, 3) == 1.0
    a = [S(f"p{i}", "OK") for i in range(8)] + [S("x", "OK")]
    b = [S(f"p{i}", "WRONG_ANSWER") for i in range(6)] + [S("p6", "OK"), S("p7", "OK"), S("y", "OK")]
    cmp = paired(a, b, iters=200)
    assert cmp["problems"] == 8 and cmp["only_a"] == [f"p{i}" for i in range(6)] and cmp["only_b"] == []
    assert cmp["both"] == 2 and cmp["neither"] == 0 and cmp["significant"] is True
    assert cmp["mcnemar_p"] == pytest.approx(2 / 64)
    assert cmp["pass_at_k_diff"] == pytest.approx(6 / 8)
    assert cmp["only_in_a"] == ["x"] and cmp["only_in_b"] == ["y"]


def test_passed_public_from_the_fail_fast_position() -> None:
    assert passed_public("OK", None, 2) is True
    assert passed_public("WRONG_ANSWER", 1, 2) is False  # failed on the second public test
    assert passed_public("WRONG_ANSWER", 2, 2) is True  # failed on the first hidden test
    assert passed_public("COMPILE_ERROR", None, 2) is False
    assert passed_public("WRONG_ANSWER", 3, None) is None
    rows = from_verdict_rows([{"problem": "p", "verdict": "TIME_LIMIT", "fail_test": 4}], {"p": 1})
    assert rows[0].passed_public is True and rows[0].verdict == "TIME_LIMIT"


def test_rating_bucket() -> None:
    assert rating_bucket(1250) == "1200-1599" and rating_bucket(800) == "800-1199"
    assert rating_bucket(None) == "unrated" and rating_bucket(0) == "unrated"
