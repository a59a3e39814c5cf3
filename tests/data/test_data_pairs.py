"""Preference triplets: the fast closest search equals the naive loop; determinism; same language only."""

from __future__ import annotations

import random
from pathlib import Path

import Levenshtein
import pytest

from iotatui.bench.pairs_bench import first_difference, synthetic_problem
from iotatui.bench.pairs_bench import main as bench_main
from iotatui.data.pairs import build_pairs, build_triplets, closest, closest_naive, lower_bounds
from iotatui.data.problems import DataError
from iotatui.data.prompt import extract
from iotatui.data.schema import Problem, Solutions


def _random_strings(rng: random.Random, alpha: str, n: int, maxlen: int) -> list[str]:
    return ["".join(rng.choice(alpha) for _ in range(rng.randint(0, maxlen))) for _ in range(n)]


def test_closest_equals_naive_on_random_small_cases() -> None:
    rng = random.Random(0)
    for _ in range(300):  # tiny alphabets make ties frequent: the tie-break is exercised
        alpha = rng.choice(["ab", "abc", "a b\n", "aé€x"])
        cor = _random_strings(rng, alpha, rng.randint(1, 7), 10)
        inc = _random_strings(rng, alpha, rng.randint(1, 7), 10)
        if rng.random() < 0.3:
            inc += inc
        assert closest(cor, inc) == closest_naive(cor, inc), (cor, inc)


def test_closest_equals_naive_on_code_like_programs() -> None:
    cor, inc = synthetic_problem(40, 80, approaches=3, seed=5)
    assert closest(cor, inc, workers=2) == closest_naive(cor, inc)
    assert closest(cor, inc, workers=1) == closest_naive(cor, inc)


def test_lower_bound_is_a_lower_bound() -> None:
    cor, inc = synthetic_problem(10, 20, seed=1)
    lb = lower_bounds(cor, inc)
    for i, c in enumerate(cor):
        for j, s in enumerate(inc):
            assert abs(len(c) - len(s)) <= lb[i, j] <= Levenshtein.distance(c, s)


def test_edge_cases() -> None:
    assert closest([], ["a"]) == [] and closest(["a"], []) == [(-1, -1)]
    assert closest(["abc"], ["xyz", "abd", "abd"]) == [(1, 1)]


def _problem(name: str, seed: int, n_cor: int = 6, n_inc: int = 9) -> Problem:
    cor, inc = synthetic_problem(n_cor, n_inc, approaches=2, seed=seed)
    cpp_cor = [f"int main() {{ return {i}; }}\n" for i in range(3)]
    cpp_inc = [f"int main() {{ return {i} + 1; }}\n" for i in range(2)]
    return Problem(name=name, description=f"Statement {name}", split="train",
                   solutions=Solutions(tuple([3] * n_cor + [2] * 3), tuple(cor + cpp_cor)),
                   incorrect_solutions=Solutions(tuple([3] * n_inc + [2] * 2), tuple(inc + cpp_inc)))


def test_triplets_same_language_closest_is_argmin_and_naive_agrees() -> None:
    probs = [_problem("p1", 1), _problem("p2", 2)]
    rows, totals = build_triplets(probs, ("python3", "cpp"), seed=3)
    naive_rows, _ = build_triplets(probs, ("python3", "cpp"), seed=3, naive=True)
    assert rows == naive_rows
    # Two rows per correct solution, less the random ones that drew the closest negative (the same triplet).
    assert totals["correct"] == 2 * (6 + 3) and len(rows) == 2 * totals["correct"] - totals["duplicates_skipped"]
    assert sum(r["kind"] == "closest" for r in rows) == totals["correct"]
    assert len({(r["prompt"], r["chosen"], r["rejected"]) for r in rows}) == len(rows)  # no exact duplicate
    assert {r["problem"] for r in rows} == {"p1", "p2"}
    assert all(f"Statement {r['problem']}\n" in r["prompt"] for r in rows)
    for r in rows:
        ch, rj = extract(r["chosen"]), extract(r["rejected"])
        assert ch.language == rj.language  # same language only
        assert r["prompt"].endswith("Python 3.\n" if ch.language == "python3" else "C++.\n")
    checked = 0
    for r in rows:
        ch = extract(r["chosen"])
        if r["kind"] != "closest" or ch.language != "python3":
            continue
        (p,) = [p for p in probs if f"{p.description}\n" in r["prompt"]]
        inc = p.incorrect_solutions.of("python3")
        dists = [Levenshtein.distance(ch.code, s) for s in inc]
        assert extract(r["rejected"]).code == inc[dists.index(min(dists))]
        checked += 1
    assert checked == 12


