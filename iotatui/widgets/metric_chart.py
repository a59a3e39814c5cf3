"""A live line chart of one metric of a run (plotext), fed incrementally with new rows."""

from __future__ import annotations

from collections import defaultdict

from textual_plotext import PlotextPlot

from iotatui.runview import headline_metric


class MetricChart(PlotextPlot):
    """Keeps every series of the run; shows one key at a time (``next_key`` cycles)."""

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.series: dict[str, dict[int, float]] = defaultdict(dict)
        self.key: str | None = None

    def add_rows(self, rows: list[tuple[int, int, str, float | None]]) -> None:
        for _, step, key, value in rows:
            if value is not None:
                self.series[key][step] = value  # a resumed run re-logs steps: last value wins
        if self.key is None and self.series:
            head = headline_metric(dict.fromkeys(self.series))  # the same headline the tables show
            self.key = head[0] if head else None
        self.replot()

    def next_key(self) -> None:
        keys = sorted(self.series)
        if keys:
            self.key = keys[(keys.index(self.key) + 1) % len(keys)] if self.key in keys else keys[0]
            self.replot()

    def replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self.key:
            pts = sorted(self.series[self.key].items())
            plt.plot([p[0] for p in pts], [p[1] for p in pts], marker="braille")
            plt.title(f"{self.key}  ({len(pts)} points, m: next metric)")
            plt.xlabel("step")
        self.refresh()
