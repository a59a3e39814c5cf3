"""``iotatui bench store``: end-to-end ingest rate vs a naive writer, and follower read latency at 1M rows.

1. Ours: ``writers`` processes append metric events to their own events files (as backends do) while the ingester
   makes them queryable in SQLite. Rate = rows / (first append -> last row queryable).
2. Baseline: a naive writer that inserts and commits one row at a time (what a backend writing SQLite directly
   would do), same schema, same journal settings.
3. Read latency: "metrics of run R after step S" against a table of ``table_rows`` rows, where S is a follower's
   last-seen step (within the last 250 steps of the run); p50/p95 over 300 queries.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

KEYS_PER_EVENT = 8


def _writer(path: str, n_rows: int, start_evt: Any, batch: int) -> None:
    from backends.events import EventWriter, Metrics

    w = EventWriter(path)
    start_evt.wait()
    n_events = n_rows // KEYS_PER_EVENT
    buf = []
    for step in range(n_events):
        buf.append(Metrics(step=step, values={f"train/k{k}": step * 0.001 + k for k in range(KEYS_PER_EVENT)}))
        if len(buf) >= batch:  # a trainer logs a burst per optimizer step; flush per burst
            w.emit_many(buf)
            buf = []
    w.emit_many(buf)
    w.close()


def bench_ingest(rows: int, writers: int) -> dict[str, float]:
    from iotatui.ingest import ingest_all
    from iotatui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "iotatui.db")
        per = rows // writers
        per -= per % KEYS_PER_EVENT
        total = per * writers
        ctx = mp.get_context("fork")
        start_evt = ctx.Event()
        procs = []
        for i in range(writers):
            run_dir = Path(tmp) / f"run{i}"
            run_dir.mkdir()
            store.insert_run({"id": f"r{i}", "stage": "count", "status": "running", "run_dir": str(run_dir)})
            p = ctx.Process(target=_writer, args=(str(run_dir / "events.jsonl"), per, start_evt, 4))
            p.start()
            procs.append(p)
        time.sleep(0.3)
        t0 = time.perf_counter()
        start_evt.set()
        while True:
            ingest_all(store)
            n = store.conn.execute("SELECT COUNT(*) FROM metrics").fetchone()[0]
            if n >= total:
                break
            time.sleep(0.01)
        elapsed = time.perf_counter() - t0
        for p in procs:
            p.join()
        store.close()
    return {"rows": total, "seconds": elapsed, "rows_per_s": total / elapsed}


def bench_naive(rows: int) -> dict[str, float]:
    from iotatui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "iotatui.db")
        c = store.conn
        t0 = time.perf_counter()
        for i in range(rows):
            c.execute("BEGIN IMMEDIATE")
            c.execute("INSERT INTO metrics (run, step, key, value, wall) VALUES (?, ?, ?, ?, ?)",
                      ("r0", i // KEYS_PER_EVENT, f"train/k{i % KEYS_PER_EVENT}", i * 0.5, time.time()))
            c.execute("COMMIT")
        elapsed = time.perf_counter() - t0
        store.close()
    return {"rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed}


def bench_read(table_rows: int, runs: int = 10, queries: int = 300) -> dict[str, float]:
    from iotatui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "iotatui.db")
        steps = table_rows // (runs * KEYS_PER_EVENT)
        t0 = time.perf_counter()
        for r in range(runs):
            rows = ((f"r{r}", s, f"train/k{k}", s * 0.1 + k, 0.0) for s in range(steps) for k in range(KEYS_PER_EVENT))
            with store.write() as c:
                c.executemany("INSERT INTO metrics (run, step, key, value, wall) VALUES (?, ?, ?, ?, ?)", rows)
        fill_s = time.perf_counter() - t0
        n = store.conn.execute("SELECT COUNT(*) FROM metrics").fetchone()[0]
        rng = random.Random(0)
        lat = []
        returned = 0
        for _ in range(queries):
            run = f"r{rng.randrange(runs)}"
            after = steps - rng.randint(1, 250)
            q0 = time.perf_counter()
            res = store.metrics_after_step(run, after)
            lat.append((time.perf_counter() - q0) * 1000)
            returned += len(res)
        store.close()
    lat.sort()
    return {"table_rows": n, "fill_s": fill_s, "p50_ms": statistics.median(lat),
            "p95_ms": lat[int(0.95 * len(lat)) - 1], "mean_rows_returned": returned / queries}


def main(json_out: bool = False, rows: int = 400_000, writers: int = 4, table_rows: int = 1_000_000,
         naive_rows: int = 20_000) -> dict[str, Any]:
    ours = bench_ingest(rows, writers)
    naive = bench_naive(naive_rows)
    read = bench_read(table_rows)
    result = {
        "ingest_rows_per_s": round(ours["rows_per_s"]),
        "naive_rows_per_s": round(naive["rows_per_s"]),
        "ingest_vs_naive": round(ours["rows_per_s"] / naive["rows_per_s"], 1),
        "read_p95_ms": round(read["p95_ms"], 3),
        "read_p50_ms": round(read["p50_ms"], 3),
        "ingest_rows": ours["rows"],
        "writers": writers,
        "naive_rows": naive["rows"],
        "read_table_rows": read["table_rows"],
        "read_mean_rows_returned": round(read["mean_rows_returned"], 1),
    }
    if json_out:
        print(json.dumps(result))
    else:
        print(f"ingest  ours : {result['ingest_rows_per_s']:>10,} rows/s  ({ours['rows']:,} rows from {writers} "
              f"writer processes, first append -> last row queryable, {ours['seconds']:.2f} s)")
        print(f"ingest  naive: {result['naive_rows_per_s']:>10,} rows/s  (one row per commit, {naive['rows']:,} rows)")
        print(f"ratio        : {result['ingest_vs_naive']}x   (goal: >= 100,000 rows/s)")
        print(f"read         : p50 {result['read_p50_ms']} ms, p95 {result['read_p95_ms']} ms for 'metrics of run R "
              f"after step S' with {read['table_rows']:,} rows in the table (goal: p95 < 20 ms)")
        sys.stdout.flush()
    return result
