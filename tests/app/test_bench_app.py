"""``iotatui bench app`` at a small size: the JSON has the issue's keys, goals, baselines and ratios, and every value
was really measured (positive, finite) through the pilot against real stores."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from iotatui.bench import app_bench
from iotatui.store import Store

pytestmark = pytest.mark.slow

KEYS = ("first_paint_ms", "detail_refresh_p95_ms", "eval_refresh_p95_ms", "runs_refresh_p95_ms")


def measured(v: Any) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v) and v > 0


def test_data_builders_write_real_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "iotatui.db")
    try:
        ids = app_bench.add_runs(store, tmp_path, 7)
        assert [r["id"] for r in store.list_runs()] == ids
        rid = app_bench.add_sft_run(store, tmp_path, 4000)
        assert store.count("metrics", rid) == 4000
        last = app_bench.add_metrics(store, rid, 1001, 10)
        assert store.metrics_after_id(rid, last - 1)[0][0] == last and store.count("metrics", rid) == 4040
        eid = app_bench.add_eval_run(store, tmp_path, problems=5, samples=20, held_back=30)
        assert store.count("verdicts", eid) == 70 and store.count("samples", eid) == 70
        app_bench.add_verdicts(store, eid, 5, 70, 30)
        assert store.count("verdicts", eid) == 100
        assert store.conn.execute("SELECT COUNT(DISTINCT problem) FROM verdicts WHERE run = ?", (eid,)).fetchone()[0] == 5
    finally:
        store.close()


def test_bench_app_json_shape_and_measured_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app_bench.main(json_out=True, runs=6, points=4000, problems=6, samples=20, updates=4, baseline_updates=2,
                   workdir=tmp_path, idle_s=1.0, grid_runs=50)
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for k in KEYS:
        assert measured(out[k]), (k, out[k])
        assert measured(out["baseline"][k]), (k, out["baseline"][k])
        assert measured(out["ratio"][k]), (k, out["ratio"][k])
        assert k in out["goals"] and k in out["baseline_is"]
    assert out["goals"] == {"first_paint_ms": "< 1000", "detail_refresh_p95_ms": "< 50", "eval_refresh_p95_ms": "< 50",
                            "runs_refresh_p95_ms": "< 100"}
    assert out["sizes"]["varying_config_keys"] == 10 and out["sizes"]["config_columns_shown"] == 10
    assert out["sizes"]["metric_points"] == 4000 and out["sizes"]["updates"] == 4
    assert set(out["idle_cpu_pct"]) == {"refresh_1s", "refresh_0.05s"}
    assert all(measured(v) for v in out["idle_cpu_pct"].values())  # the follower polls: never exactly 0
    assert 0 <= out["baseline"]["idle_cpu_pct"] < 100
