"""The first failing test side by side: input | expected | actual, with the first differing token marked in both
outputs (and its line tinted), or a note where the input is not available."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from iotatui.evalview import FailCase

SHOW_MAX = 4000
"""Characters shown per pane (a 10 MB test input would stall the terminal; the head says what matters)."""


def marked(text: str, span: tuple[int, int] | None, line: int | None) -> Text:
    """``text`` with the token at ``span`` reversed and its line tinted; a missing token marked at the end."""
    cut = text[:SHOW_MAX]
    out = Text(cut)
    if line is not None:
        lines = cut.split("\n")
        if line <= len(lines):
            start = sum(len(x) + 1 for x in lines[:line - 1])
            out.stylize("on grey19", start, start + len(lines[line - 1]))
    if span is not None and span[0] < len(cut):
        out.stylize("bold reverse red", span[0], min(span[1], len(cut)))
    if len(text) > SHOW_MAX:
        out.append(f"\n… {len(text) - SHOW_MAX:,} more characters", style="dim")
    return out


class DiffPanes(Horizontal):
    DEFAULT_CSS = """
    DiffPanes { height: 1fr; }
    DiffPanes VerticalScroll { width: 1fr; border: round $primary; padding: 0 1; }
    DiffPanes #diff-actual { border: round $error; }
    """

    def compose(self) -> ComposeResult:
        for key in ("input", "expected", "actual"):
            with VerticalScroll(id=f"diff-{key}"):
                yield Static("", id=f"diff-{key}-text")

    def show(self, fail: FailCase) -> None:
        d = fail.diff
        inp = Text(fail.input[:SHOW_MAX]) if fail.input is not None else Text(fail.note or "input unavailable",
                                                                             style="italic dim")
        if fail.expected is not None:
            exp = marked(fail.expected, d.expected_span if d else None, d.expected_line if d else None)
            if d is not None and d.expected is None:
                exp.append("\n⟵ ends here", style="bold red")
        else:
            exp = Text("expected output unavailable (see input)", style="italic dim")
        act = marked(fail.actual, d.actual_span if d else None, d.actual_line if d else None)
        if d is not None and d.actual is None:
            act.append("⟵ ends here (missing output)", style="bold red")
        if not fail.actual:
            act = Text("(no output)", style="italic dim") + act
        if fail.stderr:
            act.append("\n── stderr ──\n", style="dim")
            act.append(fail.stderr[-SHOW_MAX:])
        self.query_one("#diff-input-text", Static).update(inp)
        self.query_one("#diff-expected-text", Static).update(exp)
        self.query_one("#diff-actual-text", Static).update(act)
        self.query_one("#diff-input").border_title = "input" + (f" ({fail.set_name} test)" if fail.set_name else "")
        self.query_one("#diff-expected").border_title = "expected"
        self.query_one("#diff-actual").border_title = "actual"