def test_deterministic_under_seed_and_ambiguous_dropped(tmp_path: Path) -> None:
    import datasets

    p = _problem("p", 4)
    flaky = Problem(name="flaky", description="d", split="train",
                    solutions=Solutions((3, 3), ("print(1)\n", "print(2)\n")),
                    incorrect_solutions=Solutions((3, 3), ("print(1)\n", "print(3)\n")))
    r1 = build_pairs([p, flaky], tmp_path / "a", seed=11)
    build_pairs([p, flaky], tmp_path / "b", seed=11)
    build_pairs([p, flaky], tmp_path / "c", seed=12)
    a, b, c = (datasets.load_from_disk(str(tmp_path / x))[:] for x in "abc")
    assert a == b and a != c
    assert list(a) == ["prompt", "chosen", "rejected", "problem"]
    assert r1["counts"]["ambiguous"] == 1  # "print(1)" is both accepted and rejected: never a negative
    assert all(ch != rj for ch, rj in zip(a["chosen"], a["rejected"], strict=True))
    dups = r1["counts"]["duplicates_skipped"]
    assert r1["counts"]["by_kind"] == {"random": 11 - dups, "closest": 11} and r1["counts"]["triplets"] == 22 - dups
    assert r1["counts"]["problems"] == 2 and set(a["problem"]) == {"p", "flaky"}


def test_a_random_negative_equal_to_the_closest_is_one_row_and_counted() -> None:
    # One incorrect program: every random draw is the closest one, so each correct solution gives one row, not two.
    p = Problem(name="one", description="d", split="train",
                solutions=Solutions((3, 3, 3), ("print(1)\n", "print(2)\n", "print(3)\n")),
                incorrect_solutions=Solutions((3,), ("print(4)\n",)))
    rows, totals = build_triplets([p], ("python3",), seed=0)
    assert totals["duplicates_skipped"] == 3 and [r["kind"] for r in rows] == ["closest"] * 3
    only_random, t2 = build_triplets([p], ("python3",), seed=0, kinds=("random",))
    assert len(only_random) == 3 and t2["duplicates_skipped"] == 0  # one kind asked for: nothing to collide with


def test_kinds_caps_and_errors(tmp_path: Path) -> None:
    p = _problem("p", 6, n_cor=10, n_inc=10)
    rows, _ = build_triplets([p], ("python3",), kinds=("closest",), max_correct=4, max_incorrect=3)
    assert len(rows) == 4 and {r["kind"] for r in rows} == {"closest"}
    assert len({r["rejected"] for r in rows}) <= 3
    with pytest.raises(DataError, match="kinds: unknown value 'nearest'"):
        build_triplets([p], kinds=("nearest",))
    with pytest.raises(DataError, match="no preference pairs"):
        build_pairs([Problem(name="x", description="d", split="train")], tmp_path / "none")
    with pytest.raises(DataError, match="test-split"):
        build_pairs([Problem(name="x", description="d", split="test")], tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_bench_compares_ours_with_naive() -> None:
    res = bench_main(json_out=True, n_correct=20, n_incorrect=40, check=False)
    assert res["first_difference"] is None and res["identical"] is True
    assert set(res) >= {"ours_s", "naive_s", "speedup"} and res["ours_s"] > 0 and res["naive_s"] > 0


def test_bench_comparison_catches_a_difference() -> None:
    same = [(0, 5), (1, 3), (2, 0)]
    assert first_difference(same, list(same)) is None
    assert first_difference(same, [(0, 5), (2, 3), (2, 0)]) == 1  # another negative chosen
    assert first_difference(same, [(0, 5), (1, 4), (2, 0)]) == 1  # same negative, another distance
    assert first_difference(same, same[:2]) == 2  # one side shorter
