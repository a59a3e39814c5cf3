"""The run store: one SQLite file per workspace, plain ``sqlite3``. No Textual, no torch, no pandas.

WAL mode and a busy timeout let the app, the CLI, run shims and the ingester share it. The schema carries a version
and forward migrations (``MIGRATIONS``); opening an older file upgrades it in place, a newer one is refused.

SQLite must live on a local disk (its locking is unreliable over NFS): runs on other hosts reach it through their
events files on a shared filesystem, ingested here by whoever reads.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# sqlite-utils is not used here: it imports pandas and numpy whenever they are installed (~0.5 s, ~100 MiB), which
# every CLI call and every waiting run shim would pay.

# -- run statuses: the one status authority ------------------------------------------------------------------------
QUEUED, STARTING, RUNNING, STOPPING = "queued", "starting", "running", "stopping"
FINISHED, FAILED, CRASHED, STOPPED = "finished", "failed", "crashed", "stopped"
ACTIVE = (STARTING, RUNNING, STOPPING)
"""Statuses whose process should be alive; reconciliation checks them."""
TERMINAL = (FINISHED, FAILED, CRASHED, STOPPED)
STATUSES = (QUEUED, *ACTIVE, *TERMINAL)

ALLOWED_FROM: dict[str, frozenset[str]] = {
    # resume puts an ended run back in the queue (same id, new attempt); a finished run is never re-queued.
    QUEUED: frozenset({STOPPED, CRASHED, FAILED}),
    # the queue claims a queued run under the write lock.
    STARTING: frozenset({QUEUED}),
    # the shim (after spawning) or the ingester ("started" event); running -> running refreshes pid/host.
    RUNNING: frozenset({STARTING, RUNNING}),
    # a stop request; repeating it is harmless.
    STOPPING: frozenset({STARTING, RUNNING, STOPPING}),
    # a backend may finish its work before a stop signal lands: that is an honest "finished".
    FINISHED: frozenset({STARTING, RUNNING, STOPPING}),
    # queued: a dependency failed or the run can never fit; starting: spawn or input resolution failed;
    # stopping: the stage failed while stopping (e.g. saving its checkpoint).
    FAILED: frozenset({QUEUED, STARTING, RUNNING, STOPPING}),
    # processes gone without a final event; a run being stopped ends as stopped instead.
    CRASHED: frozenset({STARTING, RUNNING}),
    # stop of a queued run, a cooperative RunStopped event, or finalize after a stop.
    STOPPED: frozenset({QUEUED, STARTING, RUNNING, STOPPING}),
}
"""``to`` -> the statuses a run may move to it from. Everything else is refused by :func:`transition`."""


def transition(conn: sqlite3.Connection, run_id: str, to: str, **fields: Any) -> bool:
    """Move run ``run_id`` to status ``to`` and set ``fields`` (plus ``updated``), if the move is allowed.

    Returns False and changes nothing when the run's current status may not move to ``to`` (or the run does not
    exist). One conditional UPDATE: atomic on its own, and meant to run inside ``Store.write()`` when the caller
    reads before it decides.
    """
    allowed = ALLOWED_FROM.get(to)
    if allowed is None:
        raise ValueError(f"unknown run status {to!r}")
    if "status" in fields:
        raise ValueError("pass the status as `to`, not as a field")
    fields["updated"] = time.time()
    sets = ", ".join(f"{k} = ?" for k in ("status", *fields))
    src = sorted(allowed)
    cur = conn.execute(
        f"UPDATE runs SET {sets} WHERE id = ? AND status IN ({', '.join('?' * len(src))})",
        [to, *fields.values(), run_id, *src],
    )
    return cur.rowcount == 1


_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    parent TEXT,
    after TEXT NOT NULL DEFAULT '[]',
    config TEXT NOT NULL DEFAULT '{}',
    run_dir TEXT NOT NULL,
    gpus INTEGER NOT NULL DEFAULT 0,
    gpu_ids TEXT,
    pid INTEGER,
    proc_start INTEGER,
    shim_pid INTEGER,
    shim_start INTEGER,
    pgid INTEGER,
    host TEXT,
    attempt INTEGER NOT NULL DEFAULT 0,
    resume_from TEXT,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    exit_code INTEGER,
    error TEXT,
    events_offset INTEGER NOT NULL DEFAULT 0,
    last_step INTEGER,
    last_metrics TEXT NOT NULL DEFAULT '{}',
    progress_done INTEGER,
    progress_total INTEGER,
    progress_unit TEXT,
    summary TEXT NOT NULL DEFAULT '{}',
    updated REAL
);
CREATE INDEX runs_status ON runs(status);
-- rowid is implicitly the last column of every index: (run) serves "rows of run R with id > X" for followers.
CREATE TABLE metrics (id INTEGER PRIMARY KEY, run TEXT NOT NULL, step INTEGER NOT NULL, key TEXT NOT NULL,
                      value REAL, wall REAL NOT NULL);
CREATE INDEX metrics_run ON metrics(run);
CREATE INDEX metrics_run_step ON metrics(run, step);
CREATE TABLE logs (id INTEGER PRIMARY KEY, run TEXT NOT NULL, t REAL NOT NULL, level TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX logs_run ON logs(run);
CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, run TEXT NOT NULL, step INTEGER NOT NULL, path TEXT NOT NULL,
                          t REAL NOT NULL);
CREATE INDEX checkpoints_run ON checkpoints(run);
CREATE TABLE artifacts (id INTEGER PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL,
                        kind TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}', t REAL NOT NULL);
CREATE INDEX artifacts_run ON artifacts(run);
CREATE TABLE problems (name TEXT NOT NULL, problem_set TEXT NOT NULL, split TEXT, difficulty TEXT, cf_rating INTEGER,
                       n_public INTEGER, n_private INTEGER, n_generated INTEGER, time_limit_s REAL,
                       memory_limit_bytes INTEGER, PRIMARY KEY (problem_set, name));
CREATE TABLE samples (id INTEGER PRIMARY KEY, run TEXT NOT NULL, sample_id TEXT NOT NULL, problem TEXT NOT NULL,
                      language TEXT, code TEXT NOT NULL, step INTEGER, meta TEXT NOT NULL DEFAULT '{}', t REAL NOT NULL,
                      UNIQUE (run, sample_id));
CREATE INDEX samples_run_problem ON samples(run, problem);
-- One row per judged sample; per-test outcomes packed as one letter per test plus two uint32 arrays, so
-- 165k samples x ~200 tests stay 165k rows instead of 33M.
CREATE TABLE verdicts (id INTEGER PRIMARY KEY, run TEXT NOT NULL, sample_id TEXT NOT NULL, problem TEXT NOT NULL,
                       verdict TEXT NOT NULL, tests TEXT NOT NULL DEFAULT '', time_ms BLOB, memory_kb BLOB,
                       detail TEXT, t REAL NOT NULL, UNIQUE (run, sample_id));
CREATE INDEX verdicts_run_problem ON verdicts(run, problem);
"""

