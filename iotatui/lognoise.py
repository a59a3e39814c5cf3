"""Folding repeated library noise in a run's log, without Textual (stdlib only): ``iotatui logs`` (unless
``--raw``) shows a run of lines that differ only in numbers, names and quoted values as its first line and a count.

vLLM prints dozens of ``Attempted to load weight (torch.Size([64, 32])) ... dtype`` lines per model and tqdm a line
per tick; the stage's own lines (``3 problems x 1 language(s) x 4 samples = 12``, ``sampling with vllm on cpu``)
drown in them. Two lines are alike when their *shape* is: digits, quoted strings, bracketed and dotted names
(``model.layers.0.mlp``), hex and paths replaced by placeholders. Folding is streaming (:class:`Folder`): the first
line of a run is printed at once, the rest are held and come out as one count line when something else comes (one
alike line comes out as itself: a pair is not noise).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_FOLD = 3
"""A run of at least this many alike lines is folded (the first line and a count)."""
_SHAPES = (
    (re.compile(r"\x1b\[[0-9;]*[A-Za-z]"), ""),  # terminal colours
    (re.compile(r"'[^']*'|\"[^\"]*\""), "'…'"),
    (re.compile(r"\|[^|]*\|"), "|…|"),  # a progress bar (tqdm)
    (re.compile(r"\([^()]*\)|\[[^\[\]]*\]"), "(…)"),
    (re.compile(r"(?:/[\w.\-]+)+"), "/…"),
    (re.compile(r"\b\w+(?:\.\w+)+\b"), "…"),
    (re.compile(r"0x[0-9a-fA-F]+"), "#"),
    (re.compile(r"\d+"), "#"),
    (re.compile(r"\s+"), " "),
)
_EVENT = re.compile(r"^\[\d\d:\d\d:\d\d \w+\] ")
"""A line of the store's own log events (``[12:00:01 info] …``): the stage speaking, never folded."""


def shape(line: str) -> str:
    """The line with what varies between alike lines replaced by placeholders (a second pass for nested brackets)."""
    out = line
    for pat, rep in _SHAPES:
        out = pat.sub(rep, out)
        if rep == "(…)":
            out = pat.sub(rep, out)
    return out.strip()


def fold_line(more: int) -> str:
    return f"  ⋯ {more} more line{'s' if more != 1 else ''} like the one above (--raw shows them)"


class Folder:
    """Feed lines (``feed``), get what to print; ``flush`` at the end gives what is still held."""

    def __init__(self, min_fold: int = MIN_FOLD) -> None:
        self.min_fold = max(2, min_fold)
        self._shape: str | None = None
        self._held: list[str] = []
        self.folded = 0
        """Lines left out so far (the count lines stand for them)."""

    def feed(self, lines: Iterable[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            sh = None if not line.strip() or _EVENT.match(line) else shape(line)
            if sh is not None and sh == self._shape:
                self._held.append(line)
                continue
            out += self.flush()
            out.append(line)
            self._shape = sh
        return out

    def flush(self) -> list[str]:
        """The held lines: themselves when too few to fold, else one count line."""
        held, self._held = self._held, []
        if len(held) + 1 < self.min_fold:
            return held
        self.folded += len(held)
        return [fold_line(len(held))]


def fold(lines: Iterable[str], min_fold: int = MIN_FOLD) -> list[str]:
    """Every line, runs of alike ones folded to their first line and a count."""
    f = Folder(min_fold)
    return f.feed(lines) + f.flush()


def event_lines(text: str) -> list[str]:
    """The store's own log event lines in ``text`` (the stage's ``run.log`` lines and its lifecycle), as
    ``12:00:01 text``: what a stage says about its progress, without the libraries' output."""
    out = []
    for line in text.splitlines():
        if _EVENT.match(line):
            stamp, _, rest = line[1:].partition("] ")
            out.append(f"{stamp.split()[0]} {rest}")
    return out
