"""A light core, measured on the real paths: what ``iotatui runs`` loads, and what a waiting run shim costs.

Module-level import rules per module live in ``test_import_hygiene.py``; this checks the two processes users pay
for most often, end to end: the CLI listing runs (reconcile, ingest, queue pass, table) and a shim that waits for
its backend for hours.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iotatui import supervisor as sup
from tests.conftest import ROOT, Runs

HEAVY = ("pandas", "numpy", "torch", "textual", "sqlite_utils", "transformers",
         # not heavy, but not needed to list runs either (~100 ms together): the command groups and rich
         "rich.console", "iotatui.commands.data", "iotatui.bench.train_bench", "backends.data_pairs")
SHIM_RSS_LIMIT_KIB = 40 * 1024


def test_runs_command_loads_nothing_heavy(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    sup.Workspace(home).close()
    code = ("import sys, runpy\nsys.argv = ['iotatui', '--home', sys.argv[1], 'runs']\ntry:\n"
            "    runpy.run_module('iotatui', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code, str(home)], capture_output=True, text=True, cwd=str(ROOT),
                       timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "stage" in p.stdout  # the table was printed: the path under test really ran
    assert p.stdout.rstrip().splitlines()[-1] == "HEAVY=", p.stdout[-500:]


def test_every_group_is_there_for_any_other_command(tmp_path: Path) -> None:
    """The light path must not cost the groups: help lists them, and a group command runs."""
    cli = [sys.executable, "-m", "iotatui", "--home", str(tmp_path / "ws")]
    helped = subprocess.run([*cli, "--help"], capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    for group in ("data", "judge", "model", "bench", "metrics", "report", "pipeline"):
        assert f" {group} " in helped.stdout, group
    listed = subprocess.run([*cli, "data", "--help"], capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert listed.returncode == 0 and "sft" in listed.stdout


def _status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {key} for pid {pid}")


@pytest.mark.slow
def test_a_waiting_shim_stays_small(runs: Runs) -> None:
    rid = sup.launch(runs.ws, "count", sets=["steps=1000", "interval=1"])
    run = runs.wait(rid, lambda r: r["status"] == "running" and r["shim_pid"] and r["pid"], timeout=60,
                    what="running with a recorded backend")
    shim = run["shim_pid"]
    maps = Path(f"/proc/{shim}/maps").read_text()
    assert "python" in maps  # the probe reads the real process
    assert not [m for m in ("pandas", "numpy", "torch") if f"/{m}/" in maps]  # their compiled parts are mapped
    rss = _status_kib(shim, "VmHWM")  # peak, not a lucky moment
    assert rss < SHIM_RSS_LIMIT_KIB, f"shim peak RSS {rss / 1024:.1f} MiB"
    sup.stop(runs.ws, rid, grace_s=10)
