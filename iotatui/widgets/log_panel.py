"""Tail of a run's log, appended as it grows."""

from __future__ import annotations

from textual.widgets import RichLog


class LogPanel(RichLog):
    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(max_lines=2000, wrap=False, highlight=False, markup=False, **kwargs)
        self.text_seen = ""

    def append(self, text: str) -> None:
        self.text_seen = (self.text_seen + text)[-20000:]
        for line in text.rstrip("\n").split("\n"):
            self.write(line)
