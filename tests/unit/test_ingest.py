"""The ingester: exactly once, torn tails, concurrent ingesters and writers in separate processes."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from backends.events import (
    EventWriter,
    LogLine,
    Metrics,
    ProblemInfo,
    RunFinished,
    RunStarted,
    RunStopped,
    VerdictEvent,
)
from iotatui.ingest import ingest_all, ingest_run, unpack
from iotatui.store import Store


def _store_with_run(tmp_path: Path, run_id: str = "r1") -> tuple[Store, Path]:
    store = Store(tmp_path / "iotatui.db")
    run_dir = tmp_path / run_id
    run_dir.mkdir()
    store.insert_run({"id": run_id, "stage": "count", "status": "running", "run_dir": str(run_dir)})
    return store, run_dir / "events.jsonl"


def test_idempotent_and_torn_tail(tmp_path: Path) -> None:
    store, path = _store_with_run(tmp_path)
    w = EventWriter(path)
    for s in range(10):
        w.metrics(s, {"loss": 1.0 / (s + 1), "kl": 0.1})
    assert ingest_run(store, "r1") == 10
    assert ingest_run(store, "r1") == 0  # nothing new: nothing re-inserted
    assert store.count("metrics", "r1") == 20
    # half a line: not consumed until its newline arrives
    line = Metrics(step=10, values={"loss": 0.05}).to_line().encode()
    with open(path, "ab") as f:
        f.write(line[:20])
    assert ingest_run(store, "r1") == 0
    with open(path, "ab") as f:
        f.write(line[20:])
    assert ingest_run(store, "r1") == 1
    assert store.count("metrics", "r1") == 21
    assert store.get_run("r1")["last_metrics"]["loss"] == 0.05
    # a torn line from a dead writer is dropped by the final pass, and the offset reaches the end
    with open(path, "ab") as f:
        f.write(b'{"v":1,"event":"metrics","t":1,"step":11,"val')
    assert ingest_run(store, "r1", final=True) == 0
    assert store.get_run("r1")["events_offset"] == path.stat().st_size
    assert store.count("metrics", "r1") == 21


def test_verdict_and_sample_events_are_compact_rows(tmp_path: Path) -> None:
    from backends.events import Sample, VerdictEvent

    store, path = _store_with_run(tmp_path)
    w = EventWriter(path)
    w.emit(Sample(sample_id="s1", problem="P", language="python3", code="print(1)"))
    w.emit(VerdictEvent(sample_id="s1", problem="P", verdict="WRONG_ANSWER", tests="AAW", time_ms=[5, 6, 7],
                        memory_kb=[100, 100, 90]))
    ingest_run(store, "r1")
    row = store.conn.execute("SELECT verdict, tests, time_ms, memory_kb FROM verdicts").fetchone()
    assert row[0] == "WRONG_ANSWER" and row[1] == "AAW"
    assert unpack(row[2]) == [5, 6, 7] and unpack(row[3]) == [100, 100, 90]
    assert store.count("samples", "r1") == 1


def _write(path: str, n: int) -> None:
    w = EventWriter(path)
    for s in range(n):
        w.metrics(s, {"a": s, "b": -s})


def _ingest_loop(db: str, rounds: int) -> None:
    store = Store(Path(db))
    for _ in range(rounds):
        ingest_all(store)
    store.close()


def test_concurrent_writers_and_ingesters_exactly_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "iotatui.db")
    paths = []
    for i in range(4):
        d = tmp_path / f"run{i}"
        d.mkdir()
        store.insert_run({"id": f"r{i}", "stage": "count", "status": "running", "run_dir": str(d)})
        paths.append(str(d / "events.jsonl"))
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_write, args=(p, 3000)) for p in paths]
    procs += [ctx.Process(target=_ingest_loop, args=(str(tmp_path / "iotatui.db"), 200)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    ingest_all(store)  # a restarted ingester picks up exactly where the others stopped
    for i in range(4):
        rows = store.conn.execute("SELECT step, key, COUNT(*) FROM metrics WHERE run = ? GROUP BY step, key "
                                  "HAVING COUNT(*) > 1", (f"r{i}",)).fetchall()
        assert rows == []
        assert store.count("metrics", f"r{i}") == 6000


def test_verdict_failure_details_are_stored(tmp_path: Path) -> None:
    store, path = _store_with_run(tmp_path)
    w = EventWriter(path)
    w.emit(VerdictEvent(sample_id="s1", problem="P", verdict="WRONG_ANSWER", tests="AW--", time_ms=[5, 6],
                        memory_kb=[10, 10], n_tests=4, fail_test=1, fail_output="x" * 5000,
                        fail_stderr="head" + "e" * 5000 + "TAIL", sample_run="gen1"))
    w.emit(VerdictEvent(sample_id="s2", problem="P", verdict="OK", tests="AAAA", n_tests=4))
    # a judge-style list of per-test outcomes is compacted by the one compaction (backends.events.compact_tests)
    line = ('{"v":1,"event":"verdict","t":1,"sample_id":"s3","problem":"P","verdict":"TIME_LIMIT","n_tests":3,'
            '"tests":[{"verdict":"OK"},{"verdict":"TIME_LIMIT"}]}\n')
    with open(path, "a") as f:
        f.write(line)
    assert ingest_run(store, "r1") == 3
    rows = store.conn.execute("SELECT sample_id, tests, n_tests, fail_test, fail_output, fail_stderr, sample_run "
                              "FROM verdicts ORDER BY sample_id").fetchall()
    s1, s2, s3 = rows
    assert s1[1:4] == ("AW--", 4, 1) and s1[6] == "gen1"
    assert s1[4] == "x" * 2048  # the head of stdout, capped
    assert len(s1[5]) == 2048 and s1[5].endswith("TAIL")  # the tail of stderr, capped
    assert s2[1:7] == ("AAAA", 4, None, "", "", None)
    assert s3[1:3] == ("AT-", 3)


def test_problem_info_is_upserted(tmp_path: Path) -> None:
    store, path = _store_with_run(tmp_path)
    w = EventWriter(path)
    w.emit(ProblemInfo(name="1A", problem_set="cf", split="test", cf_rating=800, n_public=1, n_private=5,
                       time_limit_s=2.0, memory_limit_bytes=1 << 28))
    w.emit(ProblemInfo(name="1B", problem_set="cf", split="test", cf_rating=1200))
    w.emit(ProblemInfo(name="1A", problem_set="cf", split="test", cf_rating=900, n_public=2, n_private=5))
    w.emit(ProblemInfo(name="", problem_set="cf"))  # no key: skipped
    assert ingest_run(store, "r1") == 3
    rows = store.conn.execute("SELECT name, problem_set, split, cf_rating, n_public, n_private, time_limit_s "
                              "FROM problems ORDER BY name").fetchall()
    assert rows == [("1A", "cf", "test", 900, 2, 5, None), ("1B", "cf", "test", 1200, 0, 0, None)]


def _status(store: Store, run_id: str = "r1") -> str:
    run = store.get_run(run_id)
    assert run is not None
    return str(run["status"])


def _log_texts(store: Store, run_id: str = "r1") -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT text FROM logs WHERE run = ? ORDER BY id", (run_id,))]


def test_stopped_event_ends_the_run_stopped_with_a_log_line(tmp_path: Path) -> None:
    store, path = _store_with_run(tmp_path)
    w = EventWriter(path)
    w.emit(RunStarted(pid=123, host="h", attempt=1))
    w.emit(LogLine(text="hello"))
    w.emit(RunStopped(reason="SIGTERM", step=7))
    ingest_run(store, "r1")
    run = store.get_run("r1")
    assert run is not None and run["status"] == "stopped" and run["finished"] is not None
    assert run["pid"] == 123 and run["host"] == "h"
    assert _log_texts(store) == ["started (attempt 1) pid 123", "hello", "stopped (SIGTERM) at step 7"]
    # a stray "started" after the stop does not revive the run: the store refuses the move
    w.emit(RunStarted(pid=124, attempt=1))
    ingest_run(store, "r1")
    assert _status(store) == "stopped"


def test_stopped_while_stopping_and_finished_while_running(tmp_path: Path) -> None:
    store, path = _store_with_run(tmp_path)
    w = EventWriter(path)
    w.emit(RunStarted(pid=1))
    ingest_run(store, "r1")
    assert store.transition("r1", "stopping")
    w.emit(RunStopped(reason="SIGTERM"))
    ingest_run(store, "r1")
    assert _status(store) == "stopped"

    store2, path2 = _store_with_run(tmp_path / "b")
    w2 = EventWriter(path2)
    w2.emit(RunStarted(pid=1))
    w2.emit(RunFinished(summary={"loss": 0.5}))
    ingest_run(store2, "r1")
    run = store2.get_run("r1")
    assert run is not None and run["status"] == "finished" and run["summary"] == {"loss": 0.5}
    assert run["exit_code"] == 0 and _log_texts(store2)[-1] == "finished"


def test_a_malformed_event_is_skipped_without_wedging_the_run(tmp_path: Path) -> None:
    store, path = _store_with_run(tmp_path)
    with open(path, "w") as f:
        f.write('{"v":1,"event":"metrics","t":1,"step":"not a step","values":{"a":1}}\n')
        f.write('{"v":1,"event":"metrics","t":1,"step":1,"values":"not a dict"}\n')
        f.write('{"v":1,"event":"checkpoint","t":1,"step":{"x":1},"path":"p"}\n')
        f.write('{"v":2,"event":"metrics","t":1,"step":1,"values":{"a":1}}\n')  # a newer schema: skipped
        f.write('{"v":1,"event":"metrics","t":1,"step":2,"values":{"a":[1],"b":"0.5","c":2}}\n')
    assert ingest_run(store, "r1") == 1
    rows = store.conn.execute("SELECT step, key, value FROM metrics ORDER BY key").fetchall()
    assert rows == [(2, "a", None), (2, "b", 0.5), (2, "c", 2.0)]
    assert store.get_run("r1")["events_offset"] == path.stat().st_size
