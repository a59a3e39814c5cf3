from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from iotatui.store import (
    ALLOWED_FROM,
    CRASHED,
    FAILED,
    FINISHED,
    MIGRATIONS,
    QUEUED,
    RUNNING,
    STARTING,
    STATUSES,
    STOPPED,
    STOPPING,
    TERMINAL,
    Store,
    StoreError,
    transition,
)


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


# -- the one status authority -------------------------------------------------------------------------------------

def _store_with(tmp_path: Path, status: str) -> Store:
    s = Store(tmp_path / f"{status}.db")
    s.insert_run({"id": "r", "stage": "count", "status": status, "run_dir": "/tmp/x", "error": "old"})
    return s


# Written out by hand (not derived from ALLOWED_FROM), so a change to the table has to change this list too.
ALLOWED = {
    (QUEUED, STARTING), (QUEUED, FAILED), (QUEUED, STOPPED),
    (STARTING, RUNNING), (STARTING, STOPPING), (STARTING, FINISHED), (STARTING, FAILED), (STARTING, CRASHED),
    (STARTING, STOPPED),
    (RUNNING, RUNNING), (RUNNING, STOPPING), (RUNNING, FINISHED), (RUNNING, FAILED), (RUNNING, CRASHED),
    (RUNNING, STOPPED),
    (STOPPING, STOPPING), (STOPPING, FINISHED), (STOPPING, FAILED), (STOPPING, STOPPED),
    (FAILED, QUEUED), (CRASHED, QUEUED), (STOPPED, QUEUED),
}


@pytest.mark.parametrize("src", STATUSES)
def test_transition_allows_exactly_the_table(tmp_path: Path, src: str) -> None:
    for to in STATUSES:
        (tmp_path / to).mkdir()
        s = _store_with(tmp_path / to, src)
        before = s.get_run("r")
        ok = s.transition("r", to, error="new")
        after = s.get_run("r")
        assert ok == ((src, to) in ALLOWED), f"{src} -> {to}"
        if ok:
            assert after["status"] == to and after["error"] == "new" and after["updated"] >= before["updated"]
        else:  # a refused move changes nothing at all
            assert after == before
        s.close()


def test_terminal_runs_never_move_except_back_to_the_queue() -> None:
    for src in TERMINAL:
        assert all(src not in ALLOWED_FROM[to] for to in STATUSES if to != QUEUED)
    assert FINISHED not in ALLOWED_FROM[QUEUED]  # a finished run is never re-run under the same id


def test_transition_inside_a_write_transaction_rolls_back_with_it(tmp_path: Path) -> None:
    s = _store_with(tmp_path, QUEUED)
    with pytest.raises(RuntimeError):
        with s.write() as c:
            assert transition(c, "r", STARTING, attempt=1)
            raise RuntimeError("boom")
    assert s.get_run("r")["status"] == QUEUED and s.get_run("r")["attempt"] == 0


def test_unknown_status_and_status_through_update_run_are_refused(tmp_path: Path) -> None:
    s = _store_with(tmp_path, QUEUED)
    with pytest.raises(ValueError, match="unknown run status"):
        s.transition("r", "paused")
    with pytest.raises(ValueError, match="transition"):
        s.update_run("r", status=RUNNING)
    assert s.transition("nosuch", STARTING) is False
    assert s.get_run("r")["status"] == QUEUED


# -- migrations ---------------------------------------------------------------------------------------------------

def test_a_v1_database_file_migrates_to_the_latest_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    c = sqlite3.connect(path)  # a database exactly as iotatui with schema 1 left it
    sql = "\n".join(ln for ln in MIGRATIONS[0].splitlines() if not ln.lstrip().startswith("--"))
    c.executescript(sql)
    c.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')")
    c.execute("INSERT INTO runs (id, stage, status, run_dir, created, config) VALUES "
              "('old-run', 'count', 'finished', '/tmp/x', 1.0, '{\"steps\": 5}')")
    c.execute("INSERT INTO verdicts (run, sample_id, problem, verdict, tests, t) VALUES "
              "('old-run', 's1', 'p1', 'WA', 'AW', 2.0)")
    c.commit()
    c.close()
    s = Store(path)
    assert s.schema_version() == 3 == len(MIGRATIONS)
    plan = " ".join(str(r) for r in s.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM verdicts WHERE run = 'old-run' AND id > 0 ORDER BY id").fetchall())
    assert "verdicts_run" in plan and "TEMP B-TREE" not in plan, plan  # the follower's query needs no sort
    run = s.get_run("old-run")
    assert run["status"] == FINISHED and run["config"] == {"steps": 5} and run["inputs"] == {}
    row = s.conn.execute("SELECT verdict, tests, n_tests, fail_test, fail_output, fail_stderr, sample_run "
                         "FROM verdicts WHERE sample_id = 's1'").fetchone()
    assert row == ("WA", "AW", None, None, None, None, None)
    s.conn.execute("INSERT INTO verdicts (run, sample_id, problem, verdict, t, n_tests, fail_test, fail_output, "
                   "fail_stderr, sample_run) VALUES ('old-run', 's2', 'p1', 'RE', 3.0, 4, 2, 'out', 'err', 'x')")
    s.close()
    assert Store(path).schema_version() == 3  # reopening migrates nothing twice


def test_updated_is_stamped_once_the_write_lock_is_held(tmp_path: Path) -> None:
    """A row's ``updated`` must not be older than rows committed before it (a follower reading "updated since the
    newest seen" would skip it for good): an update that waits for the lock stamps after the wait."""
    import sys
    import threading
    import time
    import traceback

    from tests.conftest import wait_until

    s = Store(tmp_path / "a.db")
    s.insert_run({"id": "x1", "stage": "count", "status": "running", "run_dir": "/tmp/x"})
    holder = Store(tmp_path / "a.db")
    updater = threading.Thread(target=lambda: s.update_run("x1", last_step=5))

    def in_update() -> bool:  # the updater is inside update_run: waiting for the holder's lock
        frame = sys._current_frames().get(updater.ident or -1)
        return frame is not None and any(f.name == "update_run" for f in traceback.extract_stack(frame))

    with holder.write():  # another writer's long transaction, held until the update waits for it
        updater.start()
        wait_until(in_update, timeout=10, what="the update waiting for the lock")
        released = time.time()
    updater.join(10)
    assert s.get_run("x1")["updated"] >= released
    s.insert_run({"id": "x2", "stage": "count", "status": "queued", "run_dir": "/tmp/y"})
    assert s.get_run("x2")["updated"] >= s.get_run("x1")["updated"]
    holder.close()
    s.close()
