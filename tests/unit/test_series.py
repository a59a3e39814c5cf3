"""iotatui.series against a real SQLite store: bounded history loads, live merges, smoothing, log scale, stable
axes, cursor lookup and the compare config diff."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import pytest

from iotatui.series import (
    MISSING,
    History,
    Series,
    StableRange,
    config_diff,
    ema,
    exact_value,
    flatten,
    fmt,
    load_history,
    log_view,
    nearest,
    x_values,
)
from iotatui.store import Store


def _store(tmp_path: Path, rows: list[tuple[int, str, float | None, float]], run: str = "r1") -> Store:
    st = Store(tmp_path / "iotatui.db")
    st.insert_run({"id": run, "stage": "count", "status": "running", "run_dir": str(tmp_path / run)})
    with st.write() as c:
        c.executemany("INSERT INTO metrics (run, step, key, value, wall) VALUES (?, ?, ?, ?, ?)",
                      [(run, s, k, v, w) for s, k, v, w in rows])
    return st


def test_small_history_is_exact_and_a_relogged_step_keeps_its_last_value(tmp_path: Path) -> None:
    rows = [(s, "train/loss", 1.0 / s, 100.0 + s) for s in range(1, 11)]
    rows += [(s, "eval/loss", 2.0 / s, 100.0 + s) for s in (5, 10)]
    rows += [(6, "train/loss", 99.0, 200.0)]  # a resumed run re-logs step 6 after its checkpoint
    rows += [(11, "train/loss", None, 201.0)]  # NaN is stored as NULL: nothing to draw
    st = _store(tmp_path, rows)
    hist = load_history(st.conn, "r1", max_points=100)
    loss = hist.series["train/loss"]
    assert loss.x == [float(s) for s in range(1, 11)]
    assert loss.n == [1] * 10
    assert loss.y[5] == loss.lo[5] == loss.hi[5] == 99.0  # the last value of step 6 wins
    assert loss.y[0] == 1.0 and loss.y[9] == pytest.approx(0.1)
    assert loss.rows == 12  # every stored row is accounted for (the duplicate and the NULL too)
    assert hist.series["eval/loss"].x == [5.0, 10.0] and hist.series["eval/loss"].last_step == 10
    assert loss.last_step == 11  # a step logged as NaN still counts as logged
    assert hist.max_id == st.conn.execute("SELECT MAX(id) FROM metrics").fetchone()[0]
    assert hist.t0 == 101.0
    assert x_values(loss, "time", hist.t0)[:2] == [0.0, 1.0]


def test_history_of_a_big_run_is_bucketed_with_mean_and_envelope(tmp_path: Path) -> None:
    rows = [(s, "k", float(s % 10), 1000.0 + s) for s in range(10_000)]
    st = _store(tmp_path, rows)
    hist = load_history(st.conn, "r1", max_points=100)
    s = hist.series["k"]
    assert len(s) == 100 and s.rows == 10_000
    assert all(n == 100 for n in s.n)
    assert s.lo[0] == 0.0 and s.hi[0] == 9.0 and s.y[0] == pytest.approx(4.5)
    assert s.x[0] == pytest.approx(49.5) and s.x[-1] == pytest.approx(9949.5)
    assert s.last_step == 9999  # a bucket's x is its mean step; the last step logged is kept apart


@pytest.mark.slow
def test_a_million_rows_load_as_a_bounded_number_of_points(tmp_path: Path) -> None:
    keys = ("train/loss", "train/learning_rate", "train/grad_norm", "eval/loss")
    n_steps = 250_000
    st = _store(tmp_path, [])
    with st.write() as c:
        c.executemany("INSERT INTO metrics (run, step, key, value, wall) VALUES ('r1', ?, ?, ?, ?)",
                      ((s, k, math.exp(-s / 50_000) + i, 1e9 + s) for s in range(n_steps) for i, k in enumerate(keys)))
    t = time.perf_counter()
    hist = load_history(st.conn, "r1", max_points=1000)
    took = time.perf_counter() - t
    assert sorted(hist.series) == sorted(keys)
    assert all(len(s) <= 1000 for s in hist.series.values())
    assert sum(len(s) for s in hist.series.values()) <= 4000
    assert sum(s.rows for s in hist.series.values()) == 1_000_000
    assert hist.max_id == 1_000_000
    loss = hist.series["train/loss"]
    assert loss.hi[0] == pytest.approx(1.0) and loss.y[-1] == pytest.approx(math.exp(-249_875 / 50_000), rel=1e-3)
    print(f"1M-row history load: {took * 1000:.0f} ms", file=sys.stderr)
    # the cursor's exact readout under a bucket: an indexed point query
    assert exact_value(st.conn, "r1", "train/loss", 123_456.4) == (123_456, pytest.approx(math.exp(-123_456 / 50_000)))


def test_live_rows_merge_into_a_bounded_series(tmp_path: Path) -> None:
    st = _store(tmp_path, [(s, "k", float(s), 0.0) for s in range(1, 6)])
    hist = load_history(st.conn, "r1", max_points=8)
    first = hist.max_id
    assert hist.add_rows([(first, 5, "k", 123.0)]) == []  # covered by the load: skipped
    assert hist.add_rows([(first + 1, 6, "k", 6.0), (first + 2, 3, "k", 30.0), (first + 3, 1, "new", None)],
                         wall=50.0) == ["k"]
    k = hist.series["k"]
    assert k.x == [1, 2, 3, 4, 5, 6] and k.y[2] == 30.0  # re-logged step 3: the last value wins
    assert k.last_step == 6
    assert k.t[-1] == 50.0 and hist.max_id == first + 3
    assert "new" not in hist.series  # a NULL value draws nothing
    hist.add_rows([(first + 10 + i, 7 + i, "k", float(7 + i)) for i in range(20)])
    assert len(k) <= 8
    assert k.x[-1] == 26 and k.n[-1] == 1 and k.y[-1] == 26.0  # the newest point stays exact
    assert sum(k.n) == 26 and k.rows == 26  # halving merged points, never dropped rows
    assert min(k.lo) == 1.0 and max(k.hi) == 30.0  # the envelope keeps the extremes


def test_series_insert_out_of_order_keeps_steps_sorted() -> None:
    s = Series("k", cap=100)
    for step, v in ((10, 1.0), (20, 2.0), (15, 1.5), (20, 2.5)):
        s.add(step, v, 0.0)
    assert s.x == [10, 15, 20] and s.y == [1.0, 1.5, 2.5] and s.rows == 3


def test_ema_is_tensorboards_debiased_average() -> None:
    assert ema([3.0, 3.0, 3.0], 0.9) == pytest.approx([3.0, 3.0, 3.0])  # debiased: no pull toward 0
    out = ema([1.0, 2.0, float("nan"), 3.0], 0.5)
    assert out[0] == pytest.approx(1.0)
    assert out[1] == pytest.approx((0.25 + 1.0) / 0.75)  # (0.5*0.5*1 + 0.5*2) / (1 - 0.5**2)
    assert math.isnan(out[2])
    assert out[3] == pytest.approx((0.5 * 1.25 + 1.5) / 0.875)
    assert ema([1.0, 5.0], 0.0) == [1.0, 5.0]


def test_log_view_skips_non_positive_and_says_how_many() -> None:
    xs, ys, skipped = log_view([1, 2, 3, 4], [10.0, 0.0, -1.0, 1000.0])
    assert xs == [1, 4] and ys == pytest.approx([1.0, 3.0]) and skipped == 2


def test_stable_range_grows_with_headroom_and_never_shrinks() -> None:
    r = StableRange(headroom=0.1)
    assert r.fit(0.0, 10.0) == (-1.0, 11.0)
    assert r.fit(2.0, 5.0) == (-1.0, 11.0)  # narrower data: the axes stay
    assert r.fit(0.0, 10.5) == (-1.0, 11.0)  # inside the headroom: no rescale
    lo, hi = r.fit(0.0, 20.0)
    assert lo == -1.0 and hi == pytest.approx(20.0 + 0.1 * 21.0)
    x = StableRange(headroom=0.2, low_headroom=0.0)
    assert x.fit(100.0, 200.0) == (100.0, 220.0)
    one = StableRange()
    assert one.fit(5.0, 5.0) == (2.5, 7.5)  # a single value gets a band around it
    one.reset()
    assert one.fit(0.0, 0.0) == (-0.5, 0.5)


def test_nearest_and_exact_value(tmp_path: Path) -> None:
    assert nearest([], 3) is None
    assert nearest([1.0, 5.0, 9.0], 2.9) == 0 and nearest([1.0, 5.0, 9.0], 3.1) == 1
    assert nearest([1.0, 5.0], -10) == 0 and nearest([1.0, 5.0], 10) == 1
    st = _store(tmp_path, [(10, "k", 1.0, 0.0), (20, "k", 2.0, 0.0), (20, "k", 2.5, 0.0), (5000, "k", 3.0, 0.0)])
    assert exact_value(st.conn, "r1", "k", 19.2) == (20, 2.5)  # the latest row of that step
    assert exact_value(st.conn, "r1", "k", 3000) == (5000, 3.0)  # widened until found
    assert exact_value(st.conn, "r1", "nope", 10) is None


def test_config_diff_flattens_and_lists_what_differs() -> None:
    assert flatten({"a": {"b": 1, "c": {"d": 2}}, "e": {}}) == {"a.b": 1, "a.c.d": 2, "e": {}}
    diff = config_diff({"r1": {"lr": 0.1, "opt": {"beta": 0.9, "eps": 1e-8}, "seed": 0},
                        "r2": {"lr": 0.2, "opt": {"beta": 0.9}, "seed": 0}})
    assert diff == [("lr", [0.1, 0.2]), ("opt.eps", [1e-8, MISSING])]
    assert config_diff({"r1": {"a": 1}}) == []
    assert config_diff({}) == []


def test_fmt_is_short() -> None:
    assert fmt(None) == "-" and fmt(0.0) == "0" and fmt(0.123456) == "0.1235"
    assert fmt(1e-5) == "1.000e-05" and fmt(123456.0) == "1.235e+05"


def test_history_add_rows_creates_series_and_t0() -> None:
    h = History("r")
    assert h.add_rows([(1, 0, "a", 1.0)], wall=10.0) == ["a"]
    assert h.t0 == 10.0 and h.keys() == ["a"] and h.series["a"].last == 1.0
