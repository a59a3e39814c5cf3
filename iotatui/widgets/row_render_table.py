"""A ``DataTable`` that re-renders only the row whose cell changed.

DataTable bumps one table-wide counter on every ``update_cell``, and that counter is part of every cell's, row's and
line's cache key: one changed cell re-rendered every visible cell (the runs table with 500 runs and 10 config
columns: most of a live update's ~200 ms). A value that does not widen its column changes nothing else, so here only
that row's cached renders are dropped; one that widens it invalidates everything, as DataTable does (its cached
cells are laid out for the old width). The caches are DataTable's own: Textual is pinned exactly (8.2), and
``tests/app/test_runs_screen.py`` checks that what the terminal shows is every row's newest text.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


class RowRenderTable(DataTable[Any]):
    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        """DataTable's, but re-rendering only this row. DataTable bumps one table-wide counter that is part of every
        cell's and line's cache key, so one changed cell re-rendered every visible cell (500 runs with 10 config
        columns: most of a live update's ~200 ms). A value that does not widen its column changes nothing else, so
        this row's cached renders are dropped instead; one that widens it invalidates everything, as DataTable
        does (its cached cells are laid out for the old width)."""
        column = self.columns.get(column_key)  # DataTable's keys compare and hash as their strings
        width = value.cell_len if isinstance(value, Text) else cell_len(str(value))
        widens = column is None or width > column.content_width
        super().update_cell(row_key, column_key, value, update_width=update_width)
        if widens:
            return
        self._update_count -= 1  # Textual is pinned exactly: these caches are DataTable's own (v8.2)
        caches: tuple[Any, ...] = (self._cell_render_cache, self._row_render_cache)
        for cache in caches:
            for k in [k for k in cache.keys() if k[0] == row_key]:
                cache.discard(k)
        index = self.get_row_index(row_key)
        renderables: Any = self._row_renderable_cache  # keyed (update count, row index): the formatted cells
        for k in [k for k in renderables.keys() if k[1] == index]:
            renderables.discard(k)
        for k in list(self._line_cache.keys()):  # the screen lines of this row (keyed by their y)
            try:
                if self._get_offsets(k[0])[0] == row_key:
                    self._line_cache.discard(k)
            except LookupError:
                self._line_cache.discard(k)
