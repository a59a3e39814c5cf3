"""The eval screen, its problem and sample drill-down, with Textual's pilot against a real store filled by ingesting
recorded eval events (``tests/unit/test_evalview.py``'s recording: the event classes the eval stage writes), and
snapshots of the eval and sample screens at 80x24 and 160x48."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from backends.events import EventWriter, Progress, RunFinished, VerdictEvent
from iotatui.app import make_app
from iotatui.screens.eval import EvalScreen
from iotatui.screens.problem import ProblemScreen
from iotatui.screens.sample import SampleScreen
from iotatui.widgets.eval_problems import ProblemsTable
from iotatui.widgets.eval_samples import SamplesTree
from tests.app.pilot import until
from tests.unit.test_evalview import B01, B02, B03, T0, eval_events, record_eval

SIZES = [(80, 24), (160, 48)]


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def on_screen(app: Any) -> str:
    """What the terminal shows now, as plain text (Textual is pinned exactly, so its compositor API holds)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_eval(app: Any, pilot: Any, ws: Any, run_ids: list[str]) -> EvalScreen:
    await until(pilot, lambda: type(app.screen).__name__ == "RunsScreen", what="the runs screen")
    screen = EvalScreen(ws, run_ids)
    await app.push_screen(screen)
    await until(pilot, lambda: screen.loaded, what="the eval screen's load")
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", SIZES)
async def test_numbers_sorting_and_drill_down_to_the_diff(ws: Any, size: tuple[int, int]) -> None:
    run = record_eval(ws.store, ws.home)
    app = make_app(ws)
    async with app.run_test(size=size) as pilot:
        screen = await open_eval(app, pilot, ws, [run])
        summary = text_of(app, "#eval-summary")
        assert "eval-rec-1" in summary and "finished" in summary
        assert "judged 12/12 samples (100.0 %)" in summary and "1,234 tok/s (43 % of roofline)" in summary
        assert "solved 1/3" in summary and "compile 66.7%" in summary and "pass@1 8.3%" in summary
        table = screen.query_one(ProblemsTable)
        # most samples failing first (B02 and B03 fail all 4; ties by name), then B01 (3)
        assert table.order == [B02, B03, B01] and table.row_count == 3
        assert table.row_text(B01)[1:9] == ["800", "✓", "4", "1", "1", "0", "1", "1"]
        assert "sort: most samples failing" in text_of(app, "#eval-sort")
        await pilot.press("o")
        assert table.order[0] == B01 and "sort: solved first" in text_of(app, "#eval-sort")
        await pilot.press("o", "o")  # name, then rating (highest first)
        assert table.order == [B03, B02, B01] and "hardest first" in text_of(app, "#eval-sort")
        await pilot.press("O")
        assert table.order == [B01, B02, B03] and "reversed" in text_of(app, "#eval-sort")

        table.move_cursor(table.order.index(B01))
        await pilot.press("enter")
        problem = await until(pilot, lambda: isinstance(app.screen, ProblemScreen) and app.screen, what="problem")
        assert problem.problem == B01
        assert [g.verdict for g in problem.groups] == ["WRONG_ANSWER", "RUNTIME_ERROR", "COMPILE_ERROR", "OK"]
        head = text_of(app, "#problem-head")
        assert "4 samples · 1 pass every test (25.0 %)" in head and "rating 800" in head
        tree = problem.query_one(SamplesTree)
        assert "first fails test 0" in str(tree.root.children[0].label)
        await pilot.press("down", "enter")  # the WA group's first sample
        sample = await until(pilot, lambda: isinstance(app.screen, SampleScreen) and app.screen.detail, what="sample")
        assert sample.sample_id == f"{B01}|python3|1"
        reason = text_of(app, "#sample-reason")
        assert "test 0 (public) of 52" in reason and "token 4 differs: expected '333', got '334'" in reason
        assert "2\n5\n4\n333" in text_of(app, "#diff-expected-text")
        assert "334" in text_of(app, "#diff-actual-text")
        assert "10 4\n13 9" in text_of(app, "#diff-input-text")
        assert "W" + "-" * 51 in on_screen(app) or size[0] < 100  # per-test letters (cut at 80 columns)
        await pilot.press("2")
        await until(pilot, lambda: "for _ in range(n):" in on_screen(app), what="the code tab")
        await pilot.press("3")
        await until(pilot, lambda: "public" in on_screen(app) and "WA" in on_screen(app), what="the tests tab")
        await pilot.press("escape", "escape")
        assert app.screen is screen


