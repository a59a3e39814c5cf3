"""The runs table is never stale, whichever screen is on top and whoever changed the run: this app, another app on
the same workspace, the CLI, or the process dying. Each path with two real apps on one workspace (A does the
looking from under other screens, B sits on its runs screen) and real detached ``count`` runs.

Before the fix, A's table kept ``● running 17% ~1m`` for good after a stop from its detail screen: rows that came
while a confirmation was up were held and applied on return *over* the newer ``stopped`` row shown meanwhile.
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from iotatui.app import IotaApp, make_app
from iotatui.screens.confirm import ConfirmModal
from iotatui.screens.help import HelpScreen
from iotatui.screens.runs import RunsScreen
from iotatui.supervisor import Workspace, launch, reconcile
from iotatui.widgets.run_table import RunTable
from tests.app.pilot import until
from tests.conftest import Cli

pytestmark = pytest.mark.slow

LONG = ["steps=100000", "interval=0.05"]


def shown_status(app: IotaApp, run_id: str) -> str:
    """The status word A's runs table *draws* for the run ('' when not drawn): the cell, not the data behind it."""
    screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
    if not isinstance(screen, RunsScreen):
        return ""
    table = screen.query_one(RunTable)
    try:
        return str(table.get_cell(run_id, "status")).split()[-1]
    except Exception:  # noqa: BLE001 - not a row (yet)
        return ""


def status_line(app: IotaApp) -> str:
    return str(app.screen_stack[1].query_one("#status-line").render())


def truth(ws: Workspace, run_id: str) -> str:
    reconcile(ws)
    return str((ws.store.get_run(run_id) or {}).get("status"))


@asynccontextmanager
async def two_apps(ws: Workspace) -> AsyncIterator[tuple[IotaApp, Any, IotaApp, Any]]:
    """Apps A and B on one workspace (each with its own handle and follower), both on their runs screens."""
    (ws.home / "settings.toml").write_text("refresh_s = 0.2\n")
    ws_a, ws_b = Workspace(ws.home), Workspace(ws.home)
    a, b = make_app(ws_a), make_app(ws_b)
    try:
        async with a.run_test(size=(80, 24)) as pa, b.run_test(size=(80, 24)) as pb:
            await until(pa, lambda: isinstance(a.screen, RunsScreen), what="A's runs screen")
            await until(pb, lambda: isinstance(b.screen, RunsScreen), what="B's runs screen")
            yield a, pa, b, pb
    finally:
        ws_a.close()
        ws_b.close()


async def running(pilot: Any, app: IotaApp, ws: Workspace, run_id: str) -> None:
    await until(pilot, lambda: truth(ws, run_id) == "running", timeout=60, what=f"{run_id} running")
    await until(pilot, lambda: shown_status(app, run_id) == "running", what="shown running")


async def passes(pilot: Any, app: IotaApp, n: int = 2) -> None:
    """Let A's follower make ``n`` more passes (rows of a live run arrive meanwhile)."""
    start = app.follower.passes
    await until(pilot, lambda: app.follower.passes >= start + n, what=f"{n} follower passes")


async def back_to_runs(pilot: Any, app: IotaApp) -> None:
    while not isinstance(app.screen, RunsScreen):
        await app.pop_screen()
    await pilot.pause()


async def detail_under_help_then_back(pilot: Any, app: IotaApp, run_id: str) -> None:
    """A opens the run's detail, then help on top of it while rows arrive, then closes help: the newcomer's eval ->
    problem -> back to eval, where the table had held the rows of that time and then overwrote newer ones."""
    app.open_run(run_id)
    await until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen", what="A's detail screen")
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="A's help screen")
    await passes(pilot, app)
    await pilot.press("escape")
    await until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen", what="back on A's detail")


