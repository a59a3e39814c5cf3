"""The judge's Python API: ``judge_solutions`` streams one ``Verdict`` per solution as each finishes.

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
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from iotatui.data.schema import CODE_LANGUAGES, Problem
from judge import compare
from judge.channel import ChannelError
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

PYTHON_TIME_MULTIPLIER = 2.0
"""CodeContests limits were set for Codeforces, where many accepted Python submissions ran on PyPy; CPython needs
headroom. 2.0 keeps the bundled correct Python solutions OK; set 1.0 for the paper's raw limits."""
WALL_MULTIPLIER = 3.0
ATTEMPTS = 3
SUPPORTED_LANGUAGES = ("python3", "cpp")
LANGUAGE_ALIASES = {"python3": "python3", "python": "python3", "py3": "python3", "py": "python3",
                    "cpp": "cpp", "c++": "cpp", "cxx": "cpp", "cpp17": "cpp"}


def normalize_language(value: Any) -> str:
    """``python3``/``cpp`` from a name or a CodeContests language code; ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        name = CODE_LANGUAGES.get(value)
        if name in SUPPORTED_LANGUAGES:
            return name
        raise ValueError(f"language: code {value} ({name or 'unknown'}) is not supported (python3 = 3, cpp = 2)")
    if isinstance(value, str) and value.lower() in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[value.lower()]
    raise ValueError(f"language: unknown {value!r} (use python3 or cpp)")


def time_limit(problem: Problem, language: str, python_time_multiplier: float = PYTHON_TIME_MULTIPLIER) -> float:
    """CPU seconds a solution in ``language`` gets per test of ``problem``."""
    return problem.time_limit * (python_time_multiplier if language == "python3" else 1.0)


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


class Options:
    """Resolved judging options shared by the workers."""

    def __init__(self, all_tests: bool, comparator: str, python_time_multiplier: float,
                 wall_multiplier: float) -> None:
        self.all_tests = all_tests
        self.comparator = compare.get(comparator)
        self.python_time_multiplier = python_time_multiplier
        self.wall_multiplier = wall_multiplier


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
        v.judge_s = time.monotonic() - t0
        return v
    for set_name, idx, inp, out in tests:
        expected = out.encode()
        channel.send({"op": "test", "out_cap": output_cap(expected)}, inp.encode())
        res, stdout = channel.recv(timeout=wall + 60)
        verdict = classify(res, stdout, expected, problem.memory_limit, opts.comparator)
        v.tests.append(TestResult(set_name, idx, verdict, float(res.get("cpu_s", 0.0)), int(res.get("max_rss", 0)),
                                  float(res.get("wall_s", 0.0)), res.get("exit_code"), res.get("signal")))
        if verdict != OK:
            if v.verdict == OK:
                v.verdict = verdict
            if not opts.all_tests:
                break
    v.judge_s = time.monotonic() - t0
    return v


def validate(problems: dict[str, Problem], solutions: Iterable[Solution]) -> list[Solution]:
    """Check every solution before any work: known problem, supported language, problem has tests."""
    out = []
    for i, s in enumerate(solutions):
        if s.problem not in problems:
            raise ValueError(f"solution {s.id!r} (#{i + 1}): unknown problem {s.problem!r}")
        lang = normalize_language(s.language)
        prob = problems[s.problem]
        if not prob.tests():
            raise ValueError(f"problem {s.problem!r} has no tests to judge against")
        if prob.uses_file_io:  # notes C20: excluded explicitly rather than judged wrongly through stdin/stdout
            raise ValueError(f"problem {s.problem!r} uses file I/O (input_file={prob.input_file!r}, "
                             f"output_file={prob.output_file!r}), which the judge does not support")
        out.append(s if lang == s.language else Solution(s.id, s.problem, lang, s.code))
    return out


def make_pool(sandbox: str, workers: int, problems: dict[str, Problem]) -> Any:
    """A sandbox pool by name (``docker`` or ``bwrap``)."""
    mem = max((p.memory_limit for p in problems.values()), default=0)
    if sandbox == "docker":
        from judge.sandbox import DEFAULT_CONTAINER_MEMORY, DockerPool

        return DockerPool(workers, memory_bytes=max(DEFAULT_CONTAINER_MEMORY, mem + (1 << 30)))
    if sandbox == "bwrap":
        from judge.bwrap import BwrapPool

        return BwrapPool(workers)
    raise ValueError(f"sandbox: unknown {sandbox!r} (use docker or bwrap)")


def judge_solutions(problems: dict[str, Problem], solutions: Iterable[Solution], *, sandbox: str = "docker",
                    workers: int | None = None, all_tests: bool = False, comparator: str = "alphacode",
                    python_time_multiplier: float = PYTHON_TIME_MULTIPLIER, wall_multiplier: float = WALL_MULTIPLIER,
                    pool: Any = None) -> Iterator[Verdict]:
    """Judge ``solutions`` and yield a ``Verdict`` per solution as each finishes (completion order).

    Everything is validated first (ValueError naming the bad item). ``workers`` defaults to the usable cores. Pass an
    open ``pool`` (``DockerPool``/``BwrapPool``) to reuse containers across calls; it is then left open.
    """
    opts = Options(all_tests, comparator, python_time_multiplier, wall_multiplier)
    todo = validate(problems, solutions)
    if not todo:
        return
    own_pool = pool is None
    if pool is None:
        n = workers or len(os.sched_getaffinity(0))
        pool = make_pool(sandbox, max(1, min(n, len(todo))), problems)
    work: queue.SimpleQueue[Solution | None] = queue.SimpleQueue()
    done: queue.SimpleQueue[Verdict | BaseException] = queue.SimpleQueue()
    stop = threading.Event()
    for s in todo:
        work.put(s)
    for _ in pool.slots:
        work.put(None)

    def worker(slot: Any) -> None:
        while not stop.is_set():
            sol = work.get()
            if sol is None:
                return
            try:
                done.put(_judge_with_retries(slot, problems[sol.problem], sol, opts, stop))
            except Exception as e:  # a bug, not a sandbox fault: surface it to the consumer instead of hanging
                done.put(e)

    threads = [threading.Thread(target=worker, args=(s,), daemon=True, name=f"judge-{s.index}") for s in pool.slots]
    for t in threads:
        t.start()
    try:
        for _ in range(len(todo)):
            item = done.get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while True:  # drain unstarted work so the workers exit promptly
            try:
                work.get_nowait()
            except queue.Empty:
                break
        for _ in pool.slots:
            work.put(None)
        if own_pool:  # closing first breaks in-flight channels, so an early exit does not wait for slow tests
            pool.close()
        for t in threads:
            t.join(timeout=None if not own_pool else 30)


def _judge_with_retries(slot: Any, problem: Problem, sol: Solution, opts: Options,
                        stop: threading.Event) -> Verdict:
    err = ""
    for _ in range(ATTEMPTS):
        try:
            return judge_one(slot.open(), problem, sol, opts)
        except (ChannelError, OSError) as e:
            err = str(e)
            slot.reset()
            if stop.is_set():  # shutting down: the fault is ours, do not start a new sandbox
                break
    return Verdict(id=sol.id, problem=sol.problem, verdict=SANDBOX_ERROR, n_tests=len(problem.tests()),
                   error=err[:2000])
