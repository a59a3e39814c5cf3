"""The Textual app shell. It only watches: runs are detached processes that outlive it (q leaves them going),
and reopening re-attaches by reading the store. Screens and widgets live in their own modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

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


def make_app(ws: Workspace) -> IotaApp:
    """The factory the CLI and the tests share (settings passed in, no module globals)."""
    return IotaApp(ws)
