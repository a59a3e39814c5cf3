from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from iotatui.store import MIGRATIONS, Store, StoreError


def test_schema_version_and_reopen(tmp_path: Path) -> None:
    s = Store(tmp_path / "a.db")
    assert s.schema_version() == len(MIGRATIONS)
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.insert_run({"id": "x1", "stage": "count", "status": "queued", "run_dir": "/tmp/x"})
    s.close()
    s2 = Store(tmp_path / "a.db")  # reopening migrates nothing and keeps the data
    assert s2.get_run("x1")["status"] == "queued"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").close()
    c = sqlite3.connect(tmp_path / "a.db")
    c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    c.commit()
    with pytest.raises(StoreError, match="newer than this iotatui"):
        Store(tmp_path / "a.db")


def test_resolve_run_by_prefix_and_suffix(tmp_path: Path) -> None:
    s = Store(tmp_path / "a.db")
    for rid in ("count-1126-101010-aaaa", "count-1126-101011-bbbb"):
        s.insert_run({"id": rid, "stage": "count", "status": "queued", "run_dir": "/tmp/x"})
    assert s.resolve_run("bbbb")["id"] == "count-1126-101011-bbbb"
    with pytest.raises(StoreError, match="matches 2 runs"):
        s.resolve_run("count-1126")
    with pytest.raises(StoreError, match="no run matches"):
        s.resolve_run("zzz")


def test_indexes_serve_follower_queries(tmp_path: Path) -> None:
    s = Store(tmp_path / "a.db")
    plan = " ".join(str(r) for r in s.conn.execute(
        "EXPLAIN QUERY PLAN SELECT step, key, value FROM metrics WHERE run = 'r' AND step > 5").fetchall())
    assert "metrics_run_step" in plan
    plan = " ".join(str(r) for r in s.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM metrics WHERE run = 'r' AND id > 5 ORDER BY id").fetchall())
    assert "USING INDEX metrics_run" in plan or "metrics_run " in plan
