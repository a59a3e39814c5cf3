"""A line chart of one metric, one or several series overlaid (compare), drawn in braille by our own rasteriser.

Not plotext: building a plotext figure of 2000 points takes 17 ms per series here (60 ms for three), which alone
breaks the 50 ms refresh goal for a grid of charts; this draws the same in ~1-3 ms and gives us what plotext does not:
axes that stay put (:class:`iotatui.series.StableRange`), a cursor column, and a min/max envelope for downsampled
buckets. The values come from :mod:`iotatui.series`; this module only turns them into text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from iotatui.series import Series, StableRange, ema, fmt, log_view, nearest, x_values

PALETTE = ("cyan", "magenta", "yellow", "green", "red", "bright_blue", "bright_white", "orange3")
"""One colour per overlaid series (compare). NO_COLOR is honoured by Textual itself."""
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))  # braille dot bit at [x % 2][y % 4]
Y_LABEL = 10  # columns of the y-axis labels (fmt() gives at most 10: "-9.917e-06")


@dataclass
class Line:
    """One series on a chart: its legend label, its points, and its run's first wall time (the time axis)."""

    label: str
    series: Series
    t0: float | None = None


@dataclass
class View:
    """How every chart of a grid draws (shared, so the cursor and toggles apply to all)."""

    smoothing: float = 0.0
    log: bool = False
    xaxis: str = "step"  # or "time" (seconds since the run's first metric)
    cursor: float | None = None  # x in data units; None: no cursor
    live: bool = True
    """The run still logs: the x axis keeps room ahead (it then rescales once per 20% of progress, not per step)."""


def _plot_xy(line: Line, view: View) -> tuple[list[float], list[float], list[float], list[float], int]:
    """(xs, ys, lo, hi, skipped) as drawn: smoothing, then log scale (which drops non-positive values)."""
    s = line.series
    xs = x_values(s, view.xaxis, line.t0)
    ys, lo, hi = s.y, s.lo, s.hi
    if view.smoothing > 0:
        ys = ema(ys, view.smoothing)
        lo, hi = ys, ys  # a smoothed curve has no envelope to show
    if view.log:
        lx, ly, skipped = log_view(xs, ys)
        keep = [i for i, y in enumerate(ys) if y > 0]
        llo = [math.log10(lo[i]) if lo[i] > 0 else ly[k] for k, i in enumerate(keep)]
        lhi = [math.log10(hi[i]) for i in keep]
        return lx, ly, llo, lhi, skipped
    return xs, ys, lo, hi, 0


