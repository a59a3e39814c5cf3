"""Real datasets through the sandbox: every HumanEval canonical solution OK; every bundled CodeContests-style correct
solution OK and every incorrect one not OK (notes C22: the judge's true-positive / true-negative rates)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from judge.verdict import Solution

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_humaneval_canonical_all_ok(judge: Any) -> None:
    from judge import humaneval

    problems = humaneval.load_problems()
    sols = [humaneval.wrap(s) for s in humaneval.canonical_solutions()]
    assert len(sols) == 164
    t0 = time.monotonic()
    got = judge(problems.values(), sols, comparator="exit0")
    dt = time.monotonic() - t0
    bad = {k: (v.verdict, v.tests[-1].to_dict() if v.tests else v.compile_output) for k, v in got.items()
           if v.verdict != "OK"}
    print(f"\nHumanEval: 164 canonical solutions judged in {dt:.1f}s ({164 / dt:.1f}/s) on 2 containers")
    assert not bad, bad


def test_bundled_solutions_classified(judge: Any) -> None:
    from iotatui.data.problems import BUNDLED_PATH, load_problems
    from iotatui.data.schema import CODE_LANGUAGES
    from judge.engine import SUPPORTED_LANGUAGES

    assert BUNDLED_PATH.exists(), f"bundled problem set missing: {BUNDLED_PATH} (python -m iotatui.data.bundled.build)"
    problems = load_problems("bundled")
    sols = []
    for p in problems:
        for kind, group in (("ok", p.solutions), ("bad", p.incorrect_solutions)):
            for i, (lang, code) in enumerate(zip(group.language, group.solution, strict=True)):
                if CODE_LANGUAGES.get(lang) in SUPPORTED_LANGUAGES:
                    sols.append(Solution(f"{p.name}/{kind}/{i}", p.name, CODE_LANGUAGES[lang], code))
    assert sum("/ok/" in s.id for s in sols) and sum("/bad/" in s.id for s in sols)
    got = judge(problems, sols)
    wrong = {k: v.verdict for k, v in got.items() if ("/ok/" in k) != (v.verdict == "OK")}
    assert not wrong, f"{len(wrong)} of {len(got)} misjudged: {wrong}"
    assert not [k for k, v in got.items() if v.verdict == "SANDBOX_ERROR"]


def test_curriculum_references_pass_and_mutants_fail_in_the_sandbox(judge: Any) -> None:
    """The generator checks its programs in-process; the real judge (its comparator, limits, Python in the image)
    must agree: every 60th curriculum problem, both references OK, every kept mutant not OK."""
    from iotatui.data.curriculum import problems

    sample = list(problems())[::60]
    sols = [Solution(f"{p.name}/{kind}/{i}", p.name, "python3", code) for p in sample
            for kind, group in (("ok", p.solutions), ("bad", p.incorrect_solutions))
            for i, code in enumerate(group.solution)]
    assert sum("/bad/" in s.id for s in sols) > len(sample)  # mutants exist for most problems
    got = judge(sample, sols)
    wrong = {k: v.verdict for k, v in got.items() if ("/ok/" in k) != (v.verdict == "OK")}
    assert len(got) == len(sols) and not wrong, f"{len(wrong)} of {len(got)} misjudged: {wrong}"
