"""THE event schema shared by backends, the judge and the app. Stdlib only.

A backend appends one JSON object per line to its run's own ``events.jsonl`` (never stdout: TRL, tqdm and accelerate
print there). The file is append-only and is the truth; the ingester copies new lines into SQLite from a recorded
byte offset. Every line carries ``v`` (schema version), ``event`` (kind) and ``t`` (unix wall time)::

    {"v": 1, "event": "metrics", "t": 1764160000.1, "step": 12, "values": {"train/loss": 0.41}}

Readers skip unknown kinds and unknown fields (a newer backend must not break an older app) and tolerate a torn last
line (a crash mid-write): :func:`decode` returns ``None`` for anything it cannot use. So a new kind or a new optional
field keeps ``v`` at 1; ``v`` goes up only when an existing field changes meaning, and readers skip newer lines.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import IO, Any, ClassVar, NamedTuple

SCHEMA_VERSION = 1
EVENTS_FILE = "events.jsonl"


def _clean(v: Any) -> Any:
    """JSON has no NaN/Infinity: ``json.dumps`` would emit invalid tokens, so they travel as null."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


# One encoder for all lines: json.dumps with options builds a new JSONEncoder per call.
_encode = json.JSONEncoder(allow_nan=False, separators=(",", ":"), default=str).encode


@dataclass(frozen=True)
class Event:
    """Base class; ``kind`` is the ``event`` field on the wire."""

    kind: ClassVar[str] = ""
    t: float = field(default_factory=time.time, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """The wire form. Shallow: field values are JSON values already (never nested dataclasses), and
        ``dataclasses.asdict`` deep-copies every list, which would dominate the cost of emitting many verdicts."""
        return {"v": SCHEMA_VERSION, "event": self.kind, **self.__dict__}

    def to_line(self) -> str:
        return _encode(self.to_dict()) + "\n"


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
    """The judge's outcome for one sample. ``tests`` is compact: one letter per test (:func:`compact_tests`)."""

    kind: ClassVar[str] = "verdict"
    sample_id: str = ""
    problem: str = ""
    verdict: str = ""
    tests: str = ""
    time_ms: list[int] = field(default_factory=list)
    memory_kb: list[int] = field(default_factory=list)
    detail: str = ""
    n_tests: int = 0
    """How many tests the problem has (``tests`` is shorter, or padded with ``-``, when fail-fast stopped early)."""
    fail_test: int | None = None
    """Index of the first failing test; None when none failed."""
    fail_output: str = ""
    """Head of the first failing test's stdout (at most 2 KiB): what the program printed instead."""
    fail_stderr: str = ""
    """Tail of that test's stderr, or the compiler's output for COMPILE_ERROR (at most 2 KiB)."""
    sample_run: str | None = None
    """The run whose samples were judged, when it is not the run that emits this verdict."""


@dataclass(frozen=True)
class ProblemInfo(Event):
    """What a stage knows about a problem it used (the ``problems`` table: filters and joins by rating, split...)."""

    kind: ClassVar[str] = "problem"
    name: str = ""
    problem_set: str = ""
    split: str | None = None
    difficulty: str | None = None
    cf_rating: int | None = None
    n_public: int = 0
    n_private: int = 0
    n_generated: int = 0
    time_limit_s: float | None = None
    memory_limit_bytes: int | None = None


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


@dataclass(frozen=True)
class RunStopped(Event):
    """The backend returned after a stop request (SIGTERM): its work is incomplete but resumable, not finished."""

    kind: ClassVar[str] = "stopped"
    reason: str = ""
    step: int | None = None
    """The last step the stage reported (metrics or checkpoint); None when it reported none."""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (RunStarted, Metrics, Progress, LogLine, Checkpoint, Artifact, Sample, VerdictEvent, ProblemInfo,
                RunFinished, RunFailed, RunStopped)
}


class _Wire(NamedTuple):
    """How :func:`decode` builds one kind, computed once per class: decoding is on the ingester's hot path."""

    cls: type[Event]
    known: frozenset[str]
    defaults: dict[str, Any]
    factories: tuple[tuple[str, Callable[[], Any]], ...]
    direct: bool
    """Fill ``__dict__`` instead of calling ``__init__`` (half the cost of a frozen dataclass's ``__init__``, which
    validates nothing here); False for a class that has a ``__post_init__`` to run."""


def _wire(cls: type[Event]) -> _Wire:
    defaults: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for f in fields(cls):
        if f.default is not MISSING:
            defaults[f.name] = f.default
        elif f.default_factory is not MISSING:
            factories.append((f.name, f.default_factory))
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: every event field needs a default (old lines lack new fields)")
    known = frozenset(defaults) | {name for name, _ in factories}
    return _Wire(cls, known, defaults, tuple(factories), not hasattr(cls, "__post_init__"))


