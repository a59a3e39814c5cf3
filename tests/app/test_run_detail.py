"""The run detail screen with the real pilot against a real store: recorded runs (events written with
backends/events.py and ingested as a backend's would be), real detached ``count`` runs for the live path, and
snapshots at 80x24 and 160x48."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from backends.events import Artifact, Checkpoint, EventWriter, LogLine, Metrics, RunFinished, RunStarted, VerdictEvent
from iotatui.app import make_app
from iotatui.ingest import ingest_run
from iotatui.screens.run_detail import RunDetailScreen, health_flags
from iotatui.series import History
from iotatui.widgets.metric_chart import Line, MetricChart, View, raster
from iotatui.widgets.metric_grid import MetricGrid, MetricPicker
from tests.app.pilot import until

T0 = 1_764_000_000.0  # fixed times: snapshots and headers read the same on every run
RUN = "sft-1130-1200-abcd"


def record_run(ws: Any, run_id: str, stage: str, events: list[Any], config: dict[str, Any] | None = None,
               parent: str | None = None, inputs: dict[str, Any] | None = None) -> None:
    """A run as a backend leaves it: its row, its events file, ingested into the store."""
    run_dir = ws.run_dir(run_id)
    ws.store.insert_run({"id": run_id, "stage": stage, "status": "starting", "run_dir": str(run_dir),
                         "config": json.dumps(config or {}), "parent": parent, "created": T0, "started": T0,
                         "attempt": 1, "inputs": json.dumps(inputs or {})})
    w = EventWriter(Path(run_dir) / "events.jsonl")
    w.emit_many(events)
    w.close()
    ingest_run(ws.store, run_id, final=True)


def sft_events(steps: int = 120, health_at: int | None = None) -> list[Any]:
    evs: list[Any] = [RunStarted(pid=0, host="box", attempt=1, t=T0)]
    for s in range(1, steps + 1):
        values = {"train/loss": round(2.0 * math.exp(-s / 30) + 0.3, 6), "train/learning_rate": 1e-4 * (1 - s / steps),
                  "train/grad_norm": round(1.0 + 0.5 * math.sin(s / 5), 6)}
        if s % 20 == 0:
            values["eval/loss"] = round(2.1 * math.exp(-s / 30) + 0.35, 6)
        if health_at is not None and s >= health_at:
            values["health/kl_runaway"] = 1.0
        evs.append(Metrics(step=s, values=values, t=T0 + s))
        if s % 50 == 0:
            evs.append(Checkpoint(step=s, path=f"/ckpt/step-{s}", t=T0 + s))
    if health_at is not None:
        evs.append(LogLine(text=f"health: kl_runaway: KL 12.5 > 10 at step {health_at}", level="warning", t=T0 + health_at))
    evs.append(Artifact(name="model", path="/out/model", artifact_kind="model", meta={"params": 1000}, t=T0 + steps))
    evs.append(RunFinished(summary={"final_loss": 0.31}, t=T0 + 720))
    return evs


def fixed_app(ws: Any) -> Any:
    app = make_app(ws)
    app.sub_title = "ws"  # the workspace path is a tmp dir
    return app


async def open_detail(app: Any, pilot: Any, run_id: str) -> RunDetailScreen:
    await until(pilot, lambda: app.screen is not None and app.screen.is_mounted, what="first screen")
    screen = RunDetailScreen(app.ws, run_id, now=lambda: T0 + 800)
    await app.push_screen(screen)
    await until(pilot, lambda: screen.loaded and screen.query(MetricChart), what="history loaded")
    await pilot.pause()
    return screen


def chart_text(chart: MetricChart) -> str:
    return chart.render_text(chart.size.width, chart.size.height).plain


def test_raster_draws_lines_and_envelopes() -> None:
    cells = raster([([0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0])], cols=2, rows=1, xr=(0.0, 1.0), yr=(0.0, 1.0))
    # a diagonal from bottom-left to top-right over 4x4 braille pixels: one dot per pixel row
    assert cells[0][0][0] & 0x40 and cells[0][1][0] & 0x08 and all(who == 1 for _, who in cells[0])
    env = raster([([0.5], [0.5], [0.0], [1.0])], cols=1, rows=1, xr=(0.0, 1.0), yr=(0.0, 1.0))
    assert env[0][0][0] & 0x47 == 0x47 or env[0][0][0] & 0xB8 == 0xB8  # a full vertical stroke: min..max
    two = raster([([0.0], [0.0], [0.0], [0.0]), ([0.0], [0.0], [0.0], [0.0])], 1, 1, (0.0, 1.0), (0.0, 1.0))
    assert two[0][0][1] == 2  # the last series drawn owns the cell (its colour)


def test_the_x_axis_ends_with_the_data_and_the_cursor_names_the_step_it_reads() -> None:
    """A live chart keeps room ahead, but its label is the last step logged (``step 126`` with the axis to 151 read
    as data that is not there); an ended run's axis ends with the data. The cursor header names the step whose value
    it shows (``@29 0.001 step 30`` named two)."""
    hist = History(RUN)
    hist.add_rows([(i, i, "train/loss", 1.0 / i) for i in range(1, 127)], wall=T0)
    hist.add_rows([(200 + i, 10 * i, "eval/loss", 2.0 / i) for i in range(1, 13)], wall=T0)
    view = View(live=True)
    chart = MetricChart("train/loss", [Line("", hist.series["train/loss"], hist.t0)], view)
    axis = chart.render_text(80, 12).plain.split("\n")[-1]
    assert axis.split() == ["└1", "126"] and chart.xr.hi is not None and chart.xr.hi > 140  # room ahead, unlabelled
    assert axis.rstrip().endswith("126") and len(axis.rstrip()) < 80 - 5  # under the last point, not the axis end
    view.live = False
    chart.view_changed()
    axis = chart.render_text(80, 12).plain.split("\n")[-1]
    assert axis.split() == ["└1", "126"] and chart.xr.hi == 126 and len(axis.rstrip()) == 80  # to the end
    view.cursor = 29.4
    evchart = MetricChart("eval/loss", [Line("", hist.series["eval/loss"], hist.t0)], view)
    assert chart.render_text(80, 12).plain.split("\n")[0] == "train/loss  @29 0.03448"
    assert evchart.render_text(80, 12).plain.split("\n")[0] == "eval/loss  @30 0.6667"  # its nearest point


def test_health_flags_hold_only_while_logged_at_the_latest_step() -> None:
    run = {"last_step": 120, "last_metrics": {"health/kl_runaway": 1.0, "health/nan": 1.0, "health/x": 0.0,
                                              "train/loss": 3.0}}
    assert health_flags(run) == (["kl_runaway", "nan"], [])  # no history yet: trust last_metrics
    hist = History(RUN)
    hist.add_rows([(1, 100, "health/kl_runaway", 1.0), (2, 120, "health/kl_runaway", 1.0),
                   (3, 50, "health/nan", 1.0), (4, 120, "train/loss", 3.0)])
    # nan held at step 50 only: it was, it is not now; a flag seen only in the log counts as earlier too
    assert health_flags(run, hist, {"entropy_collapse"}) == (["kl_runaway"], ["entropy_collapse", "nan"])


async def test_detail_at_80x24_charts_every_metric_and_the_keys_work(ws: Any) -> None:
    record_run(ws, "data-1", "data_sft", [], config={"rows": 10})
    record_run(ws, RUN, "sft", sft_events(health_at=100), config={"lr": 1e-4, "epochs": 1, "data": "run:data-1"},
               parent="data-1", inputs={"data": {"ref": "run:data-1", "run": "data-1", "artifact": "sft",
                                                 "path": "/ws/runs/data-1/sft"}})
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RUN)
        header = str(screen.query_one("#run-header").render())
        assert "finished" in header and "sft" in header and RUN in header and "in 12m" in header
        assert "step 120" in header and "kl_runaway" in header
        grid = screen.query_one(MetricGrid)
        # the charts get the space: two charts, each at least 7 rows, the whole width
        charts = grid.charts()
        assert [c.key for c in charts] == ["train/loss", "eval/loss"]
        assert all(c.size.height >= 7 and c.size.width >= 70 for c in charts)
        assert grid.all_keys()[-1] == "health/kl_runaway" and "health/kl_runaway" not in grid.keys()
        loss = chart_text(charts[0])
        assert "train/loss" in loss and "0.3" in loss and "⠀" not in loss.split("\n")[0]
        assert any(ch in loss for ch in "⠁⠂⠄⡀⠈⠐⠠⢀⣀⠉")  # braille curve drawn
        # m pages to the other metrics
        await pilot.press("m")
        await until(pilot, lambda: [c.key for c in grid.charts()] == ["train/grad_norm", "train/learning_rate"],
                    what="next page")
        await pilot.press("m")
        await until(pilot, lambda: [c.key for c in grid.charts()] == ["train/loss", "eval/loss"], what="wraps")
        # the cursor: right puts it on the latest step, left moves back; exact values in the title
        await pilot.press("right")
        assert grid.view.cursor == 120.0
        assert chart_text(grid.charts()[0]).startswith(f"train/loss  @120 {2.0 * math.exp(-4) + 0.3:.4g}")
        for _ in range(10):
            await pilot.press("left")
        assert grid.view.cursor is not None and grid.view.cursor < 110
        title = chart_text(grid.charts()[0]).split("\n")[0]
        step = int(title.split("@")[1].split()[0])  # the step of the value read, not the cursor's own x
        expected = round(2.0 * math.exp(-step / 30) + 0.3, 6)
        assert title == f"train/loss  @{step} {expected:.4g}"  # the exact stored value of that step, once
        # eval/loss is logged every 20 steps: its header names the step its value comes from
        evtitle = chart_text(grid.charts()[1]).split("\n")[0]
        assert evtitle.startswith("eval/loss  @") and int(evtitle.split("@")[1].split()[0]) % 20 == 0
        # smoothing, log scale, x axis
        await pilot.press("S")
        assert grid.view.smoothing == 0.6 and "EMA 0.6" in chart_text(grid.charts()[0])
        await pilot.press("L")
        assert grid.view.log and "log" in chart_text(grid.charts()[0]).split("\n")[0]
        await pilot.press("x")
        assert grid.view.xaxis == "time" and grid.view.cursor is None
        assert "720s" in chart_text(grid.charts()[0]) or "119s" in chart_text(grid.charts()[0])
        # the picker: choose only the health flag
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, MetricPicker), what="picker")
        await pilot.press("n")
        app.screen.query_one("SelectionList").select("health/kl_runaway")
        await pilot.press("escape")
        await until(pilot, lambda: [c.key for c in grid.charts()] == ["health/kl_runaway"], what="picked")
        # tabs: config + lineage, log, files
        await pilot.press("2")
        config = str(screen.query_one("#config").render())
        assert "parent: data-1" in config and "  lr = 0.0001" in config
        assert "  data ← run:data-1\n      /ws/runs/data-1/sft" in config  # what the run really uses
        assert "model ← parent" not in config  # a data run hands on no model
        await pilot.press("4")
        files = str(screen.query_one("#files").render())
        assert "step       50  /ckpt/step-50" in files and "model (model)  /out/model" in files
        await pilot.press("3")
        log = screen.query_one("LogPanel")
        await until(pilot, lambda: "health: kl_runaway" in log.text_seen, what="log from the follower")
        assert "started (attempt 1)" in log.text_seen
        # a finished run can be neither stopped nor resumed: the footer does not offer them
        assert not screen.check_action("stop", ()) and not screen.check_action("resume", ())
        assert screen.check_action("smoothing", ())
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, RunDetailScreen), what="back")


async def test_detail_at_160x48_shows_more_charts_side_by_side(ws: Any) -> None:
    record_run(ws, RUN, "sft", sft_events())
    app = fixed_app(ws)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_detail(app, pilot, RUN)
        grid = screen.query_one(MetricGrid)
        charts = grid.charts()
        assert [c.key for c in charts] == ["train/loss", "eval/loss", "train/grad_norm", "train/learning_rate"]
        assert charts[0].region.y == charts[1].region.y and charts[0].region.x < charts[1].region.x  # 2 columns
        assert all(c.size.height >= 15 for c in charts)


async def test_data_run_shows_its_dataset_summary_and_judge_run_its_verdicts(ws: Any) -> None:
    record_run(ws, "data_sft-1", "data_sft", [
        RunStarted(pid=0, t=T0),
        Artifact(name="sft", path="/data/sft", artifact_kind="dataset", meta={"rows": 4321, "max_tokens": 2048}, t=T0),
        RunFinished(summary={"rows": 4321, "duplicates_dropped": 17}, t=T0 + 60)])
    verdicts = [VerdictEvent(sample_id=f"s{i}", problem=f"p{i % 3}", verdict=v, t=T0 + i)
                for i, v in enumerate(["OK"] * 5 + ["WRONG_ANSWER"] * 3 + ["COMPILE_ERROR"] * 2)]
    record_run(ws, "judge-1", "judge", [RunStarted(pid=0, t=T0), *verdicts, RunFinished(t=T0 + 60)])
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail_nocharts(app, pilot, "data_sft-1")
        summary = str(screen.query_one("#summary").render())
        assert "rows=4321" in summary and "/data/sft" in summary and "duplicates_dropped: 17" in summary
        assert screen.query_one("#summary").display
        assert not screen.query(MetricChart)  # no empty chart for a data run
        await pilot.press("escape")
        screen = await open_detail_nocharts(app, pilot, "judge-1")
        summary = str(screen.query_one("#summary").render())
        assert "verdicts: 10 samples over 3 problems" in summary
        assert "OK" in summary and "50.0%" in summary and "WRONG_ANSWER" in summary and "30.0%" in summary


async def open_detail_nocharts(app: Any, pilot: Any, run_id: str) -> RunDetailScreen:
    screen = RunDetailScreen(app.ws, run_id, now=lambda: T0 + 800)
    await app.push_screen(screen)
    await until(pilot, lambda: screen.loaded, what="history loaded")
    await pilot.pause()
    return screen


async def test_live_rows_merge_and_redraw_fast(ws: Any) -> None:
    """Rows as the follower delivers them: merged into the bounded series, a re-logged step replaced, redrawn."""
    record_run(ws, RUN, "sft", sft_events(steps=60))
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RUN)
        base = screen.history.max_id
        loss = screen.history.series["train/loss"]
        assert len(loss) == 60
        times = [screen.detail_refresh([(base + i + 1, 61 + i, "train/loss", 0.25)]) for i in range(100)]
        assert len(loss) == 160 and loss.y[-1] == 0.25
        screen.detail_refresh([(base + 500, 30, "train/loss", 9.0)])  # a resumed run re-logs step 30
        assert loss.y[29] == 9.0 and len(loss) == 160
        assert "9" in chart_text(screen.query_one(MetricGrid).charts()[0]).split("\n")[1]  # the axis grew to it
        times.sort()
        print(f"detail_refresh p95 {times[94]:.1f} ms (80x24, 2 charts)")


@pytest.mark.slow
async def test_real_run_follows_live_and_stop_resume_go_through_the_app(ws: Any) -> None:
    from iotatui.supervisor import launch, reconcile

    run_id = launch(ws, "count", sets=["steps=100000", "interval=0.05", "metrics_per_step=4"])

    def status() -> str:
        reconcile(ws)
        return str(ws.store.get_run(run_id)["status"])

    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: status() == "running", what="running")
        screen = RunDetailScreen(ws, run_id)
        await app.push_screen(screen)
        await until(pilot, lambda: screen.loaded, what="history loaded")
        grid = screen.query_one(MetricGrid)
        start = screen.history.max_id
        await until(pilot, lambda: screen.history.max_id > start + 20, what="live rows from the follower")
        await until(pilot, lambda: "train/loss" in [c.key for c in grid.charts()], what="loss charted")
        n = len(screen.history.series["train/loss"])
        await until(pilot, lambda: len(screen.history.series["train/loss"]) > n, what="chart grows")
        await until(pilot, lambda: "running" in str(screen.query_one("#run-header").render()), what="header")
        assert screen.check_action("stop", ()) and not screen.check_action("resume", ())
        app.readonly = True  # read-only: stop and resume are neither shown nor run
        assert not screen.check_action("stop", ()) and not screen.check_action("resume", ())
        app.readonly = False
        await pilot.press("s")
        from iotatui.screens.confirm import ConfirmModal

        await until(pilot, lambda: isinstance(app.screen, ConfirmModal) or status() in ("stopping", "stopped"),
                    what="stop asked or done")
        if isinstance(app.screen, ConfirmModal):
            await pilot.press("y")
        await until(pilot, lambda: status() == "stopped", timeout=60, what="stopped")
        await until(pilot, lambda: "stopped" in str(screen.query_one("#run-header").render()), what="header stopped")
        assert screen.check_action("resume", ()) and not screen.check_action("stop", ())
        stopped_history = screen.history
        await pilot.press("r")
        await until(pilot, lambda: status() in ("queued", "starting", "running"), timeout=60, what="resumed")
        await until(pilot, lambda: status() == "running", timeout=60, what="running again")
        # a resume rewrites the curve after its checkpoint: the screen reloads its history, then follows again
        await until(pilot, lambda: screen.loaded and screen.history is not stopped_history, timeout=60,
                    what="history reloaded after the resume")
        last = max(screen.history.series["train/loss"].x)
        await until(pilot, lambda: max(screen.history.series["train/loss"].x) > last + 8, timeout=60,
                    what="rows after resume")
        from iotatui.supervisor import stop

        stop(ws, run_id, grace_s=3)


def _snap_before(run_id: str) -> Callable[[Any], Any]:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await open_detail(app, pilot, run_id)
        await pilot.press("right")
        for _ in range(5):
            await pilot.press("left")
        await pilot.pause(0.3)
    return run_before


def _snap_app(ws: Any) -> Any:
    record_run(ws, "data-1", "data_sft", [], config={"rows": 10})
    record_run(ws, RUN, "sft", sft_events(health_at=100), config={"lr": 1e-4, "epochs": 1}, parent="data-1")
    return fixed_app(ws)


def test_snapshot_detail_80x24(ws: Any, snap_compare: Any) -> None:
    assert snap_compare(_snap_app(ws), terminal_size=(80, 24), run_before=_snap_before(RUN))


def test_snapshot_detail_160x48(ws: Any, snap_compare: Any) -> None:
    assert snap_compare(_snap_app(ws), terminal_size=(160, 48), run_before=_snap_before(RUN))


@pytest.mark.slow
async def test_a_million_point_run_opens_without_blocking_and_shows_a_bounded_curve(ws: Any) -> None:
    keys = ("train/loss", "train/learning_rate", "train/grad_norm", "eval/loss")
    ws.store.insert_run({"id": RUN, "stage": "sft", "status": "running", "run_dir": str(ws.run_dir(RUN)),
                         "created": T0, "started": T0})
    with ws.store.write() as c:
        c.executemany("INSERT INTO metrics (run, step, key, value, wall) VALUES (?, ?, ?, ?, ?)",
                      ((RUN, s, k, 2.0 * math.exp(-s / 50_000) + i, T0 + s * 0.01)
                       for s in range(250_000) for i, k in enumerate(keys)))
    app = fixed_app(ws)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.screen is not None and app.screen.is_mounted, what="first screen")
        t = time.perf_counter()
        screen = RunDetailScreen(ws, RUN)
        await app.push_screen(screen)
        painted = (time.perf_counter() - t) * 1000
        assert "loading metrics" in str(screen.query_one("#grid-empty").render())  # painted before the load ends
        await until(pilot, lambda: screen.loaded and screen.query(MetricChart), timeout=120, what="history loaded")
        loaded = (time.perf_counter() - t) * 1000
        assert sorted(screen.history.series) == sorted(keys)
        assert all(len(s) <= screen.max_points for s in screen.history.series.values())
        assert sum(s.rows for s in screen.history.series.values()) == 1_000_000
        assert screen.history.max_id == 1_000_000
        base = screen.history.max_id
        times = []
        for i in range(60):  # what the follower delivers: 10 steps x 4 keys per update
            rows = [(base + 40 * i + 4 * j + n + 1, 250_000 + 10 * i + j, k, 0.5) for j in range(10)
                    for n, k in enumerate(keys)]
            times.append(screen.detail_refresh(rows))
            await pilot.pause()
        assert all(len(s) <= screen.max_points for s in screen.history.series.values())
        assert screen.history.series["train/loss"].x[-1] == 250_599
        times.sort()
        print(f"1M points: screen up in {painted:.0f} ms, history in {loaded:.0f} ms; "
              f"detail_refresh p50 {times[30]:.1f} p95 {times[56]:.1f} ms (160x48, 4 charts)")


async def test_seventeen_metrics_take_three_pages_at_80x24_not_nine(ws: Any) -> None:
    """PPO logs 17 metrics: two full-size charts a page made ~9 pages of ``m``; past two pages the charts shrink."""
    from backends.events import Metrics, RunFinished, RunStarted

    keys = ["reward/mean", "ppo/kl", *(f"ppo/m{i:02d}" for i in range(15))]
    evs = [RunStarted(pid=0, t=T0), *(Metrics(step=s, values={k: float(s + i) for i, k in enumerate(keys)},
                                              t=T0 + s) for s in range(1, 30)), RunFinished(t=T0 + 30)]
    record_run(ws, "ppo-17", "ppo", evs)
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, "ppo-17")
        grid = screen.query_one(MetricGrid)
        await until(pilot, lambda: len(grid.charts()) == grid.per_page, what="a full page")
        assert grid.keys()[:2] == ["reward/mean", "ppo/kl"] and len(grid.keys()) == 17
        assert -(-17 // grid.per_page) == 3 and grid.cols == 2
        pages = {tuple(c.key for c in grid.charts())}
        for _ in range(2):
            await pilot.press("m")
            await pilot.pause()
            pages.add(tuple(c.key for c in grid.charts()))
        assert sorted(k for page in pages for k in page) == sorted(keys)  # every metric within three pages
        chart = grid.charts()[0]
        assert chart.size.height >= 6 and chart.size.width >= 38
