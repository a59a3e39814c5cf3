"""``supervisor.delete`` and ``iotatui delete``: real detached ``count`` runs, real SQLite, real run directories."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iotatui import procinfo
from iotatui import supervisor as sup
from iotatui.store import StoreError
from tests.conftest import ROOT, Cli, Runs

pytestmark = pytest.mark.slow

TABLES = ("metrics", "logs", "checkpoints", "artifacts", "samples", "verdicts")


def add_eval_rows(runs: Runs, run_id: str) -> None:
    """A sample and a verdict row for the run (as the eval stage writes them), so every table has rows."""
    with runs.ws.store.write() as c:
        c.execute("INSERT INTO samples (run, sample_id, problem, code, t) VALUES (?, 's0', 'p0', 'print(1)', ?)",
                  (run_id, time.time()))
        c.execute("INSERT INTO verdicts (run, sample_id, problem, verdict, t) VALUES (?, 's0', 'p0', 'OK', ?)",
                  (run_id, time.time()))


def counts(runs: Runs, run_id: str) -> dict[str, int]:
    return {t: runs.ws.store.count(t, run_id) for t in TABLES}


def test_delete_finished_run_removes_rows_and_dir_and_spares_others(runs: Runs) -> None:
    keep = sup.launch(runs.ws, "count", sets=["steps=25", "interval=0.01"])
    gone = sup.launch(runs.ws, "count", sets=["steps=25", "interval=0.01"])
    for rid in (keep, gone):
        runs.wait(rid, "finished", timeout=60)
        add_eval_rows(runs, rid)
    before = counts(runs, gone)
    assert all(before.values()), before  # every table has rows of the run, so the test can see them go
    run_dir = Path(runs.ws.store.get_run(gone)["run_dir"])
    assert run_dir.is_dir()

    out = sup.delete(runs.ws, gone[-6:])  # a unique suffix, like every command takes
    assert out["id"] == gone and out["rows"] == before and out["dir_removed"] is True
    assert runs.ws.store.get_run(gone) is None
    assert counts(runs, gone) == dict.fromkeys(TABLES, 0)
    assert not run_dir.exists()
    assert all(counts(runs, keep).values()) and Path(runs.ws.store.get_run(keep)["run_dir"]).is_dir()
    with pytest.raises(StoreError, match="no run matches"):
        sup.delete(runs.ws, gone)


def test_delete_running_run_stops_it_first(runs: Runs) -> None:
    rid = sup.launch(runs.ws, "count", sets=["steps=100000", "interval=0.05"])
    run = runs.wait(rid, lambda r: r["status"] == "running" and r["pid"] and (r["last_step"] or 0) > 2, timeout=60)
    sup.delete(runs.ws, rid, grace_s=5)
    assert runs.ws.store.get_run(rid) is None
    assert not procinfo.is_alive(run["pid"], run["proc_start"]), "the backend must be stopped before its rows go"
    assert not Path(run["run_dir"]).exists()


def test_delete_refused_while_a_queued_run_depends_on_it(runs: Runs) -> None:
    up = sup.launch(runs.ws, "count", sets=["steps=100000", "interval=0.05"])
    down = sup.launch(runs.ws, "count", sets=["steps=3"], after=[up])
    runs.wait(up, "running", timeout=60)
    assert runs.get(down)["status"] == "queued"
    with pytest.raises(StoreError, match=f"run {up}: {down} depend"):
        sup.delete(runs.ws, up)
    assert runs.get(up)["status"] == "running"  # refused before anything was stopped or removed
    assert Path(runs.get(up)["run_dir"]).is_dir()
    # the dependent (queued) goes first, then the run itself
    sup.delete(runs.ws, down)
    sup.delete(runs.ws, up, grace_s=5)
    assert runs.ws.store.list_runs() == []


def test_cli_delete(cli: Cli, runs: Runs) -> None:
    rid = sup.launch(runs.ws, "count", sets=["steps=5", "interval=0.01"])
    runs.wait(rid, "finished", timeout=60)
    p = cli("delete", rid, "--yes")
    assert p.stdout.startswith(f"{rid}  deleted (") and "run dir removed" in p.stdout
    assert runs.ws.store.get_run(rid) is None
    p = cli("delete", "nosuchrun", "--yes", check=False)
    assert p.returncode == 2 and p.stderr.strip() == "error: no run matches 'nosuchrun'"


def test_cli_delete_asks_on_a_terminal(cli: Cli, runs: Runs) -> None:
    rid = sup.launch(runs.ws, "count", sets=["steps=5", "interval=0.01"])
    runs.wait(rid, "finished", timeout=60)
    master, slave = pty.openpty()
    env = {**os.environ, "IOTATUI_HOME": str(cli.home)}
    p = subprocess.Popen([sys.executable, "-m", "iotatui", "delete", rid], stdin=slave, stdout=slave, stderr=slave,
                         env=env, cwd=str(ROOT))
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in out and time.monotonic() < deadline:
        out += os.read(master, 4096)
    assert f"delete run {rid} (finished)".encode() in out
    os.write(master, b"n\n")
    assert p.wait(timeout=60) == 1
    os.close(master)
    assert runs.ws.store.get_run(rid) is not None  # answered no: nothing removed
