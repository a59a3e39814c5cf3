"""One run: header, resolved config, a live metric chart and the log (output and the store's events)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from iotatui.messages import LogReceived, MetricsReceived, RunActionRequested, RunsChanged
from iotatui.runview import RunLog, latest_metric, progress_text
from iotatui.widgets.log_panel import LogPanel
from iotatui.widgets.metric_chart import MetricChart

if TYPE_CHECKING:
    from iotatui.supervisor import Workspace


class RunDetailScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back", tooltip="Back to the runs table"),
        Binding("m", "next_metric", "Next metric", id="detail.metric", tooltip="Cycle the charted metric"),
        Binding("s", "stop", "Stop", id="detail.stop", tooltip="Stop this run"),
    ]

    def __init__(self, ws: Workspace, run_id: str) -> None:
        super().__init__()
        self.ws = ws
        self.run_id = run_id

    def compose(self) -> ComposeResult:
        run = self.ws.store.get_run(self.run_id) or {}
        yield Header()
        yield Static(self._header(run), id="run-header")
        with Horizontal(id="detail-top"):
            yield Static(json.dumps(run.get("config", {}), indent=2), id="config")
            yield MetricChart(id="chart")
        yield LogPanel(id="log")
        yield Footer()

    def _header(self, run: dict[str, Any]) -> str:
        if not run:
            return self.run_id
        err = f"\n[b red]{run['error'].splitlines()[0]}[/]" if run.get("error") else ""
        return (f"[b]{run['id']}[/]  {run['stage']}  [b]{run['status']}[/]  pid {run.get('pid') or '-'}  "
                f"attempt {run.get('attempt')}  step {run.get('last_step') if run.get('last_step') is not None else '-'}"
                f"  {progress_text(run)}  {latest_metric(run.get('last_metrics') or {})}{err}")

    def on_mount(self) -> None:
        self.follow()

    @work(thread=True, exclusive=True, name="follow-run", group="store", exit_on_error=False)
    def follow(self) -> None:
        from iotatui.store import TERMINAL, Store

        worker = get_current_worker()
        store = Store(self.ws.store.path)
        last_id, last_updated = 0, None
        log: RunLog | None = None
        try:
            while not worker.is_cancelled:
                rows = store.metrics_after_id(self.run_id, last_id)
                if rows:
                    last_id = rows[-1][0]
                    self.post_message(MetricsReceived(self.run_id, rows))
                run = store.get_run(self.run_id)
                if run:
                    if run["updated"] != last_updated:  # redraw the header only when the row changed
                        last_updated = run["updated"]
                        self.post_message(RunsChanged([run]))
                    # The same merged view as `iotatui logs`: output of both streams and the store's events.
                    log = log or RunLog(store, self.run_id, run["run_dir"], streams=("stdout", "stderr"))
                    lines = log.poll(final=run["status"] in TERMINAL)  # an ended run's unterminated last line
                    if lines:
                        self.post_message(LogReceived(self.run_id, "\n".join(lines) + "\n"))
                time.sleep(self.ws.settings.refresh_s / 2)
        finally:
            store.close()

    @on(MetricsReceived)
    def _metrics(self, msg: MetricsReceived) -> None:
        self.query_one(MetricChart).add_rows(msg.rows)

    @on(RunsChanged)
    def _run_changed(self, msg: RunsChanged) -> None:
        msg.stop()  # the runs screen underneath has its own follower
        self.query_one("#run-header", Static).update(self._header(msg.runs[0]))

    @on(LogReceived)
    def _log(self, msg: LogReceived) -> None:
        self.query_one(LogPanel).append(msg.text)

    def action_next_metric(self) -> None:
        self.query_one(MetricChart).next_key()

    def action_stop(self) -> None:
        self.app.post_message(RunActionRequested("stop", self.run_id))
