"""The eval screen's headline: per run its status and generation progress, then solved, compile rate and pass@k
with 95 % bootstrap intervals (over problems); with two or more runs, which problems one solves and the other not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from iotatui.evalmetrics import mcnemar_exact
from iotatui.evalview import Interval, ProgressClock, RunAgg, Summary, expected_problems, progress_text, solved_by
from iotatui.widgets.eval_problems import run_label

STATUS_STYLE = {"running": "bold green", "finished": "bold", "failed": "bold red", "crashed": "bold red",
                "stopped": "yellow", "queued": "dim", "starting": "green", "stopping": "yellow"}


def pct(iv: Interval, digits: int = 1) -> str:
    return f"{100 * iv.value:.{digits}f}% [{100 * iv.lo:.{digits}f}–{100 * iv.hi:.{digits}f}]"


def summary_parts(s: Summary, of: int | None, compact: bool) -> list[str]:
    total = max(of or 0, s.problems)
    parts = [f"solved {s.solved.value:.0f}/{total} [{s.solved.lo:.0f}–{s.solved.hi:.0f}]"]
    if s.compile_rate is not None:
        parts.append(f"compile {pct(s.compile_rate)}" if not compact else f"compile {100 * s.compile_rate.value:.1f}%")
    for k, iv in list(s.pass_at_k.items())[:2 if compact else None]:  # compact: one line per run at 80 columns
        cover = f" ({iv.problems}/{total} problems)" if iv.problems < total else ""
        parts.append(f"pass@{k} {pct(iv)}{cover}" if not compact else f"pass@{k} {100 * iv.value:.1f}%")
    return parts


class EvalSummary(Static):
    DEFAULT_CSS = """
    EvalSummary { height: auto; padding: 0 1; background: $boost; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last: tuple[str, tuple[Any, ...]] | None = None
        self._lines = -1

    def show(self, runs: Sequence[Mapping[str, Any]], aggs: Sequence[RunAgg], tokens: Mapping[str, float],
             clocks: Mapping[str, ProgressClock], now: float | None = None,
             labels: Sequence[str] = (), versus: Sequence[str] = (),
             roofline: Mapping[str, float] | None = None) -> None:
        """``roofline``: each run's latest sampler share of the machine's roofline; ``labels``: each run's lineage
        with what differs (``sft→dpo[beta=0.5]→eval``), shown beside its id;
        ``versus``: learn rows (a learned model's eval against its SFT's), one line each."""
        several = len(aggs) > 1
        rows: list[list[Text]] = []  # logical lines, as atoms that are never split
        for i, (run, agg) in enumerate(zip(runs, aggs, strict=True)):
            s = agg.summary(compute=False)  # the screen recomputes due summaries off the UI thread
            status = str(run.get("status", "?"))
            head = Text()
            if several:
                head.append(f"{run_label(i)} ", style="bold reverse")
                head.append(" ")
            head.append(str(run.get("id", agg.run_id)), style="bold")
            head.append(f" {status}", style=STATUS_STYLE.get(status, ""))
            if i < len(labels) and "→" in labels[i]:  # a lineage, not just "eval"
                head.append(f"  {labels[i]}", style="italic")
            progress = progress_text(run, tokens.get(agg.run_id), clocks[agg.run_id], now,
                                     (roofline or {}).get(agg.run_id)).split(" · ")
            rows.append([head, *(Text(p) for p in progress)])
            rows.append([Text(p) for p in summary_parts(s, expected_problems(run), compact=several)])
        for line in versus:
            rows.append([Text(line, style="bold")])
        if several:
            only_a, only_b = solved_by(aggs[0], aggs[1])
            rows.append([Text(f"A vs B: only A solves {only_a}, only B solves {only_b}", style="italic"),
                         Text(f"(exact McNemar p = {mcnemar_exact(only_a, only_b):.3g})", style="italic")])
        # Packed to the width here, so the line count is known: an update that keeps it skips the screen's layout.
        width = max(20, self.size.width - 2) if self.size.width else 78  # not laid out yet: 80 columns
        lines = [line for atoms in rows for line in pack(atoms, width)]
        text = Text("\n").join(lines)
        key = (text.plain, tuple(text.spans))
        if key != self._last:  # an unchanged headline is not redrawn
            self._last = key
            self.update(text, layout=len(lines) != self._lines)
            self._lines = len(lines)


def pack(atoms: Sequence[Text], width: int, sep: str = "  ") -> list[Text]:
    """Atoms joined by ``sep`` into lines of at most ``width`` cells (an atom wider than that is cut)."""
    out: list[Text] = []
    line = Text()
    for atom in atoms:
        if len(atom) > width:
            atom = atom.copy()
            atom.truncate(width, overflow="ellipsis")
        if line.plain and len(line) + len(sep) + len(atom) > width:
            out.append(line)
            line = Text()
        if line.plain:
            line.append(sep)
        line.append_text(atom)
    out.append(line)
    return out
