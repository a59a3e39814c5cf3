"""One or more judged runs (eval, judge, ...): live generation progress and pass@k / solved / compile rate with
intervals, the problems table (sortable; a problems x runs heatmap with several runs), ``enter`` drills into a
problem's samples. Until its first verdicts (model loading, merging a LoRA parent, starting vLLM: minutes), the stage's
own progress lines show under the summary; the Log tab has the run's whole log, the Config tab what it really uses
(:func:`iotatui.inputs.config_lines`).

Data: one aggregated read of the stored verdicts on mount (off the UI thread), then the app's follower brings only
newer verdict rows (``verdicts_after``), counted incrementally by :class:`iotatui.evalview.RunAgg`: an update costs
its new rows and the table cells of the problems they touch, whatever the size of the run.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane

from iotatui.evalview import (
    SORT_LABELS,
    SORTS,
    ProgressClock,
    RunAgg,
    compute_summary,
    problem_info,
    sort_problems,
)
from iotatui.inputs import config_lines
from iotatui.learnview import versus_sft
from iotatui.lognoise import event_lines
from iotatui.messages import LogReceived, MetricsReceived, RunsChanged, VerdictsReceived
from iotatui.screens.live import LiveScreen
from iotatui.siblings import compare_labels
from iotatui.widgets.eval_problems import ProblemsTable, run_label
from iotatui.widgets.eval_summary import EvalSummary
from iotatui.widgets.log_panel import LogPanel

if TYPE_CHECKING:
    from iotatui.workspace import Workspace

RESORT_S = 2.0
"""Live rows re-sort at most this often: a table that reorders on every verdict cannot be read."""
TOKENS_KEY = "eval/tokens_per_s"
ROOFLINE_KEY = "eval/roofline_fraction"
STAGE_LINES = 3
"""The stage's own latest log lines shown under the summary until its first verdicts."""


