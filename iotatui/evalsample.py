"""One judged sample as the sample screen shows it, without Textual: code, per-test outcomes (letters expanded, time
and memory per test) and the first failing test's input, expected and actual output with the first differing token
marked, or the compile/runtime error text. Re-exported by :mod:`iotatui.evalview`.

The store keeps only what the program printed on its first failing test (``fail_output``, 2 KiB head) and its stderr
tail; the test's input and expected output come from the problem source the run was launched with (its config's
``problems``), loaded with the judge's own loader so test numbering is the judge's (public, private, generated).
When that source is not reachable here, the screen says so and shows the stored output only.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from iotatui.evalmetrics import COMPILE_ERROR, OK

LETTERS = {"A": "OK", "W": "WRONG_ANSWER", "T": "TIME_LIMIT", "M": "MEMORY_LIMIT", "R": "RUNTIME_ERROR",
           "O": "OUTPUT_LIMIT", "C": "COMPILE_ERROR", "E": "SANDBOX_ERROR", "-": "SKIPPED"}
"""``verdicts.tests`` letters back to names (the inverse of ``backends.events.TEST_CODES``)."""
FAIL_TEXT_MAX = 2048
"""What the ingester keeps of a failing test's output (``iotatui.ingest.FAIL_TEXT_MAX``)."""
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class FirstDiff:
    """Where expected and actual output first differ, token by token under the judge's ``alphacode`` rule."""

    index: int
    """Token index (0-based) of the first difference."""
    expected: str | None
    """That token in the expected output; None when the expected output ended first (actual has extra tokens)."""
    actual: str | None
    """That token in the actual output; None when the actual output ended first (tokens missing)."""
    expected_line: int | None
    actual_line: int | None
    """1-based line of the token in each text (None where it has no such token)."""
    expected_span: tuple[int, int] | None
    actual_span: tuple[int, int] | None
    """Character offsets of the token in each text, for highlighting."""

    @property
    def reason(self) -> str:
        if self.actual is None:
            return f"output ends early: token {self.index + 1} missing (expected {self.expected!r})"
        if self.expected is None:
            return f"extra output from token {self.index + 1}: {self.actual!r}"
        return f"token {self.index + 1} differs: expected {self.expected!r}, got {self.actual!r}"


def first_diff(expected: str, actual: str) -> FirstDiff | None:
    """The first token where ``actual`` does not match ``expected`` (the judge's comparison: whitespace-separated,
    case-insensitive, numbers by value); None when they match."""
    from judge.compare import tokens_equal

    exp, act = list(_TOKEN.finditer(expected)), list(_TOKEN.finditer(actual))
    for i in range(max(len(exp), len(act))):
        e = exp[i] if i < len(exp) else None
        a = act[i] if i < len(act) else None
        if e is not None and a is not None and tokens_equal(a.group().encode(), e.group().encode()):
            continue
        return FirstDiff(i, e.group() if e else None, a.group() if a else None,
                         expected.count("\n", 0, e.start()) + 1 if e else None,
                         actual.count("\n", 0, a.start()) + 1 if a else None,
                         e.span() if e else None, a.span() if a else None)
    return None


@dataclass(frozen=True)
class TestOutcome:
    index: int
    verdict: str
    letter: str
    time_ms: int | None
    memory_kb: int | None
    set_name: str | None = None


@dataclass
class FailCase:
    """The first failing test: what went in, what was wanted, what came out."""

    index: int
    set_name: str | None
    input: str | None
    expected: str | None
    actual: str
    stderr: str
    note: str = ""
    """Why input/expected are missing, or that the output was cut."""
    diff: FirstDiff | None = None


@dataclass
class SampleDetail:
    run_id: str
    sample_id: str
    problem: str
    language: str
    code: str
    verdict: str
    n_tests: int
    tests: list[TestOutcome] = field(default_factory=list)
    fail: FailCase | None = None
    error_text: str = ""
    """The compiler's output (COMPILE_ERROR) or the failing run's stderr (RUNTIME_ERROR and others)."""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def letters(self) -> str:
        return "".join(t.letter for t in self.tests)


