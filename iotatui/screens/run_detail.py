"""One run: a header (status, progress/ETA, health flags) and tabs: the grid of the run's curves (the space at
80x24), its config and lineage, its log, its checkpoints and artifacts. Data runs show their dataset summary and
judge runs their verdict counts above (or instead of) the curves.

The history is loaded once, downsampled in SQL (:func:`iotatui.series.load_history`, off the UI thread); live rows
come from the app's follower, from the last row id the load covered.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from iotatui import lineage
from iotatui.inputs import config_lines
from iotatui.lineage import STATUS_GLYPH, STATUS_STYLE, progress_text
from iotatui.messages import LogReceived, MetricsReceived, RunActionRequested, RunsChanged
from iotatui.screens.live import LiveScreen
from iotatui.series import DEFAULT_POINTS, History, exact_value, load_history
from iotatui.store import TERMINAL
from iotatui.widgets.log_panel import LogPanel
from iotatui.widgets.metric_chart import Line
from iotatui.widgets.metric_grid import ChartKeys, MetricGrid, chart_bindings

if TYPE_CHECKING:
    from iotatui.supervisor import Workspace

_HEALTH_LINE = re.compile(r"health: (\w+)")
STOPPABLE = ("queued", "starting", "running", "stopping")
RESUMABLE = ("stopped", "crashed", "failed")
"""The statuses ``supervisor.stop`` / ``supervisor.resume`` accept."""


def health_flags(run: dict[str, Any], history: History | None = None,
                 seen: set[str] | frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(holding now, held before) of the ``health/<flag>`` metrics and ``health:`` log lines that
    ``backends/_health.py`` writes. A flag's metric is 1 on each logged step it holds and absent otherwise, so the
    run's ``last_metrics`` keeps it at 1 for good: it holds now only if it was logged at the run's latest step."""
    flags = {k.split("/", 1)[1] for k, v in (run.get("last_metrics") or {}).items()
             if k.startswith("health/") and isinstance(v, (int, float)) and v >= 1}
    last = run.get("last_step")
    active = set()
    for flag in flags:
        s = history.series.get(f"health/{flag}") if history is not None else None
        if s is None or s.last_step is None or last is None or s.last_step >= last:
            active.add(flag)
    return sorted(active), sorted((flags | set(seen)) - active)


def header_text(run: dict[str, Any], now: float, seen_flags: set[str] | frozenset[str] = frozenset(),
                history: History | None = None, clock: lineage.ProgressClock | None = None) -> Text:
    """``✓ finished  sft  <id>  in 12m  step 120`` then the health flags (⚠ holding, "was:" earlier) and the
    failure reason."""
    status = run.get("status", "?")
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f"{STATUS_GLYPH.get(status, '?')} {status}", style=STATUS_STYLE.get(status, ""))
    out.append(f"  {run.get('stage', '')}  ", style="bold")
    out.append(run.get("id", ""))
    prog = progress_text(run, now, clock)  # a resumed run's ETA at the rate watched (its own), never a guess
    if prog:
        out.append(f"  {prog}", style="bold")
    if run.get("last_step") is not None:
        out.append(f"  step {run['last_step']}")
    if (run.get("attempt") or 0) > 1:
        out.append(f"  attempt {run['attempt']}")
    active, past = health_flags(run, history, seen_flags)
    if active:
        out.append("  ⚠ " + " ".join(active), style="bold red")
    if past:
        out.append("  (was: " + " ".join(past) + ")", style="yellow")
    if run.get("error"):
        out.append("\n" + run["error"].splitlines()[0], style="red")
    return out


def config_text(ws: Workspace, run: dict[str, Any]) -> str:
    """Lineage, the inputs the run really uses (the parent's model, ``run:`` references, datasets it built), then
    its config, values it does not use marked (:func:`iotatui.inputs.config_lines`)."""
    return "\n".join(config_lines(ws.store, run))


