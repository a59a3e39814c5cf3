"""The bundled problem set: shape of problems.jsonl, builder checks, and a reproducible rebuild."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from iotatui.data.bundled import BUNDLED_PATH
from iotatui.data.bundled import build as B
from iotatui.data.schema import Problem


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    assert BUNDLED_PATH.exists(), f"{BUNDLED_PATH} missing: run python -m iotatui.data.bundled.build"
    return [json.loads(line) for line in BUNDLED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def problems(rows: list[dict]) -> list[Problem]:
    return [Problem.from_row(r) for r in rows]


def test_at_least_44_problems_with_unique_names_sorted(rows: list[dict]) -> None:
    names = [r["name"] for r in rows]
    assert len(names) >= 44
    assert len(set(names)) == len(names)
    assert names == sorted(names)


def test_every_source_dir_is_in_the_file(rows: list[dict]) -> None:
    import tomllib

    names = {r["name"] for r in rows}
    for d in B.find_dirs(None):
        assert tomllib.loads((d / "problem.toml").read_text())["name"] in names, d.name


def test_most_problems_have_generated_tests(problems: list[Problem]) -> None:
    with_generated = [p for p in problems if len(p.generated_tests) >= 10]
    assert len(with_generated) >= 0.9 * len(problems)


def test_tests_and_solutions_per_problem(problems: list[Problem]) -> None:
    for p in problems:
        assert 1 <= len(p.public_tests) <= 3, p.name
        assert len(p.private_tests) >= 10, p.name
        # Generated tests: small, new inputs (CodeContests derives them from the hidden ones), never a public or
        # private input again.
        assert len(p.generated_tests) <= B.GEN_MAX, p.name
        assert all(len(x.encode()) <= B.GEN_MAX_INPUT_BYTES for x in p.generated_tests.input), p.name
        assert not set(p.generated_tests.input) & set(p.public_tests.input + p.private_tests.input), p.name
        assert p.source == "UNKNOWN_SOURCE"
        assert p.difficulty in ("EASY", "MEDIUM"), p.name
        assert p.time_limit_s and p.memory_limit_bytes > 0 and p.cf_rating > 0 and p.cf_tags, p.name
        for lang in ("python3", "cpp"):
            n_ok, n_bad = len(p.solutions.of(lang)), len(p.incorrect_solutions.of(lang))
            if n_ok or n_bad:
                assert n_ok >= 3 and n_bad >= 3, (p.name, lang, n_ok, n_bad)
        assert p.solutions.of("python3"), p.name
        # At least two distinct outputs, so a constant program cannot pass (AlphaCode's test-set filter).
        outs = {" ".join(o.split()) for o in p.public_tests.output + p.private_tests.output}
        assert len(outs) >= 2, p.name
        # Public tests are the statement's examples.
        assert all(" ".join(x.split()) in " ".join(p.description.split()) for x in p.public_tests.input), p.name


def test_incorrect_solutions_do_not_leak_the_bug_label(problems: list[Problem]) -> None:
    for p in problems:
        for code in p.incorrect_solutions.solution + p.solutions.solution:
            assert "BUG" not in code.splitlines()[0], p.name


def test_all_splits_present_and_rows_load(rows: list[dict], problems: list[Problem]) -> None:
    splits = Counter(p.split for p in problems)
    assert set(splits) == {"train", "valid", "test"}, splits
    assert splits["train"] > splits["test"] > 0
    for r, p in zip(rows, problems, strict=True):
        assert p.to_row() == r  # round-trips through the shared schema exactly


@pytest.mark.slow  # compiles and runs every solution of three problems on the host
def test_rebuild_of_three_random_problems_is_identical(rows: list[dict]) -> None:
    dirs = random.Random(20240611).sample(B.find_dirs(None), 3)
    built, failures = B.build(dirs, log=lambda *a: None)
    assert failures == []
    have = {r["name"]: r for r in rows}
    for p in built:
        assert json.loads(json.dumps(p.to_row(), ensure_ascii=False)) == have[p.name], p.name


def test_outputs_match_is_the_lenient_judge_rule() -> None:
    assert B.outputs_match("YES\n1 2  \n", "yes 1\n2")
    assert B.outputs_match("0.3333333", "0.333333333")
    assert not B.outputs_match("0.33", "0.333333")
    assert not B.outputs_match("1000000000000000001", "1000000000000000000")
    assert not B.outputs_match("1 2", "1 2 3")
    assert not B.outputs_match("nan", "nan0")
    assert not B.outputs_match("inf", "1e400")


def _write_problem(root: Path, toml: str) -> Path:
    d = root / "99_demo"
    (d / "correct").mkdir(parents=True)
    (d / "incorrect").mkdir()
    (d / "problem.toml").write_text(toml)
    (d / "statement.md").write_text("Print n.\n\nExamples\n\nInput\n\n1\n\nOutput\n\n1\n")
    (d / "gen.py").write_text(
        "def public():\n    return ['1\\n']\n\n"
        "def private(rng):\n    return [f'{rng.randint(1, 9)}\\n' for _ in range(10)]\n"
    )
    (d / "correct" / "a.py").write_text("print(input())\n")
    (d / "incorrect" / "a.py").write_text("# BUG: prints a constant\nprint(1)\n")
    return d


GOOD_TOML = (
    'name = "Z99. Demo"\ndifficulty = "EASY"\ncf_rating = 800\ntags = ["implementation"]\n'
    'time_limit_s = 1.0\nmemory_limit_bytes = 256000000\nsplit = "train"\n'
)


def test_bad_problem_toml_names_file_and_field(tmp_path: Path) -> None:
    d = _write_problem(tmp_path, GOOD_TOML.replace('split = "train"', 'split = "dev"'))
    with pytest.raises(B.BuildError, match=r"problem\.toml: field 'split'.*'dev'"):
        B.load_source(d)


def test_unlabelled_incorrect_solution_is_rejected(tmp_path: Path) -> None:
    d = _write_problem(tmp_path, GOOD_TOML)
    (d / "incorrect" / "a.py").write_text("print(1)\n")
    with pytest.raises(B.BuildError, match=r"incorrect/a\.py: must start with"):
        B.load_source(d)


def test_builder_flags_a_passing_incorrect_and_too_few_solutions(tmp_path: Path) -> None:
    d = _write_problem(tmp_path, GOOD_TOML)
    (d / "incorrect" / "a.py").write_text("# BUG: none really\nprint(int(input()))\n")
    problems, failures = B.build([d], workers=1, log=lambda *a: None)
    assert len(problems) == 1 and problems[0].public_tests.output == ("1\n",)
    assert any("incorrect solution passes every test" in f for f in failures)
    assert any("1 correct python3 solutions (need >= 3)" in f for f in failures)


def test_unknown_only_slug_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert B.main(["--only", "no_such_problem_xyz", "--check-only"]) == 2
    assert "no_such_problem_xyz" in capsys.readouterr().err
