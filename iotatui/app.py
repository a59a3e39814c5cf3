"""The Textual app shell. It only watches: runs are detached processes that outlive it (q leaves them going),
and reopening re-attaches by reading the store. Screens and widgets live in their own modules; actions on a run
(stop, resume) are the app's, asked for with a ``RunActionRequested`` message from any screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding

from iotatui.messages import RunActionRequested
from iotatui.screens.runs import RunsScreen

if TYPE_CHECKING:
    from iotatui.supervisor import Workspace


class IotaApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "iotatui"
    BINDINGS = [
        Binding("q", "quit", "Quit (runs keep going)", id="quit", tooltip="Quit the app; runs keep running"),
    ]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.sub_title = str(ws.home)

    def on_mount(self) -> None:
        self.push_screen(RunsScreen(self.ws))

    @on(RunActionRequested)
    def _run_action_requested(self, msg: RunActionRequested) -> None:
        if msg.action == "stop":
            self.notify(f"stopping {msg.run_id}…")
        self.act(msg.action, msg.run_id)

    @work(thread=True, name="act", group="actions", exit_on_error=False)
    def act(self, action: str, run_id: str) -> None:
        """``stop`` or ``resume`` off the UI thread (a stop waits out the grace period), on its own connection."""
        from iotatui import supervisor

        ws = supervisor.Workspace(self.ws.home)
        try:
            run = {"stop": supervisor.stop, "resume": supervisor.resume}[action](ws, run_id)
            self.call_from_thread(self.notify, f"{run_id}: {run['status']}")
        except Exception as e:  # noqa: BLE001 - shown to the user, not fatal to the app
            self.call_from_thread(self.notify, str(e), severity="error")
        finally:
            ws.close()


def make_app(ws: Workspace) -> IotaApp:
    """The factory the CLI and the tests share (settings passed in, no module globals)."""
    return IotaApp(ws)