_V2 = """
ALTER TABLE verdicts ADD COLUMN n_tests INTEGER;
ALTER TABLE verdicts ADD COLUMN fail_test INTEGER;
ALTER TABLE verdicts ADD COLUMN fail_output TEXT;
ALTER TABLE verdicts ADD COLUMN fail_stderr TEXT;
ALTER TABLE verdicts ADD COLUMN sample_run TEXT;
-- run:<id> references in the config and what each resolved to at spawn (lineage; iotatui/refs.py)
ALTER TABLE runs ADD COLUMN inputs TEXT NOT NULL DEFAULT '{}';
"""

_V3 = """
-- followers read "verdicts of run R with id > X in id order" (the app's eval screen, live): (run, problem) made
-- SQLite sort the whole run's rows on every poll (~50 ms at 165k rows); this serves it directly (~0.1 ms).
CREATE INDEX verdicts_run ON verdicts(run);
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3]
"""MIGRATIONS[i] takes a database from version i to i + 1. Append only; never edit a shipped entry."""


class StoreError(Exception):
    """A store problem worth one clear line to the user."""


def connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN ourselves, so writers can take the lock up front (BEGIN IMMEDIATE)
    # instead of failing on upgrade from a read transaction.
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes, fast commits
    conn.execute("PRAGMA foreign_keys=OFF")
    return conn


class Store:
    """A workspace's database. Cheap to open; one per thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = connect(self.path)
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable iotatui database ({e})") from None

    def close(self) -> None:
        self.conn.close()

    def _dicts(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Rows addressable by column name. Per cursor, so ``conn.execute`` elsewhere still returns plain tuples."""
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, tuple(args)).fetchall()

    # -- schema -----------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone() is None:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        with self.write():
            version = self.schema_version()
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path}: schema version {version} is newer than this iotatui ({len(MIGRATIONS)}); upgrade iotatui"
                )
            for i in range(version, len(MIGRATIONS)):
                # Comment lines are dropped before splitting: a ';' inside a comment must not split a statement.
                sql = "\n".join(ln for ln in MIGRATIONS[i].splitlines() if not ln.lstrip().startswith("--"))
                for stmt in sql.split(";"):
                    if stmt.strip():
                        self.conn.execute(stmt)
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(i + 1),)
                )

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the lock from the start (BEGIN IMMEDIATE): read-modify-write is safe
        against the other processes (app, CLI, shims) doing the same."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- runs -------------------------------------------------------------------------------------------------
    # ``updated`` is stamped once the write lock is held, never before waiting for it: stamps then grow in commit
    # order, which is what lets a follower read "rows updated since the newest it has seen" and miss none (a stamp
    # taken before a 30 s lock wait would land behind rows already read, and the row would be skipped for good).
    def insert_run(self, row: dict[str, Any]) -> None:
        with self.write() as c:
            full = {**row, "created": row.get("created", time.time()), "updated": time.time()}
            c.execute(f"INSERT INTO runs ({', '.join(full)}) VALUES ({', '.join('?' * len(full))})",
                      list(full.values()))

    def update_run(self, run_id: str, conn: sqlite3.Connection | None = None, **fields: Any) -> None:
        """Set non-status fields of a run. Status moves go through :meth:`transition`. ``conn``: inside the
        caller's own write transaction."""
        if "status" in fields:
            raise ValueError("run status changes go through Store.transition()")
        sets = ", ".join(f"{k} = ?" for k in (*fields, "updated"))
        sql = f"UPDATE runs SET {sets} WHERE id = ?"
        if conn is not None:
            conn.execute(sql, [*fields.values(), time.time(), run_id])
        else:
            with self.write() as c:
                c.execute(sql, [*fields.values(), time.time(), run_id])

    def transition(self, run_id: str, to: str, **fields: Any) -> bool:
        """:func:`transition` in its own write transaction."""
        with self.write() as c:
            return transition(c, run_id, to, **fields)

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _decode_run(rows[0]) if rows else None

    def resolve_run(self, ref: str) -> dict[str, Any]:
        """A run by exact id or unique prefix/suffix (ids are long; people type the tail or the head)."""
        run = self.get_run(ref)
        if run:
            return run
        rows = list(self._dicts("SELECT * FROM runs WHERE id LIKE ? OR id LIKE ?", (f"{ref}%", f"%{ref}")))
        if len(rows) == 1:
            return _decode_run(rows[0])
        if not rows:
            raise StoreError(f"no run matches {ref!r}")
        raise StoreError(f"{ref!r} matches {len(rows)} runs: {', '.join(r['id'] for r in rows[:5])}")

    def list_runs(self, statuses: Iterable[str] | None = None) -> list[dict[str, Any]]:
        if statuses is None:
            rows = self._dicts("SELECT * FROM runs ORDER BY created, id")
        else:
            st = list(statuses)
            rows = self._dicts(
                f"SELECT * FROM runs WHERE status IN ({', '.join('?' * len(st))}) ORDER BY created, id", st
            )
        return [_decode_run(r) for r in rows]

    def children(self, run_id: str) -> list[str]:
        """Ids of the runs whose ``parent`` is ``run_id``, oldest first."""
        return [r[0] for r in self.conn.execute("SELECT id FROM runs WHERE parent = ? ORDER BY created, id",
                                                (run_id,))]

    def runs_changed_since(self, t: float) -> list[dict[str, Any]]:
        """Runs whose row changed after ``t`` (the app's table refresh reads only these)."""
        return [_decode_run(r) for r in self._dicts("SELECT * FROM runs WHERE updated > ? ORDER BY created", (t,))]

    # -- followers: rows of run R newer than X ------------------------------------------------------------------
    def metrics_after_id(self, run_id: str, after_id: int = 0, limit: int = 100_000) -> list[tuple[int, int, str, float | None]]:
        """(id, step, key, value) of run R with id > after_id, in id order."""
        return self.conn.execute(
            "SELECT id, step, key, value FROM metrics WHERE run = ? AND id > ? ORDER BY id LIMIT ?",
            (run_id, after_id, limit),
        ).fetchall()

    def metrics_after_step(self, run_id: str, step: int, keys: list[str] | None = None) -> list[tuple[int, str, float | None]]:
        """(step, key, value) of run R with step > S."""
        sql = "SELECT step, key, value FROM metrics WHERE run = ? AND step > ?"
        args: list[Any] = [run_id, step]
        if keys:
            sql += f" AND key IN ({', '.join('?' * len(keys))})"
            args += keys
        return self.conn.execute(sql + " ORDER BY step", args).fetchall()

    def logs_after(self, run_id: str, after_id: int = 0, limit: int = 10_000) -> list[tuple[int, float, str, str]]:
        return self.conn.execute(
            "SELECT id, t, level, text FROM logs WHERE run = ? AND id > ? ORDER BY id LIMIT ?", (run_id, after_id, limit)
        ).fetchall()

    def checkpoints(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._dicts("SELECT step, path, t FROM checkpoints WHERE run = ? ORDER BY step", (run_id,))
        return [dict(r) for r in rows]

    def artifacts(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._dicts("SELECT name, path, kind, meta, t FROM artifacts WHERE run = ? ORDER BY id", (run_id,))
        return [{**dict(r), "meta": json.loads(r["meta"])} for r in rows]

    def verdict_counts(self, run_id: str) -> tuple[list[tuple[str, int]], int]:
        """(verdict, samples) of a run, most first, and the number of problems it judged."""
        counts = self.conn.execute("SELECT verdict, COUNT(*) FROM verdicts WHERE run = ? GROUP BY verdict "
                                   "ORDER BY COUNT(*) DESC, verdict", (run_id,)).fetchall()
        problems = self.conn.execute("SELECT COUNT(DISTINCT problem) FROM verdicts WHERE run = ?", (run_id,)).fetchone()
        return [(str(v), int(n)) for v, n in counts], int(problems[0])

    def problem_counts(self, run_id: str) -> dict[str, tuple[int, int]]:
        """problem -> (samples judged, samples OK) of a run: what pass@k and solved are computed from."""
        rows = self.conn.execute("SELECT problem, COUNT(*), SUM(verdict = 'OK') FROM verdicts WHERE run = ? "
                                 "GROUP BY problem", (run_id,)).fetchall()
        return {str(p): (int(n), int(c or 0)) for p, n, c in rows}

    def last_metric(self, run_id: str, key: str) -> float | None:
        """The newest value of one metric of a run (None when it has none)."""
        row = self.conn.execute("SELECT value FROM metrics WHERE run = ? AND key = ? ORDER BY id DESC LIMIT 1",
                                (run_id, key)).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def max_id(self, table: str, run_id: str | None = None) -> int:
        """The largest row id of ``table`` (of one run's rows when ``run_id``): where a follower starts after a load.
        The whole table's is an O(1) read; a run's uses the table's run index."""
        if table not in ("metrics", "logs", "verdicts", "samples"):
            raise ValueError(table)
        if run_id is None:
            return int(self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0])
        return int(self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table} WHERE run = ?", (run_id,)).fetchone()[0])

    def count(self, table: str, run_id: str) -> int:
        if table not in ("metrics", "logs", "samples", "verdicts", "checkpoints", "artifacts"):
            raise ValueError(table)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE run = ?", (run_id,)).fetchone()[0])


def _decode_run(row: sqlite3.Row | dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for k, default in (("after", "[]"), ("config", "{}"), ("last_metrics", "{}"), ("summary", "{}"), ("inputs", "{}")):
        out[k] = json.loads(out.get(k) or default)
    return out
