"""The ingester: moves new lines of each run's events file into SQLite. Idempotent and exactly-once.

Whoever reads (app, CLI, run shims) calls it, so nothing is lost while no UI is open. Exactly-once across concurrent
ingesters and restarts: the byte offset lives in the run's row and is read, advanced and committed in the same
``BEGIN IMMEDIATE`` transaction as the rows it covers. Only whole lines are consumed; a torn tail waits for its
newline, or is dropped once the writer is known dead (``final=True``).

Lines are decoded by ``backends.events.decode`` (the one schema, the one version check); run status moves go through
``store.transition`` (the one status authority), in event order, and each lifecycle event also leaves a line in the
run's ``logs``.
"""

from __future__ import annotations

import array
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from backends.events import (
    EVENTS_FILE,
    Artifact,
    Checkpoint,
    Event,
    LogLine,
    Metrics,
    ProblemInfo,
    Progress,
    RunFailed,
    RunFinished,
    RunStarted,
    RunStopped,
    Sample,
    VerdictEvent,
    compact_tests,
    decode_lines,
)
from iotatui.store import FAILED, FINISHED, RUNNING, STOPPED, Store, transition

MAX_CHUNK = 64 * 1024 * 1024
"""Bytes read per pass; a huge backlog is ingested over several transactions so readers are never blocked long."""
FAIL_TEXT_MAX = 2048
"""Cap on a verdict's failing-test stdout head / stderr tail, whatever the emitter sent."""


def _pack(values: Any) -> bytes | None:
    if not values:
        return None
    return array.array("I", [max(0, min(int(v), 2**32 - 1)) for v in values]).tobytes()


def unpack(blob: bytes | None) -> list[int]:
    """Inverse of the uint32 packing used for per-test time and memory in ``verdicts``."""
    if not blob:
        return []
    a = array.array("I")
    a.frombytes(blob)
    return a.tolist()


def _num(v: Any) -> float | None:
    """A value SQLite can hold as REAL: anything else (a string, a list from a buggy logger) becomes NULL."""
    if v is None or type(v) is float or type(v) is int:
        return v
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _int(v: Any) -> int | None:
    """An optional integer field; a value of the wrong type raises ValueError/TypeError (the event is skipped)."""
    return None if v is None else int(v)


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def _tests_letters(tests: Any, n_tests: int) -> str:
    """``tests`` as sent: compact letters already (the schema), or a judge-style list of names or per-test dicts."""
    if isinstance(tests, str):
        return tests
    if isinstance(tests, list):
        return compact_tests([t.get("verdict", "") if isinstance(t, dict) else str(t) for t in tests], n_tests)
    return ""


def ingest_run(store: Store, run_id: str, final: bool = False) -> int:
    """Ingest new events of one run; returns the number of events applied. ``final``: the writer is dead, so a
    trailing line without newline is consumed (parsed if whole, skipped if torn)."""
    total = 0
    while True:
        n, more = _ingest_chunk(store, run_id, final)
        total += n
        if not more:
            return total


