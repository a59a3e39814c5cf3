"""The runs screen with Textual's pilot against a real store: rows with lineage written through the Store API (fixed
ids and times, for snapshots) and real small ``count`` runs (failure reason and log lines, live updates).

Rows written here that look active carry another host's name: reconcile leaves those to their own events file, so
they stay "running" without a process (a run on this host without one would be marked crashed, rightly).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iotatui.app import make_app
from iotatui.messages import RunsChanged
from iotatui.screens.runs import RunsScreen
from iotatui.supervisor import launch
from iotatui.widgets.run_table import RunTable
from tests.app.pilot import until

NOW = 1_785_000_000.0  # fixed clock: age and ETA text are the same on every run


def row(ws: Any, rid: str, stage: str, status: str, ago: float, **kw: Any) -> None:
    """A run row as the supervisor writes it (plus what ingest fills in), created ``ago`` seconds before NOW."""
    run_dir = ws.run_dir(rid)
    run_dir.mkdir(parents=True, exist_ok=True)
    fields: dict[str, Any] = {"id": rid, "stage": stage, "status": status, "run_dir": str(run_dir),
                              "created": NOW - ago, "after": "[]", "config": "{}"}
    for k in ("after", "config", "last_metrics", "summary", "inputs"):
        if k in kw:
            kw[k] = json.dumps(kw[k])
    if status != "queued":
        fields["started"] = NOW - ago + 5
        fields["attempt"] = 1
    if status in ("running", "stopping", "starting"):
        fields["host"] = "gpu-box-2"  # another host: reconcile does not mark it crashed for lack of a process
    ws.store.insert_run({**fields, **kw})


def fill_lineage(ws: Any) -> None:
    """data -> sft -> {dpo -> eval (queued), rm -> ppo}, a second sft, newer; a failed dpo with a traceback."""
    row(ws, "data_sft-1130-0900-aaaa", "data_sft", "finished", 7200, finished=NOW - 7000, summary={"rows": 168},
        progress_done=168, progress_total=168, progress_unit="samples")
    row(ws, "sft-1130-0910-bbbb", "sft", "finished", 6600, finished=NOW - 4000, parent="data_sft-1130-0900-aaaa",
        after=["data_sft-1130-0900-aaaa"], last_step=400, last_metrics={"train/loss": 0.4123},
        progress_done=400, progress_total=400, progress_unit="steps", config={"lr": 2e-5, "epochs": 2})
    row(ws, "dpo-1130-1000-cccc", "dpo", "running", 3000, parent="sft-1130-0910-bbbb",
        after=["sft-1130-0910-bbbb"], last_step=120, gpu_ids="0", gpus=1,
        last_metrics={"train/loss": 0.61, "rewards/margins": 0.2345}, progress_done=120, progress_total=300,
        progress_unit="steps", config={"beta": 0.1})
    row(ws, "eval-1130-1005-dddd", "eval", "queued", 2700, after=["dpo-1130-1000-cccc"],
        inputs={"model": {"ref": "run:dpo-1130-1000-cccc", "run": "dpo-1130-1000-cccc", "artifact": None}})
    row(ws, "rm-1130-1010-eeee", "rm", "finished", 2400, finished=NOW - 1200, parent="sft-1130-0910-bbbb",
        after=["sft-1130-0910-bbbb"], last_metrics={"eval/pair_accuracy": 0.6766})
    row(ws, "ppo-1130-1030-ffff", "ppo", "running", 1200, after=["sft-1130-0910-bbbb", "rm-1130-1010-eeee"],
        inputs={"reward_model": {"ref": "run:rm-1130-1010-eeee", "run": "rm-1130-1010-eeee", "artifact": None}},
        last_step=30, last_metrics={"reward/mean": 0.31, "ppo/kl": 0.0412}, progress_done=30,
        progress_total=100, progress_unit="updates")
    row(ws, "dpo-1130-1040-gggg", "dpo", "failed", 600, finished=NOW - 500, parent="sft-1130-0910-bbbb",
        after=["sft-1130-0910-bbbb"], error="CUDA out of memory. Tried to allocate 2.00 GiB", exit_code=1,
        last_step=3, config={"beta": 0.5})
    with ws.store.write() as c:
        c.execute("INSERT INTO logs (run, t, level, text) VALUES (?, ?, 'error', ?)",
                  ("dpo-1130-1040-gggg", NOW - 500, "Traceback (most recent call last):\n  File \"dpo.py\", line 9\n"
                   "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"))
    row(ws, "sft-1130-1050-hhhh", "sft", "finished", 300, finished=NOW - 100, parent="data_sft-1130-0900-aaaa",
        after=["data_sft-1130-0900-aaaa"], last_metrics={"train/loss": 0.38}, config={"lr": 1e-5, "epochs": 2})


TREE = ["data_sft-1130-0900-aaaa", "sft-1130-1050-hhhh", "sft-1130-0910-bbbb", "dpo-1130-1040-gggg",
        "rm-1130-1010-eeee", "ppo-1130-1030-ffff", "dpo-1130-1000-cccc", "eval-1130-1005-dddd"]


def screen_of(app: Any) -> RunsScreen:
    assert isinstance(app.screen, RunsScreen)
    return app.screen


def fixed_app(ws: Any) -> Any:
    """The app with a fixed subtitle (the workspace path is a tmp dir); its runs screen goes on NOW's clock."""
    app = make_app(ws)
    app.sub_title = "ws"
    return app


