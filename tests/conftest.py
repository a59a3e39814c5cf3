"""Fixtures shared by every test folder: a fresh workspace, the real CLI as a subprocess, polling helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def wait_until(pred: Callable[[], Any], timeout: float = 20.0, interval: float = 0.1, what: str = "condition") -> Any:
    """Poll ``pred`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = pred()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Cli:
    """Runs the real ``iotatui`` entry point in a subprocess against one workspace."""

    def __init__(self, home: Path) -> None:
        self.home = home

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
        return self.json("show", run_id)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    h = tmp_path / "ws"
    yield h
    _kill_leftovers(h)


@pytest.fixture
def cli(home: Path) -> Cli:
    return Cli(home)


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
