"""The runs table: runs as a lineage tree (``iotatui.lineage``), updated in place from RunsChanged batches.

Columns fit the terminal: id (with tree glyphs), stage, status, progress/ETA, the stage's headline metric and age at
80 columns; parent, step, started and GPUs join as it gets wider (recomputed on resize). What tells siblings apart
follows the metric: the config keys that vary among the shown sibling runs (``beta`` of a DPO grid; toggled with
``v``, chosen with ``V``; :mod:`iotatui.siblings`), as many as fit (the age gives way first at 80 columns), and
``from``, the lineage of rows whose parent a filter hides (six evals of different models read apart). The ``/``
filter is :mod:`iotatui.runfilter`'s. An update touches only the cells whose text changed, and re-orders rows only
when the tree order changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.events import Resize

from iotatui import lineage, runfilter, siblings
from iotatui.lineage import STATUS_GLYPH, STATUS_STYLE, TreeRow
from iotatui.runview import PRIMARY_METRICS, latest_metric  # noqa: F401 - one rule, re-exported
from iotatui.widgets.row_render_table import RowRenderTable

BASE_COLUMNS = ("id", "stage", "status", "progress", "metric", "age")
WIDE_COLUMNS = (("parent", 110), ("step", 110), ("started", 140), ("gpus", 140))
"""Extra columns and the table width from which each is shown."""
NARROW_BELOW = 110
"""Below this width an id shows without its stage prefix (``sft-1130-…`` -> ``1130-…``): the stage column has it,
and the rest is still a unique suffix every command accepts. The panel below the table shows the full id."""
SELECTED_MARK = "◆ "
CLOCK_S = 1.0
"""Age and ETA text move with the clock: checked this often, re-derived when one of them is due to change
(:func:`iotatui.lineage.next_change`); only the cells whose text changed are redrawn."""
CONFIG_PREFIX = "cfg:"
"""Column keys of config columns (``cfg:beta``, headed ``beta``)."""
FROM = "from"
FROM_WIDTH = 24
MIN_METRIC = 10
"""Config columns are added while the metric keeps at least this many characters."""
TREE_FIELDS = ("parent", "after", "inputs", "created", "stage", "config")
"""Fields of a run that place it in the tree (a change of any other leaves the tree as it is)."""


def status_text(status: str) -> Text:
    return Text(f"{STATUS_GLYPH.get(status, '?')} {status}", style=STATUS_STYLE.get(status, ""))


class RunTable(RowRenderTable):
    """DataTable keyed by run id, in lineage-tree order; ``update_runs`` touches only cells whose text changed."""

    BINDINGS = [
        # DataTable's own home/end scroll sideways: in a list of runs they go to the first and last row
        Binding("home", "first_row", "First run", id="runs.first", show=False, tooltip="The first row"),
        Binding("end", "last_row", "Last run", id="runs.last", show=False, tooltip="The last row"),
    ]

    def __init__(self, *, now: Callable[[], float] = time.time, **kw: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)
        self.now = now
        self.runs: dict[str, dict[str, Any]] = {}
        self.filter_text = ""
        self.sort_key = "age"
        self.selected: set[str] = set()
        self.tree_rows: list[TreeRow] = []
        self.columns_shown: tuple[str, ...] = ()
        self._cells: dict[str, tuple[str, ...]] = {}
        self._order: list[str] = []
        self.dirty = False
        """Rows changed since the table was last drawn (updates are held while the table is hidden)."""
        self.next_change = float("inf")
        """When the shown age/ETA text is next due to change (the clock's check)."""
        self.clocks: dict[tuple[str, int], lineage.ProgressClock] = {}
        """Per (run, attempt): the progress watched, for ETAs at the rate seen (a resumed run's is not its own)."""
        self.filter = runfilter.RunFilter()
        self.filter_error: str | None = None
        """Why the filter text as typed cannot apply (nothing is filtered meanwhile)."""
        self.hidden_new: set[str] = set()
        """Runs that appeared while a filter was set and that it hides (the status line says so)."""
        self.show_config = True
        self.config_pick: list[str] | None = None
        """The config keys chosen with ``V`` (None: every varying one)."""
        self.varying: list[str] = []
        """The config keys that vary among the shown siblings (whether or not they fit)."""
        self.config_hidden: list[str] = []
        """Varying keys that did not fit the width."""
        self.configs = siblings.Configs()
        self._base: tuple[str, ...] = BASE_COLUMNS
        self._widest: dict[str, int] = {}
        self.versus: dict[str, Any] = {}
        """Eval run id -> its :class:`iotatui.learnview.VersusSft` (a learned model against its SFT's eval)."""
        # What a refresh reuses (500 runs: recomputing every row made one live update cost ~70 ms on the UI
        # thread): the tree while no run came, went or moved in it, and each row's cells while its run dict is the
        # same object (the follower sends new dicts only for changed runs).
        self._tree_version = 0
        self._tree_at = -1
        self._from_labels_cache: dict[str, str] = {}
        self._row_cache: dict[str, tuple[tuple[Any, ...], dict[str, Text | str], dict[str, str]]] = {}

    def on_mount(self) -> None:
        self._set_columns(self._columns_for(self.size.width or 80))
        self.refresh_rows()
        self.set_interval(CLOCK_S, self.tick)

    # -- what the screen calls -------------------------------------------------------------------------------
    def update_runs(self, runs: Iterable[dict[str, Any]], redraw: bool = True) -> None:
        """Take the rows (a row older than the one held, by its ``updated`` stamp, is dropped: the table never
        steps back to a stale state); redraw now, or only mark the table ``dirty`` (hidden: drawn on return)."""
        now = self.now()
        for run in runs:
            rid = str(run["id"])
            held = self.runs.get(rid)
            if held is not None and (held.get("updated") or 0) > (run.get("updated") or 0):
                continue
            self.runs[rid] = run
            if held is None or self.filter or self.sort_key in ("status", "metric") or any(
                    held.get(k) != run.get(k) for k in TREE_FIELDS):
                self._tree_version += 1
            if held is None and self.filter and not self._matches(run, now):
                self.hidden_new.add(rid)
        self.dirty = True
        if redraw:
            self.refresh_rows()

    def remove_runs(self, run_ids: Iterable[str], redraw: bool = True) -> None:
        for rid in run_ids:
            self.runs.pop(rid, None)
            self.selected.discard(rid)
            self.hidden_new.discard(rid)
            self._row_cache.pop(rid, None)
        self.configs.forget(run_ids)
        self._tree_version += 1
        self.dirty = True
        if redraw:
            self.refresh_rows()

    def set_versus(self, results: dict[str, Any]) -> None:
        """Learn rows computed off the UI thread (eval id -> VersusSft, or None: no SFT eval to compare to)."""
        changed = False
        for rid, v in results.items():
            if v is None:
                changed |= self.versus.pop(rid, None) is not None
            elif self.versus.get(rid) != v:
                self.versus[rid] = v
                changed = True
        if changed:
            self.refresh_rows()

    def clock(self, run: dict[str, Any]) -> lineage.ProgressClock:
        key = (str(run["id"]), int(run.get("attempt") or 0))
        c = self.clocks.get(key)
        if c is None:
            c = self.clocks[key] = lineage.ProgressClock()
        return c

    def tick(self) -> None:
        """The clock: when an age or ETA is due to change, re-derive those cells (nothing else) of a shown table."""
        if not self.columns_shown or self.dirty or not self.shown():
            return
        now = self.now()
        if now < self.next_change:
            return
        self.next_change = float("inf")
        for row in self.tree_rows:
            cells = self._time_cells(row, now)
            old = self._cells.get(row.id)
            self.next_change = min(self.next_change, lineage.next_change(row.run, now))
            if old is None:
                continue
            new = list(old)
            for col, text in cells.items():
                if col in self.columns_shown:
                    i = self.columns_shown.index(col)
                    if old[i] != text:
                        self.update_cell(row.id, col, text, update_width=True)
                        new[i] = text
            self._cells[row.id] = tuple(new)

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    def shown(self) -> bool:
        """The table's screen is on top, or shows beneath the screens above it (a confirmation over the runs):
        not just "current", which Textual also says of a screen hidden under an opaque one."""
        try:
            stack = self.app.screen_stack
        except Exception:  # noqa: BLE001 - no app or no screens (shutting down): nothing shows
            return False
        if self.screen not in stack:
            return False
        return all(s.styles.background.a < 1 for s in stack[stack.index(self.screen) + 1:])

    def set_filter(self, text: str) -> None:
        """Filter by ``text`` (:func:`iotatui.runfilter.parse`); a text that cannot apply sets ``filter_error`` and
        filters nothing (every run shown beside the error, rather than rows a half-typed word happened to leave)."""
        self.filter_text = text
        try:
            self.filter = runfilter.parse(text, runfilter.config_keys(self.runs.values(), self.configs.of))
            self.filter_error = None
        except runfilter.FilterError as e:
            self.filter = runfilter.RunFilter()
            self.filter_error = str(e)
        self.hidden_new.clear()
        self._tree_version += 1
        self.refresh_rows()

    def toggle_config(self) -> bool:
        self.show_config = not self.show_config
        self.refresh_rows()
        return self.show_config

    def pick_config(self, keys: list[str] | None) -> None:
        self.config_pick = keys
        self.show_config = True
        self.refresh_rows()

    def config_columns(self) -> list[str]:
        """The config keys shown as columns now."""
        return [c[len(CONFIG_PREFIX):] for c in self.columns_shown if c.startswith(CONFIG_PREFIX)]

    def _matches(self, run: dict[str, Any], now: float) -> bool:
        cfg = self.configs.of(run)
        extra = [siblings.cell_text(cfg[k]) for k in self.config_columns() if k in cfg]
        return self.filter.matches(run, runfilter.shown_text(run, now, extra), cfg)

    def cycle_sort(self) -> str:
        keys = lineage.SORT_KEYS
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self._tree_version += 1
        self.refresh_rows()
        return self.sort_key

    def toggle_selected(self, run_id: str) -> None:
        self.selected.symmetric_difference_update({run_id})
        self.refresh_rows()

    @property
    def selected_run_id(self) -> str | None:
        """The run under the cursor."""
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(key.value) if key.value is not None else None

    @property
    def shown_ids(self) -> list[str]:
        """The rows shown, in tree order."""
        return list(self._order)

    def targets(self) -> list[str]:
        """What an action applies to: the marked runs still shown (tree order), else the cursor row."""
        marked = [rid for rid in self._order if rid in self.selected]
        if marked:
            return marked
        cur = self.selected_run_id
        return [cur] if cur else []

    def tree_row(self, run_id: str) -> TreeRow | None:
        return next((r for r in self.tree_rows if r.id == run_id), None)

    # -- layout --------------------------------------------------------------------------------------------------
    @staticmethod
    def _columns_for(width: int) -> tuple[str, ...]:
        return BASE_COLUMNS + tuple(name for name, w in WIDE_COLUMNS if width >= w)

    def _set_columns(self, cols: tuple[str, ...]) -> None:
        """Replace the columns (the rows are added again by the caller, :meth:`refresh_rows`)."""
        self.clear(columns=True)
        self.columns_shown = cols
        for col in cols:
            self.add_column(col.removeprefix(CONFIG_PREFIX), key=col)
        self._cells.clear()
        self._order = []

    def on_resize(self, event: Resize) -> None:
        self.refresh_rows()  # the columns that fit and the metric's share of the width

    def _fit_columns(self, base: tuple[str, ...], extras: list[str], cells: list[dict[str, Text | str]]) -> tuple[
            str, ...]:
        """``base`` plus as many of ``extras`` (``from``, then config keys) as fit after the metric, keeping it at
        least :data:`MIN_METRIC` wide; the age gives way to the first one that would not fit."""
        width = self.size.width or 80
        scrollbar = 2 if len(cells) > max(self.size.height - 1, 0) else 0
        widest: dict[str, int] = {}
        for c in cells:  # one pass: every column's widest cell
            for col, v in c.items():
                n = len(v)
                if n > widest.get(col, 0):
                    widest[col] = n

        self._widest = widest

        def w(col: str) -> int:
            return 2 + max(len(col.removeprefix(CONFIG_PREFIX)), widest.get(col, 0))

        cols = list(base)
        used = scrollbar + 2 + sum(w(c) for c in cols if c != "metric")
        chosen: list[str] = []
        for col in extras:
            if width - used - w(col) < MIN_METRIC and "age" in cols:
                cols.remove("age")
                used -= w("age")
            if width - used - w(col) < MIN_METRIC:
                break
            chosen.append(col)
            used += w(col)
        self.config_hidden = [c.removeprefix(CONFIG_PREFIX) for c in extras[len(chosen):] if c != FROM]
        at = cols.index("metric") + 1
        return tuple(cols[:at] + chosen + cols[at:])

    # -- cells ---------------------------------------------------------------------------------------------------
    def _cells_for(self, row: TreeRow, now: float, narrow: bool, config_keys: Iterable[str] = (),
                   from_labels: dict[str, str] | None = None) -> dict[str, Text | str]:
        run = row.run
        rid = row.id
        shown_id = rid
        stage = str(run.get("stage"))
        if narrow and rid.startswith(stage + "-"):
            shown_id = rid[len(stage) + 1:]
        id_cell = Text(row.prefix, style="dim")
        if rid in self.selected:
            id_cell = Text(SELECTED_MARK, style="bold yellow") + id_cell
        id_cell.append(shown_id, style="bold" if rid in self.selected else "")
        vs = self.versus.get(rid)
        cells: dict[str, Text | str] = {
            "id": id_cell, "stage": stage, "status": status_text(str(run.get("status"))),
            "metric": vs.short() if vs is not None else lineage.metric_text(run), **self._time_cells(row, now),
        }
        if "parent" in self._base:
            extra = f" +{len(row.extra_parents)}" if row.extra_parents else ""
            cells["parent"] = (row.parent or (row.extra_parents[0] if row.extra_parents else "")) + extra
        if "step" in self._base:
            cells["step"] = "" if run.get("last_step") is None else str(run["last_step"])
        if "started" in self._base:
            cells["started"] = time.strftime("%m-%d %H:%M", time.localtime(run["started"])) if run.get("started") else ""
        if "gpus" in self._base:
            cells["gpus"] = str(run.get("gpu_ids") or "") if run.get("gpu_ids") else str(run.get("gpus") or "")
        cfg = self.configs.of(run)
        for key in config_keys:
            cells[CONFIG_PREFIX + key] = siblings.cell_text(cfg[key]) if key in cfg else ""
        if from_labels:
            cells[FROM] = from_labels.get(rid, "")
        return cells

    def _row_cells(self, row: TreeRow, now: float, narrow: bool, config_keys: list[str],
                   from_labels: dict[str, str]) -> dict[str, Text | str]:
        """The row's cells: the cached ones while the row is unchanged, the clock's cells fresh. The cache holds the
        markup of its Text cells too (what the diff compares)."""
        vs = self.versus.get(row.id)
        key = (row.prefix, row.parent, row.extra_parents, row.id in self.selected, narrow, tuple(config_keys),
               from_labels.get(row.id), id(vs), self._base)
        hit = self._row_cache.get(row.id)
        if hit is None or hit[0][0] is not row.run or hit[0][1:] != key:
            cells = self._cells_for(row, now, narrow, config_keys, from_labels)
            marks = {c: v.markup for c, v in cells.items() if isinstance(v, Text)}
            hit = self._row_cache[row.id] = ((row.run, *key), cells, marks)
            return dict(cells)
        return {**hit[1], **self._time_cells(row, now)}

    def _time_cells(self, row: TreeRow, now: float) -> dict[str, str]:
        """The cells that move with the clock: progress (an active run's ETA) and age."""
        run = row.run
        if run.get("status") == "queued":  # the panel says which runs or resources; the row says that it waits
            deps = [d for d in run.get("after") or [] if (self.runs.get(d) or {}).get("status") != "finished"]
            progress = f"after {len(deps)}" if deps else "in queue"  # "after 2": two runs to finish
        else:
            progress = lineage.progress_text(run, now, self.clock(run))
        return {"progress": progress, "age": lineage.age_text(run, now)}

    def _fit_metric(self, all_cells: list[dict[str, Text | str]], rows: list[TreeRow]) -> None:
        """The metric is the one free-length column: in the width the others leave, its text, else with short
        labels, else with two significant digits, else cut with an ellipsis."""
        width = self.size.width or 80
        scrollbar = 2 if len(all_cells) > max(self.size.height - 1, 0) else 0
        used = scrollbar + 2 * len(self.columns_shown)  # one cell of padding each side
        for col in self.columns_shown:
            if col != "metric":  # the widths _fit_columns measured, for these same cells
                used += max(len(col.removeprefix(CONFIG_PREFIX)), self._widest.get(col, 0))
        room = max(8, width - used)
        for c, row in zip(all_cells, rows, strict=True):
            if len(c["metric"]) <= room:
                continue
            if row.id in self.versus:  # its own short form: cut, never swapped for another metric
                c["metric"] = str(c["metric"])[: room - 1] + "…"
                continue
            alts = self._metric_alts(row)
            alt = next((a for a in alts if len(a) <= room), alts[-1])
            c["metric"] = alt if len(alt) <= room else alt[: room - 1] + "…"

    def _metric_alts(self, row: TreeRow) -> tuple[str, str]:
        """The metric with short labels, then with two significant digits (kept with the row's cells)."""
        cached = self._row_cache.get(row.id)
        keys = cached[2] if cached is not None else {}
        if "metric:alts" not in keys:
            keys["metric:alts"] = "\x00".join((lineage.metric_text(row.run, short=True),
                                                lineage.metric_text(row.run, True, digits=2)))
        a, b = keys["metric:alts"].split("\x00")
        return a, b

    def refresh_rows(self) -> None:
        """Recompute the tree (when it may have changed), the columns that fit and the shown rows (the cells of a
        run whose row is unchanged come from the cache; the clock's cells are fresh); write only what changed."""
        if not self.columns_shown:
            return
        cursor = self.selected_run_id
        now = self.now()
        width = self.size.width or 80
        narrow = width < NARROW_BELOW
        self._base = self._columns_for(width)
        if self._tree_at != self._tree_version:
            shown = [r for r in self.runs.values() if self._matches(r, now)] if self.filter else \
                list(self.runs.values())
            self.hidden_new -= {str(r["id"]) for r in shown}
            self.tree_rows = lineage.build_tree(shown, sort=self.sort_key)
            self.varying = siblings.varying_keys(self.tree_rows, self.configs)
            self._from_labels_cache = siblings.from_labels(self.tree_rows, self.runs, FROM_WIDTH)
            self._tree_at = self._tree_version
        else:  # the same tree: its rows take the runs' newest dicts
            self.tree_rows = [r if r.run is self.runs.get(r.id) else replace(r, run=self.runs[r.id])
                              for r in self.tree_rows]
        cfg_keys = [k for k in self.varying if self.config_pick is None or k in self.config_pick] \
            if self.show_config else []
        from_labels = self._from_labels_cache if self.show_config else {}
        all_cells = [self._row_cells(row, now, narrow, cfg_keys, from_labels) for row in self.tree_rows]
        extras = ([FROM] if from_labels else []) + [CONFIG_PREFIX + k for k in cfg_keys]
        cols = self._fit_columns(self._base, extras, all_cells)
        if cols != self.columns_shown:
            self._set_columns(cols)
        self._fit_metric(all_cells, self.tree_rows)
        self.dirty = False
        self.next_change = min((lineage.next_change(row.run, now) for row in self.tree_rows), default=float("inf"))
        order = [row.id for row in self.tree_rows]
        in_order = set(order)
        for rid in [r for r in self._cells if r not in in_order]:
            self.remove_row(rid)
            del self._cells[rid]
        for rid, cells in zip(order, all_cells, strict=True):
            values = [cells[c] for c in self.columns_shown]
            marks = self._row_cache[rid][2]
            keys = tuple(marks[c] if isinstance(v, Text) else str(v) for c, v in zip(self.columns_shown, values,
                                                                                        strict=True))
            old = self._cells.get(rid)
            if old is None:
                self.add_row(*values, key=rid)
            elif old != keys:
                for col, v, k, o in zip(self.columns_shown, values, keys, old, strict=True):
                    if k != o:
                        self.update_cell(rid, col, v, update_width=True)  # growing cells stay whole
            self._cells[rid] = keys
        if order != self._order:
            pos = {rid: i for i, rid in enumerate(order)}
            by_cell = {self._cells[rid][0]: pos[rid] for rid in order}
            self.sort("id", key=lambda cell: by_cell.get(cell.markup if isinstance(cell, Text) else str(cell), 0))
            self._order = order
            if cursor and cursor in pos:
                self.move_cursor(row=pos[cursor], animate=False)
