"""THE event schema shared by backends, the judge and the app. Stdlib only.

A backend appends one JSON object per line to its run's own ``events.jsonl`` (never stdout: TRL, tqdm and accelerate
print there). The file is append-only and is the truth; the ingester copies new lines into SQLite from a recorded
byte offset. Every line carries ``v`` (schema version), ``event`` (kind) and ``t`` (unix wall time)::

    {"v": 1, "event": "metrics", "t": 1764160000.1, "step": 12, "values": {"train/loss": 0.41}}

Readers skip unknown kinds and unknown fields (a newer backend must not break an older app) and tolerate a torn last
line (a crash mid-write): :func:`parse_line` returns ``None`` for anything it cannot use.
"""

from __future__ import annotations

import json
import math
import os
import socket
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, Any, ClassVar

SCHEMA_VERSION = 1
EVENTS_FILE = "events.jsonl"


def _clean(v: Any) -> Any:
    """JSON has no NaN/Infinity: ``json.dumps`` would emit invalid tokens, so they travel as null."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


@dataclass(frozen=True)
class Event:
    """Base class; ``kind`` is the ``event`` field on the wire."""

    kind: ClassVar[str] = ""
    t: float = field(default_factory=time.time, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        t = d.pop("t")
        return {"v": SCHEMA_VERSION, "event": self.kind, "t": t, **d}

    def to_line(self) -> str:
        return json.dumps(self.to_dict(), allow_nan=False, separators=(",", ":"), default=str) + "\n"


@dataclass(frozen=True)
class RunStarted(Event):
    """The backend process is up (one per attempt; a resumed run emits it again with ``attempt`` > 1)."""

    kind: ClassVar[str] = "started"
    pid: int = 0
    host: str = ""
    attempt: int = 1
    resumed_from: str | None = None


@dataclass(frozen=True)
class Metrics(Event):
    """Scalar values at a step. Keys use ``/`` namespaces (``train/loss``) and are passed verbatim from TRL."""

    kind: ClassVar[str] = "metrics"
    step: int = 0
    values: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Progress(Event):
    """Work done out of total (samples generated, solutions judged, rows built)."""

    kind: ClassVar[str] = "progress"
    done: int = 0
    total: int | None = None
    unit: str = ""
    label: str = ""


@dataclass(frozen=True)
class LogLine(Event):
    """A human-readable line the backend wants in the run's log view (not stdout noise)."""

    kind: ClassVar[str] = "log"
    text: str = ""
    level: str = "info"


@dataclass(frozen=True)
class Checkpoint(Event):
    """A resumable state was written at ``path`` after ``step``."""

    kind: ClassVar[str] = "checkpoint"
    step: int = 0
    path: str = ""


@dataclass(frozen=True)
class Artifact(Event):
    """An output (dataset on disk, model dir, verdict file) that later stages may consume: lineage."""

    kind: ClassVar[str] = "artifact"
    name: str = ""
    path: str = ""
    artifact_kind: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sample(Event):
    """One generated program for a problem."""

    kind: ClassVar[str] = "sample"
    sample_id: str = ""
    problem: str = ""
    language: str = ""
    code: str = ""
    step: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VerdictEvent(Event):
    """The judge's outcome for one sample. ``tests`` is compact: one letter per test (see ``TEST_CODES``)."""

    kind: ClassVar[str] = "verdict"
    sample_id: str = ""
    problem: str = ""
    verdict: str = ""
    tests: str = ""
    time_ms: list[int] = field(default_factory=list)
    memory_kb: list[int] = field(default_factory=list)
    detail: str = ""


@dataclass(frozen=True)
class RunFinished(Event):
    """The backend completed its work. ``summary`` holds headline numbers for the runs table."""

    kind: ClassVar[str] = "finished"
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunFailed(Event):
    """The backend caught an error it could not recover from."""

    kind: ClassVar[str] = "failed"
    error: str = ""
    traceback: str = ""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (RunStarted, Metrics, Progress, LogLine, Checkpoint, Artifact, Sample, VerdictEvent, RunFinished, RunFailed)
}
TERMINAL_KINDS = frozenset({"finished", "failed"})

# One letter per test outcome in VerdictEvent.tests and the verdicts table: 165k samples x 200 tests stay one row each.
TEST_CODES = {
    "OK": "A", "WRONG_ANSWER": "W", "TIME_LIMIT": "T", "MEMORY_LIMIT": "M", "RUNTIME_ERROR": "R",
    "OUTPUT_LIMIT": "O", "COMPILE_ERROR": "C", "SANDBOX_ERROR": "E", "SKIPPED": "-",
}
CODE_TESTS = {v: k for k, v in TEST_CODES.items()}


def parse_dict(d: Any) -> Event | None:
    """An event from a decoded JSON object, or None for unknown kinds, newer major versions or bad shapes."""
    if not isinstance(d, dict):
        return None
    cls = EVENT_TYPES.get(d.get("event"))  # type: ignore[arg-type]
    v = d.get("v", 1)
    if cls is None or not isinstance(v, int) or v > SCHEMA_VERSION:
        return None
    known = {f.name for f in fields(cls)}
    try:
        return cls(**{k: val for k, val in d.items() if k in known})
    except (TypeError, ValueError):
        return None


def parse_line(line: str | bytes) -> Event | None:
    """Parse one line; None for a torn/garbled line or an unknown kind (both are skipped, never fatal)."""
    try:
        return parse_dict(json.loads(line))
    except (ValueError, UnicodeDecodeError):
        return None


class EventWriter:
    """Appends events to a run's events file.

    Each event is one ``write`` of a whole line to a file opened with O_APPEND, flushed at once, so a ``kill -9``
    loses at most the line being written (the kernel keeps what was written when the process dies). ``fsync`` is done
    for checkpoint and terminal events, where losing the line to a power cut would mislead a resume.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._fh: IO[bytes] = os.fdopen(fd, "ab", buffering=0)
        # A previous attempt may have died mid-line: start ours on a fresh line so both are not lost.
        if self.path.stat().st_size > 0:
            with open(self.path, "rb") as r:
                r.seek(-1, os.SEEK_END)
                if r.read(1) != b"\n":
                    self._fh.write(b"\n")

    def emit(self, event: Event) -> None:
        self._fh.write(event.to_line().encode())
        if event.kind in ("checkpoint", "finished", "failed"):
            os.fsync(self._fh.fileno())

    def emit_many(self, events: list[Event]) -> None:
        """Several events in one write (metric bursts): fewer syscalls, still whole lines."""
        if events:
            self._fh.write("".join(e.to_line() for e in events).encode())

    def metrics(self, step: int, values: dict[str, Any]) -> None:
        self.emit(Metrics(step=int(step), values={k: _clean(v) for k, v in values.items()}))

    def close(self) -> None:
        self._fh.close()


def hostname() -> str:
    return socket.gethostname()
