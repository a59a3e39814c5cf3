"""Verdict records: what the judge returns per solution and per test (JSON-ready via ``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OK = "OK"
WRONG_ANSWER = "WRONG_ANSWER"
TIME_LIMIT = "TIME_LIMIT"
MEMORY_LIMIT = "MEMORY_LIMIT"
RUNTIME_ERROR = "RUNTIME_ERROR"
OUTPUT_LIMIT = "OUTPUT_LIMIT"
COMPILE_ERROR = "COMPILE_ERROR"
SANDBOX_ERROR = "SANDBOX_ERROR"
VERDICTS = (OK, WRONG_ANSWER, TIME_LIMIT, MEMORY_LIMIT, RUNTIME_ERROR, OUTPUT_LIMIT, COMPILE_ERROR, SANDBOX_ERROR)


@dataclass(frozen=True)
class Solution:
    """One program to judge. ``language`` is ``python3`` or ``cpp``."""

    id: str
    problem: str
    language: str
    code: str


@dataclass
class TestResult:
    """One test's outcome. ``time_s`` is CPU time; ``memory_bytes`` the peak RSS."""

    set: str
    index: int
    verdict: str
    time_s: float
    memory_bytes: int
    wall_s: float = 0.0
    exit_code: int | None = None
    signal: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The VERDICTS.jsonl per-test shape."""
        d: dict[str, Any] = {"set": self.set, "index": self.index, "verdict": self.verdict,
                             "time_s": self.time_s, "memory_bytes": self.memory_bytes, "wall_s": self.wall_s}
        if self.exit_code not in (0, None):
            d["exit_code"] = self.exit_code
        if self.signal is not None:
            d["signal"] = self.signal
        return d


@dataclass
class Verdict:
    """A solution's overall verdict: the first failing test's verdict (OK when all ran tests pass)."""

    id: str
    problem: str
    verdict: str
    tests: list[TestResult] = field(default_factory=list)
    n_tests: int = 0
    """How many tests the problem has (``tests`` may be shorter when fail-fast stopped early)."""
    compile_output: str | None = None
    error: str | None = None
    """Only for SANDBOX_ERROR: what failed in the infrastructure."""
    judge_s: float = 0.0
    fail_test: int | None = None
    """Position (in ``Problem.tests()`` order) of the first failing test; None when none failed or none ran."""
    fail_output: str = ""
    """Head of the first failing test's stdout (at most 2 KiB)."""
    fail_stderr: str = ""
    """Tail of the first failing test's stderr, or of the compiler's output for COMPILE_ERROR (at most 2 KiB)."""
    output_digests: list[str] = field(default_factory=list)
    """Per test run, a digest of its stdout's whitespace-separated tokens (10@k's behaviour clusters; not in
    ``to_dict``)."""

    @property
    def passed(self) -> bool:
        """True when the verdict is OK."""
        return self.verdict == OK

    @property
    def fraction_passed(self) -> float:
        """Tests passed over the problem's test count (a dense reward; exact only with ``all_tests``)."""
        if not self.n_tests:
            return 0.0
        return sum(t.verdict == OK for t in self.tests) / self.n_tests

    def to_dict(self) -> dict[str, Any]:
        """The VERDICTS.jsonl line for this solution."""
        d: dict[str, Any] = {"id": self.id, "problem": self.problem, "verdict": self.verdict,
                             "tests": [t.to_dict() for t in self.tests], "n_tests": self.n_tests,
                             "judge_s": round(self.judge_s, 4)}
        if self.compile_output is not None:
            d["compile_output"] = self.compile_output
        if self.error is not None:
            d["error"] = self.error
        if self.fail_test is not None:  # (a compile error's text is already in compile_output)
            d.update(fail_test=self.fail_test, fail_output=self.fail_output, fail_stderr=self.fail_stderr)
        return d