async def test_keys_filter_and_stop_offered_only_while_running(ws: Any) -> None:
    run = record_eval(ws.store, ws.home)
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_eval(app, pilot, ws, [run])
        table = screen.query_one(ProblemsTable)
        await pilot.press("end")
        assert table.current_problem() == table.order[-1] == B01
        await pilot.press("home", "down")
        assert table.current_problem() == B03
        await pilot.press("slash", *"closest")
        assert table.order == [B03] and "1 of 3 problems matching 'closest'" in text_of(app, "#eval-sort")
        await pilot.press("enter")  # keeps the filter, back to the table
        assert table.has_focus and table.order == [B03]
        await pilot.press("slash", "escape")  # escape in the filter clears it and stays
        assert app.screen is screen and table.order == [B02, B03, B01]
        assert screen.check_action("stop", ()) is False  # a finished eval has nothing to stop
        screen.runs[0]["status"] = "running"
        assert screen.check_action("stop", ()) is (hasattr(app, "request_action"))
        app.readonly = True
        assert screen.check_action("stop", ()) is False
        await pilot.press("escape")
        assert type(app.screen).__name__ == "RunsScreen"


async def test_compile_error_sample_shows_the_compiler_output(ws: Any) -> None:
    run = record_eval(ws.store, ws.home)
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_eval(app, pilot, ws, [run])
        await app.push_screen(ProblemScreen(ws, [run], B03))
        problem = app.screen
        assert [(g.verdict, len(g.samples)) for g in problem.groups] == [("WRONG_ANSWER", 1), ("COMPILE_ERROR", 3)]
        tree = problem.query_one(SamplesTree)
        tree.cursor_line = 2  # WA group, its sample, then the compile error group (collapsed)
        await pilot.press("enter")  # expands the group
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, SampleScreen) and app.screen.detail, what="sample")
        assert app.screen.detail.verdict == "COMPILE_ERROR"
        assert "was not declared in this scope" in text_of(app, "#sample-error-text")
        assert "COMPILE_ERROR: compiler output" in text_of(app, "#sample-reason")


async def test_live_verdicts_update_numbers_and_progress(ws: Any) -> None:
    run = record_eval(ws.store, ws.home, live=True)
    app = make_app(ws)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_eval(app, pilot, ws, [run])
        assert "solved 1/3" in text_of(app, "#eval-summary") and "running" in text_of(app, "#eval-summary")
        w = EventWriter(ws.home / "runs" / run / "events.jsonl")
        w.emit_many([VerdictEvent(sample_id=f"{B03}|python3|9", problem=B03, verdict="OK", tests="A" * 29,
                                  n_tests=29, t=T0 + 50),
                     Progress(done=13, total=12, unit="samples", t=T0 + 50)])
        w.close()
        app.follower.wake()  # the follower reconciles (ingests the new lines of the live run) and posts the rows
        await until(pilot, lambda: "solved 2/3" in text_of(app, "#eval-summary"), what="B03 solved live")
        table = screen.query_one(ProblemsTable)
        assert table.row_text(B03)[2:4] == ["✓", "5"]
        assert "judged 13/12" in text_of(app, "#eval-summary")
        assert screen.updates >= 1

        # the problem screen follows too: new samples join their groups; open groups and the cursor stay put
        await app.push_screen(ProblemScreen(ws, [run], B03))
        problem = app.screen
        assert [(g.verdict, len(g.samples)) for g in problem.groups] == [
            ("WRONG_ANSWER", 1), ("COMPILE_ERROR", 3), ("OK", 1)]
        tree = problem.query_one(SamplesTree)
        ce = tree.root.children[1]
        ce.expand()
        await pilot.pause()
        tree.move_cursor(ce.children[1])
        await pilot.pause()
        chosen = tree.cursor_node.data
        w = EventWriter(ws.home / "runs" / run / "events.jsonl")
        w.emit(VerdictEvent(sample_id=f"{B03}|python3|10", problem=B03, verdict="COMPILE_ERROR", tests="-" * 29,
                            n_tests=29, fail_stderr="sol.py:40:2: error: 'y' was not declared in this scope", t=T0 + 60))
        w.close()
        app.follower.wake()
        await until(pilot, lambda: sum(len(g.samples) for g in problem.groups) == 6, what="the new sample listed")
        assert [len(g.samples) for g in problem.groups if g.verdict == "COMPILE_ERROR"] == [3, 1]  # a new signature
        await until(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data == chosen, what="cursor kept")
        assert tree.root.children[1].is_expanded and not tree.root.children[2].is_expanded


