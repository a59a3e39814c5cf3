"""The run detail shows the store's log events (lifecycle, tracebacks) beside the process output, and stops its run
through the app (no screen calls another screen's worker)."""

from __future__ import annotations

from typing import Any

import pytest

from iotatui.app import make_app
from iotatui.screens.run_detail import RunDetailScreen
from iotatui.supervisor import launch, reconcile
from iotatui.widgets.log_panel import LogPanel
from tests.app.pilot import until

pytestmark = pytest.mark.slow


def _status(ws: Any, run_id: str) -> str:
    reconcile(ws)
    return str(ws.store.get_run(run_id)["status"])


async def test_detail_log_shows_store_events_and_s_stops_via_the_app(ws) -> None:  # type: ignore[no-untyped-def]
    failing = launch(ws, "count", sets=["steps=50", "interval=0.01", "fail_at=3"])
    long = launch(ws, "count", sets=["steps=100000", "interval=0.05"])
    app = make_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: _status(ws, failing) == "failed", what="failing run to fail")
        app.push_screen(RunDetailScreen(ws, failing))
        await until(pilot, lambda: isinstance(app.screen, RunDetailScreen) and app.screen.query(LogPanel),
                    what="detail screen")
        log = app.screen.query_one(LogPanel)
        await until(pilot, lambda: "simulated failure at step 3" in log.text_seen, what="traceback from the store")
        assert "── attempt 1 ──" in log.text_seen and "started (attempt 1)" in log.text_seen
        assert "step 2/50" in log.text_seen  # the process output is there too
        await pilot.press("escape")

        await until(pilot, lambda: _status(ws, long) == "running", what="long run running")
        app.push_screen(RunDetailScreen(ws, long))
        await until(pilot, lambda: isinstance(app.screen, RunDetailScreen) and app.screen.run_id == long
                    and app.screen.query(LogPanel), what="detail of the long run")
        await pilot.press("s")
        from iotatui.screens.confirm import ConfirmModal

        # the shell asks before a stop (once it routes actions through request_action); answer yes
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal) or _status(ws, long) in ("stopping", "stopped"),
                    what="stop asked or under way")
        if isinstance(app.screen, ConfirmModal):
            await pilot.press("y")
        await until(pilot, lambda: _status(ws, long) == "stopped", what="stopped from the detail screen")
