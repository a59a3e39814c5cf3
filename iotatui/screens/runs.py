"""The first screen: every run of the workspace as a lineage tree, followed live through the app's one follower.

``/`` filters k9s-style (``stage:sft status:failed beta=0.5 lr>1e-5 words``: :mod:`iotatui.runfilter`; a filter
that cannot apply says why, one that hides runs queued since says so), ``o`` cycles the sort, ``space`` marks runs,
``v`` shows or hides the config columns (what varies among siblings), ``V`` picks them; ``enter``, ``c``, ``s``,
``r``, ``d``, ``l`` and ``n`` (a child of the run) act on the marked runs (or the cursor row) through the app's
hooks. The panel under the table explains the cursor row: why a failed run failed (and its last log lines), what a
queued run waits for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from iotatui import lineage
from iotatui.messages import RunActionRequested, RunsChanged, RunsRemoved
from iotatui.widgets.run_table import RunTable

if TYPE_CHECKING:
    from iotatui.follower import Watch
    from iotatui.supervisor import Workspace

WELCOME = """[b]No runs yet in this workspace.[/b]

Start the whole pipeline on a small scale (minutes on a CPU):
    [b]iotatui pipeline --preset smoke[/b]
or a demo with a few tiny runs:
    [b]make demo[/b]
