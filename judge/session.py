"""``JudgeSession``: a long-lived judge that solutions stream into and verdicts stream out of.

    with JudgeSession(problems, workers=4) as judge:       # starts nothing yet: sandboxes open on first use
        rewards = [v.fraction_passed for v in judge.judge_batch(batch)]   # a PPO/GRPO step; same pool every step

    with JudgeSession(problems) as judge:                  # eval: judge while generating
        threading.Thread(target=lambda: ([judge.submit(s) for s in generate()], judge.finish())).start()
        for v in judge.results():                          # completion order, as each finishes
            ...

- **One pool, many rounds.** One worker thread per sandbox slot lives as long as the session, so containers (and
  their runner sessions) are reused by every ``submit``/``results`` round and every ``judge_batch`` call.
- **Bounded both ways.** ``submit`` blocks while ``queue_size`` solutions wait for a worker; a worker whose verdict
  finds ``results_size`` verdicts unread waits too. A producer faster than the sandboxes is slowed, never buffered
  without bound. So a single thread must not ``submit`` an unbounded stream without reading results (it would wait
  for itself): use ``judge_batch``/``stream`` there, which interleave the two, or submit from another thread.
- **Rounds.** ``results()`` ends once ``finish()`` was called and every solution submitted before it has its verdict;
  the session is then ready for the next round. Without ``finish()`` it keeps waiting for more (a streaming consumer).
- **Validation per solution.** ``submit`` checks a solution at once (known problem, judged language, has tests,
  no file I/O) and raises ValueError naming it; the session carries on.
- A bug in a worker (not a sandbox fault, which is retried then reported as SANDBOX_ERROR) is raised to the consumer.
- **In a process of its own**: ``judge.procsession.ProcessJudgeSession`` has this API (``Rounds``) with the session
  in a child process, for a caller whose own threads are busy (the eval stage's vLLM front end): the judge's threads
  then never wait for that process's GIL.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import threading
import time
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from iotatui.data.schema import Problem
from judge.engine import (
    Options,
    check_solution,
    judge_with_retries,
    make_pool,
)
from judge.limits import PYTHON_TIME_MULTIPLIER, WALL_MULTIPLIER
from judge.verdict import Solution, Verdict

_POLL_S = 0.2
"""How often a blocked worker or submitter looks at the stop flag."""


class SessionClosed(RuntimeError):
    """The session was closed (or failed); it judges nothing more."""


class Rounds:
    """What every session shares, built on its ``_put``/``_get``: validation, rounds (``finish``/``results``), and
    one-thread feeding and reading (``judge_batch``/``stream``). ``JudgeSession`` judges in this process;
    ``judge.procsession.ProcessJudgeSession`` in a process of its own."""

    problems: Mapping[str, Problem]
    closed: bool
    workers: int

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards the counters and the closed/finished flags
        self._reading = threading.Lock()  # one consumer at a time: two would steal each other's verdicts
        self._seq = itertools.count()
        self.submitted = 0
        """Solutions accepted so far (all rounds)."""
        self.delivered = 0
        """Verdicts handed out so far (all rounds)."""
        self._finished = False

    def _put(self, sol: Solution, timeout: float | None, block: bool = True) -> bool:
        """Queue a checked solution: False when ``block`` is off and there is no room; SessionClosed, TimeoutError."""
        raise NotImplementedError

    def _get(self, timeout: float | None, until: Callable[[], bool] | None = None) -> tuple[int, Verdict] | None:
        """The next (seq, verdict), counted as delivered; None as soon as ``until()`` holds with nothing to read."""
        raise NotImplementedError

    def _next(self, timeout: float | None) -> tuple[int, Verdict]:
        got = self._get(timeout)
        assert got is not None  # without ``until`` only a verdict (or an exception) ends _get
        return got

    def close(self) -> None:
        raise NotImplementedError

    # ---- feeding -----------------------------------------------------------------------------------------------
    def check(self, solution: Solution) -> Solution:
        """``solution`` ready to judge (language normalized); ValueError naming what is wrong with it."""
        try:
            return check_solution(self.problems, solution)
        except ValueError as e:
            raise ValueError(f"solution {solution.id!r}: {e}") from None

    def submit(self, solution: Solution, timeout: float | None = None) -> None:
        """Queue one solution; blocks while the input queue is full (TimeoutError after ``timeout`` seconds).

        A bad solution raises ValueError at once and is not queued; the session is unaffected.
        """
        self._put(self.check(solution), timeout)

    def finish(self) -> None:
        """No more solutions this round: ``results()`` ends once every one submitted so far has its verdict."""
        with self._lock:
            self._finished = True

    @property
    def pending(self) -> int:
        """Solutions submitted whose verdict has not been handed out yet."""
        with self._lock:
            return self.submitted - self.delivered

    # ---- reading -----------------------------------------------------------------------------------------------
    def results(self, timeout: float | None = None) -> Iterator[Verdict]:
        """Verdicts as they finish (completion order); see the module docstring for when the iterator ends.

        ``timeout``: TimeoutError when no verdict arrives for that many seconds (None: wait as long as it takes).
        """
        with self._reader():
            while True:
                got = self._get(timeout, until=self._round_over)
                if got is None:
                    return
                yield got[1]

    def _round_over(self) -> bool:
        with self._lock:
            if self._finished and self.delivered == self.submitted:
                self._finished = False  # the next round may begin
                return True
            return False

    def judge_batch(self, solutions: Iterable[Solution]) -> list[Verdict]:
        """Judge ``solutions`` on this session's pool; verdicts in input order. All are validated first (ValueError
        naming the first bad one, before any work). The convenience for RL rewards: call it every step."""
        todo = [self.check(s) for s in solutions]
        out: dict[int, Verdict] = {}
        with self._reader():
            for seq, v in self._interleave(todo):
                out[seq] = v
        return [out[k] for k in sorted(out)]

    def stream(self, solutions: Iterable[Solution], checked: bool = False) -> Iterator[Verdict]:
        """Judge ``solutions`` (an iterable, consumed lazily) and yield verdicts in completion order, feeding and
        reading from one thread. A bad solution raises ValueError when reached; the verdicts of those submitted
        before it can still be read (``finish()``, then ``results()``)."""
        sols = solutions if checked else (self.check(s) for s in solutions)
        with self._reader():
            for _, v in self._interleave(sols):
                yield v

    def _interleave(self, sols: Iterable[Solution]) -> Iterator[tuple[int, Verdict]]:
        # Submit while the input queue has room; when it is full, read a verdict (which frees a worker) instead of
        # blocking, so one thread can feed and read without waiting for itself.
        if self.pending:
            raise RuntimeError(f"{self.pending} verdicts of earlier submissions are unread: read results() first")
        owed = 0
        for sol in sols:
            while not self._put(sol, None, block=False):
                owed -= 1
                yield self._next(None)
            owed += 1
        for _ in range(owed):
            yield self._next(None)

    @contextlib.contextmanager
    def _reader(self) -> Iterator[None]:
        if not self._reading.acquire(blocking=False):
            raise RuntimeError("another consumer is already reading this session's verdicts")
        try:
            yield
        finally:
            self._reading.release()

    def __enter__(self) -> typing.Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class JudgeSession(Rounds):
    """A judge with a fixed problem set and a pool of sandboxes, fed one solution at a time. A context manager."""

    def __init__(self, problems: Mapping[str, Problem], *, sandbox: str = "docker", workers: int | None = None,
                 all_tests: bool = False, comparator: str = "alphacode",
                 python_time_multiplier: float = PYTHON_TIME_MULTIPLIER, wall_multiplier: float = WALL_MULTIPLIER,
                 pool: Any = None, queue_size: int | None = None, results_size: int | None = None,
                 hosts: Sequence[Any] | None = None) -> None:
        """``workers`` defaults to the usable cores; pass an open ``pool`` to reuse one across sessions (it is then
        left open; it serves one session at a time: each of its slots gets one worker thread per session); ``hosts``
        (the workspace's ``judge_hosts``) spreads an own docker pool over several daemons.
        ``queue_size`` (default 2 per worker) and ``results_size`` (default 4 per worker) bound the two queues."""
        super().__init__()
        self.problems = problems
        self.opts = Options.make(all_tests, comparator, python_time_multiplier, wall_multiplier)
        self.own_pool = pool is None
        self.pool = pool if pool is not None else make_pool(
            sandbox, max(1, workers or len(os.sched_getaffinity(0))), problems, hosts)
        n = self.workers = len(self.pool.slots)
        """Sandboxes (one worker thread each)."""
        self._todo: queue.Queue[tuple[int, Solution]] = queue.Queue(max(1, queue_size or 2 * n))
        self._done: queue.Queue[tuple[int, Verdict | BaseException]] = queue.Queue(max(1, results_size or 4 * n))
        self._stop = threading.Event()
        self.closed = False
        self._threads = [threading.Thread(target=self._work, args=(s,), daemon=True, name=f"judge-{s.index}")
                         for s in self.pool.slots]
        for t in self._threads:
            t.start()

    def _put(self, sol: Solution, timeout: float | None, block: bool = True) -> bool:
        with self._lock:
            if self.closed:
                raise SessionClosed("the judge session is closed")
            if self._finished:
                raise RuntimeError("finish() was called: read results() to the end before submitting again")
            seq = next(self._seq)  # increasing in submission order: judge_batch sorts by it
            self.submitted += 1  # counted before it is queued, so a verdict is never out before its submission
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while True:
                try:
                    self._todo.put((seq, sol), block=block, timeout=_POLL_S if block else None)
                    return True
                except queue.Full:
                    if not block:
                        raise
                    if self._stop.is_set():
                        raise SessionClosed("the judge session is closed") from None
                    if deadline is not None and time.monotonic() >= deadline:
                        raise TimeoutError(f"the judge's input queue stayed full for {timeout:g}s") from None
        except (queue.Full, SessionClosed, TimeoutError) as e:
            with self._lock:
                self.submitted -= 1
            if isinstance(e, queue.Full):
                return False
            raise

    def _get(self, timeout: float | None, until: Callable[[], bool] | None = None) -> tuple[int, Verdict] | None:
        # The next (seq, verdict); None as soon as ``until()`` holds with nothing to read (checked first, and again
        # at every poll, so a finish() that comes after the last verdict still ends the round).
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if until is not None and self._done.empty() and until():
                return None
            try:
                seq, item = self._done.get(timeout=_POLL_S)
                break
            except queue.Empty:
                if self.closed:
                    raise SessionClosed("the judge session is closed") from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError(f"no verdict for {timeout:g}s") from None
        with self._lock:
            self.delivered += 1
        if isinstance(item, BaseException):
            raise item
        return seq, item

    # ---- workers -----------------------------------------------------------------------------------------------
    def _work(self, slot: Any) -> None:
        while not self._stop.is_set():
            try:
                seq, sol = self._todo.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            item: Verdict | BaseException
            try:
                item = judge_with_retries(slot, self.problems[sol.problem], sol, self.opts, self._stop)
            except Exception as e:  # a bug, not a sandbox fault: surface it to the consumer instead of hanging
                item = e
            while not self._stop.is_set():  # results queue full: wait for the consumer (backpressure)
                try:
                    self._done.put((seq, item), timeout=_POLL_S)
                    break
                except queue.Full:
                    continue

    # ---- lifecycle ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop: unstarted solutions are dropped, an own pool is closed (which ends in-flight tests), workers joined.
        Idempotent."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
        self._stop.set()
        while True:  # drop unstarted work (the workers see the stop flag within _POLL_S)
            try:
                self._todo.get_nowait()
            except queue.Empty:
                break
        if self.own_pool:  # closing first breaks in-flight channels, so closing does not wait for slow tests
            self.pool.close()
        for t in self._threads:
            t.join(timeout=30 if self.own_pool else None)

