"""The command palette (``ctrl+p``): every app action and every run, by name.

Actions: launch (new, or a clone of the highlighted run), compare the selection, stop/resume/delete the highlighted
run(s), help, back to the runs list, quit. Runs: one entry per run, matched on its id, stage and status; choosing
one opens it (``app.open_run``). Read-only mode leaves out the actions that change runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from iotatui.store import ACTIVE, CRASHED, FAILED, QUEUED, STOPPED

Command = tuple[str, str, Callable[[], Any]]
"""(text shown and matched, help line, what choosing it does)."""

WRITE_ACTIONS = ("launch", "stop", "resume", "delete")
STOPPABLE = frozenset({QUEUED, *ACTIVE})
RESUMABLE = frozenset({STOPPED, CRASHED, FAILED})


def target_runs(screen: Screen[Any]) -> list[str]:
    """The runs an action on ``screen`` applies to: its selection, else its highlighted or shown run; [] if none.

    Screens say so through any of: ``selected_run_ids`` (a list, or a method returning one: the runs screen's
    space-selection or else its cursor row), ``run_id`` (a one-run screen), ``run_ids`` (a compare/eval screen), or
    a ``RunTable`` (its marked runs, else the run under its cursor)."""
    sel = getattr(screen, "selected_run_ids", None)
    if callable(sel):
        sel = sel()
    if sel:
        return [str(r) for r in sel]
    run_id = getattr(screen, "run_id", None)
    if isinstance(run_id, str) and run_id:
        return [run_id]
    run_ids = getattr(screen, "run_ids", None)
    if isinstance(run_ids, (list, tuple)) and run_ids:
        return [str(r) for r in run_ids]
    from iotatui.widgets.run_table import RunTable

    tables = screen.query(RunTable)
    if tables:
        table: Any = tables.first()
        targets = table.targets() if callable(getattr(table, "targets", None)) else []  # the marks, else the cursor
        if targets:
            return [str(r) for r in targets]
        if table.selected_run_id:
            return [table.selected_run_id]
    return []


class IotaCommands(Provider):
    """App actions and runs for Textual's command palette (registered in ``IotaApp.COMMANDS``)."""

    runs: list[dict[str, Any]]

    async def startup(self) -> None:
        # One bounded read of the runs table when the palette opens (ids, stages, statuses: a few KiB even for
        # thousands of runs); the palette must not wait for the follower's next pass to know the runs.
        self.runs = []
        ws = getattr(self.app, "ws", None)
        if ws is not None:
            try:
                self.runs = ws.store.list_runs()
            except Exception:  # noqa: BLE001 - a palette without runs beats a palette that does not open
                self.runs = []

    def commands(self) -> list[Command]:
        app: Any = self.app
        readonly = bool(getattr(app, "readonly", False))
        targets = target_runs(self.screen)
        which = ", ".join(targets[:3]) + (f" +{len(targets) - 3}" if len(targets) > 3 else "")
        out: list[Command] = []
        if not readonly:
            out.append(("Launch a new run", "Open the launcher (l)", app.open_launch))
            if len(targets) == 1:
                out.append((f"Clone {targets[0]} into the launcher", "Launch a copy with edited fields",
                            partial(app.open_launch, clone_of=targets[0])))
                out.append((f"Launch a child of {targets[0]}", "A run that builds on this one (its parent)",
                            partial(app.open_launch, parent=targets[0])))
        if targets:
            out.append((f"Compare {which}", "Curves overlaid and config diff (evals: problems by run)",
                        partial(app.open_compare, targets)))
            if not readonly:
                status = {r["id"]: r["status"] for r in self.runs}
                states = {status.get(t) for t in targets}
                for action, help_, when in (
                        ("stop", "SIGTERM, then SIGKILL after the grace period (asks first)", STOPPABLE),
                        ("resume", "Restart from the last checkpoint, same id", RESUMABLE),
                        ("delete", "Remove its rows and files (asks first)", None)):
                    if when is None or states & when:  # only what can apply: no "stop" for a finished run
                        out.append((f"{action.capitalize()} {which}", help_,
                                    partial(app.request_action, action, list(targets))))
        out.append(("Help: keys of this screen", "Every key of the current screen and the app (?)", app.action_help))
        if len(app.screen_stack) > 2:
            out.append(("Back to the runs list", "Close every screen above the runs table", self._home))
        out.append(("Quit (runs keep going)", "Leave the app; detached runs continue (q)", app.exit))
        return out

    def _home(self) -> None:
        app: Any = self.app
        while len(app.screen_stack) > 2:
            app.pop_screen()

    def run_commands(self) -> list[Command]:
        app: Any = self.app
        out: list[Command] = []
        for r in sorted(self.runs, key=lambda r: r.get("created") or 0, reverse=True):  # newest first
            text = f"Open {r['id']}  {r['stage']}  {r['status']}"
            out.append((text, f"parent {r['parent']}" if r.get("parent") else "run", partial(app.open_run, r["id"])))
        return out

    async def discover(self) -> Hits:
        for text, help_, callback in self.commands() + self.run_commands():
            yield DiscoveryHit(text, callback, help=help_)

    async def search(self, query: str) -> Hits:
        """Fuzzy matches; a query that is part of a run's id puts opening that run first (typing the highlighted
        run's id offered its actions first, Clone on top, so enter opened the launcher instead of the run)."""
        matcher = self.matcher(query)
        needle = query.strip().lower()
        ids = {str(r["id"]).lower() for r in self.runs} if needle else set()
        for text, help_, callback in self.commands() + self.run_commands():
            score = matcher.match(text)
            if score <= 0:
                continue
            if text.startswith("Open ") and needle and needle in text.split()[1].lower():
                score = 1.0 + score  # above any action naming the same run
            elif any(needle in i for i in ids):
                score = min(score, 0.99)
            yield Hit(score, matcher.highlight(text), callback, text=text, help=help_)
