"""The judge's core: per-solution judging over a runner channel, validation, limits, and ``judge_solutions``.

The long-lived API is ``judge.session.JudgeSession`` (submit as solutions come, results as they finish, one pool for
many rounds); ``judge_solutions`` is its one-shot wrapper for a whole list.

Policy (documented defaults, all configurable):
- time limit = the problem's ``time_limit`` (2 s when absent) x ``python_time_multiplier`` for Python. CPU time is
  what counts; the wall-clock guard is ``wall_multiplier`` x limit + 1 s (catches sleeping/blocked programs).
- memory limit = the problem's ``memory_limit_bytes`` (256 MB when absent), as RLIMIT_AS + 64 MiB runtime slack;
  MEMORY_LIMIT when the peak RSS exceeds the limit or a failed run shows an allocation failure.
- output cap per test = max(8 MiB, 4 x expected + 1 MiB): large legitimate outputs pass, floods stop early.
- tests run public, private, generated; the first failure ends the solution unless ``all_tests``.
- verdict precedence per test: TIME_LIMIT, OUTPUT_LIMIT, MEMORY_LIMIT, RUNTIME_ERROR (nonzero exit or signal),
  then the comparator (WRONG_ANSWER / OK). Infrastructure faults are retried on a fresh container (3 attempts)
  before SANDBOX_ERROR.
- the first failing test is kept: its index, the head of its stdout and the tail of its stderr (or of the compiler's
  output), ``FAIL_KEEP`` bytes each, so a user can see why a sample failed.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iotatui.data import schema
from iotatui.data.schema import JUDGE_LANGUAGES, Problem
from judge import compare
from judge.channel import ChannelError
from judge.limits import PYTHON_TIME_MULTIPLIER, WALL_MULTIPLIER
from judge.verdict import (
    COMPILE_ERROR,
    MEMORY_LIMIT,
    OK,
    OUTPUT_LIMIT,
    RUNTIME_ERROR,
    SANDBOX_ERROR,
    TIME_LIMIT,
    WRONG_ANSWER,
    Solution,
    TestResult,
    Verdict,
)

ATTEMPTS = 3
FAIL_KEEP = 2048
"""Bytes kept of the first failing test's stdout (head) and stderr (tail)."""
SUPPORTED_LANGUAGES = JUDGE_LANGUAGES
LANGUAGE_ALIASES = schema.LANGUAGE_ALIASES  # re-exported: the one table lives in iotatui.data.schema


def normalize_language(value: Any) -> str:
    """``python3``/``cpp`` from a name or a CodeContests language code; ValueError otherwise."""
    return schema.normalize_language(value, JUDGE_LANGUAGES)


def scaled_time_limit(base_s: float, language: str, python_time_multiplier: float = PYTHON_TIME_MULTIPLIER) -> float:
    """THE time rule: CPU seconds a ``language`` program gets where the problem says ``base_s``."""
    return base_s * (python_time_multiplier if language == "python3" else 1.0)


def time_limit(problem: Problem, language: str, python_time_multiplier: float = PYTHON_TIME_MULTIPLIER) -> float:
    """CPU seconds a solution in ``language`` gets per test of ``problem``."""
    return scaled_time_limit(problem.time_limit, language, python_time_multiplier)


def output_cap(expected: bytes) -> int:
    """Bytes of stdout kept per test before OUTPUT_LIMIT."""
    return max(8 << 20, 4 * len(expected) + (1 << 20))


def classify(head: dict[str, Any], stdout: bytes, expected: bytes, memory_bytes: int,
             cmp: Callable[[bytes, bytes], bool]) -> str:
    """One test's verdict from the runner's report and the program's stdout."""
    failed = head.get("exit_code") != 0 or head.get("signal") is not None
    if head.get("timeout"):
        return TIME_LIMIT
    if head.get("output_limit"):
        return OUTPUT_LIMIT
    if int(head.get("max_rss") or 0) > memory_bytes or (failed and head.get("mem_error")):
        return MEMORY_LIMIT
    if failed:
        return RUNTIME_ERROR
    return OK if cmp(stdout, expected) else WRONG_ANSWER


