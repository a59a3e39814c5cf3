"""The ingester: moves new lines of each run's events file into SQLite. Idempotent and exactly-once.

Whoever reads (app, CLI, run shims) calls it, so nothing is lost while no UI is open. Exactly-once across concurrent
ingesters and restarts: the byte offset lives in the run's row and is read, advanced and committed in the same
``BEGIN IMMEDIATE`` transaction as the rows it covers. Only whole lines are consumed; a torn tail waits for its
newline, or is dropped once the writer is known dead (``final=True``).
"""

from __future__ import annotations

import array
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from backends.events import EVENTS_FILE, TEST_CODES
from iotatui.store import Store

MAX_CHUNK = 64 * 1024 * 1024
"""Bytes read per pass; a huge backlog is ingested over several transactions so readers are never blocked long."""


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


def _verdict_row(run_id: str, d: dict[str, Any]) -> tuple[Any, ...]:
    tests = d.get("tests", "")
    if isinstance(tests, list):  # judge-style list of per-test dicts -> compact letters
        tests = "".join(TEST_CODES.get(t.get("verdict", ""), "?") for t in tests)
    return (run_id, str(d.get("sample_id") or d.get("id")), d.get("problem", ""), d.get("verdict", ""), tests,
            _pack(d.get("time_ms")), _pack(d.get("memory_kb")), d.get("detail", ""), d.get("t", time.time()))


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
        n = _apply(c, run_id, data[:end], last_metrics_json)
        c.execute("UPDATE runs SET events_offset = ?, updated = ? WHERE id = ?", (offset + end, time.time(), run_id))
        return n, more


def _apply(c: sqlite3.Connection, run_id: str, data: bytes, last_metrics_json: str) -> int:
    metrics: list[tuple[Any, ...]] = []
    logs: list[tuple[Any, ...]] = []
    ckpts: list[tuple[Any, ...]] = []
    artifacts: list[tuple[Any, ...]] = []
    samples: list[tuple[Any, ...]] = []
    verdicts: list[tuple[Any, ...]] = []
    last: dict[str, Any] = json.loads(last_metrics_json or "{}")
    run_fields: dict[str, Any] = {}
    n = 0
    loads = json.loads
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            d = loads(line)
        except ValueError:
            continue  # torn or garbled line: skipped, never fatal
        if not isinstance(d, dict) or not isinstance(d.get("v", 1), int) or d.get("v", 1) > 1:
            continue
        kind = d.get("event")
        t = d.get("t") or time.time()
        n += 1
        # The hot path (metrics) avoids building dataclasses: ingest must keep up with 100k+ rows/s.
        if kind == "metrics":
            step = d.get("step", 0)
            values = d.get("values") or {}
            for k, v in values.items():
                metrics.append((run_id, step, k, v, t))
            last.update(values)
            run_fields["last_step"] = step
        elif kind == "progress":
            run_fields.update(progress_done=d.get("done"), progress_total=d.get("total"), progress_unit=d.get("unit", ""))
        elif kind == "log":
            logs.append((run_id, t, d.get("level", "info"), str(d.get("text", ""))))
        elif kind == "checkpoint":
            ckpts.append((run_id, d.get("step", 0), d.get("path", ""), t))
        elif kind == "artifact":
            artifacts.append((run_id, d.get("name", ""), d.get("path", ""), d.get("artifact_kind", ""),
                              json.dumps(d.get("meta") or {}), t))
        elif kind == "sample":
            samples.append((run_id, str(d.get("sample_id")), d.get("problem", ""), d.get("language", ""),
                            d.get("code", ""), d.get("step"), json.dumps(d.get("meta") or {}), t))
        elif kind == "verdict":
            verdicts.append(_verdict_row(run_id, d))
        elif kind == "started":
            run_fields.update(status="running", host=d.get("host"), error=None)
            if d.get("pid"):
                run_fields["pid"] = d["pid"]
            logs.append((run_id, t, "info", f"started (attempt {d.get('attempt', 1)}) pid {d.get('pid')}"))
        elif kind == "finished":
            run_fields.update(status="finished", finished=t, summary=json.dumps(d.get("summary") or {}), exit_code=0)
        elif kind == "failed":
            run_fields.update(status="failed", finished=t, error=str(d.get("error", ""))[:2000])
            logs.append((run_id, t, "error", str(d.get("traceback") or d.get("error", ""))))
        else:
            n -= 1  # unknown kind from a newer backend: skipped
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
                      "detail, t) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", verdicts)
    if run_fields:
        # A terminal status already recorded by the supervisor (stopped) is not overwritten by a late "started".
        cur = c.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
        if run_fields.get("status") == "running" and cur not in ("starting", "queued", "running"):
            run_fields.pop("status")
        sets = ", ".join(f"{k} = ?" for k in run_fields)
        c.execute(f"UPDATE runs SET {sets} WHERE id = ?", [*run_fields.values(), run_id])
    return n


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
