"""The app with Textual's real pilot against a real workspace and real detached runs: the runs table follows them
live, enter opens a run, s stops one, quitting leaves runs going and reopening re-attaches."""

from __future__ import annotations

from typing import Any

import pytest

from iotatui import procinfo
from iotatui.app import make_app
from iotatui.screens.run_detail import RunDetailScreen
from iotatui.screens.runs import RunsScreen
from iotatui.supervisor import launch, reconcile
from iotatui.widgets.run_table import RunTable
from tests.app.pilot import until, until_async

pytestmark = pytest.mark.slow


def _reconciled(ws: Any, run_id: str) -> dict[str, Any]:
    """The run as the CLI would show it (events ingested, liveness checked)."""
    reconcile(ws)
    return ws.store.get_run(run_id)  # type: ignore[no-any-return]


def statuses(app: Any) -> dict[str, str]:
    """Run id -> status word as the table shows it (the cell is "<glyph> <status>")."""
    if not isinstance(app.screen, RunsScreen):
        return {}
    table = app.screen.query_one(RunTable)
    return {str(k.value): str(table.get_cell(k, "status")).split()[-1] for k in table.rows}


async def confirm_if_asked(pilot: Any) -> None:
    """The shell asks before a stop (ConfirmModal, y = yes); older shells stop at once."""
    from textual.screen import ModalScreen

    await pilot.pause(0.3)
    if isinstance(pilot.app.screen, ModalScreen):
        await pilot.press("y")


async def test_table_follows_runs_live_and_detail_shows_config_chart_log(ws) -> None:  # type: ignore[no-untyped-def]
    done = launch(ws, "count", sets=["steps=5", "interval=0.01"])
    long = launch(ws, "count", sets=["steps=100000", "interval=0.05"])
    app = make_app(ws)
    async with app.run_test(size=(180, 50)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RunsScreen))
        await until(pilot, lambda: statuses(app).get(done) == "finished", what="finished run shown")
        await until(pilot, lambda: statuses(app).get(long) == "running", what="running run shown")
        # a run launched elsewhere (another shell) appears without any key press
        late = launch(ws, "count", sets=["steps=3", "interval=0.01"])
        await until(pilot, lambda: late in statuses(app), what="late run appears")
        table = app.screen.query_one(RunTable)
        # why a run failed shows in the panel under the table when it is highlighted
        failing = launch(ws, "count", sets=["steps=50", "interval=0.01", "fail_at=2"])
        await until(pilot, lambda: statuses(app).get(failing) == "failed", what="failed run shown")
        table.move_cursor(row=table.get_row_index(failing))
        panel = app.screen.query_one("#run-info")
        await until(pilot, lambda: "simulated failure at step 2" in str(panel.render()), what="error shown")
        # the headline metric column fills in from the store (count: the loss)
        await until(pilot, lambda: str(table.get_cell(long, "metric")).startswith("loss "), what="metric")

        table.move_cursor(row=table.get_row_index(long))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RunDetailScreen), what="detail screen")
        # what the detail screen shows is its own tests' business (tests/app/test_run_detail*.py)
        assert app.screen.run_id == long
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen))

        # s stops the selected run
        table = app.screen.query_one(RunTable)
        table.move_cursor(row=table.get_row_index(long))
        await pilot.press("s")
        await confirm_if_asked(pilot)
        await until(pilot, lambda: statuses(app).get(long) == "stopped", timeout=30, what="stopped")


async def test_quit_leaves_runs_going_and_reopen_reattaches(ws) -> None:  # type: ignore[no-untyped-def]
    run_id = launch(ws, "count", sets=["steps=100000", "interval=0.05"])
    app = make_app(ws)
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: statuses(app).get(run_id) == "running", what="running")
        await pilot.press("q")
    # Quitting must not stop runs: the run keeps logging steps after the app is gone.
    step_at_quit = _reconciled(ws, run_id)["last_step"] or 0
    run = await until_async(lambda: ((r := _reconciled(ws, run_id))["last_step"] or 0) > step_at_quit + 3 and r,
                            what="steps after quit")
    assert run["status"] == "running"
    assert procinfo.is_alive(run["pid"], run["proc_start"]), "quitting the app must not stop runs"
    step_before = run["last_step"]
    app2 = make_app(ws)
    async with app2.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: statuses(app2).get(run_id) == "running", what="re-attached")
        table = app2.screen.query_one(RunTable)
        await until(pilot, lambda: int(str(table.get_cell(run_id, "step")) or 0) > (step_before or 0),
                    what="steps keep advancing")
    from iotatui.supervisor import stop

    stop(ws, run_id, grace_s=3)