def _ingest_chunk(store: Store, run_id: str, final: bool) -> tuple[int, bool]:
    with store.write() as c:
        row = c.execute("SELECT run_dir, events_offset, last_metrics FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return 0, False
        run_dir, offset, last_metrics_json = row
        path = Path(run_dir) / EVENTS_FILE
        try:
            size = os.path.getsize(path)
        except FileNotFoundError:
            return 0, False
        if size <= offset:
            return 0, False
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(min(size - offset, MAX_CHUNK))
        end = data.rfind(b"\n") + 1
        more = offset + len(data) < size
        if end == 0 and not (final and not more):
            if len(data) >= MAX_CHUNK:  # a single absurd line: skip it rather than stall forever
                end = len(data)
            else:
                return 0, False
        if final and not more:
            end = len(data)
        n, run_fields = _apply(c, run_id, data[:end], last_metrics_json)
        run_fields.update(events_offset=offset + end, updated=time.time())
        sets = ", ".join(f"{k} = ?" for k in run_fields)
        c.execute(f"UPDATE runs SET {sets} WHERE id = ?", [*run_fields.values(), run_id])
        return n, more


def _apply(c: sqlite3.Connection, run_id: str, data: bytes, last_metrics_json: str) -> tuple[int, dict[str, Any]]:
    """Insert the rows of the whole lines in ``data`` and apply their status moves, in order. Returns the number of
    events applied and the run's non-status fields to set."""
    metrics: list[tuple[Any, ...]] = []
    logs: list[tuple[Any, ...]] = []
    ckpts: list[tuple[Any, ...]] = []
    artifacts: list[tuple[Any, ...]] = []
    samples: list[tuple[Any, ...]] = []
    verdicts: list[tuple[Any, ...]] = []
    problems: list[tuple[Any, ...]] = []
    moves: list[tuple[str, dict[str, Any]]] = []  # (status, its fields), in event order, through store.transition
    last: dict[str, Any] = json.loads(last_metrics_json or "{}")
    run_fields: dict[str, Any] = {}
    n = 0
    now = time.time()
    for ev in decode_lines(data):  # torn or garbled lines, unknown kinds and newer versions are skipped, never fatal
        t = ev.t or now
        # A malformed field skips its event: one bad line must not wedge the run's ingestion (the chunk would fail
        # and be retried forever). Values are coerced to what the columns hold.
        try:
            if isinstance(ev, Metrics):  # the hot path: ingest keeps up with 100k+ rows/s
                step = int(ev.step)
                # JSON object keys are always strings; a value is a float almost always, else made one (or NULL)
                metrics.extend([(run_id, step, k, v if type(v) is float else _num(v), t) for k, v in ev.values.items()])
                last.update(ev.values)
                run_fields["last_step"] = step
            elif isinstance(ev, Progress):
                run_fields.update(progress_done=_int(ev.done), progress_total=_int(ev.total), progress_unit=str(ev.unit))
            elif isinstance(ev, LogLine):
                logs.append((run_id, t, str(ev.level), str(ev.text)))
            elif isinstance(ev, Checkpoint):
                ckpts.append((run_id, int(ev.step), str(ev.path), t))
            elif isinstance(ev, Artifact):
                artifacts.append((run_id, str(ev.name), str(ev.path), str(ev.artifact_kind), json.dumps(ev.meta or {}), t))
            elif isinstance(ev, Sample):
                samples.append((run_id, str(ev.sample_id), str(ev.problem), str(ev.language), str(ev.code),
                                _int(ev.step), json.dumps(ev.meta or {}), t))
            elif isinstance(ev, VerdictEvent):
                verdicts.append(_verdict_row(run_id, ev, t))
            elif isinstance(ev, ProblemInfo):
                problems.append(_problem_row(ev))
            else:
                _lifecycle(run_id, ev, t, logs, moves, run_fields)
        except (TypeError, ValueError, AttributeError):
            continue
        n += 1
    if metrics:
        c.executemany("INSERT INTO metrics (run, step, key, value, wall) VALUES (?, ?, ?, ?, ?)", metrics)
        run_fields["last_metrics"] = json.dumps(last)
    if logs:
        c.executemany("INSERT INTO logs (run, t, level, text) VALUES (?, ?, ?, ?)", logs)
    if ckpts:
        c.executemany("INSERT INTO checkpoints (run, step, path, t) VALUES (?, ?, ?, ?)", ckpts)
    if artifacts:
        c.executemany("INSERT INTO artifacts (run, name, path, kind, meta, t) VALUES (?, ?, ?, ?, ?, ?)", artifacts)
    if samples:
        c.executemany("INSERT OR REPLACE INTO samples (run, sample_id, problem, language, code, step, meta, t) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", samples)
    if verdicts:
        c.executemany("INSERT OR REPLACE INTO verdicts (run, sample_id, problem, verdict, tests, time_ms, memory_kb, "
                      "detail, t, n_tests, fail_test, fail_output, fail_stderr, sample_run) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", verdicts)
    if problems:
        c.executemany("INSERT OR REPLACE INTO problems (name, problem_set, split, difficulty, cf_rating, n_public, "
                      "n_private, n_generated, time_limit_s, memory_limit_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      problems)
    for to, fields in moves:
        # The store owns the allowed moves: a late "started" does not revive a run already stopped, and a "stopped"
        # from an earlier attempt read after a resume does not end the new one.
        transition(c, run_id, to, **fields)
    return n, run_fields


def _lifecycle(run_id: str, ev: Event, t: float, logs: list[tuple[Any, ...]], moves: list[tuple[str, dict[str, Any]]],
               run_fields: dict[str, Any]) -> None:
    """started/finished/failed/stopped: a status move and a line in the run's log (what ``iotatui logs`` shows)."""
    if isinstance(ev, RunStarted):
        # pid and host are facts about the process whatever the status does (a stop may already be under way).
        run_fields["host"] = str(ev.host) or None
        if ev.pid:
            run_fields["pid"] = int(ev.pid)
        moves.append((RUNNING, {"error": None}))
        resumed = f", resumed from {ev.resumed_from}" if ev.resumed_from else ""
        logs.append((run_id, t, "info", f"started (attempt {ev.attempt}) pid {ev.pid}{resumed}"))
    elif isinstance(ev, RunFinished):
        moves.append((FINISHED, {"finished": t, "summary": json.dumps(ev.summary or {}), "exit_code": 0}))
        logs.append((run_id, t, "info", "finished"))
    elif isinstance(ev, RunFailed):
        moves.append((FAILED, {"finished": t, "error": str(ev.error)[:2000]}))
        logs.append((run_id, t, "error", str(ev.traceback or ev.error)))
    elif isinstance(ev, RunStopped):
        moves.append((STOPPED, {"finished": t}))
        at = f" at step {ev.step}" if ev.step is not None else ""
        logs.append((run_id, t, "warning", f"stopped ({ev.reason or 'requested'}){at}"))
    else:
        raise ValueError(ev.kind)  # a kind decode knows and this ingester does not: counted as skipped


def _verdict_row(run_id: str, ev: VerdictEvent, t: float) -> tuple[Any, ...]:
    n_tests = _int(ev.n_tests) or 0
    return (run_id, str(ev.sample_id), str(ev.problem), str(ev.verdict), _tests_letters(ev.tests, n_tests),
            _pack(ev.time_ms), _pack(ev.memory_kb), str(ev.detail or ""), t, n_tests or None, _int(ev.fail_test),
            str(ev.fail_output or "")[:FAIL_TEXT_MAX], str(ev.fail_stderr or "")[-FAIL_TEXT_MAX:],
            None if ev.sample_run is None else str(ev.sample_run))


def _problem_row(ev: ProblemInfo) -> tuple[Any, ...]:
    if not ev.name or not ev.problem_set:
        raise ValueError("problem: name and problem_set are required")
    return (str(ev.name), str(ev.problem_set), _str(ev.split), _str(ev.difficulty), _int(ev.cf_rating),
            _int(ev.n_public), _int(ev.n_private), _int(ev.n_generated), _num(ev.time_limit_s),
            _int(ev.memory_limit_bytes))


def ingest_all(store: Store) -> int:
    """Ingest every run whose events file has grown (cheap: one stat per run)."""
    total = 0
    sql = "SELECT id, run_dir, events_offset FROM runs"
    for run_id, run_dir, offset in store.conn.execute(sql).fetchall():
        try:
            size = os.path.getsize(Path(run_dir) / EVENTS_FILE)
        except OSError:
            continue
        if size > offset:
            total += ingest_run(store, run_id)
    return total
