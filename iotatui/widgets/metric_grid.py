"""A grid of metric charts (every metric a run logs, or the union over compared runs) and the metric picker.

The grid shows as many charts as fit (one column per ~60 terminal columns, one row per ~8 lines; smaller ones, down to
38 x 6, when a run logs more metrics than two pages of those hold), pages through the rest (``next_page``), and
shares one :class:`View` (smoothing, log scale, x axis, cursor) among its charts, so the cursor reads every curve at
the same step. Only charts whose key got new rows redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from iotatui.runview import PRIMARY_METRICS
from iotatui.series import History, x_values
from iotatui.widgets.metric_chart import Line, MetricChart, View

SMOOTHING_STEPS = (0.0, 0.6, 0.9, 0.99)
"""What ``S`` cycles through (TensorBoard's slider, in the steps people actually use)."""
CHART_COLS = 60
CHART_ROWS = 8
MIN_COLS = 38
MIN_ROWS = 6
"""With more metrics than two pages of full-size charts hold, charts shrink to this (PPO's 17 metrics took ~9 pages of
``m`` at two charts a page at 80x24; at 38x6 they take 3)."""


def order_keys(keys: Sequence[str], first: Sequence[str] = ()) -> list[str]:
    """``first`` (the stage's headline keys: loss, margin, reward + KL, ...), then the headline metrics the runs
    table falls back on, then alphabetical, ``health/*`` flags last."""
    head = list(dict.fromkeys(k for k in (*first, *PRIMARY_METRICS) if k in keys))
    rest = sorted(k for k in keys if k not in head)
    return head + [k for k in rest if not k.startswith("health/")] + [k for k in rest if k.startswith("health/")]


def grid_shape(width: int, height: int, n_keys: int) -> tuple[int, int]:
    """(columns, rows) of charts for a grid of this size: full-size charts, or smaller ones (down to
    :data:`MIN_COLS` x :data:`MIN_ROWS`) when full-size ones would take more than two pages."""
    cols, rows = max(1, width // CHART_COLS), max(1, height // CHART_ROWS)
    if n_keys > 2 * cols * rows:  # two pages of full-size charts are fine; more is paging, not reading
        cols = max(cols, min(width // MIN_COLS, -(-n_keys // rows)))
        rows = max(rows, min(height // MIN_ROWS, -(-n_keys // cols)))
    return max(1, cols), max(1, rows)


class MetricGrid(Container):
    """Charts of the metrics of one or several runs (``sources``: (label, History) pairs; several overlay)."""

    DEFAULT_CSS = """
    MetricGrid {
        layout: grid;
        grid-size: 1 2;
        grid-gutter: 0 1;
        height: 1fr;
    }
    MetricGrid > #grid-empty {
        color: $text-muted;
        padding: 1 2;
    }
    """

    def __init__(self, sources: list[tuple[str, History]],
                 exact: Callable[[Line, float], tuple[int, float] | None] | None = None, first: Sequence[str] = (),
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = sources
        self.first = tuple(first)
        """Keys charted first (the stage's headline metrics)."""
        self.exact = exact
        self.view = View()
        self.selected: list[str] | None = None
        """Keys chosen in the picker (None: every key but the health flags)."""
        self.page = 0
        self.per_page = 2
        self.cols = 1
        self.empty_text = "no metrics yet"
        self._shown: list[str] = []
        self._area = (0, 0)

    # -- which keys --------------------------------------------------------------------------------------------
    def all_keys(self) -> list[str]:
        return order_keys(list({k for _, h in self.sources for k in h.series}), self.first)

    def keys(self) -> list[str]:
        """The keys the grid pages through."""
        every = self.all_keys()
        if self.selected is None:
            return [k for k in every if not k.startswith("health/")] or every
        return [k for k in self.selected if k in every]

    def visible_keys(self) -> list[str]:
        return list(self._shown)

    def charts(self) -> list[MetricChart]:
        return list(self.query(MetricChart))

    def lines(self, key: str) -> list[Line]:
        return [Line(label, h.series[key], h.t0) for label, h in self.sources if key in h.series]

    # -- layout ------------------------------------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        self._area = (event.size.width, event.size.height)
        self._layout()

    def _layout(self) -> None:
        if not all(self._area):
            return  # not laid out yet: on_resize comes
        cols, rows = grid_shape(*self._area, len(self.keys()))
        if (cols, cols * rows) != (self.cols, self.per_page):
            self.cols, self.per_page = cols, cols * rows
            self.rebuild()

    def rebuild(self) -> None:
        """Mount the charts of the current page (only when the set of shown keys changed)."""
        keys = self.keys()
        pages = max(1, -(-len(keys) // self.per_page))
        self.page %= pages
        page = keys[self.page * self.per_page:(self.page + 1) * self.per_page]
        n = max(1, len(page))
        cols = min(self.cols, n)
        self.styles.grid_size_columns = cols
        self.styles.grid_size_rows = -(-n // cols)
        if page == self._shown and (page or self.query("#grid-empty")):
            return
        self._shown = page
        self.remove_children()
        if page:
            self.mount_all([MetricChart(k, self.lines(k), self.view, self.exact) for k in page])
        else:
            self.mount(Label(self.empty_text, id="grid-empty"))

    def on_mount(self) -> None:
        self.rebuild()

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        for label in self.query("#grid-empty").results(Label):
            label.update(text)

    # -- updates -----------------------------------------------------------------------------------------------
    def rows_added(self, keys: Sequence[str]) -> None:
        """New rows arrived for ``keys``: redraw their charts; a new key may join the current page."""
        shown = set(self._shown)
        new = [k for k in keys if k not in shown]
        if new and len(self._shown) < self.per_page and any(k in self.keys() for k in new):
            self.rebuild()
        for chart in self.charts():
            if chart.key in keys:
                if len(chart.lines) != len(self.lines(chart.key)):  # a compared run's first point of this key
                    chart.lines = self.lines(chart.key)
                chart.changed()

    def sources_replaced(self, sources: list[tuple[str, History]]) -> None:
        """A history load finished: every chart takes the new series."""
        self.sources = sources
        self._shown = []
        self._layout()
        self.rebuild()

    # -- the view (shared by every chart) ----------------------------------------------------------------------
    def _view_changed(self) -> None:
        for chart in self.charts():
            chart.view_changed()

    def cycle_smoothing(self) -> float:
        i = SMOOTHING_STEPS.index(self.view.smoothing) if self.view.smoothing in SMOOTHING_STEPS else 0
        self.view.smoothing = SMOOTHING_STEPS[(i + 1) % len(SMOOTHING_STEPS)]
        self._view_changed()
        return self.view.smoothing

    def toggle_log(self) -> bool:
        self.view.log = not self.view.log
        self._view_changed()
        return self.view.log

    def toggle_xaxis(self) -> str:
        self.view.xaxis = "time" if self.view.xaxis == "step" else "step"
        self.view.cursor = None  # a step is not a time: the cursor would land somewhere meaningless
        self._view_changed()
        return self.view.xaxis

    def move_cursor(self, direction: int) -> float | None:
        """Move the shared cursor one chart column left (-1) or right (+1); the first press puts it on the latest
        point of the first chart."""
        charts = self.charts()
        if not charts or not any(ln.series.x for ln in charts[0].lines):
            return None
        chart = charts[0]
        lo, hi = chart.xr.lo, chart.xr.hi
        xs = [x for ln in chart.lines for x in x_values(ln.series, self.view.xaxis, ln.t0)]
        if lo is None or hi is None:
            lo, hi = min(xs), max(xs)
        if self.view.cursor is None:
            self.view.cursor = max(xs)
        else:
            width = max(chart.size.width - 10, 4)
            step = max((hi - lo) / width, 1e-9)
            self.view.cursor = min(max(self.view.cursor + direction * step, min(xs)), max(xs))
        for c in charts:
            c.refresh()
        return self.view.cursor

    def clear_cursor(self) -> None:
        self.view.cursor = None
        for c in self.charts():
            c.refresh()

    def next_page(self) -> None:
        self.page += 1
        self.rebuild()

    def choose(self, keys: list[str]) -> None:
        self.selected = keys
        self.page = 0
        self._layout()
        self.rebuild()


class MetricPicker(ModalScreen[list[str] | None]):
    """Choose keys from a list (the charted metrics; the runs table's config columns): ``space`` toggles, ``a``
    all, ``n`` none, ``escape`` applies."""

    DEFAULT_CSS = """
    MetricPicker {
        align: center middle;
    }
    MetricPicker > SelectionList {
        width: 60;
        max-width: 95%;
        height: auto;
        max-height: 80%;
        border: round $accent;
    }
    """
    BINDINGS = [
        Binding("escape", "done", "Apply", id="picker.done", tooltip="Close the picker and chart the checked keys"),
        Binding("a", "all", "All", id="picker.all", tooltip="Check every metric"),
        Binding("n", "none", "None", id="picker.none", tooltip="Uncheck every metric"),
    ]

    def __init__(self, keys: list[str], chosen: list[str], title: str = "metrics (space: toggle, esc: apply)") -> None:
        super().__init__()
        self.all_keys, self.chosen, self.title_text = keys, chosen, title

    def compose(self) -> ComposeResult:
        sel = SelectionList[str](*(Selection(k, k, k in self.chosen) for k in self.all_keys))
        sel.border_title = self.title_text
        yield sel

    def action_done(self) -> None:
        sel = self.query_one(SelectionList)
        picked = set(sel.selected)
        self.dismiss([k for k in self.all_keys if k in picked])

    def action_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_none(self) -> None:
        self.query_one(SelectionList).deselect_all()


def chart_bindings(screen: str) -> list[Binding]:
    """The chart keys of a screen that holds a :class:`MetricGrid` (ids ``<screen>.<action>``, remappable)."""
    return [
        Binding("m", "next_metrics", "More", id=f"{screen}.metric", tooltip="Next page of metric charts"),
        Binding("p", "pick", "Pick", id=f"{screen}.pick", tooltip="Choose the charted metrics"),
        Binding("S", "smoothing", "Smooth", id=f"{screen}.smooth", tooltip="Cycle EMA smoothing 0/0.6/0.9/0.99"),
        Binding("L", "log_scale", "Log y", id=f"{screen}.log", tooltip="Toggle a log y axis"),
        Binding("x", "xaxis", "x axis", id=f"{screen}.xaxis", tooltip="x axis: step or wall time"),
        Binding("left", "cursor(-1)", "Cursor", id=f"{screen}.cursor_left", tooltip="Move the cursor left"),
        Binding("right", "cursor(1)", "Cursor", id=f"{screen}.cursor_right", show=False,
                tooltip="Move the cursor right"),
    ]


class ChartKeys:
    """The actions behind :func:`chart_bindings`, for a screen with one :class:`MetricGrid` (a mixin)."""

    def _grid(self) -> MetricGrid:
        return self.query_one(MetricGrid)  # type: ignore[attr-defined,no-any-return]  # the Screen's

    def _show_charts(self) -> None:
        """Chart keys act on the charts: bring their tab forward (overridden by screens with tabs)."""

    def action_next_metrics(self) -> None:
        self._show_charts()
        self._grid().next_page()

    def action_pick(self) -> None:
        grid = self._grid()

        def chosen(keys: list[str] | None) -> None:
            if keys is not None:
                grid.choose(keys)

        self._show_charts()
        grid.app.push_screen(MetricPicker(grid.all_keys(), grid.keys()), chosen)

    def action_smoothing(self) -> None:
        self._show_charts()
        w = self._grid().cycle_smoothing()
        self._grid().notify(f"smoothing {w:g}" if w else "smoothing off", timeout=1.5)

    def action_log_scale(self) -> None:
        self._show_charts()
        self._grid().toggle_log()

    def action_xaxis(self) -> None:
        self._show_charts()
        self._grid().toggle_xaxis()

    def action_cursor(self, direction: int) -> None:
        self._show_charts()
        self._grid().move_cursor(direction)
