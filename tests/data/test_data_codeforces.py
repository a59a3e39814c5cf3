"""Codeforces submission dump: field-name variants, verdict grouping, languages, test-problem exclusion."""

from __future__ import annotations

from pathlib import Path

import pytest

from iotatui.data.codeforces import attach_statements, dump_to_problems, language_code, load_dump
from iotatui.data.problems import DataError
from iotatui.data.schema import Problem
from tests.data.conftest import write_jsonl


def _rows() -> list[dict]:
    return [
        {"problem_id": "1500A", "language": "GNU C++17", "verdict": "OK", "source": "int main(){}"},
        {"problem_id": "1500/A", "programmingLanguage": "Python 3", "verdict": "WRONG_ANSWER", "code": "print(1)"},
        {"contest_id": 1500, "index": "a", "lang": "PyPy 3-64", "status": "ok", "source_code": "print(2)"},
        {"problem": {"contestId": 1500, "index": "A", "name": "Apples"}, "language": "Java 11",
         "verdict": "TIME_LIMIT_EXCEEDED", "solution": "class A{}"},
        {"problem_id": "1500A", "language": "Kotlin 1.7", "verdict": "OK", "source": "fun main(){}"},
        {"problem_id": "1600B", "language": "Python 2", "verdict": "OK", "source": "print 3",
         "description": "Own statement."},
        # Test problems: excluded by CF id (1700_C) and by CodeContests name (title match, no id in the row).
        {"problem_id": "1700C", "language": "cpp", "verdict": "OK", "source": "leak"},
        {"problem_id": "1800D", "problem_name": "Secret Test Problem", "language": 3, "verdict": "OK",
         "source": "leak2"},
        {"problem_id": "1500A", "language": "GNU C++17", "verdict": "TESTING", "source": "pending"},
        {"language": "cpp", "verdict": "OK", "source": "no problem id"},
        {"problem_id": "zzz", "language": "cpp", "verdict": "OK", "source": "bad id"},
    ]


def _test_problems() -> list[Problem]:
    return [Problem(name="1700_C. Something", description="t", split="test"),
            Problem(name="Secret Test Problem", description="t", split="test")]


def test_dump_groups_by_problem_and_verdict(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dump.jsonl", _rows(), raw_lines={3: "garbage"})
    d = load_dump(path, exclude=_test_problems())
    assert sorted(d.problems) == [(1500, "A"), (1600, "B")]
    a = d.problems[(1500, "A")]
    assert a.correct == [(2, "int main(){}"), (3, "print(2)")]
    assert a.incorrect == [(3, "print(1)"), (4, "class A{}")]
    assert a.name == "Apples"
    assert d.problems[(1600, "B")].correct == [(1, "print 3")]
    assert d.unsupported_language == 1  # Kotlin
    assert d.excluded == {(1700, "C"), (1800, "D")} and d.excluded_submissions == 2
    assert d.report.skipped == 4  # garbage line, TESTING, no problem id, unparsable id
    assert any("row 4: invalid JSON" in m for m in d.report.skip_messages)
    assert any("problem_id: cannot parse 'zzz'" in m for m in d.report.skip_messages)
    leaked = [s for p in d.problems.values() for _, s in p.correct + p.incorrect if s.startswith("leak")]
    assert leaked == []


def test_statements_join_from_codecontests(tmp_path: Path) -> None:
    d = load_dump(write_jsonl(tmp_path / "dump.jsonl", _rows()), exclude=_test_problems())
    cc = [Problem(name="1500_A. Apples", description="Count the apples.", cf_contest_id=1500, cf_index="A",
                  split="train")]
    assert attach_statements(d, cc) == 0
    probs = dump_to_problems(d)
    assert [(p.name, p.description) for p in probs] == [("Apples", "Count the apples."),
                                                         ("1600_B", "Own statement.")]
    assert probs[0].solutions.language == (2, 3) and probs[0].incorrect_solutions.language == (3, 4)
    # Without a statement a dump problem cannot become a prompt: it is dropped, and counted.
    d2 = load_dump(write_jsonl(tmp_path / "dump2.jsonl", _rows()[:1]))
    assert attach_statements(d2, []) == 1 and dump_to_problems(d2) == []


def test_language_names() -> None:
    assert [language_code(x) for x in ("GNU G++20 11.2.0 (64 bit, winlibs)", "Clang++17 Diagnostics", "PyPy 2",
                                        "Python 3", "Java 8", "JavaScript", "C# 8", 4, 0, "python2")] == \
        [2, 2, 1, 3, 4, None, None, 4, None, 1]


def test_not_a_dump_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a submission dump"):
        load_dump(write_jsonl(tmp_path / "x.jsonl", [{"name": "a", "description": "b"}]))
    with pytest.raises(DataError, match="no such file"):
        load_dump(tmp_path / "missing.jsonl")
