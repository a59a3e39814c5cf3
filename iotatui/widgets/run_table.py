"""The runs table: one row per run, updated in place from RunsChanged batches."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from iotatui.runview import PRIMARY_METRICS, latest_metric, progress_text  # noqa: F401 - one rule, re-exported

STATUS_STYLE = {
    "queued": "dim", "starting": "yellow", "running": "bold green", "stopping": "yellow", "finished": "cyan",
    "failed": "bold red", "crashed": "bold red", "stopped": "magenta",
}
COLUMNS = ("id", "stage", "status", "parent", "started", "step", "progress", "latest")


def row_cells(run: dict[str, Any]) -> tuple[Any, ...]:
    started = time.strftime("%m-%d %H:%M:%S", time.localtime(run["started"])) if run.get("started") else "-"
    step = "" if run.get("last_step") is None else str(run["last_step"])
    return (run["id"], run["stage"], Text(run["status"], style=STATUS_STYLE.get(run["status"], "")),
            run.get("parent") or "", started, step, progress_text(run), latest_metric(run.get("last_metrics") or {}))


class RunTable(DataTable[Any]):
    """DataTable keyed by run id; ``update_runs`` touches only cells whose text changed."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        for col in COLUMNS:
            self.add_column(col, key=col)

    def update_runs(self, runs: list[dict[str, Any]]) -> None:
        for run in runs:
            cells = row_cells(run)
            if run["id"] in self.rows:
                for col, value in zip(COLUMNS, cells, strict=True):
                    if str(self.get_cell(run["id"], col)) != str(value):
                        self.update_cell(run["id"], col, value, update_width=True)  # growing cells stay whole
            else:
                self.add_row(*cells, key=run["id"])

    @property
    def selected_run_id(self) -> str | None:
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(key.value) if key.value is not None else None
