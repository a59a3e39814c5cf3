"""A checkbox whose state is in its text: ``[x] label`` / ``[ ] label``.

Textual's ``Checkbox`` draws ``▐X▌`` ticked or not and tells them apart by colour alone, which ``NO_COLOR`` (and
some themes) turns grey on grey: a newcomer queued a grid believing the box was ticked. This one is a ``Checkbox``
(the same messages, keys and ``value``) that writes ``x`` or a space.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    DEFAULT_CSS = """
    TickBox { width: auto; border: none; padding: 0 1; height: 1; }
    TickBox:focus { text-style: bold reverse; }
    """

    @property
    def _button(self) -> Content:
        return Content.assemble(("[x]" if self.value else "[ ]", self.get_visual_style("toggle--button")))
