"""The first screen: every run in the workspace, refreshed live from the store."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from iotatui.messages import RunActionRequested, RunsChanged
from iotatui.widgets.run_table import RunTable

if TYPE_CHECKING:
    from iotatui.supervisor import Workspace

# Re-read rows updated this long before the newest one seen: another process may commit a row stamped a moment
# before a row we already read (it waited for the write lock). The table skips cells that did not change.
OVERLAP_S = 5.0


class RunsScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open", "Details", id="runs.open", tooltip="Config, live curve and log of the run"),
        Binding("s", "stop", "Stop", id="runs.stop", tooltip="SIGTERM the run, SIGKILL after the grace period"),
        Binding("r", "resume", "Resume", id="runs.resume", tooltip="Restart a stopped/crashed run from its checkpoint"),
    ]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.errors: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield RunTable(id="runs")
        yield Static("", id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(RunTable).focus()
        self.follow()

    @work(thread=True, exclusive=True, name="follow", group="store", exit_on_error=False)
    def follow(self) -> None:
        """Reconcile and read changed runs on an interval, from its own connection; posts RunsChanged."""
        from iotatui.supervisor import Workspace, reconcile

        worker = get_current_worker()
        ws = Workspace(self.ws.home)
        newest = 0.0
        try:
            while not worker.is_cancelled:
                reconcile(ws)
                runs = ws.store.runs_changed_since(newest - OVERLAP_S if newest else 0.0)
                if runs:
                    newest = max(newest, *(r["updated"] or 0 for r in runs))
                    self.post_message(RunsChanged(runs))
                time.sleep(self.ws.settings.refresh_s)
        finally:
            ws.close()

    @on(RunsChanged)
    def _runs_changed(self, msg: RunsChanged) -> None:
        table = self.query_one(RunTable)
        table.update_runs(msg.runs)
        for run in msg.runs:
            self.errors[run["id"]] = (run.get("error") or "").strip().splitlines()[0:1]
        self._update_status_line()

    @on(RunTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._update_status_line()

    def _update_status_line(self) -> None:
        """Counts by status, and why the highlighted run failed (if it did) without opening it."""
        table = self.query_one(RunTable)
        counts: dict[str, int] = {}
        for key in table.rows:
            status = str(table.get_cell(key, "status"))
            counts[status] = counts.get(status, 0) + 1
        text = f"{table.row_count} runs   " + "  ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        err = self.errors.get(table.selected_run_id or "")
        if err:
            text += f"   │ {table.selected_run_id}: {err[0][:160]}"
        self.query_one("#status-line", Static).update(text)

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"{event.worker.name} failed: {event.worker.error}", severity="error", timeout=10)

    def action_open(self) -> None:
        from iotatui.screens.run_detail import RunDetailScreen

        run_id = self.query_one(RunTable).selected_run_id
        if run_id:
            self.app.push_screen(RunDetailScreen(self.ws, run_id))

    @on(RunTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_stop(self) -> None:
        run_id = self.query_one(RunTable).selected_run_id
        if run_id:
            self.app.post_message(RunActionRequested("stop", run_id))

    def action_resume(self) -> None:
        run_id = self.query_one(RunTable).selected_run_id
        if run_id:
            self.app.post_message(RunActionRequested("resume", run_id))