def problem_source(run: dict[str, Any] | None) -> str | None:
    """The problem source an eval (or judge) run was launched with: its config's ``problems``."""
    src = ((run or {}).get("config") or {}).get("problems")
    return str(src) if src else None


@functools.lru_cache(maxsize=4)
def load_source(spec: str) -> dict[str, Any]:
    """Problems by name from a source (the judge's loader; cached: a CodeContests split takes seconds).
    Raises ValueError with one line when it cannot be loaded."""
    from judge.inputs import load_problem_set

    try:
        probs, _ = load_problem_set(spec)
    except ValueError:
        raise
    except Exception as e:  # noqa: BLE001 - any loader failure is "not reachable here", said in one line
        raise ValueError(f"problem source {spec!r}: {type(e).__name__}: {e}") from None
    return probs


def sample_detail(conn: Any, run_id: str, sample_id: str, problems: dict[str, Any] | None = None,
                  source_note: str = "") -> SampleDetail | None:
    """Everything about one sample of ``run_id``; ``problems`` (name -> Problem) supplies the failing test's input
    and expected output when given; ``source_note`` says why it is not (shown instead of the input)."""
    from iotatui.ingest import unpack

    row = conn.execute(
        "SELECT v.problem, v.verdict, v.tests, v.time_ms, v.memory_kb, v.detail, v.n_tests, v.fail_test, "
        "v.fail_output, v.fail_stderr, s.language, s.code, s.meta FROM verdicts v LEFT JOIN samples s "
        "ON s.run = COALESCE(v.sample_run, v.run) AND s.sample_id = v.sample_id "
        "WHERE v.run = ? AND v.sample_id = ?", (run_id, sample_id)).fetchone()
    if row is None:
        return None
    (problem, verdict, letters, time_blob, mem_blob, detail, n_tests, fail_test, fail_output, fail_stderr,
     language, code, meta) = row
    times, mems = unpack(time_blob), unpack(mem_blob)
    prob = (problems or {}).get(problem)
    judge_tests: list[Any] = []
    if prob is not None and hasattr(prob, "tests"):
        try:
            judge_tests = prob.tests()
        except Exception:  # noqa: BLE001 - a problem type without I/O tests (HumanEval): no inputs to show
            judge_tests = []
    tests = [TestOutcome(i, LETTERS.get(ch, "?"), ch, times[i] if i < len(times) else None,
                         mems[i] if i < len(mems) else None,
                         judge_tests[i][0] if i < len(judge_tests) else None)
             for i, ch in enumerate(letters or "")]
    d = SampleDetail(run_id, sample_id, problem, language or "?", code if code is not None else "", verdict,
                     int(n_tests or len(tests)), tests, meta=json.loads(meta) if meta else {})
    d.error_text = (fail_stderr or detail or "") if verdict != OK else ""
    if verdict in (OK, COMPILE_ERROR) or fail_test is None:
        return d
    fc = FailCase(int(fail_test), None, None, None, fail_output or "", fail_stderr or "")
    if 0 <= fc.index < len(judge_tests):
        fc.set_name, _, fc.input, fc.expected = judge_tests[fc.index]
    elif prob is not None:
        fc.note = "input unavailable: this problem's tests are not input/output pairs"
    else:
        fc.note = source_note or (f"input unavailable: problem {problem!r} not in the run's problem source"
                                  if problems is not None else "input unavailable: the run's problem source is unknown")
    if fc.expected is not None:
        fc.diff = first_diff(fc.expected, fc.actual)
    if len(fc.actual.encode()) >= FAIL_TEXT_MAX:
        fc.note = (fc.note + "; " if fc.note else "") + "actual output cut at 2 KiB"
    d.fail = fc
    return d


def load_sample(conn: Any, run: dict[str, Any], sample_id: str) -> SampleDetail | None:
    """:func:`sample_detail` with the run's problem source loaded when reachable (slow the first time: call it off
    the UI thread)."""
    spec = problem_source(run)
    problems: dict[str, Any] | None = None
    note = ""
    if spec is None:
        note = "input unavailable: the run's config names no problem source"
    else:
        try:
            problems = load_source(spec)
        except ValueError as e:
            note = f"input unavailable: {e}"
    return sample_detail(conn, run["id"], sample_id, problems, note)
