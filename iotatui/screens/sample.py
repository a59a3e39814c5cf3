"""One judged sample: the first failing test's input, expected and actual output side by side with the first
difference marked (or the compile/runtime error text), the code with syntax highlighting, and every test's verdict,
time and memory. Loaded off the UI thread: the run's problem source may take a moment to load the first time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from iotatui.evalview import SHORT, SampleDetail, load_sample
from iotatui.widgets.eval_diff import DiffPanes

if TYPE_CHECKING:
    from iotatui.workspace import Workspace

LEXERS = {"python3": "python", "python": "python", "cpp": "cpp", "c++": "cpp", "java": "java"}
LETTER_STYLE = {"A": "green", "-": "dim"}


def letters_text(letters: str, limit: int = 200) -> Text:
    out = Text()
    for ch in letters[:limit]:
        out.append(ch, style=LETTER_STYLE.get(ch, "bold red"))
    if len(letters) > limit:
        out.append(f"… +{len(letters) - limit}", style="dim")
    return out


class SampleScreen(Screen[None]):
    DEFAULT_CSS = """
    SampleScreen #sample-head { height: auto; padding: 0 1; background: $boost; }
    SampleScreen #sample-tabs { height: 1fr; }
    SampleScreen #sample-tabs > ContentSwitcher { height: 1fr; }
    SampleScreen TabPane { height: 1fr; padding: 0; }
    SampleScreen #sample-reason { height: auto; padding: 0 1; }
    SampleScreen #sample-code, SampleScreen #sample-error, SampleScreen #sample-tests { height: 1fr; }
    SampleScreen #failure-row, SampleScreen #failure-main { height: 1fr; }
    SampleScreen #failure-code { display: none; }
    SampleScreen.-wide #failure-code { display: block; width: 2fr; height: 1fr; border: round $secondary; }
    SampleScreen.-wide #failure-main { width: 3fr; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    """From 140 columns the failure tab shows the code beside the outputs."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="sample.back", tooltip="Back to the problem's samples"),
        Binding("1", "tab('failure')", "Failure", id="sample.failure", tooltip="First failing test or error text"),
        Binding("2", "tab('code')", "Code", id="sample.code", tooltip="The program"),
        Binding("3", "tab('tests')", "Tests", id="sample.tests", tooltip="Every test's verdict, time and memory"),
    ]

    def __init__(self, ws: Workspace, run_id: str, sample_id: str) -> None:
        super().__init__()
        self.ws = ws
        self.run_id = run_id
        self.sample_id = sample_id
        self.detail: SampleDetail | None = None
        self.error = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.sample_id}  loading…", id="sample-head")
        with TabbedContent(id="sample-tabs", initial="failure"):
            with TabPane("Failure", id="failure"), Horizontal(id="failure-row"):
                with Vertical(id="failure-main"):
                    yield Static("", id="sample-reason")
                    yield DiffPanes(id="sample-diff")
                    with VerticalScroll(id="sample-error"):
                        yield Static("", id="sample-error-text")
                with VerticalScroll(id="failure-code"):
                    yield Static("", id="failure-code-text")
            with TabPane("Code", id="code"), VerticalScroll(id="sample-code"):
                yield Static("", id="sample-code-text")
            with TabPane("Tests", id="tests"):
                yield DataTable(id="sample-tests", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    def on_mount(self) -> None:
        self.query_one("#sample-diff").display = False
        self.query_one("#sample-error").display = False
        self.run_worker(self._load, thread=True, name="sample-load", group="store", exit_on_error=False)

    def _load(self) -> None:
        from iotatui.store import Store

        store = Store(self.ws.store.path)
        try:
            run = store.get_run(self.run_id) or {"id": self.run_id}
            detail = load_sample(store.conn, run, self.sample_id)
        finally:
            store.close()
        self.app.call_from_thread(self._show, detail)

    def _show(self, d: SampleDetail | None) -> None:
        if not self.is_attached:  # left before the load finished
            return
        if d is None:
            self.error = f"no verdict for sample {self.sample_id} in run {self.run_id}"
            self.query_one("#sample-head", Static).update(Text(self.error, style="bold red"))
            return
        self.detail = d
        head = Text()
        head.append(f"{d.sample_id}", style="bold")
        head.append(f"  {d.language}  ")
        head.append(d.verdict, style="bold green" if d.verdict == "OK" else "bold red")
        head.append(f"  run {d.run_id}\ntests ")
        head.append_text(letters_text(d.letters))
        passed = sum(t.letter == "A" for t in d.tests)
        head.append(f"  {passed}/{d.n_tests} pass")
        self.query_one("#sample-head", Static).update(head)
        self._show_failure(d)
        lexer = LEXERS.get(d.language.lower(), "text")
        for target in ("#sample-code-text", "#failure-code-text"):
            self.query_one(target, Static).update(
                Syntax(d.code or "(no code stored)", lexer, line_numbers=True, theme="ansi_dark", word_wrap=False))
        table = self.query_one("#sample-tests", DataTable)
        table.clear(columns=True)
        table.add_columns("#", "set", "verdict", "ms", "KiB")
        for t in d.tests:
            table.add_row(str(t.index), t.set_name or "", Text(SHORT.get(t.verdict, t.verdict),
                                                              style=LETTER_STYLE.get(t.letter, "bold red")),
                          "" if t.time_ms is None else str(t.time_ms), "" if t.memory_kb is None else str(t.memory_kb))

    def _show_failure(self, d: SampleDetail) -> None:
        reason = self.query_one("#sample-reason", Static)
        if d.fail is not None:
            f = d.fail
            where = f"test {f.index}" + (f" ({f.set_name})" if f.set_name else "") + f" of {d.n_tests}"
            why = f.diff.reason if f.diff else (f.note or d.verdict)
            line = f" (expected line {f.diff.expected_line}, actual line {f.diff.actual_line})" if f.diff else ""
            reason.update(Text(f"first failing: {where} · {SHORT.get(d.verdict, d.verdict)} · {why}{line}"))
            diff = self.query_one(DiffPanes)
            diff.display = True
            diff.show(f)
            return
        if d.verdict == "OK":
            reason.update(Text(f"passes all {d.n_tests} tests", style="bold green"))
            return
        reason.update(Text(f"{d.verdict}: " + ("compiler output" if d.verdict == "COMPILE_ERROR" else "error text")))
        self.query_one("#sample-error").display = True
        self.query_one("#sample-error-text", Static).update(Text(d.error_text or "(no error text stored)"))

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: Any) -> None:
        # The active pane's scrollable content takes the keys (arrows/page scroll it).
        pane = {"failure": "#diff-actual", "code": "#sample-code", "tests": "#sample-tests"}.get(event.pane.id or "")
        if pane and self.detail is not None:
            try:
                target = self.query_one(pane)
                if target.display:
                    target.focus()
            except Exception:  # noqa: BLE001 - nothing focusable there yet
                pass
