"""Several runs side by side: their curves overlaid per metric (the union of their keys) and their config diff.

Runs are lettered A, B, C... in the legend and the chart readouts (ids are too long for an 80-column chart title);
the legend names each by its lineage and what differs at each level (``sft→dpo[beta=0.5]``), then its id.
Histories load downsampled off the UI thread (:func:`iotatui.series.load_history`); live rows come from the app's
follower, one metrics watch per run from the last row id its load covered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from iotatui.lineage import STATUS_GLYPH, STATUS_STYLE
from iotatui.messages import MetricsReceived, RunsChanged
from iotatui.screens.live import LiveScreen
from iotatui.series import DEFAULT_POINTS, History, config_diff, exact_value, load_history
from iotatui.siblings import compare_labels
from iotatui.store import TERMINAL
from iotatui.widgets.metric_chart import PALETTE, Line
from iotatui.widgets.metric_grid import ChartKeys, MetricGrid, chart_bindings

if TYPE_CHECKING:
    from iotatui.supervisor import Workspace


def letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"R{i}"


def legend_text(runs: list[dict[str, Any]], labels: list[str] | None = None) -> Text:
    """One line per run: its letter in its curve colour, status, its lineage with what differs at each level
    (``sft→dpo[beta=0.5]``: :func:`iotatui.siblings.compare_labels`), then its id."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for i, run in enumerate(runs):
        if i:
            out.append("\n")
        status = run.get("status", "?")
        out.append(f"{letter(i)} ", style=f"bold {PALETTE[i % len(PALETTE)]}")
        out.append(f"{STATUS_GLYPH.get(status, '?')} {status:<8}", style=STATUS_STYLE.get(status, ""))
        label = labels[i] if labels and i < len(labels) else str(run.get("stage", ""))
        out.append(f" {label}", style="bold")
        out.append(f"  {run.get('id', '')}", style="dim")
    return out


class CompareScreen(ChartKeys, LiveScreen):
    DEFAULT_CSS = """
    CompareScreen #legend { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    CompareScreen TabbedContent { height: 1fr; }
    CompareScreen TabPane { padding: 0; }
    CompareScreen #diff { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="compare.back", tooltip="Back to the runs"),
        *chart_bindings("compare"),
        Binding("1", "tab('curves')", "Curves", id="compare.tab_curves", show=False, tooltip="Curves tab"),
        Binding("2", "tab('diff-tab')", "Config diff", id="compare.tab_diff", tooltip="Config diff tab"),
    ]

    def __init__(self, ws: Workspace, run_ids: list[str], max_points: int = DEFAULT_POINTS) -> None:
        super().__init__()
        self.ws = ws
        self.run_ids = list(dict.fromkeys(run_ids))
        self.max_points = max_points
        self.runs: dict[str, dict[str, Any]] = {
            rid: ws.store.get_run(rid) or {"id": rid} for rid in self.run_ids}
        self.histories: dict[str, History] = {rid: History(rid, cap=max_points) for rid in self.run_ids}
        self.loaded = False
        self.labels = compare_labels([self.runs[r] for r in self.run_ids], ws.store.get_run)
        """Each run's lineage with what differs at each level (the legend's names beside the letters)."""

    def _sources(self) -> list[tuple[str, History]]:
        return [(letter(i), self.histories[rid]) for i, rid in enumerate(self.run_ids)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(legend_text([self.runs[r] for r in self.run_ids], self.labels), id="legend")
        with TabbedContent(initial="curves"):
            with TabPane("Curves", id="curves"):
                grid = MetricGrid(self._sources(), exact=self._exact)
                grid.empty_text = "loading metrics…"
                grid.can_focus = True
                yield grid
            with TabPane("Config diff", id="diff-tab"):
                yield DataTable(id="diff", zebra_stripes=True, cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    def on_mount(self) -> None:
        self._fill_diff()
        self.query_one(MetricGrid).focus()
        for rid in self.run_ids:
            self.follow(run_id=rid, kinds=("runs",))
        self.load_histories()

    def _fill_diff(self) -> None:
        table = self.query_one("#diff", DataTable)
        table.clear(columns=True)
        table.add_column("key", key="key")
        for i, _ in enumerate(self.run_ids):
            table.add_column(Text(letter(i), style=f"bold {PALETTE[i % len(PALETTE)]}"), key=letter(i))
        diff = config_diff({rid: self.runs[rid].get("config") or {} for rid in self.run_ids})
        for key, values in diff:
            table.add_row(key, *(str(v) for v in values), key=key)
        if not diff:
            table.add_row("(the configs are the same)", *("" for _ in self.run_ids))

    @work(thread=True, exclusive=True, name="compare-history", group="compare", exit_on_error=False)
    def load_histories(self) -> None:
        from iotatui.store import Store

        store = Store(self.ws.store.path)
        try:
            hists = {rid: load_history(store.conn, rid, self.max_points) for rid in self.run_ids}
        finally:
            store.close()
        self.app.call_from_thread(self._loaded, hists)

    def _loaded(self, hists: dict[str, History]) -> None:
        self.histories = hists
        self.loaded = True
        grid = self.query_one(MetricGrid)
        grid.empty_text = "none of these runs logged metrics yet"
        grid.view.live = any(self.runs[r].get("status") not in TERMINAL for r in self.run_ids)
        grid.sources_replaced(self._sources())
        for rid, h in hists.items():
            self.follow(run_id=rid, kinds=("metrics",), metrics_after=h.max_id)

    def _exact(self, line: Line, x: float) -> tuple[int, float] | None:
        h = next((h for lbl, h in self._sources() if lbl == line.label), None)
        if h is None:
            return None
        return exact_value(self.ws.store.conn, h.run_id, line.series.key, x, h.max_id)

    @on(MetricsReceived)
    def _metrics(self, msg: MetricsReceived) -> None:
        msg.stop()
        h = self.histories.get(msg.run_id)
        if h is not None and self.loaded:
            changed = h.add_rows(msg.rows)
            if changed:
                self.query_one(MetricGrid).rows_added(changed)

    @on(RunsChanged)
    def _runs_changed(self, msg: RunsChanged) -> None:
        msg.stop()
        for run in msg.runs:
            if run["id"] in self.runs:
                self.runs[run["id"]] = run
        self.query_one("#legend", Static).update(legend_text([self.runs[r] for r in self.run_ids], self.labels))

    def _show_charts(self) -> None:
        self.query_one(TabbedContent).active = "curves"

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