def files_text(ws: Workspace, run: dict[str, Any]) -> str:
    lines = [f"run dir: {run.get('run_dir', '')}", "", "checkpoints:"]
    ckpts = ws.store.checkpoints(run["id"])
    lines += [f"  step {c['step']:>8}  {c['path']}" for c in ckpts] or ["  (none)"]
    lines += ["", "artifacts:"]
    arts = ws.store.artifacts(run["id"])
    lines += [f"  {a['name']} ({a['kind']})  {a['path']}" for a in arts] or ["  (none)"]
    return "\n".join(lines)


def summary_text(ws: Workspace, run: dict[str, Any]) -> str:
    """What a data run built (its dataset artifacts' meta and its summary) or a judge run's verdict counts;
    '' for other stages."""
    stage = run.get("stage", "")
    lines: list[str] = []
    if stage.startswith("data"):
        for a in ws.store.artifacts(run["id"]):
            meta = "  ".join(f"{k}={v}" for k, v in a["meta"].items())
            lines.append(f"{a['name']} ({a['kind']}): {meta}\n  {a['path']}")
        lines += [f"{k}: {v}" for k, v in (run.get("summary") or {}).items()]
        if not lines:
            lines.append("no dataset summary yet" + (f" ({progress_text(run, time.time())})"
                                                    if run.get("progress_done") is not None else ""))
    elif stage == "judge":
        counts, problems = ws.store.verdict_counts(run["id"])
        total = sum(n for _, n in counts)
        lines.append(f"verdicts: {total} samples over {problems} problems")
        lines += [f"  {v:<20} {n:>8}  {100 * n / total:5.1f}%" for v, n in counts]
        lines += [f"{k}: {v}" for k, v in (run.get("summary") or {}).items()]
    return "\n".join(lines)