@dataclass(frozen=True)
class Options:
    """Resolved judging options shared by the workers."""

    all_tests: bool
    comparator: Callable[[bytes, bytes], bool]
    python_time_multiplier: float
    wall_multiplier: float

    @classmethod
    def make(cls, all_tests: bool = False, comparator: str = "alphacode",
             python_time_multiplier: float = PYTHON_TIME_MULTIPLIER, wall_multiplier: float = WALL_MULTIPLIER
             ) -> Options:
        """From user-facing values (a comparator name); ValueError names a bad one."""
        return cls(all_tests, compare.get(comparator), python_time_multiplier, wall_multiplier)


def _head(data: bytes) -> str:
    text = data[:FAIL_KEEP].decode("utf-8", "replace")  # binary output shows as U+FFFD, 3 bytes each: cut again
    return text.encode("utf-8")[:FAIL_KEEP].decode("utf-8", "ignore")


def _tail(text: str) -> str:
    data = text.encode("utf-8", "replace")[-FAIL_KEEP:]
    return data.decode("utf-8", "ignore")  # a cut multi-byte character at the front is dropped, not garbled


def judge_one(channel: Any, problem: Problem, sol: Solution, opts: Options) -> Verdict:
    """Judge one solution over an open runner channel. Raises ChannelError on infrastructure faults."""
    t0 = time.monotonic()
    tl = time_limit(problem, sol.language, opts.python_time_multiplier)
    wall = tl * opts.wall_multiplier + 1.0
    tests = problem.tests()
    v = Verdict(id=sol.id, problem=sol.problem, verdict=OK, n_tests=len(tests))
    channel.send({"op": "job", "language": sol.language, "time_s": tl, "wall_s": wall,
                  "memory_bytes": problem.memory_limit}, sol.code.encode("utf-8", "surrogateescape"))
    head, _ = channel.recv(timeout=120)
    if not head.get("ok"):
        v.verdict, v.compile_output = COMPILE_ERROR, str(head.get("output", ""))
        v.fail_stderr = _tail(v.compile_output)
        v.judge_s = time.monotonic() - t0
        return v
    for pos, (set_name, idx, inp, out) in enumerate(tests):
        expected = out.encode()
        channel.send({"op": "test", "out_cap": output_cap(expected)}, inp.encode())
        res, stdout = channel.recv(timeout=wall + 60)
        verdict = classify(res, stdout, expected, problem.memory_limit, opts.comparator)
        v.output_digests.append(hashlib.sha1(b" ".join(stdout.split())).hexdigest()[:16])  # tokens: as compared
        v.tests.append(TestResult(set_name, idx, verdict, float(res.get("cpu_s", 0.0)), int(res.get("max_rss", 0)),
                                  float(res.get("wall_s", 0.0)), res.get("exit_code"), res.get("signal")))
        if verdict != OK:
            if v.verdict == OK:  # the first failure is the one a user needs to see
                v.verdict, v.fail_test = verdict, pos
                v.fail_output, v.fail_stderr = _head(stdout), _tail(str(res.get("stderr") or ""))
            if not opts.all_tests:
                break
    v.judge_s = time.monotonic() - t0
    return v


def _key(name: str) -> str:
    return "".join(re.findall(r"[a-z0-9]", name.lower()))


def suggest_problem(name: str, known: Iterable[str]) -> str | None:
    """The problem a user probably meant: ``02_run_length`` -> ``B02. Run-Length Report`` (letters and digits
    contained in a known name), else the closest spelling; None when nothing is close."""
    keys = {_key(k): k for k in known}
    want = _key(name)
    if not want:
        return None
    hits = sorted(k for key, k in keys.items() if want in key)
    if len(hits) == 1:
        return hits[0]
    close = difflib.get_close_matches(want, list(keys), n=1, cutoff=0.6)
    return keys[close[0]] if close else None


