"""The backend side of the run protocol: read the resolved config, emit events, report the outcome.

A stage module ends with::

    if __name__ == "__main__":
        from backends._runtime import run_stage
        run_stage(Config, main)

The supervisor starts ``python -m backends.<stage> --run-dir DIR``. ``DIR/config.json`` holds the resolved config,
``DIR/launch.json`` the attempt number and the checkpoint to resume from. Stdlib only (torch loads inside ``main``).

Stopping is cooperative. SIGTERM sets ``run.should_stop``; a stage that polls it saves a checkpoint at its next safe
point and returns, and the run is recorded ``stopped`` (never ``finished``). A trainer callback does the same from
``on_step_end`` (``control.should_save = control.should_training_stop = True``; under several ranks it should agree
on the flag with an all-reduce, since each rank gets its own SIGTERM at its own step). Polling is what opts a stage
in: until a stage has read ``run.should_stop`` once, SIGTERM raises :class:`StopRequested` at once, as a stage that
never looks would otherwise run on until the supervisor's SIGKILL, skipping its ``finally`` blocks (Docker cleanup).

Under ``torchrun``/``accelerate launch`` only rank 0 writes events; the other ranks get a null writer, and their
failure still fails the run through their exit status (the launcher propagates it).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

from backends._failures import describe as describe_failure
from backends.events import (
    EVENTS_FILE,
    Artifact,
    Checkpoint,
    Event,
    EventWriter,
    LogLine,
    Progress,
    RunFailed,
    RunFinished,
    RunStarted,
    RunStopped,
    Sample,
    VerdictEvent,
)

C = TypeVar("C")
E = TypeVar("E", bound=Event)

STOP_EXIT_CODE = 143
"""Exit status after a stop that interrupted a stage (128 + SIGTERM, what dying of the signal would report)."""


def hostname() -> str:
    """This machine's name, as recorded in ``started`` events and compared by the supervisor's liveness check."""
    return socket.gethostname()


def is_main_process(env: Mapping[str, str] | None = None) -> bool:
    """False on a non-zero rank of a distributed launch (torchrun and accelerate set ``RANK``; some launchers set
    only ``LOCAL_RANK`` with ``WORLD_SIZE``). Unparsable values count as rank 0: a run that emits twice is visible,
    a run that emits nothing is not."""
    env = os.environ if env is None else env

    def num(name: str, default: int) -> int:
        try:
            return int(env.get(name, default))
        except ValueError:
            return default

    if "RANK" in env:
        return num("RANK", 0) == 0
    return num("WORLD_SIZE", 1) <= 1 or num("LOCAL_RANK", 0) == 0


class StopRequested(BaseException):
    """Raised in the main thread on SIGTERM, only while the stage has not yet polled ``run.should_stop``.

    A BaseException so that ``except Exception`` blocks in library code do not swallow it.
    """


class Sink(Protocol):
    """What ``run.events`` is: an :class:`EventWriter`, or a :class:`NullWriter` off rank 0."""

    def emit(self, event: Event) -> None: ...
    def emit_many(self, events: Sequence[Event]) -> None: ...
    def metrics(self, step: int, values: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class NullWriter:
    """The events sink of a non-main rank: accepts everything, writes nothing."""

    def emit(self, event: Event) -> None:
        pass

    def emit_many(self, events: Sequence[Event]) -> None:
        pass

    def metrics(self, step: int, values: dict[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass


class EventBatch(Generic[E]):
    """Buffers events of one kind and writes them in bursts: every ``max_events``, after ``max_wait_s`` (a
    background timer, so a slow tail is not held back), and on close. One ``write`` per burst instead of per line.

    Use as ``with run.verdicts() as out: out.add(VerdictEvent(...))``. Thread-safe.
    """

    def __init__(self, sink: Sink, cls: type[E], max_events: int = 512, max_wait_s: float = 1.0) -> None:
        self._sink = sink
        self._cls = cls
        self._max = max(1, max_events)
        self._wait = max_wait_s
        self._buf: list[Event] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._oldest = 0.0
        self._timer = threading.Thread(target=self._tick, name=f"events-{cls.kind}", daemon=True)
        self._timer.start()
        self.added = 0
        """Events added so far (a stage's progress counter)."""

    def add(self, event: E) -> None:
        if not isinstance(event, self._cls):
            raise TypeError(f"{self._cls.kind} batch: got a {type(event).__name__}")
        if self._closed.is_set():
            raise ValueError(f"{self._cls.kind} batch: closed")
        with self._lock:
            if not self._buf:
                self._oldest = time.monotonic()
            self._buf.append(event)
            self.added += 1
            if len(self._buf) >= self._max:
                self._flush_locked()

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self._buf:
            buf, self._buf = self._buf, []
            self._sink.emit_many(buf)  # under the lock: bursts land in the order they were added

    def _tick(self) -> None:
        while not self._closed.wait(self._wait / 4):
            with self._lock:
                if self._buf and time.monotonic() - self._oldest >= self._wait:
                    self._flush_locked()

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._timer.join()
            self.flush()

    def __enter__(self) -> EventBatch[E]:
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()  # also on error: what the stage produced before failing is kept


class RunContext:
    """What a stage's ``main`` gets: where to write, and how to report."""

    def __init__(self, run_dir: Path, run_id: str, attempt: int, resume_from: str | None,
                 is_main: bool | None = None) -> None:
        self.dir = run_dir
        self.id = run_id
        self.attempt = attempt
        self.resume_from = resume_from
        self._is_main = is_main_process() if is_main is None else is_main
        self.events: Sink = EventWriter(run_dir / EVENTS_FILE) if self._is_main else NullWriter()
        self._stop_reason = ""
        self._polled = False
        self.last_step: int | None = None
        """The last step given to ``metrics`` or ``checkpoint`` (reported in the ``stopped`` event)."""
        self.step: int | None = None
        """The step being worked on (trainer callbacks set it as each step begins); a failure names it."""

    @property
    def is_main(self) -> bool:
        """True on the process that reports (rank 0, or the only process)."""
        return self._is_main

    @property
    def should_stop(self) -> bool:
        """True once a stop was requested: save a checkpoint at the next safe point and return from ``main``.

        Reading it tells the runtime this stage stops cooperatively (SIGTERM no longer raises)."""
        self._polled = True
        return bool(self._stop_reason)

    @property
    def stop_reason(self) -> str:
        """Why a stop was requested (``"SIGTERM"``), or ``""``. Does not opt the stage in like ``should_stop``."""
        return self._stop_reason

    def request_stop(self, reason: str = "requested") -> None:
        """Ask the stage to stop as SIGTERM does (a budget, a test). The first reason wins."""
        if not self._stop_reason:
            self._stop_reason = reason or "requested"

    def metrics(self, step: int, values: dict[str, Any]) -> None:
        self.last_step = int(step)
        self.events.metrics(step, values)

    def progress(self, done: int, total: int | None = None, unit: str = "", label: str = "") -> None:
        self.events.emit(Progress(done=done, total=total, unit=unit, label=label))

    def log(self, text: str, level: str = "info") -> None:
        self.events.emit(LogLine(text=text, level=level))

    def checkpoint(self, step: int, path: str | os.PathLike[str]) -> None:
        self.last_step = int(step)
        self.events.emit(Checkpoint(step=int(step), path=str(path)))

    def artifact(self, name: str, path: str | os.PathLike[str], kind: str, meta: dict[str, Any] | None = None) -> None:
        self.events.emit(Artifact(name=name, path=str(path), artifact_kind=kind, meta=meta or {}))

    def samples(self, max_events: int = 512, max_wait_s: float = 1.0) -> EventBatch[Sample]:
        """A batched emitter of :class:`Sample` events (``with run.samples() as out: out.add(Sample(...))``)."""
        return EventBatch(self.events, Sample, max_events, max_wait_s)

    def verdicts(self, max_events: int = 512, max_wait_s: float = 1.0) -> EventBatch[VerdictEvent]:
        """A batched emitter of :class:`VerdictEvent` events, like :meth:`samples`."""
        return EventBatch(self.events, VerdictEvent, max_events, max_wait_s)


def load_config(cls: type[C], data: dict[str, Any]) -> C:
    """Build the stage's Config dataclass from the resolved JSON. The launch checked it already; the types, ranges
    and choices are checked again here by the same rules (``iotatui.stages.build_config``, stdlib only), so a
    hand-edited ``config.json`` cannot run out of range. Keys this version does not know are ignored."""
    from iotatui.stages import build_config

    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    cfg: C = build_config(cls, {k: v for k, v in data.items() if k in names}, origin="config.json",
                          launch_checks=False)
    return cfg


def run_stage(config_cls: type[C], main: Callable[[C, RunContext], Any]) -> None:
    """Entry point used by every stage module's ``__main__`` block. Exits the process: 0 after ``finished`` or a
    cooperative stop, 1 after a failure (traceback on stderr, on every rank), 143 after an interrupting stop."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", required=True, type=Path)
    args = parser.parse_args()
    run_dir: Path = args.run_dir
    raw_config = json.loads((run_dir / "config.json").read_text())
    launch = json.loads((run_dir / "launch.json").read_text()) if (run_dir / "launch.json").exists() else {}
    run = RunContext(run_dir, launch.get("run_id", run_dir.name), int(launch.get("attempt", 1)), launch.get("resume_from"))
    interruptible = False  # True only while main runs: never raise into our own reporting

    def on_term(signum: int, frame: Any) -> None:
        nonlocal interruptible
        name = signal.Signals(signum).name
        run.request_stop(name)
        if interruptible and not run._polled:
            interruptible = False
            raise StopRequested(name)
        # Otherwise just the flag, a second SIGTERM included: the supervisor SIGKILLs after the stop grace.

    signal.signal(signal.SIGTERM, on_term)
    run.events.emit(RunStarted(pid=os.getpid(), host=hostname(), attempt=run.attempt, resumed_from=run.resume_from))
    code = 0
    cfg: Any = None
    try:
        if run.stop_reason:  # a SIGTERM before main began: do not start the work at all
            raise StopRequested(run.stop_reason)
        cfg = load_config(config_cls, raw_config)  # a bad value fails the run with one line, after "started"
        interruptible = True
        summary = main(cfg, run)
        interruptible = False
        if run.stop_reason:
            run.events.emit(RunStopped(reason=run.stop_reason, step=run.last_step))
        else:
            run.events.emit(RunFinished(summary=summary if isinstance(summary, dict) else {}))
    except StopRequested as e:
        interruptible = False
        run.events.emit(RunStopped(reason=f"{e} (interrupted)", step=run.last_step))
        code = STOP_EXIT_CODE
    except BaseException as e:  # noqa: BLE001 - every failure must reach the store, KeyboardInterrupt included
        interruptible = False
        # Out of memory / disk full: one line that says which, where, and what to change (backends/_failures.py).
        try:
            reason = describe_failure(e, run.step, cfg, run.last_step)
        except Exception:  # noqa: BLE001 - describing must never cost the run its `failed` event
            reason = None
        tb = traceback.format_exc()[-8000:] + (f"run failed: {reason}\n" if reason else "")  # the log ends with it
        run.events.emit(RunFailed(error=(reason or f"{type(e).__name__}: {e}")[:2000], traceback=tb))
        traceback.print_exc()  # on every rank: a non-main rank's only report is its stderr and exit status
        if reason:
            print(f"run failed: {reason}", file=sys.stderr)
        code = 1
    run.events.close()
    sys.stdout.flush()
    sys.exit(code)
