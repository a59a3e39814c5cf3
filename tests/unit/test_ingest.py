"""The ingester: exactly once, torn tails, concurrent ingesters and writers in separate processes."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from backends.events import EventWriter, Metrics
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