async def runs_screen(app: Any, pilot: Any, n: int) -> RunsScreen:
    """Replace the app's first screen by one on the fixed clock; wait for ``n`` rows."""
    await until(pilot, lambda: isinstance(app.screen, RunsScreen), what="runs screen")
    await app.switch_screen(RunsScreen(app.ws, now=lambda: NOW))
    screen = screen_of(app)
    await until(pilot, lambda: len(screen.table.shown_ids) == n, what=f"{n} rows")
    await pilot.pause()
    return screen


def cell(table: RunTable, rid: str, col: str) -> str:
    return str(table.get_cell(rid, col))


def info(screen: RunsScreen) -> str:
    return str(screen.query_one("#run-info").render())


async def test_tree_order_columns_and_panel_at_80_and_160(ws: Any) -> None:
    fill_lineage(ws)
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, len(TREE))
        table = screen.table
        assert table.shown_ids == TREE
        # rows in tree order; narrow, an id shows without its stage prefix (the stage column carries it)
        assert [table.get_row_at(i)[0].plain.split()[-1] for i in range(len(TREE))] == \
            [rid.split("-", 1)[1] for rid in TREE]
        # what tells siblings apart comes first at 80 columns: the two sfts' lr, the dpo grid's beta (age gives way)
        assert table.columns_shown == ("id", "stage", "status", "progress", "metric", "cfg:lr", "cfg:beta")
        assert cell(table, "dpo-1130-1040-gggg", "cfg:beta") == "0.5" and cell(table, "dpo-1130-1000-cccc",
                                                                               "cfg:beta") == "0.1"
        assert cell(table, "sft-1130-1050-hhhh", "cfg:lr") == "1e-05" and cell(table, "rm-1130-1010-eeee",
                                                                               "cfg:lr") == ""
        await pilot.press("v")  # toggled off: the age is back
        await until(pilot, lambda: table.columns_shown == ("id", "stage", "status", "progress", "metric", "age"),
                    what="config columns off")
        assert cell(table, "eval-1130-1005-dddd", "id") == "    └ 1130-1005-dddd"
        assert cell(table, "ppo-1130-1030-ffff", "id") == "  │ └ 1130-1030-ffff"
        assert cell(table, "dpo-1130-1000-cccc", "status") == "● running"
        assert cell(table, "dpo-1130-1000-cccc", "progress") == "40% ~1h14"  # 180 steps left at 120 per 2995 s
        assert cell(table, "dpo-1130-1000-cccc", "metric") == "margin 0.234"
        assert cell(table, "rm-1130-1010-eeee", "metric") == "acc 0.677"
        assert cell(table, "ppo-1130-1030-ffff", "metric") == "rwd 0.31 kl 0.041"  # narrow: short labels, 2 digits
        assert cell(table, "sft-1130-0910-bbbb", "age") == "1h50"
        assert cell(table, "eval-1130-1005-dddd", "progress") == "after 1"  # one run to finish first
        assert cell(table, "dpo-1130-1040-gggg", "progress") == "at step 3"  # where the failed run ended
        assert table.size.width <= 80 and table.virtual_size.width <= table.size.width, "no horizontal scroll"

        # a queued run says what it waits for
        table.move_cursor(row=TREE.index("eval-1130-1005-dddd"))
        await until(pilot, lambda: "waits for dpo-1130-1000-cccc" in info(screen), what="waits-for text")
        # a failed run shows its reason and its last log lines
        table.move_cursor(row=TREE.index("dpo-1130-1040-gggg"))
        await until(pilot, lambda: "reason: CUDA out of memory" in info(screen), what="failure reason")
        assert "torch.OutOfMemoryError" in info(screen) and "last log lines:" in info(screen)

        await pilot.resize_terminal(160, 48)
        await until(pilot, lambda: "parent" in table.columns_shown, what="wide columns")
        assert table.columns_shown == ("id", "stage", "status", "progress", "metric", "age", "parent", "step",
                                       "started", "gpus")
        assert cell(table, "ppo-1130-1030-ffff", "parent") == "rm-1130-1010-eeee +1"
        assert cell(table, "eval-1130-1005-dddd", "id") == "    └ eval-1130-1005-dddd"  # wide: whole ids
        await pilot.press("v")  # back on: at 160 columns every varying key and the age fit
        await until(pilot, lambda: "cfg:beta" in table.columns_shown and "age" in table.columns_shown,
                    what="config columns and age")
        assert cell(table, "dpo-1130-1000-cccc", "step") == "120"
        assert table.shown_ids == TREE


