"""Fixtures shared by every test folder: a fresh workspace, the real CLI as a subprocess, in-process run reads.

Markers (registered in pyproject.toml, ``--strict-markers``): ``docker`` (needs a daemon), ``torch`` (loads
torch/transformers/trl), ``slow`` (real detached runs, containers, models; seconds each). ``make test-fast`` runs
``-m "not docker and not torch and not slow"``. Two guards keep the markers honest:

* a test that uses the ``docker_client`` fixture (directly or through another fixture) is marked ``docker``, and one
  that uses ``tiny_model``/``tiny_tokenizer`` is marked ``torch``, whatever its file says;
* when the run deselects ``torch`` tests, a test that imports torch anyway fails and names itself, so the fast lane
  cannot silently grow a 10 s import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Fixtures whose use implies a marker (the fixture name -> the marker).
_FIXTURE_MARKERS = {"docker_client": "docker", "tiny_model": "torch", "tiny_tokenizer": "torch"}
_HEAVY = ("torch", "transformers", "trl")


def wait_until(pred: Callable[[], Any], timeout: float = 20.0, interval: float = 0.1, what: str = "condition") -> Any:
    """Poll ``pred`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    pause = threading.Event()  # never set: wait(interval) is the pause between polls, bounded by the deadline
    while time.monotonic() < deadline:
        last = pred()
        if last:
            return last
        pause.wait(min(interval, max(0.0, deadline - time.monotonic())))
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Runs:
    """Reads a workspace's runs in the test process, as ``iotatui show`` does (reconcile, then read).

    Polling through ``python -m iotatui show`` costs about a second per poll on a busy machine; this costs a few
    milliseconds, so waits can poll every 0.1 s. ``reconcile=False`` reads the store as it is (no ingest, no
    liveness check, no queue pass): for tests that must prove the runs settle with nobody reading.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self._ws: Any = None

    @property
    def ws(self) -> Any:
        """The workspace handle, opened on first use (a test may write settings.toml before that)."""
        if self._ws is None:
            from iotatui.supervisor import Workspace

            self._ws = Workspace(self.home)
        return self._ws

    def get(self, run_id: str, reconcile: bool = True) -> dict[str, Any]:
        """One run as ``show --json`` gives it: the decoded row plus latest, checkpoints and artifacts."""
        from iotatui.supervisor import reconcile as _reconcile

        ws = self.ws
        if reconcile:
            _reconcile(ws)
        row = ws.store.get_run(run_id)
        if row is None:
            raise AssertionError(f"no run {run_id} in {self.home}")
        return {**row, "latest": row.get("last_metrics", {}), "checkpoints": ws.store.checkpoints(run_id),
                "artifacts": ws.store.artifacts(run_id)}

    def wait(self, run_id: str, until: str | tuple[str, ...] | Callable[[dict[str, Any]], Any], timeout: float = 30.0,
             what: str = "", reconcile: bool = True) -> dict[str, Any]:
        """Poll until the run has one of the ``until`` statuses (or ``until(run)`` is truthy); return the run."""
        if callable(until):
            pred = until
        else:
            wanted = (until,) if isinstance(until, str) else until
            pred = lambda r: r["status"] in wanted  # noqa: E731
        last: dict[str, Any] = {}

        def check() -> dict[str, Any] | None:
            nonlocal last
            last = self.get(run_id, reconcile=reconcile)
            return last if pred(last) else None

        try:
            return wait_until(check, timeout=timeout, what=what or f"run {run_id}: {until}")  # type: ignore[no-any-return]
        except AssertionError:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or until} on {run_id}: status "
                                 f"{last.get('status')}, step {last.get('last_step')}, error {last.get('error')!r}") from None

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None


class Cli:
    """Runs the real ``iotatui`` entry point in a subprocess against one workspace.

    ``run(id)`` (what tests poll) reads in-process through :class:`Runs` instead of a ``show`` subprocess each time.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runs = Runs(home)

    def __call__(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "IOTATUI_HOME": str(self.home)}
        p = subprocess.run([sys.executable, "-m", "iotatui", *args], capture_output=True, text=True, env=env,
                           timeout=timeout, cwd=str(ROOT))
        if check and p.returncode != 0:
            raise AssertionError(f"iotatui {' '.join(args)} -> {p.returncode}\n{p.stdout}\n{p.stderr}")
        return p

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)

    def run(self, run_id: str) -> dict[str, Any]:
        return self.runs.get(run_id)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    h = tmp_path / "ws"
    yield h
    _kill_leftovers(h)


@pytest.fixture
def cli(home: Path) -> Iterator[Cli]:
    c = Cli(home)
    yield c
    c.runs.close()


@pytest.fixture
def runs(cli: Cli) -> Runs:
    """In-process reads of the ``cli`` fixture's workspace (the same handle ``cli.run`` uses)."""
    return cli.runs


@pytest.fixture
def ws(home: Path):  # type: ignore[no-untyped-def]
    from iotatui.supervisor import Workspace

    w = Workspace(home)
    yield w
    w.close()


def _kill_leftovers(home: Path) -> None:
    """Tests must not leave detached runs behind (they would outlive pytest): kill every recorded process group."""
    import signal
    import sqlite3

    db = home / "iotatui.db"
    if not db.exists():
        return
    try:
        rows = sqlite3.connect(db).execute("SELECT pgid FROM runs WHERE pgid IS NOT NULL").fetchall()
    except sqlite3.Error:
        return
    for (pgid,) in rows:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, before ``-m`` deselects anything."""
    for item in items:
        for fixture, marker in _FIXTURE_MARKERS.items():
            if fixture in getattr(item, "fixturenames", ()) and item.get_closest_marker(marker) is None:
                item.add_marker(getattr(pytest.mark, marker))


_HEAVY_BEFORE = pytest.StashKey[list[str]]()


def _torch_deselected(config: pytest.Config) -> bool:
    return "not torch" in (config.getoption("markexpr", "") or "")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_HEAVY_BEFORE] = [m for m in _HEAVY if m in sys.modules]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    if _torch_deselected(item.config) and item.get_closest_marker("torch") is None:
        before = item.stash.get(_HEAVY_BEFORE, [])
        new = [m for m in _HEAVY if m in sys.modules and m not in before]
        if new:
            pytest.fail(f"{item.nodeid} imported {', '.join(new)} but is not marked torch (the fast lane skips those)",
                        pytrace=False)
    return result