def raster(lines: Sequence[tuple[list[float], list[float], list[float], list[float]]], cols: int, rows: int,
           xr: tuple[float, float], yr: tuple[float, float]) -> list[list[tuple[int, int]]]:
    """Braille cells ``[row][col] = (dot bits, index of the last series drawn there + 1)`` for polylines through
    the points, with each bucket's min..max drawn as a vertical stroke. Pure: unit-testable, no Textual."""
    pw, ph = cols * 2, rows * 4
    grid = [[0] * cols for _ in range(rows)]
    owner = [[0] * cols for _ in range(rows)]
    x0, x1 = xr
    y0, y1 = yr
    sx = (pw - 1) / ((x1 - x0) or 1.0)
    sy = (ph - 1) / ((y1 - y0) or 1.0)

    def dot(px: int, py: int, who: int) -> None:
        if 0 <= px < pw and 0 <= py < ph:
            r, c = py >> 2, px >> 1
            grid[r][c] |= _DOTS[px & 1][py & 3]
            owner[r][c] = who

    for who, (xs, ys, lo, hi) in enumerate(lines, start=1):
        # Bin the points by pixel column first (a 1000-point series on a 150-pixel chart shares columns): each
        # column keeps its first and last pixel row and its extent, so drawing costs O(columns), not O(points).
        cols_seen: list[tuple[int, int, int, int, int]] = []  # (px, first py, last py, top py, bottom py)
        none = cur = -(1 << 62)  # no column yet
        first = last = top = bottom = 0
        for x, y, lo_v, hi_v in zip(xs, ys, lo, hi, strict=True):  # the hot loop: locals and plain comparisons
            px = int((x - x0) * sx + 0.5)
            py = int((y1 - y) * sy + 0.5)
            t = b = py
            if lo_v != hi_v:  # a downsampled bucket: its min..max envelope
                t = int((y1 - hi_v) * sy + 0.5)
                b = int((y1 - lo_v) * sy + 0.5)
                if py < t:
                    t = py
                if py > b:
                    b = py
            if px == cur:
                last = py
                if t < top:
                    top = t
                if b > bottom:
                    bottom = b
            else:
                if cur != none:
                    cols_seen.append((cur, first, last, top, bottom))
                cur, first, last, top, bottom = px, py, py, t, b
        if xs:
            cols_seen.append((cur, first, last, top, bottom))
        prev: tuple[int, int] | None = None
        for px, first, last, top, bottom in cols_seen:
            for yy in range(max(top, 0), min(bottom, ph - 1) + 1):
                dot(px, yy, who)
            if prev is not None:  # the segment from the previous column's last point to this one's first
                dx, dy = px - prev[0], first - prev[1]
                steps = min(max(abs(dx), abs(dy), 1), 4 * pw)
                for k in range(1, steps + 1):
                    dot(prev[0] + dx * k // steps, prev[1] + dy * k // steps, who)
            prev = (px, last)
    return [list(zip(g, o, strict=True)) for g, o in zip(grid, owner, strict=True)]


class MetricChart(Widget):
    """One metric's chart: the title line (key, view flags, cursor readout or latest values), the plot with y
    labels, and the x range. ``lines`` share the axes; call :meth:`changed` after their series grew."""

    DEFAULT_CSS = """
    MetricChart {
        height: 1fr;
        min-height: 4;
        padding: 0 1 0 0;
    }
    """

    def __init__(self, key: str, lines: list[Line], view: View | None = None,
                 exact: Callable[[Line, float], tuple[int, float] | None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.lines = lines
        self.view = view or View()
        self.exact = exact
        """Optional exact lookup (the store's row nearest the cursor) for points that stand for a bucket."""
        self.xr, self.yr = StableRange(0.2, 0.0), StableRange(0.1)
        self._cache: tuple[tuple[object, ...], Text] | None = None
        self._strips: tuple[tuple[object, ...], list[Strip]] | None = None
        self._version = 0
        self._view_sig: tuple[object, ...] = ()

    # -- what changes ------------------------------------------------------------------------------------------
    def changed(self) -> None:
        """The series grew: redraw now and repaint only the lines that differ (axes extend only if a point falls
        outside them). A live update usually changes the title and a few columns: repainting those lines instead
        of the chart keeps the compositor's share of a refresh small."""
        self._version += 1
        width, height = self.size.width, self.size.height
        old = self._strips[1] if self._strips is not None else None
        if not self.is_mounted or not width or not height or old is None or len(old) != height:
            self.refresh()
            return
        new = self.build_strips(width, height)
        rows = [y for y, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        if rows:
            self.refresh(*(Region(0, y, width, 1) for y in rows))

    def view_changed(self) -> None:
        """Smoothing, log scale or the x axis changed: start the axes afresh (the cursor alone keeps them)."""
        self._version += 1
        self.refresh()

    # -- rendering ---------------------------------------------------------------------------------------------
    # The line API: each redraw is turned into strips once (Rich segments), and the compositor asks for lines.
    # Returning a Text from render() instead costs a Content conversion of the whole chart per frame, which at
    # 160x48 was most of a live update's time.
    def render_line(self, y: int) -> Strip:
        width, height = self.size.width, self.size.height
        strips = self.build_strips(width, height)
        return strips[y] if y < len(strips) else Strip.blank(width)

    def build_strips(self, width: int, height: int) -> list[Strip]:
        """The chart as one strip per line (cached until the data, the view or the size changes)."""
        key = (self._version, width, height, self._view_sig, self.view.cursor)
        if self._strips is None or self._strips[0] != key:
            text = self.render_text(width, height)
            key = (self._version, width, height, self._view_sig, self.view.cursor)
            console = self.app.console
            strips = [Strip(list(line.render(console)), line.cell_len).adjust_cell_length(width)
                      for line in text.split("\n", allow_blank=True)]
            strips += [Strip.blank(width)] * (height - len(strips))
            self._strips = (key, strips)
        return self._strips[1]

    def render_text(self, width: int, height: int) -> Text:
        v = self.view
        sig = (v.smoothing, v.log, v.xaxis)
        if sig != self._view_sig:
            self._view_sig = sig
            self.xr.reset()
            self.yr.reset()
        key = (self._version, width, height, sig, v.cursor)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        text = self._draw(width, height)
        self._cache = (key, text)
        return text

    def _draw(self, width: int, height: int) -> Text:
        v = self.view
        data = [_plot_xy(ln, v) for ln in self.lines]
        skipped = sum(d[4] for d in data)
        out = Text(no_wrap=True, overflow="crop")
        flags = "".join((f" EMA {v.smoothing:g}" if v.smoothing else "", " log" if v.log else "",
                         " t(s)" if v.xaxis == "time" else ""))
        out.append(self.key, style="bold underline")
        if flags:
            out.append(f" [{flags.strip()}]", style="dim")
        if skipped:
            out.append(f" ({skipped} ≤0 not shown)", style="yellow")
        self._readout(out, data)
        rows, cols = height - 2, width - Y_LABEL - 1
        xs_all = [x for d in data for x in d[0]]
        if rows < 1 or cols < 4 or not xs_all:
            if not xs_all and height > 1:
                out.append("\n  no points yet", style="dim")
            return out
        ys_lo = [y for d in data for y in d[2]]
        ys_hi = [y for d in data for y in d[3]]
        self.xr.headroom = 0.2 if v.live else 0.0
        if not v.live and self.xr.hi is not None and self.xr.hi > max(xs_all):
            self.xr.reset()  # the run has ended: no room ahead any more, the axis ends with the data
        xr = self.xr.fit(min(xs_all), max(xs_all))
        yr = self.yr.fit(min(ys_lo), max(ys_hi))
        cells = raster([(d[0], d[1], d[2], d[3]) for d in data], cols, rows, xr, yr)
        cur_col = None
        if v.cursor is not None and xr[1] > xr[0]:
            cur_col = int(round((v.cursor - xr[0]) / (xr[1] - xr[0]) * (cols * 2 - 1))) >> 1
        for r, row in enumerate(cells):
            yv = yr[1] - (yr[1] - yr[0]) * r / max(rows - 1, 1)
            label = self._ylabel(yv) if r in (0, rows - 1) or (rows >= 7 and r == rows // 2) else ""
            out.append("\n" + label.rjust(Y_LABEL) + "│", style="dim")
            run_style: str | None = None
            run_chars: list[str] = []
            for c, (bits, who) in enumerate(row):
                style = PALETTE[(who - 1) % len(PALETTE)] if who else ""
                if c == cur_col:
                    style = (style + " reverse").strip()
                if style != run_style and run_chars:
                    out.append("".join(run_chars), style=run_style or None)
                    run_chars = []
                run_style = style
                run_chars.append(chr(0x2800 + bits) if bits else " ")
            if run_chars:
                out.append("".join(run_chars), style=run_style or None)
        # The right label is the last point's x, under its column: a live axis keeps room ahead, and labelling its
        # end read as data that is not there ("step 126" with the axis to 151).
        data_hi = max(xs_all)
        lo_txt, hi_txt = self._xlabel(min(xs_all), short=True), self._xlabel(data_hi, short=True)
        end = cols if xr[1] <= xr[0] else min(cols, int((data_hi - xr[0]) / (xr[1] - xr[0]) * (cols - 1)) + 1)
        gap = max(end - len(lo_txt) - len(hi_txt), 1)
        axis = lo_txt + " " * gap + hi_txt if data_hi > min(xs_all) else lo_txt
        out.append("\n" + " " * Y_LABEL + "└" + axis[:cols], style="dim")
        return out

    def _ylabel(self, y: float) -> str:
        return fmt(10 ** y) if self.view.log else fmt(y)

    def _xlabel(self, x: float, short: bool = False) -> str:
        """A step (``12500``; ``12.5k`` on the axis) or a time since the first metric (``45s``, ``12m``, ``3.2h``)."""
        if self.view.xaxis == "time":
            if x >= 3600:
                return f"{x / 3600:.1f}h"
            return f"{x / 60:.0f}m" if x >= 600 else f"{x:.0f}s"
        if short and abs(x) >= 10_000:
            return f"{x / 1e6:.2f}M" if abs(x) >= 1e6 else f"{x / 1000:.1f}k"
        return f"{x:.0f}"

    def _readout(self, out: Text, data: list[tuple[list[float], list[float], list[float], list[float], int]]) -> None:
        """At the cursor: each series' point nearest to it (exact value from the store for a bucket, when an
        ``exact`` lookup was given); without a cursor: each series' latest value."""
        v = self.view
        if v.cursor is None:
            for who, ln in enumerate(self.lines):
                if ln.series.x:
                    prefix = f" {ln.label}" if ln.label else ""  # compare letters its runs; a detail chart has one
                    out.append(f"{prefix} {fmt(ln.series.last)}", style=PALETTE[who % len(PALETTE)])
            return
        # At the cursor: each series' point nearest to it. The header names the x of the point read (the first
        # series'), not the cursor's own position ("@29 0.001 step 30" read as two different steps).
        reads: list[tuple[int, str, float, str]] = []  # (who, label prefix, x read, text)
        for who, (ln, d) in enumerate(zip(self.lines, data, strict=True)):
            s = ln.series
            if not s.x:
                continue
            xs = x_values(s, v.xaxis, ln.t0)
            i = nearest(xs, v.cursor)
            assert i is not None
            value, where = s.y[i], xs[i]
            prefix = f" {ln.label}" if ln.label else ""
            if s.n[i] > 1:
                got = self.exact(ln, s.x[i]) if self.exact else None
                if got is None:
                    reads.append((who, prefix, where, f"≈{fmt(value)} [{fmt(s.lo[i])}…{fmt(s.hi[i])}]"))
                    continue
                value = got[1]
                if v.xaxis == "step":
                    where = got[0]  # the stored row's own step (a time axis keeps the point's time)
            ema = f" (EMA {fmt(d[1][i]) if not v.log else '-'})" if v.smoothing else ""
            reads.append((who, prefix, where, f"{fmt(value)}{ema}"))
        if not reads:
            out.append(f"  @{self._xlabel(v.cursor)}", style="reverse")
            return
        head = reads[0][2]
        out.append(f"  @{self._xlabel(head)}", style="reverse")
        for who, prefix, where, text in reads:
            out.append(f"{prefix} {text}", style=PALETTE[who % len(PALETTE)])
            if where != head:  # this series has no point there: where the value it shows comes from
                out.append(f" (@{self._xlabel(where)})", style="dim")