async def test_several_runs_make_a_heatmap_and_a_paired_sort(ws: Any) -> None:
    a = record_eval(ws.store, ws.home, "eval-rec-a")
    other = [e for e in eval_events() if not isinstance(e, RunFinished)]
    other = [VerdictEvent(sample_id=e.sample_id, problem=e.problem, verdict="OK" if e.problem == B02 else
                          "WRONG_ANSWER", tests="A", n_tests=1, fail_test=None if e.problem == B02 else 0, t=e.t)
             if isinstance(e, VerdictEvent) else e for e in other] + [RunFinished(t=T0 + 30)]
    b = record_eval(ws.store, ws.home, "eval-rec-b", events=other)
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_eval(app, pilot, ws, [a, b])
        table = screen.query_one(ProblemsTable)
        assert table.labels == ["problem", "rating", "A", "B"]
        assert [c.strip() for c in table.row_text(B01)[2:]] == ["✓ 25.0%", "0.0%"]
        assert table.row_text(B02)[3] == "✓100.0%"
        assert "only A solves 1, only B solves 1" in text_of(app, "#eval-summary")
        while screen.sort != "a_not_b":
            await pilot.press("o")
        assert table.order[0] == B01 and "solved by A not B" in text_of(app, "#eval-sort")
        await pilot.press("o")
        assert table.order[0] == B02
        table.move_cursor(0)
        await pilot.press("enter")
        problem = await until(pilot, lambda: isinstance(app.screen, ProblemScreen) and app.screen, what="problem")
        assert problem.run_id == a
        await pilot.press("n")
        assert problem.run_id == b and [g.verdict for g in problem.groups] == ["OK"]


# ---- snapshots ------------------------------------------------------------------------------------------------------
def _snapshot_app(ws: Any, push: Callable[[], Any]) -> tuple[Any, Callable[[Any], Any]]:
    app = make_app(ws)

    async def run_before(pilot: Any) -> None:
        await until(pilot, lambda: type(app.screen).__name__ == "RunsScreen", what="the runs screen")
        app.sub_title = "snapshot"  # the workspace path is a temp dir
        screen = push()
        await app.push_screen(screen)
        await until(pilot, lambda: getattr(screen, "loaded", False) or getattr(screen, "detail", None), what="load")
        await pilot.pause(0.3)

    return app, run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_eval_screen(ws: Any, snap_compare: Any, size: tuple[int, int]) -> None:
    run = record_eval(ws.store, ws.home)
    app, before = _snapshot_app(ws, lambda: EvalScreen(ws, [run]))
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_sample_screen(ws: Any, snap_compare: Any, size: tuple[int, int]) -> None:
    run = record_eval(ws.store, ws.home)
    app, before = _snapshot_app(ws, lambda: SampleScreen(ws, run, f"{B01}|python3|1"))
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.slow
async def test_full_scale_refresh_165_problems_x_1000_samples(tmp_path: Any) -> None:
    """165k stored verdicts: the screen loads them aggregated, then each batch of 200 new rows (as the follower posts
    them) updates the counts and repaints; p95 of message-to-painted, printed for the record."""
    from iotatui import evalview as ev
    from iotatui.messages import VerdictsReceived
    from iotatui.workspace import Workspace

    ids = ev.synthetic_store(tmp_path / "ws", problems=165, samples=1000, with_samples=False)
    ws = Workspace(tmp_path / "ws")
    app = make_app(ws)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            screen = await open_eval(app, pilot, ws, ids)
            agg = screen.aggs[0]
            assert agg.samples == 165_000 and screen.query_one(ProblemsTable).row_count == 165
            assert "judged 165,000/165,000" in text_of(app, "#eval-summary")
            names, times = sorted(agg.problems), []
            for i in range(25):
                rows = ev.synthetic_rows(names, 200, agg.max_id, seed=i)
                t0 = time.perf_counter()
                screen.post_message(VerdictsReceived(ids[0], rows))
                want, deadline = agg.max_id + 200, time.monotonic() + 30
                while agg.max_id != want and time.monotonic() < deadline:  # the handler ran (no 0.1 s poll slack)
                    await asyncio.sleep(0.001)
                assert agg.max_id == want
                await screen.wait_for_refresh()
                times.append((time.perf_counter() - t0) * 1000)
            assert agg.samples == 170_000
            await until(pilot, lambda: f"solved {screen.aggs[0].summary().solved.value:.0f}/165"
                        in text_of(app, "#eval-summary"), what="the summary catching up")
            p95 = sorted(times)[int(0.95 * len(times)) - 1]
            median = sorted(times)[len(times) // 2]
            print(f"eval screen refresh at 165x1000: p95 {p95:.1f} ms, median {median:.1f} ms", [round(t) for t in times])
            assert p95 < 500, times  # the goal is 50 ms on an idle box; generous here for a loaded test machine
    finally:
        ws.close()


async def test_an_eval_starting_up_says_what_it_does_and_has_log_and_config_tabs(ws: Any) -> None:
    """Minutes pass before an eval's first verdict (loading, a LoRA merge, vLLM): the screen shows the stage's own
    lines meanwhile, its Log tab the whole log, its Config tab the model it really samples (the parent's)."""
    import json
    import os

    from backends.events import Artifact, LogLine, RunStarted
    from tests.app.test_run_detail import record_run

    record_run(ws, "sft-parent", "sft", [RunStarted(pid=0, t=T0), Artifact(
        name="model", path="/ws/runs/sft-parent/model", artifact_kind="model", meta={"adapter": True}, t=T0),
        RunFinished(t=T0 + 5)], config={"model": "tiny"})
    said = ["3 problems x 1 language(s) x 4 samples = 12", "LoRA parent merged first (lora_mode=auto)",
            "sampling with vllm on cpu"]
    run = record_eval(ws.store, ws.home, "eval-boot", live=True,
                      events=[RunStarted(pid=os.getpid(), host="gpu-box-2", t=T0),  # live, on another host
                              *(LogLine(text=t, t=T0 + i) for i, t in enumerate(said))])
    ws.store.update_run(run, parent="sft-parent", config=json.dumps({"model": "tiny", "n_samples": 4}))
    (ws.home / "runs" / run / "stdout.log").write_text("".join(f"vllm noise {i}\n" for i in range(5)))
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "RunsScreen", what="the runs screen")
        app.open_run(run)
        await until(pilot, lambda: isinstance(app.screen, EvalScreen) and app.screen.loaded, what="eval screen")
        screen = app.screen
        await until(pilot, lambda: "sampling with vllm on cpu" in text_of(app, "#eval-stage"), what="stage lines")
        stage = text_of(app, "#eval-stage")
        assert all(t in stage for t in said) and "vllm noise" not in stage
        assert "sft→eval" in text_of(app, "#eval-summary")  # its lineage beside its id
        await pilot.press("2")
        await until(pilot, lambda: "vllm noise 4" in screen.query_one("LogPanel").text_seen, what="the Log tab")
        assert screen.query_one("TabbedContent").active == "eval-log"
        await pilot.press("3")
        config = text_of(app, "#eval-config")
        assert "model ← parent sft-parent" in config and "/ws/runs/sft-parent/model" in config
        assert "(config model=tiny is not used)" in config and "LoRA adapter" in config
        await pilot.press("1")
        assert screen.query_one(ProblemsTable).has_focus
        # the first verdicts: the stage box keeps only the newest line while the run is live
        w = EventWriter(ws.home / "runs" / run / "events.jsonl")
        w.emit(VerdictEvent(sample_id=f"{B01}|python3|0", problem=B01, verdict="OK", tests="A", n_tests=1, t=T0 + 9))
        w.close()
        app.follower.wake()
        await until(pilot, lambda: text_of(app, "#eval-stage").count("\n") == 0, what="one stage line left")


