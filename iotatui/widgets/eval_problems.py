"""The eval screen's problems table: one row per problem. With one run: solved, samples and counts by verdict; with
several: a problems x runs heatmap (each cell the share of that run's samples passing, coloured by level, ✓ where
solved). It renders what :mod:`iotatui.evalview` computes.

A line renderer, not a ``DataTable``: each visible row is formatted from the live counts when it is drawn, one strip
per line. A DataTable renders every visible cell through Rich (~1 ms each under load), so a refresh where most of
165 problems changed cost hundreds of ms; here a refresh costs the visible lines only, whatever changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from iotatui.evalview import ProblemCounts, RunAgg, heat_level

COUNT_COLS = (("OK", "OK"), ("WA", "WRONG_ANSWER"), ("TLE", "TIME_LIMIT"), ("RE", "RUNTIME_ERROR"),
              ("CE", "COMPILE_ERROR"))
HEAT = tuple(Style.parse(s) for s in ("white on grey23", "black on red3", "black on dark_orange", "black on yellow3",
                                      "black on green3"))
"""Cell styles by :func:`heat_level`: none passing, then growing shares."""
SOLVED = Style.parse("bold green")
DIM = Style.parse("dim")


def run_label(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i)


class ProblemsTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("enter", "select", "Samples", id="eval.open", tooltip="The problem's samples by verdict and error"),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor(-1000000)", "First", show=False),
        Binding("end", "cursor(1000000)", "Last", show=False),
    ]
    COMPONENT_CLASSES = {"problems--header", "problems--cursor"}
    DEFAULT_CSS = """
    ProblemsTable { height: 1fr; background: $surface; }
    ProblemsTable > .problems--header { text-style: bold; background: $panel; }
    ProblemsTable > .problems--cursor { background: $block-cursor-blurred-background; }
    ProblemsTable:focus > .problems--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    """

    class Selected(Message):
        """``enter`` on a problem."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runs = 1
        self.info: Mapping[str, Mapping[str, Any]] = {}
        self.order: list[str] = []
        self._names: set[str] = set()
        self.aggs: Sequence[RunAgg] = []
        self.cursor = 0
        self.widths: list[int] = []
        self.labels: list[str] = []
        self._styles: tuple[Style, Style, Style] | None = None

    # -- model -----------------------------------------------------------------------------------------------------
    def setup(self, runs: int, info: Mapping[str, Mapping[str, Any]], width: int) -> None:
        """Columns for ``runs`` runs at terminal ``width`` (the problem name gets what the numbers leave)."""
        self.runs, self.info = runs, info
        rest = [6, 1, 5, *[4] * len(COUNT_COLS), 6] if runs == 1 else [6, *[8] * runs]
        fixed = sum(rest) + 2 * (len(rest) + 1) + 2  # a space either side of each column; the scrollbar
        self.widths = [max(10, min(40, width - fixed)), *rest]
        self.labels = ["problem", "rating", *(["✓", "n", *(c for c, _ in COUNT_COLS), "pass"] if runs == 1
                                              else [run_label(i) for i in range(runs)])]

    @property
    def row_count(self) -> int:
        return len(self.order)

    def show(self, aggs: Sequence[RunAgg], order: Sequence[str]) -> None:
        """All rows in ``order``; the cursor stays on the problem it was on."""
        keep = self.current_problem()
        self.aggs, self.order = aggs, list(order)
        self._names = set(self.order)
        self.virtual_size = Size(sum(self.widths) + 2 * len(self.widths), len(self.order) + 1)
        self.cursor = self.order.index(keep) if keep in self.order else min(self.cursor, max(0, len(self.order) - 1))
        self.move_cursor(self.cursor)  # a re-sort keeps the selected problem in view

    def update_problems(self, aggs: Sequence[RunAgg], names: set[str]) -> bool:
        """Counts of ``names`` changed: redraw (rows are formatted when drawn). False when one is new (the caller
        re-sorts and calls :meth:`show`)."""
        if not names <= self._names:
            return False
        top, height = self.scroll_offset.y, self.size.height - 1
        visible = self.order[top:top + height]
        lines = [i + 1 for i, n in enumerate(visible) if n in names]  # only on-screen rows that changed are redrawn
        if lines:
            self.refresh_lines(top + lines[0], lines[-1] - lines[0] + 1)  # virtual lines
        return True

    def current_problem(self) -> str | None:
        return self.order[self.cursor] if 0 <= self.cursor < len(self.order) else None

    def cells(self, name: str) -> list[tuple[str, Style | None]]:
        """The row of ``name`` as (text, style) cells, in column order."""
        meta = self.info.get(name) or {}
        rating = meta.get("cf_rating")
        out: list[tuple[str, Style | None]] = [(name, None), (str(rating) if rating else "-", None)]
        if self.runs == 1:
            pc = (self.aggs[0].problems.get(name) if self.aggs else None) or ProblemCounts(name)
            out += [("✓", SOLVED) if pc.solved else ("·", None), (str(pc.n), None)]
            out += [(str(pc.by_verdict.get(v, 0)), None) for _, v in COUNT_COLS]
            out.append((f"{100 * pc.share:5.1f}%", None))
        else:
            for a in self.aggs:
                cell = a.problems.get(name)
                if cell is None:
                    out.append(("–", DIM))
                else:
                    out.append((f"{'✓' if cell.solved else ' '}{100 * cell.share:5.1f}%",
                                HEAT[max(0, heat_level(cell.share))]))
        return out

    def row_text(self, name: str) -> list[str]:
        return [t for t, _ in self.cells(name)]

    # -- drawing ---------------------------------------------------------------------------------------------------
    def _strip(self, cells: Sequence[tuple[str, Style | None]], base: Style) -> Strip:
        segs = []
        for i, ((text, style), w) in enumerate(zip(cells, self.widths, strict=False)):
            if len(text) > w:
                text = text[:w - 1] + "…"
            body = text.ljust(w) if i in (0, 1) or self.runs > 1 else text.rjust(w)
            segs.append(Segment(" ", base))
            segs.append(Segment(body, base + style if style else base))
            segs.append(Segment(" ", base))
        return Strip(segs)

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def render_lines(self, crop: Any) -> list[Strip]:
        # Styles resolved once per paint, not per line (component styles go through the CSS each call).
        base = self.rich_style
        self._styles = (base, base + self.get_component_rich_style("problems--header"),
                        base + self.get_component_rich_style("problems--cursor"))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base, header, cursor = self._styles or (self.rich_style,) * 3
        if y == 0:  # the header stays put while rows scroll under it
            return self._strip([(lab, None) for lab in self.labels], header).adjust_cell_length(width, header)
        row = self.scroll_offset.y + y - 1
        if row >= len(self.order):
            return Strip.blank(width, base)
        style = cursor if row == self.cursor else base
        return self._strip(self.cells(self.order[row]), style).adjust_cell_length(width, style)

    # -- keys ------------------------------------------------------------------------------------------------------
    def move_cursor(self, row: int) -> None:
        self.cursor = max(0, min(len(self.order) - 1, row))
        if not self.size.height:  # not laid out yet: nothing to scroll
            self.refresh()
            return
        visible = max(1, self.size.height - 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * max(1, self.size.height - 2))

    def action_select(self) -> None:
        name = self.current_problem()
        if name is not None:
            self.post_message(self.Selected(name))

    def on_click(self, event: Any) -> None:
        row = self.scroll_offset.y + event.y - 1
        if event.y >= 1 and 0 <= row < len(self.order):
            self.move_cursor(row)