_DECODE: dict[str, _Wire] = {kind: _wire(cls) for kind, cls in EVENT_TYPES.items()}

# One letter per test outcome in VerdictEvent.tests and the verdicts table: 165k samples x 200 tests stay one row each.
TEST_CODES = {
    "OK": "A", "WRONG_ANSWER": "W", "TIME_LIMIT": "T", "MEMORY_LIMIT": "M", "RUNTIME_ERROR": "R",
    "OUTPUT_LIMIT": "O", "COMPILE_ERROR": "C", "SANDBOX_ERROR": "E", "SKIPPED": "-",
}


def compact_tests(outcomes: Iterable[str], n_tests: int = 0) -> str:
    """Per-test verdict names -> one letter each (``?`` for a name this schema does not know). With ``n_tests``,
    tests that never ran (fail-fast stopped early) are padded as skipped (``-``), so the string has one letter per
    test of the problem."""
    letters = "".join([TEST_CODES.get(o, "?") for o in outcomes])
    return letters + "-" * (n_tests - len(letters)) if n_tests > len(letters) else letters


def decode(d: Any) -> Event | None:
    """An event from a decoded JSON object, or None for unknown kinds, newer major versions or bad shapes.

    The one decoder: the ingester uses it too. Unknown fields (a newer minor revision) are ignored; missing ones
    take their defaults.
    """
    if type(d) is not dict:
        return None
    kind = d.get("event")
    entry = _DECODE.get(kind) if type(kind) is str else None
    if entry is None:
        return None
    v = d.get("v", 1)
    if type(v) is not int or v > SCHEMA_VERSION:
        return None
    known = entry.known
    if not entry.direct:
        try:
            return entry.cls(**{k: val for k, val in d.items() if k in known})
        except (TypeError, ValueError):
            return None
    ev = object.__new__(entry.cls)
    attrs = ev.__dict__
    attrs.update(entry.defaults)
    for name, factory in entry.factories:
        if name not in d:
            attrs[name] = factory()
    for k, val in d.items():
        if k in known:
            attrs[k] = val
    return ev


parse_dict = decode
"""Former name of :func:`decode`."""


_raw_decode = json.JSONDecoder().raw_decode


def decode_lines(data: bytes | str) -> Iterator[Event]:
    """The events of the lines in ``data`` (whole lines: the caller cuts at the last newline), skipping blank, torn
    or garbled lines and kinds this reader does not know. What the ingester reads a chunk of an events file with.

    The chunk is decoded to text once (writers emit ASCII JSON), and each line goes straight to the C scanner:
    ``json.loads`` on bytes would detect the encoding and decode each line again.
    """
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    for line in text.split("\n"):
        try:
            d, end = _raw_decode(line)
        except ValueError:
            line = line.strip()  # leading whitespace, or nothing at all
            try:
                d, end = _raw_decode(line)
            except ValueError:
                continue
        if end != len(line) and line[end:].strip():
            continue  # trailing garbage: two lines run together by a torn write
        ev = decode(d)
        if ev is not None:
            yield ev


def parse_line(line: str | bytes) -> Event | None:
    """Parse one line; None for a torn/garbled line or an unknown kind (both are skipped, never fatal)."""
    try:
        return decode(json.loads(line))
    except (ValueError, UnicodeDecodeError):
        return None


_FSYNC_KINDS = frozenset({"checkpoint", "finished", "failed", "stopped"})
"""Lines worth an fsync: losing them to a power cut would mislead a resume or the run's outcome."""


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

    def _write(self, data: bytes) -> None:
        # An unbuffered write may be short (a full disk, a signal mid-write): finish the line rather than tear it.
        view = memoryview(data)
        while view:
            n = self._fh.write(view)
            if not n:
                raise OSError(f"{self.path}: write made no progress")
            view = view[n:]

    def emit(self, event: Event) -> None:
        self._write(event.to_line().encode())
        if event.kind in _FSYNC_KINDS:
            os.fsync(self._fh.fileno())

    def emit_many(self, events: Sequence[Event]) -> None:
        """Several events in one write (metric bursts, batched verdicts): fewer syscalls, still whole lines."""
        if events:
            self._write("".join([e.to_line() for e in events]).encode())
            if any(e.kind in _FSYNC_KINDS for e in events):
                os.fsync(self._fh.fileno())

    def metrics(self, step: int, values: dict[str, Any]) -> None:
        self.emit(Metrics(step=int(step), values={k: _clean(v) for k, v in values.items()}))

    def close(self) -> None:
        self._fh.close()


def __getattr__(name: str) -> Any:
    # ``hostname`` moved to backends._runtime (host facts are not schema); kept importable from here for old callers.
    if name == "hostname":
        from backends._runtime import hostname

        return hostname
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
