"""The run store: one SQLite file per workspace, through sqlite-utils. No Textual, no torch.

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

import sqlite_utils

SCHEMA_VERSION = 1
ACTIVE = ("starting", "running", "stopping")
"""Statuses whose process should be alive; reconciliation checks them."""
TERMINAL = ("finished", "failed", "crashed", "stopped")

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

MIGRATIONS: list[str] = [_V1]
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
            self.db = sqlite_utils.Database(self.conn)
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable iotatui database ({e})") from None

    def close(self) -> None:
        self.conn.close()

    # -- schema -----------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        if not self.db["meta"].exists():
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
    def insert_run(self, row: dict[str, Any]) -> None:
        row = {**row, "created": row.get("created", time.time()), "updated": time.time()}
        cols = ", ".join(row)
        with self.write() as c:
            c.execute(f"INSERT INTO runs ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))

    def update_run(self, run_id: str, conn: sqlite3.Connection | None = None, **fields: Any) -> None:
        fields["updated"] = time.time()
        sets = ", ".join(f"{k} = ?" for k in fields)
        sql = f"UPDATE runs SET {sets} WHERE id = ?"
        if conn is not None:
            conn.execute(sql, [*fields.values(), run_id])
        else:
            with self.write() as c:
                c.execute(sql, [*fields.values(), run_id])

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
        return _decode_run(rows[0]) if rows else None

    def resolve_run(self, ref: str) -> dict[str, Any]:
        """A run by exact id or unique prefix/suffix (ids are long; people type the tail or the head)."""
        run = self.get_run(ref)
        if run:
            return run
        rows = list(self.db.query("SELECT * FROM runs WHERE id LIKE ? OR id LIKE ?", [f"{ref}%", f"%{ref}"]))
        if len(rows) == 1:
            return _decode_run(rows[0])
        if not rows:
            raise StoreError(f"no run matches {ref!r}")
        raise StoreError(f"{ref!r} matches {len(rows)} runs: {', '.join(r['id'] for r in rows[:5])}")

    def list_runs(self, statuses: Iterable[str] | None = None) -> list[dict[str, Any]]:
        if statuses is None:
            rows = self.db.query("SELECT * FROM runs ORDER BY created, id")
        else:
            st = list(statuses)
            rows = self.db.query(
                f"SELECT * FROM runs WHERE status IN ({', '.join('?' * len(st))}) ORDER BY created, id", st
            )
        return [_decode_run(r) for r in rows]

    def runs_changed_since(self, t: float) -> list[dict[str, Any]]:
        """Runs whose row changed after ``t`` (the app's table refresh reads only these)."""
        return [_decode_run(r) for r in self.db.query("SELECT * FROM runs WHERE updated > ? ORDER BY created", [t])]

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

    def metric_keys(self, run_id: str) -> list[str]:
        run = self.get_run(run_id)
        return sorted(run["last_metrics"]) if run else []

    def logs_after(self, run_id: str, after_id: int = 0, limit: int = 10_000) -> list[tuple[int, float, str, str]]:
        return self.conn.execute(
            "SELECT id, t, level, text FROM logs WHERE run = ? AND id > ? ORDER BY id LIMIT ?", (run_id, after_id, limit)
        ).fetchall()

    def checkpoints(self, run_id: str) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT step, path, t FROM checkpoints WHERE run = ? ORDER BY step", [run_id]))

    def artifacts(self, run_id: str) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT name, path, kind, meta, t FROM artifacts WHERE run = ? ORDER BY id", [run_id])
        return [{**r, "meta": json.loads(r["meta"])} for r in rows]

    def count(self, table: str, run_id: str) -> int:
        if table not in ("metrics", "logs", "samples", "verdicts", "checkpoints", "artifacts"):
            raise ValueError(table)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE run = ?", (run_id,)).fetchone()[0])


def _decode_run(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for k, default in (("after", "[]"), ("config", "{}"), ("last_metrics", "{}"), ("summary", "{}")):
        out[k] = json.loads(out.get(k) or default)
    return out
