"""A problem's samples as a tree: one node per (verdict, error signature) group, biggest failing groups first, the
samples as leaves (their data is the sample id)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree

from iotatui.evalview import SHORT, SampleGroup

VERDICT_STYLE = {"OK": "bold green", "WRONG_ANSWER": "red", "TIME_LIMIT": "yellow", "MEMORY_LIMIT": "yellow",
                 "RUNTIME_ERROR": "magenta", "COMPILE_ERROR": "bold red", "SANDBOX_ERROR": "dim"}
LEAVES_MAX = 500
"""Samples listed per group (a group of 1000 identical failures says all it can in its first few hundred)."""


class SamplesTree(Tree[Any]):
    # Tree's own enter binding is hidden from the footer: shown here under the problem screen's binding id.
    BINDINGS = [Binding("enter", "select_cursor", "Open", id="problem.open",
                        tooltip="Open the sample / expand or collapse the group")]
    DEFAULT_CSS = """
    SamplesTree { height: 1fr; }
    """

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.show_root = False

    def show_groups(self, groups: Sequence[SampleGroup]) -> None:
        """(Re)build the tree; groups open before stay open and the cursor stays on its sample or group."""
        cursor = self.cursor_node
        keep_data = cursor.data if cursor is not None else None
        keep_group = self._group_key(cursor.parent if cursor is not None and cursor.data else cursor)
        opened = {self._group_key(n) for n in self.root.children if n.is_expanded}
        first = not self.root.children
        self.clear()
        target = None
        for i, g in enumerate(groups):
            label = Text()
            label.append(f"{SHORT.get(g.verdict, g.verdict):<4}", style=VERDICT_STYLE.get(g.verdict, ""))
            label.append(f" {len(g.samples):>4}  {g.signature}")
            key = (g.verdict, g.signature)
            node = self.root.add(label, data=None, expand=(i == 0) if first else key in opened)
            node.group_key = key  # type: ignore[attr-defined]
            if key == keep_group and keep_data is None:
                target = node
            for s in g.samples[:LEAVES_MAX]:
                fail = f"  first fails test {s.fail_test}" if s.fail_test is not None else ""
                leaf = node.add_leaf(f"{s.sample_id}  {s.language or '?'}{fail}", data=s.sample_id)
                if keep_data is not None and s.sample_id == keep_data:
                    target = leaf
            if len(g.samples) > LEAVES_MAX:
                node.add_leaf(Text(f"… {len(g.samples) - LEAVES_MAX} more", style="dim"), data=None)
        if target is not None:
            self.call_after_refresh(self.move_cursor, target)  # lines exist once the tree has been laid out
        else:
            self.cursor_line = 0

    @staticmethod
    def _group_key(node: Any) -> Any:
        return getattr(node, "group_key", None)
