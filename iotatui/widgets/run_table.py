"""The runs table: one row per run, updated in place from RunsChanged batches."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

STATUS_STYLE = {
    "queued": "dim", "starting": "yellow", "running": "bold green", "stopping": "yellow", "finished": "cyan",
    "failed": "bold red", "crashed": "bold red", "stopped": "magenta",
}
# The metric shown in the "latest" column: the first of these a run has, else its first key alphabetically.
PRIMARY_METRICS = ("train/loss", "loss", "objective/rlhf_reward", "eval/solved", "reward")
COLUMNS = ("id", "stage", "status", "parent", "started", "step", "progress", "latest")


def latest_metric(last: dict[str, Any]) -> str:
    if not last:
        return ""
    key = next((k for k in PRIMARY_METRICS if k in last), sorted(last)[0])
    v = last[key]
    return f"{key} {v:.4g}" if isinstance(v, (int, float)) else f"{key} {v}"


def progress_text(run: dict[str, Any]) -> str:
    done, total = run.get("progress_done"), run.get("progress_total")
    if done is None:
        return ""
    if total:
        return f"{done}/{total} {run.get('progress_unit') or ''} ({100 * done / total:.0f}%)".strip()
    return f"{done} {run.get('progress_unit') or ''}".strip()


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
                        self.update_cell(run["id"], col, value)
            else:
                self.add_row(*cells, key=run["id"])

    @property
    def selected_run_id(self) -> str | None:
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(key.value) if key.value is not None else None
