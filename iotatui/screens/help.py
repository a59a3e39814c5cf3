"""``?``: every key of the screen it was opened from, built from that screen's live bindings (never a hand-written
list), so a binding hidden by ``check_action`` (read-only mode) is left out and a key remapped in ``settings.toml
[keys]`` shows as remapped, with its binding id to remap it by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static


@dataclass(frozen=True)
class KeyRow:
    """One action of the help table: the key(s) now bound, what it does, where it lives, how to remap it."""

    keys: str
    """The key(s) as the footer writes them (``^p``, ``?``), comma-separated when several."""
    description: str
    binding_id: str
    """The id to use in ``settings.toml [keys]``; "" when the binding has none (Textual's own widgets)."""
    default: str
    """The key(s) the code binds when ``keys`` was remapped; "" when not remapped."""
    scope: str
    """"screen", "app" or the focused widget's class name."""


def _default_keys(node: DOMNode, binding: Binding) -> list[str]:
    """The keys the class binds this binding to before any keymap (the class's merged bindings, unremapped)."""
    merged = type(node)._merged_bindings
    if merged is None or binding.id is None:
        return []
    return [key for key, bs in merged.key_to_bindings.items() for b in bs if b.id == binding.id]


@dataclass
class _Group:
    node: DOMNode
    binding: Binding
    scope: str
    keys: list[str]
    display: list[str]


def key_rows(screen: Screen[Any]) -> list[KeyRow]:
    """The keys active on ``screen`` now (its focused widget's, its own and the app's), screen first, app last."""
    app = screen.app
    groups: dict[tuple[int, str, str], _Group] = {}
    # One row per binding id (its keys together); bindings without an id (Textual's own, e.g. ctrl+q) by action
    # and description, never merged into one of ours that shares an action name.
    for key, active in screen.active_bindings.items():
        b, node = active.binding, active.node
        scope = "app" if node is app else "screen" if node is screen else type(node).__name__
        group = (id(node), f"id:{b.id}", "") if b.id else (id(node), f"action:{b.action}", b.description)
        g = groups.setdefault(group, _Group(node, b, scope, [], []))
        g.keys.append(key)
        g.display.append(app.get_key_display(b))
    rows: list[KeyRow] = []
    for g in groups.values():
        b = g.binding
        default = _default_keys(g.node, b)
        remapped = bool(default) and sorted(default) != sorted(g.keys)
        default_display = ", ".join(app.get_key_display(Binding(k, b.action)) for k in default) if remapped else ""
        rows.append(KeyRow(", ".join(g.display), b.description or b.action, b.id or "", default_display, g.scope))
    order = {"screen": 0, "app": 2}
    return sorted(rows, key=lambda r: order.get(r.scope, 1))


class HelpScreen(Screen[None]):
    """The keys of the screen it was opened from (rows computed before it was pushed: ``HelpScreen.of(screen)``)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="help.back", tooltip="Back to the screen you came from"),
        Binding("question_mark", "app.pop_screen", "Close help", id="help.close", show=False),
    ]

    def __init__(self, rows: list[KeyRow], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    @classmethod
    def of(cls, screen: Screen[Any]) -> HelpScreen:
        name = getattr(screen, "HELP_TITLE", None) or type(screen).__name__.removesuffix("Screen") or "app"
        return cls(key_rows(screen), f"Keys of {name}")

    def compose(self) -> ComposeResult:
        remapped = any(r.default for r in self.rows)
        yield Static(f"[b]{escape(self.title_text)}[/]   remap by id: settings.toml \\[keys] "
                     '"runs.stop" = "x"', id="help-title")
        table: DataTable[str] = DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        table.add_columns("key", "action", "id", *(["default"] if remapped else []), "from")
        for r in self.rows:
            table.add_row(r.keys, r.description, r.binding_id or "-", *([r.default] if remapped else []), r.scope)
        yield table
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