async def test_filter_select_sort_and_readonly(ws: Any) -> None:
    fill_lineage(ws)
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, len(TREE))
        table = screen.table
        await pilot.press("slash")
        assert screen.query_one("#filter").has_focus
        await pilot.press(*"stage:dpo")
        await until(pilot, lambda: table.shown_ids == ["dpo-1130-1040-gggg", "dpo-1130-1000-cccc"], what="filtered")
        await pilot.press("space")  # typing a space in the filter box filters, it does not mark
        assert not table.selected
        await pilot.press(*"status:failed", "enter")
        await until(pilot, lambda: table.shown_ids == ["dpo-1130-1040-gggg"], what="filter by status")
        assert table.has_focus
        assert "1/8 runs" in str(screen.query_one("#status-line").render())
        await pilot.press("escape")  # clears the filter
        await until(pilot, lambda: len(table.shown_ids) == len(TREE), what="filter cleared")

        # text filter over the config
        await pilot.press("slash", *"lr=1e-05", "enter")
        await until(pilot, lambda: table.shown_ids == ["sft-1130-1050-hhhh"], what="config text filter")
        await pilot.press("escape")
        await until(pilot, lambda: len(table.shown_ids) == len(TREE), what="filter cleared")

        # space marks rows; actions take the marked rows in tree order
        table.move_cursor(row=TREE.index("sft-1130-0910-bbbb"))
        await pilot.press("space")
        table.move_cursor(row=TREE.index("sft-1130-1050-hhhh"))
        await pilot.press("space")
        assert table.selected == {"sft-1130-0910-bbbb", "sft-1130-1050-hhhh"}
        assert table.targets() == ["sft-1130-1050-hhhh", "sft-1130-0910-bbbb"]
        assert cell(table, "sft-1130-1050-hhhh", "id").startswith("◆ ")
        await pilot.press("space")  # toggles off
        assert table.targets() == ["sft-1130-0910-bbbb"]

        # o cycles the sort key; siblings re-order, the tree stays
        await pilot.press("o", "o")  # age -> stage -> status
        assert table.sort_key == "status"
        ids = table.shown_ids
        assert ids.index("dpo-1130-1000-cccc") < ids.index("dpo-1130-1040-gggg")  # running before failed
        assert ids.index("sft-1130-0910-bbbb") < ids.index("dpo-1130-1000-cccc")  # children stay under parents

        bindings = {b.binding.id for b in app.active_bindings.values() if b.enabled}
        assert {"runs.stop", "runs.resume", "runs.delete", "runs.launch"} <= bindings
        app.readonly = True
        screen.refresh_bindings()
        await pilot.pause()
        shown = {b.binding.id for b in app.active_bindings.values()
                 if screen.check_action(b.binding.action, ()) is not False}
        assert not {"runs.stop", "runs.resume", "runs.delete", "runs.launch"} & shown
        assert "runs.open" in shown and "runs.filter" in shown


