"""Plain text tables and blocks for the CLI that fit a width (80 columns by default; ``--wide`` for everything).
Stdlib only: ``iotatui runs`` imports this in watch loops.

A table's columns are kept in order while they fit; a column marked ``cut`` gives up characters first (its cells end
in ``…``), then the rightmost optional columns are left out and named in a last line (``--wide`` shows them). Ids
and other ``keep`` columns are never cut: every command takes them as they are printed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 80
GAP = "  "


@dataclass(frozen=True)
class Column:
    name: str
    keep: bool = False
    """Never cut, never left out (an id)."""
    cut: int = 0
    """> 0: may be cut down to this many characters (the metric, a lineage) before columns are left out."""


def fit_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None = WIDTH,
              what: str = "--wide") -> list[str]:
    """The table as lines of at most ``width`` characters (None: no limit), and a note of the columns left out."""
    cols = list(columns)
    cells = [list(r) for r in rows]

    def natural(i: int) -> int:
        return max([len(cols[i].name)] + [len(r[i]) for r in cells])

    widths = [natural(i) for i in range(len(cols))]
    shown = list(range(len(cols)))
    if width is not None:
        def total() -> int:
            return sum(widths[i] for i in shown) + len(GAP) * (len(shown) - 1)

        for i in shown:  # cut the cuttable columns first, as far as each allows
            if total() > width and cols[i].cut:
                widths[i] = max(cols[i].cut, widths[i] - (total() - width))
        while total() > width:  # then leave out the rightmost optional column
            drop = next((i for i in reversed(shown) if not cols[i].keep), None)
            if drop is None:
                break
            shown.remove(drop)
    out = [GAP.join(cols[i].name.ljust(widths[i]) for i in shown).rstrip()]
    for r in cells:
        out.append(GAP.join(_cut(r[i], widths[i]).ljust(widths[i]) for i in shown).rstrip())
    left = [cols[i].name for i in range(len(cols)) if i not in shown]
    if left:
        out.append(f"({what} shows {', '.join(left)})")
    return out


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def wrap(line: str, width: int | None = WIDTH, indent: int = 4) -> list[str]:
    """``line`` in lines of at most ``width`` (continuations indented; a word longer than that, a path, stays whole
    on its own line: it is copied, not read)."""
    if width is None or len(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    return textwrap.wrap(line.lstrip(" "), width, initial_indent=" " * lead, subsequent_indent=" " * (lead + indent),
                         break_long_words=False, break_on_hyphens=False) or [line]
