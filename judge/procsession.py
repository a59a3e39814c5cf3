"""``ProcessJudgeSession``: a ``JudgeSession`` in a child process of its own, with the same API.

    with ProcessJudgeSession(problems, workers=8, queue_extra=chunk) as judge:   # spawns the judge process
        judge.submit(solution)            # from the generating thread; blocks while the judge holds enough work
        for v in judge.results(): ...     # from a consumer thread, completion order

Why a process: the eval stage generates with vLLM, whose front end (scheduling, detokenizing) is Python in the
stage's process, and on a GPU box that front end is what keeps the GPU fed. Judge worker threads in the same process
exchange a few messages with their sandbox per test and need that process's GIL after each one, so the two would
slow each other. In a process of its own the judge's threads share a GIL only with each other, and the stage's
process handles one message per solution each way. Measured on CPU (``iotatui bench generate --split-cores``, tiny
model) the two designs pipeline equally well -- within the run-to-run noise of a 2-core VM -- so the gain there is
the isolation: a parent killed even by SIGKILL takes its sandboxes with it (below), and a GPU box's front end keeps
its GIL.

- **Lifetime belongs to the parent.** The child ignores SIGINT/SIGTERM/SIGHUP (a run's stop signals the whole process
  group; the parent decides when judging ends): it exits on ``close()`` or when the parent's end of the pipe closes
  (the parent died, even of SIGKILL), closing its pool either way, so its containers go with it.
- **Backpressure in the parent.** At most ``queue_size + queue_extra + workers`` solutions are in flight (queued,
  being judged, or verdicts not yet read): ``submit`` waits beyond that, ``stream``/``judge_batch`` read instead.
  The child's queue holds all of them, so the child never blocks on a put and always reads the next message.
- **A dead judge is an error, never a hang**: a reader or submitter waiting on a child that exited gets
  ``SessionClosed`` naming its exit code.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from typing import Any

from iotatui.data.schema import Problem
from judge.limits import PYTHON_TIME_MULTIPLIER, WALL_MULTIPLIER
from judge.session import _POLL_S, Rounds, SessionClosed
from judge.verdict import Solution, Verdict

CLOSE_TIMEOUT_S = 60.0
"""How long ``close()`` waits for the child to close its pool and exit before killing it."""


class ProcessJudgeSession(Rounds):
    """``JudgeSession``'s API (``submit``/``finish``/``results``/``judge_batch``/``stream``/``close``) with the
    session, its pool and its worker threads in a spawned child process. A context manager."""

    def __init__(self, problems: Mapping[str, Problem], *, sandbox: str = "docker", workers: int | None = None,
                 hosts: Sequence[Any] | None = None, all_tests: bool = False, comparator: str = "alphacode",
                 python_time_multiplier: float = PYTHON_TIME_MULTIPLIER, wall_multiplier: float = WALL_MULTIPLIER,
                 queue_size: int | None = None, queue_extra: int = 0, results_size: int | None = None) -> None:
        """As ``JudgeSession`` (the child builds one with its own pool: ``sandbox``, ``workers``, ``hosts``).
        ``queue_extra``: room for that many solutions besides ``queue_size`` (default 2 per worker), e.g. a
        generation chunk. Raises what the child's construction raised (a bad sandbox name, no Docker daemon)."""
        super().__init__()
        self.problems = problems
        self.closed = False
        ctx = multiprocessing.get_context("spawn")  # never fork: the caller may hold vLLM's threads and locks
        self._conn, child_conn = ctx.Pipe(duplex=True)
        kwargs = {"sandbox": sandbox, "workers": workers, "hosts": list(hosts) if hosts else None,
                  "all_tests": all_tests, "comparator": comparator, "python_time_multiplier": python_time_multiplier,
                  "wall_multiplier": wall_multiplier, "results_size": results_size}
        self.process = ctx.Process(target=_serve, args=(child_conn, dict(problems), kwargs, queue_size, queue_extra),
                                   name="iotatui-judge")
        self.process.start()
        child_conn.close()  # the child's end lives in the child only: its exit is then EOF here
        # At interpreter exit multiprocessing joins its children: a session never closed must not hang that join,
        # so our end of the pipe is closed first (the child then closes its pool and exits).
        multiprocessing.util.Finalize(self, self._conn.close, exitpriority=10)
        self._cond = threading.Condition(self._lock)
        self._send_lock = threading.Lock()  # one message at a time, in seq order
        self._recv_lock = threading.Lock()  # the reader and close() both read the pipe
        try:
            msg = self._first()
        except BaseException:
            self._kill()
            raise
        if msg[0] == "err":
            self._kill()
            raise _raised(msg[2])
        self.workers = msg[1]
        """Sandboxes in the child's pool."""
        self.limit: int = msg[2]
        """Most solutions in flight at once (queued, being judged, or verdicts unread)."""

    def _first(self) -> tuple[Any, ...]:
        # No deadline: building the sandbox image on first use takes minutes, and a child that fails says so and
        # exits (EOF here).
        while True:
            try:
                if self._conn.poll(_POLL_S):
                    return tuple(self._conn.recv())
            except EOFError:
                break
            if not self.process.is_alive() and not self._conn.poll(0):
                break
        self.process.join(timeout=5)
        raise SessionClosed(f"the judge process did not start ({self._why()})")

    def _why(self) -> str:
        code = self.process.exitcode
        if code is None:
            return "still starting"
        return f"exit code {code}" + (f", killed by {signal.Signals(-code).name}" if code < 0 else "")

    # ---- feeding -----------------------------------------------------------------------------------------------
    def _put(self, sol: Solution, timeout: float | None, block: bool = True) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._send_lock:  # held while waiting for room: seqs go out in the order they are taken
            with self._cond:
                while True:
                    if self.closed:
                        raise SessionClosed("the judge session is closed")
                    if self._finished:
                        raise RuntimeError("finish() was called: read results() to the end before submitting again")
                    if self.submitted - self.delivered < self.limit:
                        break
                    if not block:
                        return False
                    if not self.process.is_alive():
                        raise SessionClosed(f"the judge process exited ({self._why()})")
                    if deadline is not None and time.monotonic() >= deadline:
                        raise TimeoutError(f"the judge's input queue stayed full for {timeout:g}s")
                    self._cond.wait(_POLL_S)
                seq = next(self._seq)
                self.submitted += 1  # counted before it is sent: a verdict is never out before its submission
            try:
                self._conn.send(("sub", seq, sol))
            except (OSError, ValueError) as e:  # the child is gone (broken pipe) or the pipe closed
                with self._cond:
                    self.submitted -= 1
                raise SessionClosed(f"the judge process is gone ({self._why()}): {e}") from None
        return True

    # ---- reading -----------------------------------------------------------------------------------------------
    def _get(self, timeout: float | None, until: Callable[[], bool] | None = None) -> tuple[int, Verdict] | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            # Every verdict of the round is counted on arrival, so "finished and all delivered" needs no message.
            if until is not None and until():
                return None
            with self._recv_lock:
                if self.closed:
                    raise SessionClosed("the judge session is closed")
                msg: tuple[Any, ...] | None = None
                try:
                    if self._conn.poll(_POLL_S):
                        msg = self._conn.recv()
                except (EOFError, OSError):
                    self.process.join(timeout=5)
                    raise SessionClosed(f"the judge process exited ({self._why()})") from None
            if msg is not None:
                break
            if not self.process.is_alive() and not self._conn.poll(0):
                raise SessionClosed(f"the judge process exited ({self._why()})")
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"no verdict for {timeout:g}s")
        with self._cond:
            self.delivered += 1
            self._cond.notify_all()
        if msg[0] == "err":  # a bug in a worker, raised to the consumer as JudgeSession raises it
            raise _raised(msg[2])
        return msg[1], msg[2]

    # ---- lifecycle ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop: the child drops unstarted solutions, closes its pool (ending in-flight tests) and exits; killed if
        it has not within ``CLOSE_TIMEOUT_S``. Unread verdicts are dropped. Idempotent."""
        with self._cond:
            if self.closed:
                return
            self.closed = True
            self._cond.notify_all()
        try:
            with self._send_lock:
                self._conn.send(("close",))
        except (OSError, ValueError):
            pass
        deadline = time.monotonic() + CLOSE_TIMEOUT_S
        with self._recv_lock:
            while self.process.is_alive() and time.monotonic() < deadline:
                try:  # drain: a child blocked sending a verdict must get to read "close"
                    if self._conn.poll(_POLL_S):
                        self._conn.recv()
                except (EOFError, OSError):
                    break
            self.process.join(timeout=max(0.0, deadline - time.monotonic()))
        self._kill()

    def _kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self._conn.close()


def _portable(e: BaseException) -> Any:
    """``e`` with its traceback as a note if it survives pickling, else a RuntimeError saying what it was."""
    try:
        e.add_note("in the judge process:\n" + "".join(traceback.format_exception(e)).rstrip())
        pickle.dumps(e)
        return e
    except Exception:  # noqa: BLE001 - an exception that does not pickle: its text is what matters
        return RuntimeError(f"{type(e).__name__}: {e}")


def _raised(e: Any) -> BaseException:
    return e if isinstance(e, BaseException) else RuntimeError(str(e))


def _serve(conn: Connection, problems: dict[str, Problem], kwargs: dict[str, Any], queue_size: int | None,
           queue_extra: int) -> None:
    """The child: one JudgeSession; the main thread feeds it from the pipe, a pump thread sends verdicts back."""
    from judge.engine import make_pool
    from judge.session import JudgeSession

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # the parent owns this process's lifetime
        signal.signal(sig, signal.SIG_IGN)
    sandbox, workers, hosts = kwargs.pop("sandbox"), kwargs.pop("workers"), kwargs.pop("hosts")
    try:
        pool = make_pool(sandbox, max(1, workers or len(os.sched_getaffinity(0))), problems, hosts)
    except BaseException as e:  # noqa: BLE001 - said to the parent, which raises it
        conn.send(("err", -1, _portable(e)))
        conn.close()
        return
    n = len(pool.slots)
    limit = (queue_size or 2 * n) + max(0, queue_extra) + n
    seqs: dict[int, int] = {}  # this session's seq -> the parent's
    # Its input queue holds everything the parent may have in flight: a put here never blocks.
    session = JudgeSession(problems, pool=pool, queue_size=limit, **kwargs)

    def pump() -> None:
        while True:
            try:
                got = session._next(None)  # noqa: SLF001 - the seq is what maps a verdict back to the parent
                msg: tuple[Any, ...] = ("v", seqs.pop(got[0]), got[1])
            except SessionClosed:
                return
            except BaseException as e:  # noqa: BLE001 - a worker's bug: the parent's reader raises it
                msg = ("err", -1, _portable(e))
            try:
                conn.send(msg)
            except (OSError, ValueError):
                return

    pumper = threading.Thread(target=pump, name="judge-pump", daemon=True)
    try:
        conn.send(("ready", n, limit))
        pumper.start()
        taken = 0
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):  # the parent is gone
                break
            if msg[0] != "sub":
                break
            seqs[taken] = msg[1]
            taken += 1
            session._put(msg[2], None)  # noqa: SLF001 - checked by the parent already
    finally:
        pool.close()  # first: it breaks in-flight tests, so the workers are not waited for to the end of theirs
        session.close()
        pumper.join(timeout=5)
        conn.close()