class EvalScreen(LiveScreen):
    DEFAULT_CSS = """
    EvalScreen #eval-sort { height: 1; color: $text-muted; padding: 0 1; }
    EvalScreen #eval-filter { dock: bottom; margin-bottom: 1; }
    EvalScreen #eval-stage { height: auto; max-height: 3; padding: 0 1; color: $text-muted; background: $boost; }
    EvalScreen #eval-stage.-empty { display: none; }
    EvalScreen TabbedContent { height: 1fr; }
    EvalScreen TabPane { padding: 0; }
    EvalScreen LogPanel { height: 1fr; }
    EvalScreen #eval-config { padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="eval.back", tooltip="Close the filter, else back to the previous screen"),
        Binding("slash", "filter", "Filter", id="eval.filter", tooltip="Show only problems whose name contains a text"),
        Binding("o", "sort", "Sort", id="eval.sort", tooltip="Next sort order of the problems table"),
        Binding("O", "reverse", "Reverse", id="eval.reverse", tooltip="Reverse the sort order"),
        Binding("s", "stop", "Stop", id="eval.stop", tooltip="Stop the eval (asks first)"),
        Binding("1", "tab('problems')", "Problems", id="eval.tab_problems", show=False, tooltip="Problems tab"),
        Binding("2", "tab('eval-log')", "Log", id="eval.tab_log", show=False, tooltip="The run's log"),
        Binding("3", "tab('eval-config-tab')", "Config", id="eval.tab_config", show=False,
                tooltip="What the run really uses (inputs) and its config"),
    ]

    def __init__(self, ws: Workspace, run_ids: list[str]) -> None:
        super().__init__()
        if not run_ids:
            raise ValueError("EvalScreen: give at least one eval run id")
        self.ws = ws
        self.run_ids = list(run_ids)
        self.aggs = [RunAgg(r) for r in self.run_ids]
        self.runs: list[dict[str, Any]] = [{"id": r} for r in self.run_ids]
        self.tokens: dict[str, float] = {}
        self.roofline: dict[str, float] = {}
        self.clocks = {r: ProgressClock() for r in self.run_ids}
        self.info: dict[str, dict[str, Any]] = {}
        self.sorts = [s for s in SORTS if len(self.run_ids) > 1 or s not in ("a_not_b", "b_not_a")]
        self.sort = self.sorts[0]
        self.reverse = False
        self.filter_text = ""
        self.loaded = False
        self.updates = 0
        """VerdictsReceived messages applied (tests wait on it)."""
        self._sorted_at = 0.0
        self._shown: list[int] = []
        self._summarizing = False
        self.labels: list[str] = []
        """Each run's lineage with what differs at each level (beside its id in the summary)."""
        self.versus: list[str] = []
        """Learn rows of the finished runs among these (``eval(ppo) pass@1 0.31 vs sft 0.22 (+0.09, p=0.01)``)."""
        self.stage_said: dict[str, list[str]] = {r: [] for r in self.run_ids}
        """Per run: its stage's latest own log lines (``12:00:01 sampling with vllm on cpu``)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield EvalSummary("loading…", id="eval-summary")
        yield Static("", id="eval-stage", classes="-empty")
        with TabbedContent(initial="problems"):
            with TabPane("Problems", id="problems"):
                yield Static("", id="eval-sort")
                yield ProblemsTable(id="eval-problems")
            with TabPane("Log", id="eval-log"):
                yield LogPanel()
            with TabPane("Config", id="eval-config-tab"), VerticalScroll():
                yield Static("", id="eval-config", markup=False)
        yield Input(placeholder="filter problems by name (enter: keep, escape: clear)", id="eval-filter")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    def on_mount(self) -> None:
        self.query_one("#eval-filter", Input).display = False
        self.query_one(ProblemsTable).focus()
        self.load()
        self.set_interval(1.0, self._tick)

    # -- data ------------------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, name="eval-load", group="store", exit_on_error=False)
    def load(self) -> None:
        """One aggregated read per run on its own connection (a 165k-verdict run takes a few hundred ms)."""
        from iotatui.store import Store

        store = Store(self.ws.store.path)
        try:
            runs, metrics_after = [], []
            for agg in self.aggs:
                agg.load(store.conn)
                agg.summary()  # the first one here, off the UI thread; later ones in _summarize
                runs.append(store.get_run(agg.run_id) or {"id": agg.run_id})
                tokens = store.last_metric(agg.run_id, TOKENS_KEY)
                if tokens is not None:
                    self.tokens[agg.run_id] = tokens
                share = store.last_metric(agg.run_id, ROOFLINE_KEY)
                if share is not None:
                    self.roofline[agg.run_id] = share
                metrics_after.append(store.max_id("metrics", agg.run_id))
            pset = (runs[0].get("config") or {}).get("problems") if runs else None
            info = problem_info(store.conn, pset)
            self.labels = compare_labels(runs, store.get_run)
            config = self._config_text(store, runs)
            self.versus = [v.text() for v in (versus_sft(store, r) for r in runs if r.get("status") == "finished")
                           if v is not None]
        finally:
            store.close()
        self.app.call_from_thread(self._loaded, runs, info, metrics_after, config)

    def _config_text(self, store: Any, runs: list[dict[str, Any]]) -> str:
        several = len(runs) > 1
        parts = []
        for i, run in enumerate(runs):
            head = [f"{run_label(i)}  {run.get('id')}", ""] if several else []
            parts.append("\n".join(head + (config_lines(store, run) if run.get("stage") else ["(no such run)"])))
        return "\n\n".join(parts)

    def _loaded(self, runs: list[dict[str, Any]], info: dict[str, dict[str, Any]], metrics_after: list[int],
                config: str = "") -> None:
        if not self.is_attached:  # left before the load finished
            return
        self.runs, self.info, self.loaded = runs, info, True
        self.query_one("#eval-config", Static).update(config)
        table = self.query_one(ProblemsTable)
        table.setup(len(self.aggs), info, self.size.width)
        self._resort(force=True)
        self._show_summary()
        for agg, m_after in zip(self.aggs, metrics_after, strict=True):  # live: rows after the aggregated read's
            self.follow(run_id=agg.run_id, kinds=("runs", "metrics", "verdicts", "log"), metrics_after=m_after,
                        verdicts_after=agg.max_id)

    def _agg(self, run_id: str) -> RunAgg | None:
        return next((a for a in self.aggs if a.run_id == run_id), None)

    @on(VerdictsReceived)
    def _verdicts(self, msg: VerdictsReceived) -> None:
        msg.stop()
        agg = self._agg(msg.run_id)
        if agg is None or not self.loaded:
            return
        first = agg.samples == 0
        changed = agg.add_rows(msg.rows)
        self.updates += 1
        if first and changed:
            self._show_stage()  # judging has begun: the start-up lines give way to the numbers
        if changed:
            table = self.query_one(ProblemsTable)
            if not table.update_problems(self.aggs, changed) or time.monotonic() - self._sorted_at > RESORT_S:
                self._resort(force=True)
            self._show_summary()

    @on(LogReceived)
    def _log(self, msg: LogReceived) -> None:
        msg.stop()
        if msg.run_id not in self.stage_said:
            return
        text = msg.text
        if len(self.run_ids) > 1:  # several runs' logs in one panel: each line says whose
            mark = run_label(self.run_ids.index(msg.run_id))
            text = "".join(f"{mark}│{ln}\n" for ln in text.rstrip("\n").split("\n"))
        self.query_one(LogPanel).append(text)
        said = event_lines(msg.text)
        if said:
            self.stage_said[msg.run_id] = (self.stage_said[msg.run_id] + said)[-STAGE_LINES:]
            self._show_stage()

    def _show_stage(self) -> None:
        """The stage's own latest lines under the summary: the last few for a run that has judged nothing yet
        (model loading, a LoRA merge, vLLM starting: the minutes before the first verdict), the last one for a run
        still live; nothing for one that has ended with verdicts."""
        several = len(self.run_ids) > 1
        lines = []
        for i, (run, agg) in enumerate(zip(self.runs, self.aggs, strict=True)):
            said = self.stage_said.get(agg.run_id) or []
            live = run.get("status") in ("queued", "starting", "running", "stopping")
            keep = said[-STAGE_LINES:] if agg.samples == 0 else said[-1:] if live else []
            lines += [(f"{run_label(i)}: " if several else "") + ln for ln in keep]
        box = self.query_one("#eval-stage", Static)
        text = "\n".join(lines[-STAGE_LINES:])
        if str(box.content) != text:
            box.update(text)
            box.set_class(not text, "-empty")

    @on(MetricsReceived)
    def _metrics(self, msg: MetricsReceived) -> None:
        msg.stop()
        for _id, _step, key, value in msg.rows:
            if key == TOKENS_KEY and value is not None:
                self.tokens[msg.run_id] = value
            elif key == ROOFLINE_KEY and value is not None:
                self.roofline[msg.run_id] = value
        if self.loaded:
            self._show_summary()

    @on(RunsChanged)
    def _runs_changed(self, msg: RunsChanged) -> None:
        msg.stop()
        statuses = [r.get("status") for r in self.runs]
        for row in msg.runs:
            if row.get("id") in self.run_ids:
                self.runs[self.run_ids.index(row["id"])] = row
        if self.loaded:
            self._show_summary()
            if statuses != [r.get("status") for r in self.runs]:
                self.refresh_bindings()  # stop is offered only while a run is active (the footer re-lays out)
                self._show_stage()
                # inputs are resolved when a run starts: the Config tab says what it really uses from then on
                self.query_one("#eval-config", Static).update(self._config_text(self.ws.store, self.runs))

    # -- view ------------------------------------------------------------------------------------------------------
    def _show_summary(self) -> None:
        if not self._summarizing and any(a.due() for a in self.aggs):
            self._summarizing = True
            self._summarize([(a, *a.snapshot()) for a in self.aggs if a.due()])
        self.query_one(EvalSummary).show(self.runs, self.aggs, self.tokens, self.clocks, labels=self.labels,
                                         versus=self.versus, roofline=self.roofline)
        self._shown = [a.summary_version for a in self.aggs]

    @work(thread=True, exclusive=True, name="eval-summary", group="summary", exit_on_error=False)
    def _summarize(self, jobs: list[tuple[RunAgg, int, list[Any]]]) -> None:
        """The bootstrap intervals (~10 ms at 165 problems) off the UI thread, from copies of the counts taken on it:
        a live update then costs counting and drawing only, and the numbers follow within the throttle's second."""
        done = [(agg, compute_summary(rows, agg.ci_iters), version) for agg, version, rows in jobs]
        self.app.call_from_thread(self._summarized, done)

    def _summarized(self, done: list[tuple[RunAgg, Any, int]]) -> None:
        self._summarizing = False
        for agg, summary, version in done:
            agg.set_summary(summary, version)
        if self.is_attached:
            self._show_summary()

    def _tick(self) -> None:
        """Once a second: show a summary the throttle held back (counts changed within its interval), and move
        the ETA of a live run. Nothing when nothing changed: an idle screen costs a comparison."""
        if not self.loaded:
            return
        stale = any(a.version != seen for a, seen in zip(self.aggs, self._shown, strict=True))
        live = any(r.get("status") in ("running", "starting") for r in self.runs)
        if stale or live:
            self._show_summary()

    def _resort(self, force: bool = False) -> None:
        table = self.query_one(ProblemsTable)
        order = sort_problems(self.aggs, self.sort, self.info, self.reverse)
        total = len(order)
        if self.filter_text:
            order = [n for n in order if self.filter_text in n.lower()]
        table.show(self.aggs, order)
        self._sorted_at = time.monotonic()
        arrow = " (reversed)" if self.reverse else ""
        shown = f"{len(order)} of {total} problems matching {self.filter_text!r}" if self.filter_text else f"{total} problems"
        self.query_one("#eval-sort", Static).update(
            f"{shown} · sort: {SORT_LABELS[self.sort]}{arrow} · o next sort · O reverse", layout=False)

    def on_resize(self) -> None:
        if self.loaded:
            self.query_one(ProblemsTable).setup(len(self.aggs), self.info, self.size.width)
            self._resort(force=True)
            self.call_after_refresh(self._show_summary)  # packed to the new width, once laid out

    # -- actions ---------------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            active = any(r.get("status") in ("queued", "starting", "running") for r in self.runs)
            return active and not getattr(self.app, "readonly", False) and hasattr(self.app, "request_action")
        return True

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "problems":
            self.query_one(ProblemsTable).focus()

    def action_filter(self) -> None:
        self.action_tab("problems")
        box = self.query_one("#eval-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#eval-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip().lower()
        if self.loaded:
            self._resort(force=True)

    @on(Input.Submitted, "#eval-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.input.display = False
        self.query_one(ProblemsTable).focus()

    def action_back(self) -> None:
        box = self.query_one("#eval-filter", Input)
        if box.display:  # escape in the filter clears it rather than leaving the screen
            box.value = ""
            box.display = False
            self.query_one(ProblemsTable).focus()
            return
        self.app.pop_screen()

    def action_sort(self) -> None:
        self.sort = self.sorts[(self.sorts.index(self.sort) + 1) % len(self.sorts)]
        self._resort(force=True)

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._resort(force=True)

    def action_open(self) -> None:
        problem = self.query_one(ProblemsTable).current_problem()
        if problem is None:
            return
        from iotatui.screens.problem import ProblemScreen

        self.app.push_screen(ProblemScreen(self.ws, self.run_ids, problem))

    @on(ProblemsTable.Selected)
    def _problem_selected(self, event: ProblemsTable.Selected) -> None:
        event.stop()
        self.action_open()

    def action_stop(self) -> None:
        active = [r["id"] for r in self.runs if r.get("status") in ("queued", "starting", "running")]
        if active:
            self.app.request_action("stop", active)  # type: ignore[attr-defined]