def check_solution(problems: Mapping[str, Problem], s: Solution) -> Solution:
    """One solution ready to judge (language normalized); ValueError naming what is wrong with it."""
    if s.problem not in problems:
        hint = suggest_problem(s.problem, problems)
        raise ValueError(f"unknown problem {s.problem!r}" + (f" (did you mean {hint!r}?)" if hint else ""))
    lang = normalize_language(s.language)
    prob = problems[s.problem]
    if not prob.tests():
        raise ValueError(f"problem {s.problem!r} has no tests to judge against")
    if prob.uses_file_io:  # excluded explicitly rather than judged wrongly through stdin/stdout
        raise ValueError(f"problem {s.problem!r} uses file I/O (input_file={prob.input_file!r}, "
                         f"output_file={prob.output_file!r}), which the judge does not support")
    return s if lang == s.language else Solution(s.id, s.problem, lang, s.code)


def validate(problems: Mapping[str, Problem], solutions: Iterable[Solution]) -> list[Solution]:
    """Check every solution before any work: known problem, supported language, problem has tests."""
    out = []
    for i, s in enumerate(solutions):
        try:
            out.append(check_solution(problems, s))
        except ValueError as e:
            raise ValueError(f"solution {s.id!r} (#{i + 1}): {e}") from None
    return out


def make_pool(sandbox: str, workers: int, problems: Mapping[str, Problem], hosts: Sequence[Any] | None = None) -> Any:
    """A sandbox pool by name (``docker`` or ``bwrap``). ``hosts`` (``iotatui.config.JudgeHost``s, the workspace's
    ``judge_hosts``) spreads a docker pool over several daemons; bwrap is local and ignores them."""
    mem = max((p.memory_limit for p in problems.values()), default=0)
    if sandbox == "docker":
        from judge.sandbox import DEFAULT_CONTAINER_MEMORY, DockerPool

        return DockerPool(workers, memory_bytes=max(DEFAULT_CONTAINER_MEMORY, mem + (1 << 30)), hosts=hosts)
    if sandbox == "bwrap":
        from judge.bwrap import BwrapPool

        return BwrapPool(workers)
    raise ValueError(f"sandbox: unknown {sandbox!r} (use docker or bwrap)")


def judge_solutions(problems: Mapping[str, Problem], solutions: Iterable[Solution], *, sandbox: str = "docker",
                    workers: int | None = None, all_tests: bool = False, comparator: str = "alphacode",
                    python_time_multiplier: float = PYTHON_TIME_MULTIPLIER, wall_multiplier: float = WALL_MULTIPLIER,
                    pool: Any = None) -> Iterator[Verdict]:
    """Judge ``solutions`` and yield a ``Verdict`` per solution as each finishes (completion order).

    Everything is validated first (ValueError naming the bad item). ``workers`` defaults to the usable cores. Pass an
    open ``pool`` (``DockerPool``/``BwrapPool``) to reuse containers across calls; it is then left open. A thin
    wrapper over ``judge.session.JudgeSession``, which is what a caller that judges as it generates should use.
    """
    from judge.session import JudgeSession

    todo = validate(problems, solutions)
    if not todo:
        return
    n = workers or len(os.sched_getaffinity(0))
    with JudgeSession(problems, sandbox=sandbox, workers=max(1, min(n, len(todo))), all_tests=all_tests,
                      comparator=comparator, python_time_multiplier=python_time_multiplier,
                      wall_multiplier=wall_multiplier, pool=pool) as session:
        yield from session.stream(todo, checked=True)


def judge_with_retries(slot: Any, problem: Problem, sol: Solution, opts: Options, stop: threading.Event) -> Verdict:
    """Judge on ``slot``, retrying infrastructure faults on a fresh sandbox; SANDBOX_ERROR after ``ATTEMPTS``."""
    err = ""
    for _ in range(ATTEMPTS):
        try:
            return judge_one(slot.open(), problem, sol, opts)
        except (ChannelError, OSError) as e:
            err = str(e)
            slot.reset()
            if stop.is_set():  # shutting down: the fault is ours, do not start a new sandbox
                break
        except Exception as e:  # a judge bug on this one solution (comparator, bad reply): its verdict, not a crash
            slot.reset()  # the channel may be mid-message; the next solution starts on a fresh sandbox
            err = f"judge error: {type(e).__name__}: {e}"
            break
    return Verdict(id=sol.id, problem=sol.problem, verdict=SANDBOX_ERROR, n_tests=len(problem.tests()),
                   error=err[:2000])