class RunDetailScreen(ChartKeys, LiveScreen):
    DEFAULT_CSS = """
    RunDetailScreen #run-header { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    RunDetailScreen TabbedContent { height: 1fr; }
    RunDetailScreen TabPane { padding: 0; }
    RunDetailScreen #summary { height: auto; max-height: 50%; padding: 0 1; color: $text; }
    RunDetailScreen #summary.-empty { display: none; }
    RunDetailScreen LogPanel { height: 1fr; }
    RunDetailScreen #config, RunDetailScreen #files { padding: 0 1; }
    """
    BINDINGS = [
        # Stop/resume first: the footer at 80 columns cuts the tail (chart keys are also in the help screen).
        Binding("escape", "app.pop_screen", "Back", id="detail.back", tooltip="Back to the runs"),
        Binding("s", "stop", "Stop", id="detail.stop", tooltip="Stop this run (asks first)"),
        Binding("r", "resume", "Resume", id="detail.resume", tooltip="Resume this run from its last checkpoint"),
        Binding("n", "child", "Child", id="detail.child",
                tooltip="Launch a run that builds on this one (the next stage, its preset)"),
        *chart_bindings("detail"),
        Binding("1", "tab('charts')", "Charts", id="detail.tab_charts", show=False, tooltip="Charts tab"),
        Binding("2", "tab('config')", "Config", id="detail.tab_config", show=False, tooltip="Config tab"),
        Binding("3", "tab('log')", "Log", id="detail.tab_log", show=False, tooltip="Log tab"),
        Binding("4", "tab('files')", "Files", id="detail.tab_files", show=False, tooltip="Checkpoints tab"),
    ]

    def __init__(self, ws: Workspace, run_id: str, max_points: int = DEFAULT_POINTS,
                 now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.ws = ws
        self.now = now
        """The clock of the header's ETA (tests and snapshots pass a fixed one)."""
        self.run_id = run_id
        self.max_points = max_points
        self.history = History(run_id, cap=max_points)
        self.loaded = False
        """The downsampled history is in (live rows are merged from then on)."""
        self.run: dict[str, Any] = ws.store.get_run(run_id) or {"id": run_id}
        self.seen_flags: set[str] = set()
        self._metrics_watch: Any = None
        self._load_gen = 0
        self._summary_at = 0.0
        self._header_lines = 1
        self._clock_for = -1
        self._progress_clock = lineage.ProgressClock()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(header_text(self.run, self.now()), id="run-header")
        with TabbedContent(initial="charts"):
            with TabPane("Charts", id="charts"):
                yield Static("", id="summary", classes="-empty")
                # the stage's headline metrics first (PPO: reward and KL before its perf/* timings)
                first = [k for _, keys in lineage.HEADLINE.get(str(self.run.get("stage")), ()) for k in keys]
                grid = MetricGrid([("", self.history)], exact=self._exact, first=first)
                grid.empty_text = "loading metrics…"
                grid.can_focus = True
                yield grid
            with TabPane("Config", id="config-tab"), VerticalScroll():
                yield Static(config_text(self.ws, self.run) if "stage" in self.run else "", id="config")
            with TabPane("Log", id="log"):
                yield LogPanel()
            with TabPane("Files", id="files-tab"), VerticalScroll():
                yield Static(files_text(self.ws, self.run) if "stage" in self.run else "", id="files")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    def on_mount(self) -> None:
        self._update_summary(force=True)
        self.query_one(MetricGrid).focus()
        self.follow(run_id=self.run_id, kinds=("runs", "log"))
        self.load_history()

    def reload(self) -> None:
        """Load the history afresh: a resume deletes the rows after its checkpoint (the store's curve is rewritten),
        so the series merged so far no longer match it."""
        self.unfollow(self._metrics_watch)
        self._metrics_watch = None
        self.loaded = False
        self.load_history()

    @work(thread=True, exclusive=True, name="detail-history", group="detail", exit_on_error=False)
    def load_history(self) -> None:
        """The downsampled history on its own connection (a 1M-row run takes a second or two: never on the UI)."""
        from iotatui.store import Store

        self._load_gen += 1
        gen = self._load_gen
        store = Store(self.ws.store.path)
        try:
            hist = load_history(store.conn, self.run_id, self.max_points)
        finally:
            store.close()
        self.app.call_from_thread(self._history_loaded, hist, gen)

    def _history_loaded(self, hist: History, gen: int) -> None:
        if gen != self._load_gen or not self.is_attached:
            return  # a newer load (a resume while this one ran) or a closed screen
        self.history = hist
        self.loaded = True
        grid = self.query_one(MetricGrid)
        grid.view.live = self.run.get("status") not in TERMINAL
        grid.set_empty_text(self._empty_text())
        grid.sources_replaced([("", hist)])
        self._set_header()  # the health flags: holding now or earlier (the history knows)
        self._metrics_watch = self.follow(run_id=self.run_id, kinds=("metrics",), metrics_after=hist.max_id)

    def _empty_text(self) -> str:
        stage = self.run.get("stage", "")
        if stage.startswith("data") or stage == "judge":
            return ""
        return "no metrics logged yet" if self.run.get("status") != "queued" else "queued: no metrics yet"

    def _clock(self) -> lineage.ProgressClock:
        """The progress watched in this attempt (a new attempt starts a new watch)."""
        attempt = int(self.run.get("attempt") or 0)
        if self._clock_for != attempt:
            self._clock_for, self._progress_clock = attempt, lineage.ProgressClock()
        return self._progress_clock

    def _exact(self, line: Line, x: float) -> tuple[int, float] | None:
        """The stored row nearest the cursor, for a point that stands for a downsampled bucket (indexed lookup)."""
        return exact_value(self.ws.store.conn, self.run_id, line.series.key, x, self.history.max_id)

    # -- follower messages -------------------------------------------------------------------------------------
    @on(MetricsReceived)
    def _metrics(self, msg: MetricsReceived) -> None:
        msg.stop()
        if msg.run_id == self.run_id and self.loaded:
            self.apply_rows(msg.rows)

    def apply_rows(self, rows: list[tuple[int, int, str, float | None]]) -> list[str]:
        """Merge live rows into the bounded series and redraw the charts they touch (on the next frame)."""
        changed = self.history.add_rows(rows)
        if changed:
            self.query_one(MetricGrid).rows_added(changed)
        return changed

    def detail_refresh(self, rows: list[tuple[int, int, str, float | None]]) -> float:
        """Benchmark hook: merge ``rows`` and redraw every visible chart now; returns the milliseconds it took
        (what a live update costs the UI thread, without waiting for the next frame)."""
        t = time.perf_counter()
        self.apply_rows(rows)
        for chart in self.query_one(MetricGrid).charts():
            chart.build_strips(chart.size.width, chart.size.height)  # the strips the compositor will read
        return (time.perf_counter() - t) * 1000

    @on(RunsChanged)
    def _run_changed(self, msg: RunsChanged) -> None:
        msg.stop()
        for run in msg.runs:
            if run["id"] == self.run_id:
                status_changed = run.get("status") != self.run.get("status")
                # stopped/crashed/failed -> queued or beyond (the follower may not see every step of it)
                resumed = self.run.get("status") in RESUMABLE and run.get("status") in STOPPABLE
                self.run = run
                if resumed and self.loaded:
                    self.reload()
                self._set_header()
                # Only what changed is touched: a live run's row changes with every ingest, and a Static update
                # re-lays out its container (the footer rebuilds on refresh_bindings): both cost a frame.
                self._set_static("#files", files_text(self.ws, run))
                if self.query_one("#config", Static).content == "":
                    self._set_static("#config", config_text(self.ws, run))
                self._update_summary(force=status_changed)
                self.query_one(MetricGrid).view.live = run.get("status") not in TERMINAL
                if status_changed:
                    self.refresh_bindings()

    def _set_static(self, selector: str, content: str | Text, layout: bool = True) -> bool:
        widget = self.query_one(selector, Static)
        if widget.content == content:
            return False
        widget.update(content, layout=layout)
        return True

    def _set_header(self) -> None:
        text = header_text(self.run, self.now(), self.seen_flags, self.history if self.loaded else None,
                           self._clock())
        # The header's height changes only with the error line: a step counter ticking over needs no layout.
        self._set_static("#run-header", text, layout="\n" in text.plain or self._header_lines > 1)
        self._header_lines = text.plain.count("\n") + 1

    @on(LogReceived)
    def _log(self, msg: LogReceived) -> None:
        msg.stop()
        if msg.run_id != self.run_id:
            return
        flags = set(_HEALTH_LINE.findall(msg.text))
        if flags - self.seen_flags:
            self.seen_flags |= flags
            self._set_header()
        self.query_one(LogPanel).append(msg.text)

    def _update_summary(self, force: bool = False) -> None:
        stage = self.run.get("stage", "")
        if not (stage.startswith("data") or stage == "judge"):
            return
        if not force and time.monotonic() - self._summary_at < 2:
            return  # a judge run's counts are a GROUP BY over its verdicts: at most every 2 s while it runs
        self._summary_at = time.monotonic()
        text = summary_text(self.ws, self.run)
        self._set_static("#summary", text)
        self.query_one("#summary", Static).set_class(not text, "-empty")

    # -- actions -----------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Stop and resume only where they can apply (the footer at 80 columns has no room for dead keys), and
        never in read-only mode."""
        if action == "child":
            return not getattr(self.app, "readonly", False)
        if action in ("stop", "resume"):
            if getattr(self.app, "readonly", False):
                return False
            status = self.run.get("status")
            return status in STOPPABLE if action == "stop" else status in RESUMABLE
        return True

    def _show_charts(self) -> None:
        self.query_one(TabbedContent).active = "charts"

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = {"config": "config-tab", "files": "files-tab"}.get(tab, tab)

    def _request(self, action: str) -> None:
        request = getattr(self.app, "request_action", None)
        if request is not None:
            request(action, [self.run_id])  # the shell confirms, runs it off the UI thread, reports
        else:
            self.app.post_message(RunActionRequested(action, self.run_id))

    def action_child(self) -> None:
        open_child = getattr(self.app, "open_child", None)
        if open_child is not None:
            open_child(self.run_id)

    def action_stop(self) -> None:
        self._request("stop")

    def action_resume(self) -> None:
        self._request("resume")