def status_line(screen: RunsScreen) -> str:
    return str(screen.query_one("#status-line").render())


async def test_filter_errors_words_on_what_rows_show_and_hidden_new_runs(ws: Any) -> None:
    fill_lineage(ws)
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, len(TREE))
        table = screen.table
        await pilot.press("slash", *"foo:bar lr>1")
        await until(pilot, lambda: "filter: foo:bar: unknown field 'foo'" in status_line(screen), what="error line")
        assert len(table.shown_ids) == len(TREE)  # nothing applied: never a silent "0/8 runs"
        await pilot.press("escape")
        await pilot.press("slash", *"bogus>1")
        await until(pilot, lambda: "no run has a config key 'bogus'" in status_line(screen), what="unknown key")
        await pilot.press("escape")
        # a word matches what a row shows: "fail" is the failed run (not every config with a fail_* key), and its
        # reason shows under the table at once
        await pilot.press("slash", *"fail", "enter")
        await until(pilot, lambda: table.shown_ids == ["dpo-1130-1040-gggg"], what="the failed run only")
        await until(pilot, lambda: "reason: CUDA out of memory" in info(screen), what="its reason")
        # runs queued while a filter hides them: the status line says so
        row(ws, "dpo-1130-1100-kkkk", "dpo", "queued", 5, parent="sft-1130-0910-bbbb", config={"beta": 0.2})
        await until(pilot, lambda: "the filter hides 1 new run (esc clears it)" in status_line(screen),
                    what="hidden new run")
        await pilot.press("escape")
        await until(pilot, lambda: "dpo-1130-1100-kkkk" in table.shown_ids, what="shown once cleared")
        assert "hides" not in status_line(screen)
        # home and end go to the first and last row (DataTable's own scroll sideways)
        table.move_cursor(row=4)
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == len(table.shown_ids) - 1


async def test_a_stage_filter_keeps_rows_of_different_lineage_apart(ws: Any) -> None:
    """``stage:eval`` flattens the tree: each eval's row then says which model it came from (six identical rows
    before); the DPO grid under it reads apart by its varying key, beta."""
    row(ws, "sft-1130-0800-ssss", "sft", "finished", 900, config={"lr": 1e-4})
    for tail, beta in (("aaaa", 0.1), ("bbbb", 0.5)):
        row(ws, f"dpo-1130-0810-{tail}", "dpo", "finished", 800, parent="sft-1130-0800-ssss", config={"beta": beta})
        row(ws, f"eval-1130-0820-{tail}", "eval", "finished", 700, parent=f"dpo-1130-0810-{tail}",
            config={"n_samples": 4}, summary={"problems": 3, "solved": 0, "pass@1": 0.0})
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, 5)
        table = screen.table
        assert cell(table, "dpo-1130-0810-aaaa", "cfg:beta") == "0.1"
        await pilot.press("slash", *"stage:eval", "enter")
        await until(pilot, lambda: len(table.shown_ids) == 2, what="the evals only")
        assert "from" in table.columns_shown
        assert cell(table, "eval-1130-0820-aaaa", "from") == "sft → dpo[beta=0.1]"
        assert cell(table, "eval-1130-0820-bbbb", "from") == "sft → dpo[beta=0.5]"


