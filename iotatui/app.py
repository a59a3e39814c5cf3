"""The Textual app shell. It only watches: runs are detached processes that outlive it (q leaves them going),
and reopening re-attaches by reading the store. Screens and widgets live in their own modules.

The shell owns what cuts across screens: which screen a run opens in (``open_run``/``open_compare``/``open_launch``),
actions on runs (``request_action``: stop and delete ask first, everything runs off the UI thread, read-only mode
refuses), the help screen (``?``), the command palette (``ctrl+p``, :mod:`iotatui.palette`), and the keymap from
``settings.toml [keys]``. Screens other helpers own are imported lazily, so the app runs while one is missing.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from iotatui.follower import Follower
from iotatui.messages import RunActionRequested
from iotatui.palette import IotaCommands
from iotatui.screens.runs import RunsScreen

if TYPE_CHECKING:
    from iotatui.supervisor import Workspace

RUN_ACTIONS = ("stop", "resume", "delete")
ASK_FIRST = {"stop": "SIGTERM now, SIGKILL after the grace period; resume it later with r.",
             "delete": "Removes its rows and its run directory (checkpoints, logs) for good."}
WRITE_ACTIONS = frozenset({"launch", *RUN_ACTIONS})
"""What read-only mode (``--readonly``) refuses: anything that starts, stops or removes runs."""
READONLY_KEYS = frozenset({"launch", "launch_new", "child", "queue", *RUN_ACTIONS})
"""Screen actions hidden in read-only mode whose key then says so (it did nothing and said nothing)."""


class IotaApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "iotatui"
    COMMANDS = App.COMMANDS | {IotaCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit the app; runs keep running"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key of this screen, with its id"),
        Binding("l", "launch", "Launch", id="launch", tooltip="Open the launcher: a stage, a preset, a grid"),
        # Our own palette binding (with an id, so it can be remapped): Textual then adds none of its own.
        Binding("ctrl+p", "command_palette", "Palette", id="palette", show=False, priority=True,
                tooltip="Every action and every run by name"),
    ]

    def __init__(self, ws: Workspace, readonly: bool = False) -> None:
        super().__init__()
        self.ws = ws
        self.readonly = readonly
        """``--readonly``: launch, stop, resume and delete are refused (and hidden from footers and the palette)."""
        self.sub_title = str(ws.home) + ("  (read-only)" if readonly else "")
        # Created here, started on mount: screens mounted first may already watch.
        self.follower = Follower(ws.home, ws.settings.refresh_s)

    def on_mount(self) -> None:
        if self.ws.settings.keys:  # checked by make_app; applied before the first screen shows its footer
            self.set_keymap(dict(self.ws.settings.keys))
        self.follow()
        self.push_screen(RunsScreen(self.ws))

    def on_unmount(self) -> None:
        self.follower.stop()

    @work(thread=True, exclusive=True, name="follow", group="store", exit_on_error=False)
    def follow(self) -> None:
        """The one store follower (``iotatui.follower``): reads what is new and posts it to the watching screens."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        self.follower.run(lambda: worker.is_cancelled)

    # -- where things open -------------------------------------------------------------------------------------------
    def _screen_class(self, module: str, name: str) -> Any:
        """A screen class of another module, imported on first use; None (and a notice) when it is not there."""
        try:
            return getattr(importlib.import_module(f"iotatui.screens.{module}"), name)
        except (ImportError, AttributeError) as e:
            self.notify(f"{name} is not available ({e})", severity="warning")
            return None

    def open_run(self, run_id: str) -> None:
        """The run's own screen: a run with verdicts (eval, judge, ...: ``runview.has_problem_view``) opens the eval
        screen, any other the run detail."""
        from iotatui.runview import has_problem_view

        run = self.ws.store.get_run(run_id)
        if run is None:
            self.notify(f"no run {run_id}", severity="error")
            return
        if has_problem_view(run, self.ws.store):
            cls = self._screen_class("eval", "EvalScreen")
            if cls is not None:
                self.push_screen(cls(self.ws, [run_id]))
            return
        cls = self._screen_class("run_detail", "RunDetailScreen")
        if cls is not None:
            self.push_screen(cls(self.ws, run_id))

    def open_compare(self, run_ids: Sequence[str]) -> None:
        """Judged runs side by side (problems x runs) when every run has verdicts, else curves overlaid and the
        config diff."""
        ids = list(dict.fromkeys(run_ids))
        if not ids:
            self.notify("select runs to compare first (space)", severity="warning")
            return
        from iotatui.runview import has_problem_view

        runs = [self.ws.store.get_run(r) for r in ids]
        if all(r is not None and has_problem_view(r, self.ws.store) for r in runs):
            cls = self._screen_class("eval", "EvalScreen")
        else:
            cls = self._screen_class("compare", "CompareScreen")
        if cls is not None:
            self.push_screen(cls(self.ws, ids))

    def open_launch(self, clone_of: str | None = None, parent: str | None = None) -> None:
        """The launcher, blank, as a copy of ``clone_of`` to edit, or for a child of ``parent``."""
        if self.readonly:
            self.notify("read-only (--readonly): launching is off", severity="warning")
            return
        cls = self._screen_class("launch", "LaunchScreen")
        if cls is not None:
            self.push_screen(cls(self.ws, clone_of, parent))

    def open_child(self, run_id: str | None) -> None:
        """The launcher for a run that builds on ``run_id``: the stage that usually follows it, its preset
        (:func:`iotatui.launchplan.child_plan`). An eval or judge run has no next stage: said, not opened."""
        from iotatui.launchplan import NEXT_STAGE

        if not run_id:
            self.notify("no run to build on: highlight one", severity="warning")
            return
        run = self.ws.store.get_run(run_id)
        if run is None:
            self.notify(f"no run {run_id}", severity="error")
            return
        if run["stage"] not in NEXT_STAGE:
            self.notify(f"nothing builds on a {run['stage']} run (l copies it, L starts a new one)", severity="warning")
            return
        self.open_launch(parent=run_id)

    # -- actions on runs ---------------------------------------------------------------------------------------------
    def request_action(self, action: str, run_ids: Sequence[str] | str) -> None:
        """``stop``/``resume``/``delete`` the runs: stop and delete ask first; refused in read-only mode; run off the
        UI thread (a stop waits out the grace period), each result notified, the follower woken."""
        ids = [run_ids] if isinstance(run_ids, str) else list(dict.fromkeys(run_ids))
        if action not in RUN_ACTIONS:
            self.notify(f"unknown action {action!r} (known: {', '.join(RUN_ACTIONS)})", severity="error")
            return
        if self.readonly:
            self.notify(f"read-only (--readonly): {action} is off", severity="warning")
            return
        if not ids:
            self.notify(f"no run to {action}: highlight or select one", severity="warning")
            return
        if action == "stop":  # ask only about runs that can be stopped
            from iotatui.store import ACTIVE, QUEUED

            ids = [r for r in ids if (self.ws.store.get_run(r) or {}).get("status") in (QUEUED, *ACTIVE)]
            if not ids:
                self.notify("nothing to stop: it has ended already (r resumes it)", severity="warning")
                return
        if action not in ASK_FIRST:
            self.act(action, ids)
            return
        from iotatui.screens.confirm import ConfirmModal

        what = ids[0] if len(ids) == 1 else f"{len(ids)} runs ({', '.join(ids[:3])}{' …' if len(ids) > 3 else ''})"

        def answered(yes: bool | None) -> None:
            if yes:
                self.act(action, ids)

        self.push_screen(ConfirmModal(f"{action.capitalize()} {what}?", ASK_FIRST[action]), answered)

    @on(RunActionRequested)
    def _run_action_requested(self, msg: RunActionRequested) -> None:
        self.request_action(msg.action, [msg.run_id])

    @work(thread=True, name="act", group="actions", exit_on_error=False)
    def act(self, action: str, run_ids: Sequence[str] | str) -> None:
        """Do ``action`` on each run, off the UI thread, on this thread's own connection; notify each result."""
        from iotatui import supervisor

        ids = [run_ids] if isinstance(run_ids, str) else list(run_ids)
        ws = supervisor.Workspace(self.ws.home)
        try:
            fn = getattr(supervisor, action, None)
            if action not in RUN_ACTIONS or fn is None:
                self.call_from_thread(self.notify, f"{action} is not available", severity="error")
                return
            for run_id in ids:
                if action == "stop":
                    self.call_from_thread(self.notify, f"stopping {run_id}…")
                try:
                    run = fn(ws, run_id)
                    done = "deleted" if action == "delete" else run["status"]
                    self.call_from_thread(self.notify, f"{run_id}: {done}")
                except Exception as e:  # noqa: BLE001 - shown to the user, not fatal to the app
                    self.call_from_thread(self.notify, f"{action} {run_id}: {e}", severity="error")
                self.follower.wake()
        finally:
            ws.close()
            self.follower.wake()

    # -- app keys --------------------------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """Read-only mode: a key whose action is hidden (stop, launch, ...) says why nothing happens."""
        if not self.readonly:
            return
        for node in (self.screen, self):
            for b in node._bindings.key_to_bindings.get(event.key, ()):
                action = b.action.split("(", 1)[0].removeprefix("app.")
                if action in READONLY_KEYS:
                    self.notify(f"read-only (--readonly): {action.replace('_', ' ')} is off", severity="warning")
                    event.stop()
                    return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only mode hides launch from the footer (and refuses it)."""
        if self.readonly and action in WRITE_ACTIONS:
            return False
        return True

    def action_launch(self) -> None:
        self.open_launch()

    def action_help(self) -> None:
        from iotatui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.of(self.screen))


# -- the keymap from settings.toml [keys] -----------------------------------------------------------------------------
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")


def binding_ids() -> dict[str, str]:
    """Every binding id the app and its screens and widgets declare -> its default key(s). Imports every module of
    ``iotatui.screens`` and ``iotatui.widgets`` (a missing or broken one is skipped: it cannot be remapped then)."""
    import iotatui.screens
    import iotatui.widgets

    classes: list[type] = [IotaApp]
    for pkg in (iotatui.screens, iotatui.widgets):
        for mod in pkgutil.iter_modules(pkg.__path__):
            try:
                m = importlib.import_module(f"{pkg.__name__}.{mod.name}")
            except Exception:  # noqa: BLE001, S112 - a screen being written must not break the keymap check
                continue
            classes += [c for c in vars(m).values() if isinstance(c, type) and issubclass(c, DOMNode)]
    out: dict[str, str] = {}
    for cls in classes:
        for klass in cls.__mro__:
            for b in vars(klass).get("BINDINGS", ()):
                if isinstance(b, Binding) and b.id:
                    out.setdefault(b.id, b.key)
    return out


def _known_key(key: str) -> bool:
    from textual.keys import Keys

    *mods, name = key.strip().split("+")
    if any(m not in _MODIFIERS for m in mods) or not name:
        return False
    if len(name) == 1 or name in {k.value for k in Keys} or name in ("space", "tab", "enter", "escape"):
        return True
    try:
        unicodedata.lookup(name.replace("_", " "))  # Textual's names for characters: question_mark, full_stop
        return True
    except KeyError:
        return False


def check_keymap(keys: dict[str, str], origin: Path | str = "settings.toml") -> None:
    """``[keys]`` against the bindings that exist: an unknown id or key name is ValueError, one line naming the
    file (the CLI prints it and exits 2 before the app starts)."""
    known = binding_ids()
    for bid, key in keys.items():
        if bid not in known:
            close = difflib.get_close_matches(bid, list(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(f"{origin}: keys: no binding has id {bid!r} ({hint}`?` in the app lists every id)")
        for k in key.split(","):
            if not _known_key(k):
                raise ValueError(f"{origin}: keys: {bid}: {k.strip()!r} is not a key name (like x, f2, ctrl+s, "
                                 f"question_mark)")


def make_app(ws: Workspace, readonly: bool = False) -> IotaApp:
    """The factory the CLI and the tests share (settings passed in, no module globals). A bad ``[keys]`` table is
    ValueError here, before anything is drawn."""
    if ws.settings.keys:
        check_keymap(ws.settings.keys, ws.home / "settings.toml")
    return IotaApp(ws, readonly=readonly)
