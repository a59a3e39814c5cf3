"""Metric series for the app's charts: downsampled history, live merge, smoothing, log scale, stable axes, cursor
lookup, and the config diff of compared runs. Stdlib + sqlite3 only (no Textual, no Rich): unit-tested alone.

History loads are bounded: each key's steps are bucketed in SQL into at most ``max_points`` buckets (mean, min,
max, mean wall time per bucket), so a run with 1M metric rows loads as a few thousand points. Live rows (the
follower's ``MetricsReceived``, ids above :attr:`History.max_id`) are merged into the same bounded series, which
halve themselves (pairs of points merged) when they outgrow their cap.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_POINTS = 1000
"""Points per key a history load keeps (a chart 200 columns wide draws 400 braille pixels across)."""


@dataclass
class Series:
    """One metric of one run as points sorted by step. A point stands for ``n`` raw rows: ``n == 1`` is an exact
    row (``y == lo == hi``), ``n > 1`` a bucket (``y`` the mean, ``lo``/``hi`` the envelope)."""

    key: str
    cap: int = DEFAULT_POINTS
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)
    t: list[float] = field(default_factory=list)
    n: list[int] = field(default_factory=list)
    rows: int = 0
    """Raw rows this series stands for (what the title reports)."""
    last_step: int | None = None
    """The highest step logged (a bucket's x is its mean step; health flags ask "still logged at the end?")."""

    def __len__(self) -> int:
        return len(self.x)

    def _append(self, x: float, y: float, lo: float, hi: float, t: float, n: int) -> None:
        self.x.append(x)
        self.y.append(y)
        self.lo.append(lo)
        self.hi.append(hi)
        self.t.append(t)
        self.n.append(n)

    def add(self, step: int, value: float, wall: float) -> None:
        """Merge one live row. A step already held as an exact point is replaced (a resumed run re-logs the steps
        after its checkpoint: the last value wins); an earlier step between points is inserted in order."""
        self.rows += 1
        if self.last_step is None or step > self.last_step:
            self.last_step = step
        if not self.x or step > self.x[-1]:
            self._append(step, value, value, value, wall, 1)
        else:
            i = bisect.bisect_left(self.x, step)
            if i < len(self.x) and self.x[i] == step and self.n[i] == 1:
                self.y[i] = self.lo[i] = self.hi[i] = value
                self.t[i] = wall
                self.rows -= 1  # a replacement, not a new row
            else:
                for col, v in ((self.x, step), (self.y, value), (self.lo, value), (self.hi, value), (self.t, wall)):
                    col.insert(i, v)
                self.n.insert(i, 1)
        if len(self.x) > self.cap:
            self._halve()

    def _halve(self) -> None:
        """Merge neighbouring pairs: the series stays bounded however long a run logs (amortised O(1) per row)."""
        x, y, lo, hi, t, n = self.x, self.y, self.lo, self.hi, self.t, self.n
        out = Series(self.key, self.cap, rows=self.rows)
        for i in range(0, len(x) - 1, 2):
            w = n[i] + n[i + 1]
            out._append((x[i] * n[i] + x[i + 1] * n[i + 1]) / w, (y[i] * n[i] + y[i + 1] * n[i + 1]) / w,
                        min(lo[i], lo[i + 1]), max(hi[i], hi[i + 1]), (t[i] + t[i + 1]) / 2, w)
        if len(x) % 2:  # the newest point stays exact: the cursor and the title show it as logged
            out._append(x[-1], y[-1], lo[-1], hi[-1], t[-1], n[-1])
        self.x, self.y, self.lo, self.hi, self.t, self.n = out.x, out.y, out.lo, out.hi, out.t, out.n

    @property
    def last(self) -> float | None:
        return self.y[-1] if self.y else None


@dataclass
class History:
    """The series of one run, keyed by metric, and the highest metric row id they cover (live updates continue
    from it: ``follower.watch(..., metrics_after=history.max_id)``)."""

    run_id: str
    series: dict[str, Series] = field(default_factory=dict)
    max_id: int = 0
    t0: float | None = None
    """Wall time of the run's first metric row (the time axis counts from it)."""
    cap: int = DEFAULT_POINTS

    def add_rows(self, rows: Iterable[Sequence[Any]], wall: float | None = None) -> list[str]:
        """Merge follower rows ``(id, step, key, value)``; rows at or below ``max_id`` were loaded already and are
        skipped. Follower rows carry no wall time: they get ``wall`` (default now), which is when they arrived.
        Returns the keys that changed."""
        now = time.time() if wall is None else wall
        changed: dict[str, None] = {}
        for row_id, step, key, value in rows:
            if row_id <= self.max_id:
                continue
            self.max_id = row_id
            if value is None or not math.isfinite(value):
                continue  # NaN/inf are stored as NULL; a chart has nothing to draw for them
            s = self.series.get(key)
            if s is None:
                s = self.series[key] = Series(key, self.cap)
            if self.t0 is None:
                self.t0 = now
            s.add(int(step), float(value), now)
            changed[key] = None
        return list(changed)

    def keys(self) -> list[str]:
        return sorted(self.series)


def load_history(conn: sqlite3.Connection, run_id: str, max_points: int = DEFAULT_POINTS,
                 keys: Sequence[str] | None = None) -> History:
    """A run's metrics, each key bucketed by step into at most ``max_points`` points by one grouped SQL pass (its
    extent comes from index lookups): never one Python object per stored row. A bucket holding one row is exact."""
    hist = History(run_id, cap=max_points)
    one = lambda sql: conn.execute(sql, (run_id,)).fetchone()[0]  # noqa: E731 - each an index lookup or count
    max_id = one("SELECT MAX(id) FROM metrics WHERE run = ?")
    if max_id is None:
        return hist
    hist.max_id = int(max_id)
    hist.t0 = float(one("SELECT wall FROM metrics WHERE run = ? ORDER BY id LIMIT 1"))
    count = int(one("SELECT COUNT(*) FROM metrics WHERE run = ?"))
    lo, hi = int(one("SELECT MIN(step) FROM metrics WHERE run = ?")), int(one("SELECT MAX(step) FROM metrics WHERE run = ?"))
    span = hi - lo + 1
    # One bucket width for the run: every key spans at most its steps, so each gets at most max_points buckets.
    # Width 1 (every step its own point) while the whole run is small.
    width = 1 if count <= max_points or span <= max_points else -(-span // max_points)
    where, args = "", [lo, width, run_id, hist.max_id]
    if keys:
        where = f" AND key IN ({', '.join('?' * len(keys))})"
        args += list(keys)
    # `id <= max_id`: rows ingested while this runs are left to the follower (no row counted twice).
    rows = conn.execute(
        "SELECT key, (step - ?) / ? AS b, AVG(step), AVG(value), MIN(value), MAX(value), AVG(wall), COUNT(value), "
        f"COUNT(*), MAX(step) FROM metrics WHERE run = ? AND id <= ?{where} GROUP BY key, b ORDER BY key, b", args).fetchall()
    relogged: list[tuple[str, int]] = []
    for key, _, x, y, vlo, vhi, wall, n_values, n_rows, top_step in rows:
        s = hist.series.get(key)
        if s is None:
            s = hist.series[key] = Series(key, max_points)
        s.rows += int(n_rows)
        s.last_step = int(top_step)  # buckets come in step order
        if not n_values:
            continue  # a bucket of NULLs (NaN/inf logged)
        if width == 1 and n_rows > 1:
            relogged.append((key, int(x)))  # one step logged twice (a resume): the last value wins, fixed below
        s._append(float(x), float(y), float(vlo), float(vhi), float(wall), 1 if width == 1 else int(n_values))
    for key, step in relogged:  # rare: a point query each, on the (run, step) index
        v = exact_value(conn, run_id, key, step, hist.max_id)
        if v is not None:
            s = hist.series[key]
            i = bisect.bisect_left(s.x, step)
            s.y[i] = s.lo[i] = s.hi[i] = v[1]
    return hist


def exact_value(conn: sqlite3.Connection, run_id: str, key: str, step: float,
                max_id: int | None = None) -> tuple[int, float] | None:
    """(step, value) of the stored row of ``key`` nearest to ``step`` (the latest row of that step: last value
    wins). The cursor's exact readout under a downsampled bucket; one indexed range read, widening as needed."""
    target = int(round(step))
    cap = "" if max_id is None else " AND id <= ?"
    for radius in (0, 16, 1024, 1 << 20, 1 << 62):
        args: list[Any] = [run_id, target - radius, target + radius, key]
        if max_id is not None:
            args.append(max_id)
        row = conn.execute(
            f"SELECT step, value FROM metrics WHERE run = ? AND step BETWEEN ? AND ? AND key = ?{cap} "
            "AND value IS NOT NULL ORDER BY abs(step - ?), id DESC LIMIT 1", [*args, target]).fetchone()
        if row is not None:
            return int(row[0]), float(row[1])
    return None


# -- what a chart draws --------------------------------------------------------------------------------------------
def ema(values: Sequence[float], weight: float) -> list[float]:
    """TensorBoard's smoothing: an exponential moving average debiased for its zero start (so the first points
    are not pulled toward 0). Non-finite values pass through and do not poison the average."""
    if weight <= 0:
        return list(values)
    out: list[float] = []
    last, count = 0.0, 0
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        count += 1
        out.append(last / (1 - weight ** count))
    return out


def log_view(xs: Sequence[float], ys: Sequence[float]) -> tuple[list[float], list[float], int]:
    """(xs, log10 ys, skipped) for a log-scale chart: non-positive values have no logarithm and are dropped (the
    chart says how many)."""
    ox: list[float] = []
    oy: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        if y > 0:
            ox.append(x)
            oy.append(math.log10(y))
    return ox, oy, len(xs) - len(ox)


def x_values(s: Series, axis: str, t0: float | None) -> list[float]:
    """The x of each point: its step, or seconds since the run's first metric (``axis == "time"``)."""
    if axis == "time":
        base = t0 if t0 is not None else (s.t[0] if s.t else 0.0)
        return [t - base for t in s.t]
    return s.x


class StableRange:
    """An axis range that only grows: a new extreme extends it with headroom, and it never shrinks or rescales on
    every update (a live chart that jumps each refresh cannot be read). ``reset`` when the view changes.
    ``low_headroom`` apart, so an x axis can start at the first step and leave its room ahead of the run."""

    def __init__(self, headroom: float = 0.1, low_headroom: float | None = None) -> None:
        self.headroom = headroom
        self.low_headroom = headroom if low_headroom is None else low_headroom
        self.lo: float | None = None
        self.hi: float | None = None

    def reset(self) -> None:
        self.lo = self.hi = None

    def fit(self, vmin: float, vmax: float) -> tuple[float, float]:
        if self.lo is None or self.hi is None:
            span = vmax - vmin
            if span <= 0:  # one value: a band around it
                span = abs(vmax) or 1.0
                self.lo, self.hi = vmin - span / 2, vmax + span / 2
            else:
                self.lo, self.hi = vmin - self.low_headroom * span, vmax + self.headroom * span
        elif vmin < self.lo or vmax > self.hi:
            span = max(self.hi, vmax) - min(self.lo, vmin)
            if vmin < self.lo:
                self.lo = vmin - self.low_headroom * span
            if vmax > self.hi:
                self.hi = vmax + self.headroom * span
        return self.lo, self.hi


def nearest(xs: Sequence[float], x: float) -> int | None:
    """Index of the point nearest to ``x`` in sorted ``xs`` (None when empty): the cursor's readout."""
    if not xs:
        return None
    i = bisect.bisect_left(xs, x)
    if i == 0:
        return 0
    if i == len(xs):
        return len(xs) - 1
    return i if xs[i] - x < x - xs[i - 1] else i - 1


def fmt(v: float | None) -> str:
    """A value as a chart labels it: 4 significant digits, no float noise."""
    if v is None:
        return "-"
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 1e-3):
        return f"{v:.3e}"
    return f"{v:.4g}"


# -- compare: config diff ------------------------------------------------------------------------------------------
MISSING = "∅"
"""How a key that one run's config lacks shows in a diff."""


def flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted keys: {"a": {"b": 1}} -> {"a.b": 1}."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        name = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            out.update(flatten(v, name + "."))
        else:
            out[name] = v
    return out


def config_diff(configs: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, list[Any]]]:
    """(key, [value per run, in ``configs`` order]) for every flattened key whose values are not all equal,
    sorted by key. A key a run lacks is :data:`MISSING` there."""
    flat = [flatten(c) for c in configs.values()]
    keys = sorted(set().union(*flat)) if flat else []
    out = []
    for k in keys:
        vals = [f.get(k, MISSING) for f in flat]
        if any(v != vals[0] for v in vals[1:]):
            out.append((k, vals))
    return out