async def test_a_learned_models_eval_reads_against_its_sft_at_80x24(ws: Any) -> None:
    """Issue 17.5: ``SFT x -> PPO y (+z, p=...)`` in the runs tree (the row and the panel) and on the eval screen."""
    row(ws, "sft-1130-0800-ssss", "sft", "finished", 900)
    row(ws, "ppo-1130-0810-pppp", "ppo", "finished", 800, parent="sft-1130-0800-ssss")
    row(ws, "eval-1130-0820-eeee", "eval", "finished", 700, parent="sft-1130-0800-ssss", config={"problems": "b"})
    row(ws, "eval-1130-0830-ffff", "eval", "finished", 600, parent="ppo-1130-0810-pppp", config={"problems": "b"})
    with ws.store.write() as c:
        for rid, ok in (("eval-1130-0820-eeee", ()), ("eval-1130-0830-ffff", ("A", "B", "C", "D", "E", "F"))):
            for p in "ABCDEFGH":
                for i in range(2):
                    c.execute("INSERT INTO verdicts (run, sample_id, problem, verdict, t) VALUES (?, ?, ?, ?, 0)",
                              (rid, f"{p}{i}", p, "OK" if p in ok and i == 0 else "WRONG_ANSWER"))
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, 4)
        table = screen.table
        await until(pilot, lambda: "eval-1130-0830-ffff" in table.versus, what="the learn row computed")
        assert cell(table, "eval-1130-0830-ffff", "metric") == "p@1 .00→.38 p=.031"
        assert "eval-1130-0820-eeee" not in table.versus  # the SFT's own eval: nothing to compare to
        table.move_cursor(row=table.get_row_index("eval-1130-0830-ffff"))
        await until(pilot, lambda: "eval(ppo) pass@1 0.38 vs sft 0.00 (+0.38, p=0.031)" in info(screen),
                    what="the panel's learn row")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "EvalScreen" and app.screen.loaded, what="eval")
        summary = str(app.screen.query_one("#eval-summary").render())
        assert "eval(ppo) pass@1 0.38 vs sft 0.00 (+0.38, p=0.031)" in summary
        assert max(len(line) for line in summary.splitlines()) <= 80


async def test_update_touches_only_changed_cells_and_reorders_for_new_runs(ws: Any) -> None:
    fill_lineage(ws)
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, len(TREE))
        table = screen.table
        updates: list[tuple[str, str]] = []
        real_update = table.update_cell

        def record(row_key: Any, column_key: Any, value: Any, **kw: Any) -> None:
            updates.append((str(row_key), str(column_key)))
            real_update(row_key, column_key, value, **kw)
        table.update_cell = record  # type: ignore[method-assign]
        dpo = dict(table.runs["dpo-1130-1000-cccc"])
        screen.post_message(RunsChanged([{**dpo, "last_metrics": {"rewards/margins": 0.5}}]))
        await until(pilot, lambda: updates, what="a cell update")
        await pilot.pause()
        assert updates == [("dpo-1130-1000-cccc", "metric")]
        assert cell(table, "dpo-1130-1000-cccc", "metric") == "margin 0.5"
        # a new child of the running dpo lands under it, above its older sibling
        updates.clear()
        row(ws, "eval-1130-1100-iiii", "eval", "queued", 60, after=["dpo-1130-1000-cccc"])
        await until(pilot, lambda: "eval-1130-1100-iiii" in table.shown_ids, what="new run shown")
        assert table.shown_ids == [*TREE[:-1], "eval-1130-1100-iiii", TREE[-1]]
        assert [table.get_row_at(i)[0].plain.split()[-1] for i in range(len(TREE) + 1)] == \
            [rid.split("-", 1)[1] for rid in table.shown_ids]  # the rows on screen follow the tree order
        assert cell(table, "eval-1130-1100-iiii", "id") == "    ├ 1130-1100-iiii"
        assert cell(table, "eval-1130-1005-dddd", "id") == "    └ 1130-1005-dddd"
        assert updates == []  # a row was added and the rows re-ordered; no other cell was rewritten