or press [b]l[/b] to launch one stage from here. Runs appear as soon as they are queued."""

WRITE_ACTIONS = frozenset({"stop", "resume", "delete", "launch", "launch_new", "child"})
"""Hidden in read-only mode (``--readonly``)."""
PANEL_LOG_LINES = 5


@dataclass
class VersusComputed(Message):
    """Learn rows computed off the UI thread: eval id -> VersusSft (None: nothing to compare it to)."""

    results: dict[str, Any]


class RunsScreen(Screen[None]):
    DEFAULT_CSS = """
    RunsScreen RunTable { height: 1fr; }
    RunsScreen #filter { dock: top; display: none; }
    RunsScreen #filter.shown { display: block; }
    RunsScreen #welcome { height: 1fr; padding: 1 2; display: none; }
    RunsScreen.empty #welcome { display: block; }
    RunsScreen.empty RunTable { display: none; }
    RunsScreen #run-info { height: auto; max-height: 9; padding: 0 1; background: $boost; }
    RunsScreen #status-line { height: 1; color: $text-muted; padding: 0 1; }
    """

    BINDINGS = [
        # priority: shown in the footer and taken before the table's own (hidden) enter; not while typing a filter
        Binding("enter", "open", "Open", id="runs.open", priority=True,
                tooltip="Curves, config and log of the run (eval: problems)"),
        Binding("/", "filter", "Filter", id="runs.filter", tooltip="stage:sft status:failed or any text"),
        Binding("space", "select", "Mark", id="runs.select", tooltip="Mark the run; actions apply to the marked runs"),
        Binding("s", "stop", "Stop", id="runs.stop", tooltip="Stop the run(s) (asks first)"),
        Binding("r", "resume", "Resume", id="runs.resume", tooltip="Restart stopped/crashed/failed run(s)"),
        Binding("d", "delete", "Delete", id="runs.delete", tooltip="Delete the run(s): rows and files (asks first)"),
        Binding("l", "launch", "Launch", id="runs.launch", tooltip="Launch a run; on a run: clone it into the form"),
        Binding("n", "child", "Child", id="runs.child",
                tooltip="Launch a run that builds on this one (the next stage, its preset)"),
        Binding("L", "launch_new", "New run", id="runs.launch_new", show=False,
                tooltip="Launch a run from a blank form (l clones the run under the cursor)"),
        Binding("c", "compare", "Compare", id="runs.compare", tooltip="Overlay the marked runs' curves / evals"),
        Binding("o", "sort", "Sort", id="runs.sort", show=False, tooltip="Sort siblings by age, stage, status or metric"),
        Binding("v", "config_columns", "Config cols", id="runs.columns", show=False,
                tooltip="Show or hide the config keys that vary among sibling runs as columns"),
        Binding("V", "pick_columns", "Pick cols", id="runs.pick_columns", show=False,
                tooltip="Choose which varying config keys are columns"),
        # not in the footer (80 columns hold the keys above); `?` lists it
        Binding("escape", "clear", "Clear", id="runs.clear", show=False, tooltip="Clear the filter and the marks"),
    ]

    def __init__(self, ws: Workspace, *, now: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.now = now or time.time
        self._watch: Watch | None = None
        self.loaded = False
        """The follower's first message arrived (an empty table means "no runs", not "not read yet")."""
        self._total_gpus: int | None = None
        self._versus_done: dict[str, Any] = {}
        """Eval id -> the ``updated`` stamp its learn row was computed for."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: stage:dpo status:failed beta=0.5 lr>1e-5 text   (enter: keep, esc: clear)",
                    id="filter")
        yield RunTable(id="runs", now=self.now)
        yield Static(WELCOME, id="welcome")
        yield Static("", id="run-info")
        yield Static("", id="status-line")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    @property
    def table(self) -> RunTable:
        return self.query_one(RunTable)

    def selected_run_ids(self) -> list[str]:
        """What an action applies to: the marked runs (tree order), else the cursor row (the palette asks too)."""
        return self.table.targets()

    def on_mount(self) -> None:
        self.table.focus()
        follower = getattr(self.app, "follower", None)
        if follower is not None:
            self._watch = follower.watch(self, kinds=("runs",))

    def on_unmount(self) -> None:
        follower = getattr(self.app, "follower", None)
        if follower is not None and self._watch is not None:
            follower.unwatch(self._watch)
            self._watch = None

    # -- live rows -------------------------------------------------------------------------------------------
    @on(RunsChanged)
    def _runs_changed(self, msg: RunsChanged) -> None:
        # The rows always go into the table's data, at once and newest-wins (``updated``); only the drawing waits
        # while the table is hidden (a redraw per follower pass under another screen costs the UI thread:
        # `iotatui bench app`). Holding the rows themselves instead let an older held row overwrite a newer one
        # shown meanwhile (the screen under a detail screen is "current" to Textual), and the follower never sends
        # a row twice: the table read `running` for good after a stop.
        self.loaded = True
        shown = self.table.shown()
        self.table.update_runs(msg.runs, redraw=shown)
        if shown:
            self._refresh_panel()
        self._queue_versus(msg.runs)

    def _queue_versus(self, changed: list[dict[str, Any]]) -> None:
        """Finished evals of learned models get their learn row (``p@1 .22→.31 p=.01``: against their SFT's eval),
        computed in a worker: one when an eval finishes (a new SFT eval can be the baseline of others too)."""
        runs = self.table.runs
        if not any(r.get("stage") == "eval" and r.get("status") == "finished" for r in changed):
            return
        from iotatui.learnview import LEARNED  # here: a workspace without finished evals never imports it
        done = [r for r in runs.values() if r.get("stage") == "eval" and r.get("status") == "finished"]
        todo = [r["id"] for r in done if (runs.get(str(r.get("parent") or "")) or {}).get("stage") in LEARNED
                and self._versus_done.get(r["id"]) != (r.get("updated"), len(done))]
        for rid in todo:  # again when another eval finishes: it may be the SFT eval this one is paired with
            self._versus_done[rid] = (runs[rid].get("updated"), len(done))
        if todo:  # after the table has been drawn: the worker's queries and tests must not delay the first paint
            self.call_after_refresh(self._compute_versus, todo)

    @work(thread=True, group="versus", exit_on_error=False)
    def _compute_versus(self, run_ids: list[str]) -> None:
        from iotatui.learnview import versus_sft
        from iotatui.store import Store

        store = Store(self.ws.store.path)
        try:
            results = {rid: versus_sft(store, store.get_run(rid) or {}) for rid in run_ids}
        finally:
            store.close()
        self.post_message(VersusComputed(results))

    @on(VersusComputed)
    def _versus_computed(self, msg: VersusComputed) -> None:
        self.table.set_versus(msg.results)
        self._refresh_panel()

    def on_screen_resume(self) -> None:
        if self.table.dirty:
            self.table.refresh_rows()
            self._refresh_panel()

    @on(RunsRemoved)
    def _runs_removed(self, msg: RunsRemoved) -> None:
        shown = self.table.shown()
        self.table.remove_runs(msg.run_ids, redraw=shown)
        if shown:
            self._refresh_panel()

    @on(RunTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._refresh_panel()

    @on(RunTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def _refresh_panel(self) -> None:
        table = self.table
        empty = self.loaded and not table.runs
        if self.has_class("empty") and not empty:
            table.focus()  # the first run arrived: keys go to the table again
        self.set_class(empty, "empty")
        info = self.query_one("#run-info", Static)
        rid = table.selected_run_id
        run = table.runs.get(rid or "")
        info.update(self._explain(run) if run else "")
        counts: dict[str, int] = {}
        for r in table.runs.values():
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        parts = [f"{len(table.shown_ids)}/{len(table.runs)} runs" if table.filter else f"{len(table.runs)} runs",
                 "  ".join(f"{lineage.STATUS_GLYPH.get(k, '')}{v} {k}" for k, v in sorted(counts.items())),
                 f"o sort: {table.sort_key}"]
        if table.selected:
            parts.append(f"{len(table.selected)} marked")
        if table.hidden_new:
            n = len(table.hidden_new)
            parts.insert(0, f"the filter hides {n} new run{'s' if n != 1 else ''} (esc clears it)")
        if table.filter_error:
            parts.insert(0, f"filter: {table.filter_error}")
        elif table.filter_text:
            parts.append(f"filter: {table.filter_text}")
        if table.config_hidden:
            parts.append(f"+{len(table.config_hidden)} config col{'s' if len(table.config_hidden) > 1 else ''} (V)")
        if getattr(self.app, "readonly", False):
            parts.append("read-only")
        # At 80 columns the footer cannot hold every key: the status line starts with the one that lists them all
        # (after a filter's error or warning, which must not be cut off).
        warn = 1 if table.filter_error else 0
        warn += 1 if table.hidden_new else 0
        parts.insert(warn, "? keys")
        line = Text(no_wrap=True, overflow="ellipsis")
        for i, p in enumerate(x for x in parts if x):
            line.append("  │ " if i else "")
            line.append(p, style="bold red" if i < warn else "")
        self.query_one("#status-line", Static).update(line)

    def _explain(self, run: dict[str, Any]) -> Text:
        """The cursor run in a few lines: full id and lineage, then why it failed / what it waits for / its metric."""
        table = self.table
        row = table.tree_row(run["id"])
        up = ([row.parent] if row and row.parent else []) + list(row.extra_parents if row else ())
        head = f"{run['id']}  {lineage.STATUS_GLYPH.get(run['status'], '')} {run['status']}"
        if up:
            head += "  ← " + ", ".join(up)
        lines = [head]
        status = run["status"]
        if status == "queued":
            lines.append(lineage.waits_for(run, table.runs, max_concurrent=self.ws.settings.max_concurrent_runs,
                                           total_gpus=self._gpus() if run.get("gpus") else None))
        elif status in ("failed", "crashed"):
            logs = lineage.recent_logs(self.ws.store, run["id"], PANEL_LOG_LINES)
            stderr = lineage.file_tail(Path(run["run_dir"]) / "stderr.log", PANEL_LOG_LINES)
            lines += lineage.failure_lines(run, logs, stderr, PANEL_LOG_LINES)
        else:
            vs = table.versus.get(run["id"])
            detail = [lineage.progress_text(run, self.now(), table.clock(run)),
                      vs.text() if vs is not None else lineage.metric_text(run)]
            if run.get("last_step") is not None:
                detail.insert(0, f"step {run['last_step']}")
            if "age" not in table.columns_shown:  # it gave way to the config columns
                detail.append(f"age {lineage.age_text(run, self.now())}")
            lines.append("   ".join(d for d in detail if d))
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, line in enumerate(lines):
            style = "bold" if i == 0 else ("red" if line.startswith("reason:") else "")
            text.append(line + ("\n" if i < len(lines) - 1 else ""), style=style)
        return text

    def _gpus(self) -> int:
        if self._total_gpus is None:
            from iotatui.scheduler import gpu_count  # nvidia-smi, once, and only for a queued run that needs GPUs

            self._total_gpus = gpu_count(self.ws.settings)
        return self._total_gpus

    # -- keys ------------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITE_ACTIONS and getattr(self.app, "readonly", False):
            return False
        if action == "open" and isinstance(self.focused, Input):
            return False  # enter submits the filter
        return True

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("shown")
        box.value = self.table.filter_text
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self._refresh_panel()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.value.strip():
            box.remove_class("shown")
        self.table.focus()

    def action_clear(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("shown")
        self.table.set_filter("")
        self.table.selected.clear()
        self.table.refresh_rows()
        self.table.focus()
        self._refresh_panel()

    def action_config_columns(self) -> None:
        on = self.table.toggle_config()
        if on and not self.table.varying:
            self.notify("no config key varies among the sibling runs shown", timeout=3)
        else:
            self.notify("config columns " + ("on" if on else "off"), timeout=2)
        self._refresh_panel()

    def action_pick_columns(self) -> None:
        from iotatui.widgets.metric_grid import MetricPicker

        table = self.table
        if not table.varying:
            self.notify("no config key varies among the sibling runs shown", timeout=3)
            return

        def chosen(keys: list[str] | None) -> None:
            if keys is not None:
                table.pick_config(keys)
                self._refresh_panel()

        shown = table.config_pick if table.config_pick is not None else table.varying
        self.app.push_screen(MetricPicker(table.varying, shown, title="config columns (space: toggle, esc: apply)"),
                             chosen)

    def action_sort(self) -> None:
        key = self.table.cycle_sort()
        self.notify(f"sort: {key}", timeout=2)
        self._refresh_panel()

    def action_select(self) -> None:
        rid = self.table.selected_run_id
        if rid:
            self.table.toggle_selected(rid)
            self._refresh_panel()

    def action_open(self) -> None:
        targets = self.table.targets()
        if not targets:
            return
        if len(targets) > 1:
            self.action_compare()
            return
        open_run = getattr(self.app, "open_run", None)
        if open_run is not None:
            open_run(targets[0])
            return
        from iotatui.screens.run_detail import RunDetailScreen  # until the shell's open_run lands

        self.app.push_screen(RunDetailScreen(self.ws, targets[0]))

    def action_compare(self) -> None:
        targets = self.table.targets()
        if len(targets) < 2:
            self.notify("mark two or more runs with space to compare them", severity="warning")
            return
        open_compare = getattr(self.app, "open_compare", None)
        if open_compare is None:
            self.notify("compare is not available in this build", severity="warning")
            return
        open_compare(targets)

    def action_launch(self, blank: bool = False) -> None:
        """The launcher, filled in from the run under the cursor (clone and edit) unless ``blank``."""
        open_launch = getattr(self.app, "open_launch", None)
        if open_launch is None:
            self.notify("launch from the app is not available in this build: use `iotatui launch`",
                        severity="warning")
            return
        open_launch(clone_of=None if blank else self.table.selected_run_id)

    def action_launch_new(self) -> None:
        self.action_launch(blank=True)

    def action_child(self) -> None:
        open_child = getattr(self.app, "open_child", None)
        if open_child is not None:
            open_child(self.table.selected_run_id)

    def _request(self, action: str) -> None:
        targets = self.selected_run_ids()
        if not targets:
            return
        request = getattr(self.app, "request_action", None)
        if request is not None:
            request(action, targets)
        elif action in ("stop", "resume"):  # the app's older message API (no confirmation there)
            for rid in targets:
                self.app.post_message(RunActionRequested(action, rid))
        else:
            self.notify(f"{action} is not available in this build: use `iotatui {action}`", severity="warning")

    def action_stop(self) -> None:
        self._request("stop")

    def action_resume(self) -> None:
        self._request("resume")

    def action_delete(self) -> None:
        self._request("delete")
