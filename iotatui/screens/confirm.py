"""A yes/no question as a modal, answered by keyboard (y/enter: yes, n/escape: no); dismisses with the answer.

Self-contained (its CSS is DEFAULT_CSS, as a reusable modal's should be): the app asks it before stop and delete.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmModal(ModalScreen[bool]):
    """``push_screen(ConfirmModal("Stop x?"), callback)``: the callback gets True (y/enter) or False (n/escape)."""

    DEFAULT_CSS = """
    ConfirmModal {
        align: center middle;
    }
    ConfirmModal > #confirm-box {
        width: auto;
        max-width: 76;
        min-width: 30;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmModal #confirm-question {
        width: auto;
        max-width: 72;
    }
    ConfirmModal #confirm-keys {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Do it"),
        Binding("enter", "answer(True)", "Yes", id="confirm.enter", show=False),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="Leave it as it is"),
        Binding("escape", "answer(False)", "No", id="confirm.escape", show=False),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            text = f"[b]{escape(self.question)}[/]" + (f"\n{escape(self.detail)}" if self.detail else "")
            yield Static(text, id="confirm-question")
            yield Static("[b]y[/]/enter yes   [b]n[/]/esc no", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