def on_screen(app: Any) -> str:
    """What the terminal shows now (Textual is pinned exactly, so its compositor API holds)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_changed_cell_is_redrawn_and_its_neighbours_are_not_stale(ws: Any) -> None:
    """RunTable re-renders only the changed row (DataTable re-rendered every visible cell): what the terminal
    shows must still be each row's newest text, whether the new value widens its column or not."""
    fill_lineage(ws)
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, len(TREE))
        table = screen.table
        before = table._update_count
        dpo = dict(table.runs["dpo-1130-1000-cccc"])
        screen.post_message(RunsChanged([{**dpo, "last_metrics": {"rewards/margins": 0.777}}]))  # same width
        await until(pilot, lambda: "mrg 0.777" in on_screen(app), what="the new metric drawn")
        assert table._update_count == before  # the table-wide cache key did not move
        assert "mrg 0.234" not in on_screen(app) and "rwd 0.31" in on_screen(app)  # neighbours as they were
        ppo = dict(table.runs["ppo-1130-1030-ffff"])
        screen.post_message(RunsChanged([{**ppo, "status": "failed", "updated": (ppo["updated"] or 0) + 1}]))
        await until(pilot, lambda: "ppo       ✗ failed    at 30%" in on_screen(app), what="the failed row drawn")
        assert on_screen(app).count("● running") == 1  # only the dpo run still reads running


async def test_empty_workspace_shows_how_to_start(ws: Any) -> None:
    app = fixed_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await runs_screen(app, pilot, 0)
        await until(pilot, lambda: screen.has_class("empty"), what="empty class")
        welcome = str(screen.query_one("#welcome").render())
        assert "iotatui pipeline --preset smoke" in welcome and "make demo" in welcome
        assert screen.query_one("#welcome").display and not screen.table.display
        # the first run replaces the welcome text by the table, which takes the keys
        row(ws, "sft-1130-1200-jjjj", "sft", "finished", 10)
        await until(pilot, lambda: screen.table.shown_ids == ["sft-1130-1200-jjjj"], what="first run shown")
        await until(pilot, lambda: not screen.has_class("empty") and screen.table.has_focus, what="table back")


@pytest.mark.slow
async def test_real_failed_run_shows_reason_and_log_lines_and_lineage(ws: Any) -> None:
    up = launch(ws, "count", sets=["steps=3", "interval=0.01"])
    failing = launch(ws, "count", sets=["steps=50", "interval=0.01", "fail_at=2"], parent=up)
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RunsScreen), what="runs screen")
        screen = screen_of(app)
        table = screen.table
        await until(pilot, lambda: table.runs.get(failing, {}).get("status") == "failed", timeout=60,
                    what="failed run shown")
        assert table.shown_ids == [up, failing]  # the child under its parent
        assert table.tree_row(failing).depth == 1  # type: ignore[union-attr]
        table.move_cursor(row=1)
        await until(pilot, lambda: "reason: RuntimeError: simulated failure at step 2" in info(screen), what="reason")
        assert "last log lines:" in info(screen) and "backends/count.py" in info(screen)  # the logged traceback
        # a deleted run leaves the table (the follower reports it gone)
        from iotatui import supervisor

        supervisor.delete(ws, failing)
        await until(pilot, lambda: failing not in table.shown_ids, what="deleted run leaves the table")
        assert not Path(ws.run_dir(failing)).exists()


def snapshot_app(ws: Any) -> Any:
    fill_lineage(ws)
    return fixed_app(ws)


def _before(n: int, cursor: str) -> Callable[[Any], Any]:
    async def run_before(pilot: Any) -> None:
        screen = await runs_screen(pilot.app, pilot, n)
        screen.table.move_cursor(row=TREE.index(cursor))
        await pilot.pause()
        await until(pilot, lambda: cursor in info(screen), what="panel")
    return run_before


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def test_snapshot_80x24(ws: Any, snap_compare: Any, utc: None) -> None:
    assert snap_compare(snapshot_app(ws), terminal_size=(80, 24), run_before=_before(len(TREE), "dpo-1130-1040-gggg"))


def test_snapshot_160x48(ws: Any, snap_compare: Any, utc: None) -> None:
    assert snap_compare(snapshot_app(ws), terminal_size=(160, 48),
                        run_before=_before(len(TREE), "eval-1130-1005-dddd"))
