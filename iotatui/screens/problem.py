"""One problem of an eval run: its samples grouped by verdict and, within a verdict, by error signature (the
normalised compile/runtime error) or first failing test. ``enter`` on a sample opens it; ``n`` shows the next run's
samples when several evals are compared."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static, Tree

from iotatui.evalview import SampleGroup, problem_info, problem_samples
from iotatui.messages import VerdictsReceived
from iotatui.screens.live import LiveScreen
from iotatui.widgets.eval_problems import run_label
from iotatui.widgets.eval_samples import SamplesTree

if TYPE_CHECKING:
    from iotatui.workspace import Workspace

RELOAD_S = 2.0
"""A live problem's groups are re-read at most this often (a thousand rows each time)."""


class ProblemScreen(LiveScreen):
    DEFAULT_CSS = """
    ProblemScreen #problem-head { height: auto; padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="problem.back", tooltip="Back to the problems table"),
        Binding("n", "next_run", "Next run", id="problem.next_run", tooltip="The same problem in the next run"),
    ]

    def __init__(self, ws: Workspace, run_ids: list[str], problem: str, index: int = 0) -> None:
        super().__init__()
        self.ws = ws
        self.run_ids = list(run_ids)
        self.problem = problem
        self.index = index
        self.groups: list[SampleGroup] = []
        self.pending = False
        self._reloaded_at = 0.0
        self._reload_timer: Any = None
        self._watch: Any = None

    @property
    def run_id(self) -> str:
        return self.run_ids[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="problem-head")
        yield SamplesTree(self.problem, id="problem-samples")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    def on_mount(self) -> None:
        self.reload()
        self.query_one(SamplesTree).focus()
        self._watch_run()

    def _watch_run(self) -> None:
        """New verdicts of this problem while the eval runs: the groups are re-read (at most every RELOAD_S)."""
        if getattr(self.app, "follower", None) is None:
            return
        # Rows can only come after the newest id in the table (an O(1) read, unlike this run's own maximum).
        newest = self.ws.store.max_id("verdicts")
        self._watch = self.follow(run_id=self.run_id, kinds=("verdicts",), verdicts_after=newest)

    def _unwatch(self) -> None:
        self.unfollow(self._watch)
        self._watch = None

    @on(VerdictsReceived)
    def _verdicts(self, msg: VerdictsReceived) -> None:
        msg.stop()
        if msg.run_id != self.run_id or not any(r["problem"] == self.problem for r in msg.rows):
            return
        self.pending = True
        if self._reload_timer is None:
            wait = max(0.0, RELOAD_S - (time.monotonic() - self._reloaded_at))
            self._reload_timer = self.set_timer(wait, self._reload_pending)

    def _reload_pending(self) -> None:
        self._reload_timer = None
        if self.pending:
            self.reload()

    def reload(self) -> None:
        """One problem's verdicts (about a thousand rows: a bounded read, on the UI thread)."""
        conn = self.ws.store.conn
        self.groups = problem_samples(conn, self.run_id, self.problem)
        run = self.ws.store.get_run(self.run_id) or {}
        meta = problem_info(conn, (run.get("config") or {}).get("problems")).get(self.problem) or {}
        n = sum(len(g.samples) for g in self.groups)
        ok = sum(len(g.samples) for g in self.groups if g.verdict == "OK")
        head = Text()
        head.append(self.problem, style="bold")
        if meta.get("cf_rating") or meta.get("difficulty"):
            head.append(f"  rating {meta.get('cf_rating') or '-'} · {meta.get('difficulty') or '?'}")
        runs = f"  run {run_label(self.index)} of {len(self.run_ids)}:" if len(self.run_ids) > 1 else "  run"
        head.append(f"{runs} {self.run_id}")
        head.append(f"\n{n} samples · {ok} pass every test ({100 * ok / n if n else 0:.1f} %) · "
                    f"{len(self.groups)} groups by verdict and error")
        self.query_one("#problem-head", Static).update(head)
        self.query_one(SamplesTree).show_groups(self.groups)
        self.pending = False
        self._reloaded_at = time.monotonic()

    def _open(self, sample_id: str | None) -> None:
        if sample_id is None:
            return
        from iotatui.screens.sample import SampleScreen

        self.app.push_screen(SampleScreen(self.ws, self.run_id, sample_id))

    @on(Tree.NodeSelected, "#problem-samples")
    def _selected(self, event: Tree.NodeSelected[Any]) -> None:
        event.stop()
        self._open(event.node.data)

    def action_open(self) -> None:
        node = self.query_one(SamplesTree).cursor_node
        if node is None:
            return
        if node.data is None:
            node.toggle()
        else:
            self._open(node.data)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_run":
            return len(self.run_ids) > 1
        return True

    def action_next_run(self) -> None:
        self._unwatch()
        self.index = (self.index + 1) % len(self.run_ids)
        self.query_one(SamplesTree).clear()  # another run's groups: nothing to keep open
        self.reload()
        self._watch_run()