async def test_every_run_with_verdicts_opens_the_problem_screens(ws: Any) -> None:
    from backends.events import RunStarted
    from tests.app.test_run_detail import record_run

    verdicts = [VerdictEvent(sample_id=f"s{i}", problem=B01 if i % 2 else B02, verdict=v, tests="A", n_tests=1,
                             t=T0 + i) for i, v in enumerate(["OK", "WRONG_ANSWER", "TIME_LIMIT", "OK"])]
    record_run(ws, "judge-1", "judge", [RunStarted(pid=0, t=T0), *verdicts, RunFinished(t=T0 + 9)])
    record_run(ws, "grpo-1", "grpo", [RunStarted(pid=0, t=T0), *verdicts, RunFinished(t=T0 + 9)])  # judged rollouts
    record_run(ws, "count-1", "count", [RunStarted(pid=0, t=T0), RunFinished(t=T0 + 9)])
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "RunsScreen", what="the runs screen")
        for run_id in ("judge-1", "grpo-1"):
            app.open_run(run_id)
            await until(pilot, lambda: isinstance(app.screen, EvalScreen) and app.screen.loaded, what=run_id)
            assert "solved 2/2" in text_of(app, "#eval-summary")
            await pilot.press("enter")  # drills into a problem
            await until(pilot, lambda: isinstance(app.screen, ProblemScreen), what="the problem screen")
            await pilot.pause()
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, EvalScreen), what="back on the eval screen")
            await pilot.press("escape")
            await until(pilot, lambda: type(app.screen).__name__ == "RunsScreen", what="back on the runs")
        app.open_run("count-1")
        await until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen", what="no verdicts: detail")
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "RunsScreen", what="back on the runs")
        app.open_compare(["judge-1", "grpo-1"])
        await until(pilot, lambda: isinstance(app.screen, EvalScreen) and app.screen.loaded,
                    what="judged runs compare per problem")
        assert app.screen.run_ids == ["judge-1", "grpo-1"]
        await pilot.pause()