async def test_stop_from_this_apps_detail_screen(ws: Workspace) -> None:
    run_id = launch(ws, "count", sets=LONG)
    async with two_apps(ws) as (a, pa, b, pb):
        await running(pa, a, ws, run_id)
        a.open_run(run_id)
        await until(pa, lambda: type(a.screen).__name__ == "RunDetailScreen", what="A's detail screen")
        await pa.press("s")
        await until(pa, lambda: isinstance(a.screen, ConfirmModal), what="the stop question")
        await passes(pa, a)  # the run's progress keeps arriving while A asks
        await pa.press("y")
        await until(pa, lambda: truth(ws, run_id) == "stopped", timeout=60, what="stopped")
        await passes(pa, a)  # the stopped row reached A while its detail screen was on top
        await pa.press("escape")
        await until(pa, lambda: isinstance(a.screen, RunsScreen), what="back on A's runs")
        await until(pa, lambda: shown_status(a, run_id) == "stopped", timeout=5, what="A's table says stopped")
        assert "running" not in status_line(a)
        await until(pb, lambda: shown_status(b, run_id) == "stopped", timeout=5, what="B's table says stopped")
        await pa.press("s")  # and nothing pretends it can still be stopped
        await until(pa, lambda: any("nothing to stop" in n.message for n in a._notifications), what="the notice")


async def test_stop_from_another_app_while_this_one_is_in_other_screens(ws: Workspace) -> None:
    run_id = launch(ws, "count", sets=LONG)
    async with two_apps(ws) as (a, pa, b, pb):
        await running(pa, a, ws, run_id)
        await detail_under_help_then_back(pa, a, run_id)
        table_b = b.screen.query_one(RunTable)
        table_b.move_cursor(row=table_b.get_row_index(run_id))
        await pb.press("s")
        await until(pb, lambda: isinstance(b.screen, ConfirmModal), what="B asks")
        await pb.press("y")
        await until(pb, lambda: truth(ws, run_id) == "stopped", timeout=60, what="stopped")
        await until(pb, lambda: shown_status(b, run_id) == "stopped", timeout=5, what="B's table says stopped")
        await until(pa, lambda: "stopped" in str(a.screen.query_one("#run-header").render()), timeout=5,
                    what="A's detail header says stopped")
        await passes(pa, a)
        await pa.press("escape")
        await until(pa, lambda: shown_status(a, run_id) == "stopped", timeout=5, what="A's table says stopped")


async def test_stop_from_the_cli_while_this_app_looks_at_another_run(ws: Workspace) -> None:
    watched = launch(ws, "count", sets=LONG)
    other = launch(ws, "count", sets=LONG)
    async with two_apps(ws) as (a, pa, b, pb):
        await running(pa, a, ws, watched)
        await running(pa, a, ws, other)
        await detail_under_help_then_back(pa, a, other)  # A looks at another run meanwhile
        cli = Cli(ws.home)
        try:
            out = cli("stop", watched, "--grace", "10")
        finally:
            cli.runs.close()
        assert "stopped" in out.stdout
        await until(pb, lambda: shown_status(b, watched) == "stopped", timeout=5, what="B's table says stopped")
        await passes(pa, a)
        await back_to_runs(pa, a)
        await until(pa, lambda: shown_status(a, watched) == "stopped", timeout=5, what="A's table says stopped")
        assert shown_status(a, other) == "running"
        # the age column moves with the clock on a table that is shown (it froze at "30s" for 15 s)
        table = a.screen.query_one(RunTable)
        age = str(table.get_cell(other, "age"))
        await until(pa, lambda: str(table.get_cell(other, "age")) != age, timeout=5, what="the age moves")


async def test_a_run_whose_processes_die_reads_crashed_in_both_apps(ws: Workspace) -> None:
    run_id = launch(ws, "count", sets=LONG)
    async with two_apps(ws) as (a, pa, b, pb):
        await running(pa, a, ws, run_id)
        await detail_under_help_then_back(pa, a, run_id)
        pgid = (ws.store.get_run(run_id) or {})["pgid"]
        os.killpg(pgid, signal.SIGKILL)  # shim and backend at once: nobody is left to record the end
        await until(pb, lambda: shown_status(b, run_id) == "crashed", timeout=10, what="B's table says crashed")
        await passes(pa, a)
        await back_to_runs(pa, a)
        await until(pa, lambda: shown_status(a, run_id) == "crashed", timeout=5, what="A's table says crashed")
        table = a.screen.query_one(RunTable)
        assert "~" not in str(table.get_cell(run_id, "progress"))  # no ETA for a dead run
        assert str(table.get_cell(run_id, "progress")).startswith("at ")
