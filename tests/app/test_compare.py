"""The compare screen with the real pilot: recorded runs overlaid per metric (union of keys), their config diff, and
live rows of a real run arriving through the follower."""

from __future__ import annotations

import math
from typing import Any

import pytest

from backends.events import Metrics, RunFinished, RunStarted
from iotatui.app import make_app
from iotatui.screens.compare import CompareScreen
from iotatui.series import MISSING
from iotatui.widgets.metric_chart import MetricChart
from iotatui.widgets.metric_grid import MetricGrid
from tests.app.pilot import until
from tests.app.test_run_detail import T0, record_run


def curve(lr: float, steps: int, extra: str | None = None) -> list[Any]:
    evs: list[Any] = [RunStarted(pid=0, t=T0)]
    for s in range(1, steps + 1):
        values = {"train/loss": round(2.0 * math.exp(-lr * s) + 0.3, 6), "train/grad_norm": 1.0 / s}
        if extra:
            values[extra] = float(s)
        evs.append(Metrics(step=s, values=values, t=T0 + s))
    evs.append(RunFinished(t=T0 + steps))
    return evs


async def open_compare(app: Any, pilot: Any, run_ids: list[str]) -> CompareScreen:
    await until(pilot, lambda: app.screen is not None and app.screen.is_mounted, what="first screen")
    screen = CompareScreen(app.ws, run_ids)
    await app.push_screen(screen)
    await until(pilot, lambda: screen.loaded and screen.query(MetricChart), what="histories loaded")
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_compare_overlays_curves_and_diffs_configs(ws: Any, size: tuple[int, int]) -> None:
    record_run(ws, "dpo-a", "dpo", curve(0.05, 80), config={"beta": 0.1, "lr": 1e-5, "opt": {"name": "adamw"}})
    record_run(ws, "dpo-b", "dpo", curve(0.1, 60, extra="rewards/margins"),
               config={"beta": 0.3, "lr": 1e-5, "opt": {"name": "adamw", "eps": 1e-8}})
    app = make_app(ws)
    async with app.run_test(size=size) as pilot:
        screen = await open_compare(app, pilot, ["dpo-a", "dpo-b"])
        legend = str(screen.query_one("#legend").render())
        assert "A ✓ finished" in legend and "dpo-a" in legend and "B ✓ finished" in legend and "dpo-b" in legend
        # named by what differs, not only by a letter and an id
        assert "dpo[beta=0.1]" in legend and "dpo[beta=0.3]" in legend  # opt.eps: only B has it, so it does not vary
        grid = screen.query_one(MetricGrid)
        # the union of the runs' keys, the headline first
        assert grid.keys() == ["train/loss", "rewards/margins", "train/grad_norm"]
        chart = grid.charts()[0]
        assert chart.key == "train/loss"
        assert [ln.label for ln in chart.lines] == ["A", "B"]
        text = chart.render_text(chart.size.width, chart.size.height)
        head = text.plain.split("\n")[0]
        assert f"A {2.0 * math.exp(-0.05 * 80) + 0.3:.4g}" in head and f"B {2.0 * math.exp(-0.1 * 60) + 0.3:.4g}" in head
        styles = {str(span.style) for span in text.spans}
        assert any("cyan" in s for s in styles) and any("magenta" in s for s in styles)  # two curves, two colours
        margins = MetricChart("rewards/margins", grid.lines("rewards/margins"))
        assert [ln.label for ln in margins.lines] == ["B"]  # only B logs it
        # the shared cursor reads both runs at one step
        await pilot.press("right")
        head = chart.render_text(chart.size.width, chart.size.height).plain.split("\n")[0]
        assert "@80" in head and "A " in head and "B " in head
        await pilot.press("L")
        assert grid.view.log
        # the config diff: only what differs, nested keys flattened, a missing key marked
        await pilot.press("2")
        table = screen.query_one("#diff")
        assert table.row_count == 2
        rows = {str(table.get_row_at(i)[0]): [str(v) for v in table.get_row_at(i)[1:]] for i in range(table.row_count)}
        assert rows == {"beta": ["0.1", "0.3"], "opt.eps": [MISSING, "1e-08"]}
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, CompareScreen), what="back")


async def test_compare_names_evals_by_their_lineage(ws: Any) -> None:
    """Two evals of a DPO grid under one SFT: the legend reads ``sft→dpo[beta=0.1]→eval``, not two bare ids."""
    record_run(ws, "sft-s", "sft", curve(0.05, 5), config={"lr": 1e-4})
    for name, beta in (("a", 0.1), ("b", 0.5)):
        record_run(ws, f"dpo-{name}", "dpo", curve(0.05, 5), config={"beta": beta, "lr": 1e-5}, parent="sft-s")
        record_run(ws, f"count-{name}", "count", curve(0.05, 5), config={"steps": 5}, parent=f"dpo-{name}")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(app, pilot, ["count-a", "count-b"])
        lines = str(screen.query_one("#legend").render()).split("\n")
        assert "sft→dpo[beta=0.1]→count" in lines[0] and "sft→dpo[beta=0.5]→count" in lines[1]


@pytest.mark.slow
async def test_compare_follows_a_live_run(ws: Any) -> None:
    from iotatui.supervisor import launch, stop

    record_run(ws, "count-done", "count", curve(0.05, 30), config={"steps": 30, "seed": 0})
    live = launch(ws, "count", sets=["steps=100000", "interval=0.05", "seed=1"])
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(app, pilot, ["count-done", live])
        hist = screen.histories[live]
        start = hist.max_id
        await until(pilot, lambda: screen.histories[live].max_id > start + 10, what="live rows")
        grid = screen.query_one(MetricGrid)
        await until(pilot, lambda: any(c.key == "train/loss" and len(c.lines) == 2 for c in grid.charts()),
                    what="both runs on the loss chart")
        await until(pilot, lambda: "running" in str(screen.query_one("#legend").render()), what="legend live")
        await pilot.press("2")
        table = screen.query_one("#diff")
        keys = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "seed" in keys and "steps" in keys
    stop(ws, live, grace_s=3)


async def test_closing_a_live_screen_drops_every_watch_it_holds(ws: Any) -> None:
    """LiveScreen's follow/unfollow: the compare screen watches each run's status and metrics; popping it hands every
    one of those watches back to the follower (not left for the follower to find dead on a later pass)."""
    record_run(ws, "dpo-a", "dpo", curve(0.05, 20))
    record_run(ws, "dpo-b", "dpo", curve(0.1, 20))
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(app, pilot, ["dpo-a", "dpo-b"])
        mine = [w for w in app.follower.watches if w.target is screen]
        assert sorted((w.run_id, sorted(w.kinds)) for w in mine) == [
            ("dpo-a", ["metrics"]), ("dpo-a", ["runs"]), ("dpo-b", ["metrics"]), ("dpo-b", ["runs"])]
        dropped: list[Any] = []
        unwatch = app.follower.unwatch

        def recording(w: Any) -> None:
            dropped.append(w)
            unwatch(w)

        app.follower.unwatch = recording  # the real follower, its calls recorded
        app.pop_screen()
        await until(pilot, lambda: not screen.is_attached, what="the compare screen closed")
        assert sorted(map(id, dropped)) == sorted(map(id, mine))
        assert not [w for w in app.follower.watches if w.target is screen]
