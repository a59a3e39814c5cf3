"""The run supervisor end to end, with real detached subprocesses and real SQLite.

Runs are launched through the real CLI where the CLI is what is under test (launch, stop, resume) and in-process
elsewhere (``supervisor.launch``: the same code without a second of interpreter start per launch). Every wait polls
the store in-process with a deadline (:class:`tests.conftest.Runs`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iotatui import procinfo
from iotatui import supervisor as sup
from iotatui.store import Store
from tests.conftest import Cli, Runs, wait_until

pytestmark = pytest.mark.slow


def launch(cli: Cli, *sets: str, extra: tuple[str, ...] = ()) -> str:
    """Launch a ``count`` run through the real CLI subprocess."""
    args = ["launch", "count", *extra]
    for s in sets:
        args += ["--set", s]
    return str(cli.json(*args)["id"])


def start(runs: Runs, *sets: str, after: list[str] | None = None) -> str:
    """Launch a ``count`` run in-process."""
    return sup.launch(runs.ws, "count", sets=list(sets), after=after or [])


def test_launch_streams_metrics_and_finishes(cli: Cli, runs: Runs, home: Path) -> None:
    run_id = launch(cli, "steps=25", "interval=0.02", "metrics_per_step=3")
    run = runs.wait(run_id, "finished", timeout=30)
    assert run["exit_code"] == 0
    assert run["last_step"] == 25
    assert run["summary"]["steps"] == 25
    store = Store(home / "iotatui.db")
    rows = store.metrics_after_id(run_id)
    assert len(rows) == 25 * 3
    steps = [r[1] for r in rows if r[2] == "train/loss"]
    assert steps == list(range(1, 26))
    losses = [r[3] for r in rows if r[2] == "train/loss"]
    assert losses[-1] < losses[0]  # a decaying curve
    # incremental follower read: only rows newer than what it saw
    last_id = rows[40][0]
    assert [r[0] for r in store.metrics_after_id(run_id, last_id)] == [r[0] for r in rows[41:]]
    assert [c["step"] for c in store.checkpoints(run_id)] == [20]


def test_kill_9_marks_crashed_within_10s(runs: Runs) -> None:
    run_id = start(runs, "steps=10000", "interval=0.05")
    pid = runs.wait(run_id, lambda r: r["status"] == "running" and r["pid"] and r["last_step"], what="metrics")["pid"]
    os.kill(pid, signal.SIGKILL)
    # The deadline is the assertion: the crash must be recorded within 10 s of the kill.
    run = runs.wait(run_id, "crashed", timeout=10)
    assert run["exit_code"] == -9
    assert "SIGKILL" in run["error"]


def test_run_survives_cli_exit_and_stop(cli: Cli, runs: Runs) -> None:
    # The launching CLI process has exited by the time cli.json returns; the run keeps going.
    run_id = launch(cli, "steps=10000", "interval=0.05")
    first = runs.wait(run_id, lambda r: r["last_step"], what="metrics")["last_step"]
    runs.wait(run_id, lambda r: (r["last_step"] or 0) > first + 5, what="more metrics after the CLI exited")
    out = cli("stop", run_id, "--grace", "5").stdout
    assert "stopped" in out
    run = runs.get(run_id)
    assert run["status"] == "stopped"
    assert not procinfo.is_alive(run["pid"], run["proc_start"])


def test_stop_escalates_to_sigkill_after_the_grace(runs: Runs) -> None:
    # A backend that cannot act on SIGTERM is killed once the grace period is over, not before and not much after.
    run_id = start(runs, "steps=10000", "interval=0.05")
    run = runs.wait(run_id, lambda r: r["status"] == "running" and r["pid"] and r["last_step"], what="metrics")
    pid, pstart = run["pid"], run["proc_start"]
    os.kill(pid, signal.SIGSTOP)  # a stopped process keeps SIGTERM pending; only SIGKILL ends it
    t0 = time.monotonic()
    sup.stop(runs.ws, run_id, grace_s=1.5)
    took = time.monotonic() - t0
    assert not procinfo.is_alive(pid, pstart)
    assert runs.get(run_id)["status"] == "stopped"
    assert took >= 1.5, f"SIGKILL came before the grace was over ({took:.2f} s)"
    # The settings default (10 s) would have waited much longer: the grace given is the one used.
    assert took < 1.5 + 5, f"stop took {took:.2f} s with a 1.5 s grace"


def test_resume_continues_from_checkpoint(cli: Cli, runs: Runs, home: Path) -> None:
    # 75 steps (3.75 s) are still to go when the stop is sent: the run cannot finish first on a busy machine.
    run_id = launch(cli, "steps=100", "interval=0.05", "checkpoint_every=10")
    runs.wait(run_id, lambda r: (r["last_step"] or 0) >= 25, timeout=30, what="step 25")
    assert sup.stop(runs.ws, run_id, grace_s=5)["status"] == "stopped"
    store = Store(home / "iotatui.db")
    ckpt = store.checkpoints(run_id)[-1]["step"]
    assert ckpt >= 20
    out = cli("resume", run_id).stdout
    assert f"step-{ckpt}.json" in out
    run = runs.wait(run_id, "finished", timeout=40)
    assert run["attempt"] == 2
    steps = [r[1] for r in store.metrics_after_id(run_id) if r[2] == "train/loss"]
    # metrics after the checkpoint were dropped and re-logged: every step exactly once, in order
    assert sorted(steps) == list(range(1, 101))


def test_pid_reuse_and_zombie_count_as_dead(ws) -> None:  # type: ignore[no-untyped-def]
    # A live process whose start time differs from the recorded one is not our run.
    me = os.getpid()
    assert procinfo.is_alive(me, procinfo.start_time(me))
    assert not procinfo.is_alive(me, (procinfo.start_time(me) or 0) + 12345)
    # A zombie: exited child not yet reaped.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    start_t = procinfo.start_time(child.pid)
    wait_until(lambda: procinfo.state(child.pid) == "Z", what="zombie")
    assert not procinfo.is_alive(child.pid, start_t)
    child.wait()
    # Reconcile turns a "running" row whose pid now belongs to someone else into crashed.
    ws.store.insert_run({"id": "count-fake", "stage": "count", "status": "running", "run_dir": str(ws.run_dir("x")),
                         "pid": me, "proc_start": (procinfo.start_time(me) or 0) + 1, "host": os.uname().nodename})
    sup.reconcile(ws)
    assert ws.store.get_run("count-fake")["status"] == "crashed"


def test_queue_after_runs_without_any_reader(runs: Runs) -> None:
    # B waits for A; nobody reconciles meanwhile (plain store reads): A's shim starts B when A finishes.
    a = start(runs, "steps=30", "interval=0.05")
    b = start(runs, "steps=5", "interval=0.01", after=[a])
    assert runs.get(b, reconcile=False)["status"] == "queued"
    runs.wait(b, "finished", timeout=30, what="B finished via A's shim", reconcile=False)
    ra, rb = runs.get(a, reconcile=False), runs.get(b, reconcile=False)
    assert ra["status"] == "finished"
    assert rb["started"] >= ra["finished"] - 0.5


def test_dependency_failure_propagates(runs: Runs) -> None:
    a = start(runs, "steps=50", "interval=0.01", "fail_at=3")
    b = start(runs, "steps=5", after=[a])
    c = start(runs, "steps=5", after=[b])
    runs.wait(c, "failed", timeout=30, what="C failed")
    ra, rb, rc = runs.get(a), runs.get(b), runs.get(c)
    assert ra["status"] == "failed" and "simulated failure at step 3" in ra["error"]
    assert rb["status"] == "failed" and f"dependency {a} failed" in rb["error"]
    assert f"dependency {b} failed" in rc["error"]
    assert rb["pid"] is None and rc["pid"] is None  # never started


def test_slot_limit(runs: Runs, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text("max_concurrent_runs = 1\n")
    a = start(runs, "steps=80", "interval=0.05")
    b = start(runs, "steps=3", "interval=0.01")
    runs.wait(a, lambda r: r["status"] == "running" and r["last_step"], what="A running")
    # Each read runs a queue pass; B must stay queued through them while A still holds the only slot.
    for _ in range(3):
        assert runs.get(b)["status"] == "queued"
    assert runs.get(a)["status"] == "running"
    rb = runs.wait(b, "finished", timeout=30, what="B ran after A freed the slot")
    assert rb["started"] >= runs.get(a)["finished"] - 0.5


def test_kill_9_of_the_shim_does_not_lose_the_run(runs: Runs) -> None:
    # The shim (the run's supervisor) dies; the backend carries on, and its own final event still settles the run.
    run_id = start(runs, "steps=60", "interval=0.05")
    run = runs.wait(run_id, lambda r: r["status"] == "running" and r["pid"] and r["last_step"], what="running")
    os.kill(run["shim_pid"], signal.SIGKILL)

    def shim_gone() -> bool:
        procinfo.reap_children()  # launched in-process: the shim is our child until reaped
        return not procinfo.is_alive(run["shim_pid"], run["shim_start"])

    wait_until(shim_gone, what="shim gone")
    # Reads after the shim is gone (each one checks liveness) must not declare the live backend dead.
    step = runs.get(run_id)["last_step"]
    runs.wait(run_id, lambda r: r["status"] != "running" or (r["last_step"] or 0) > step + 3,
              what="backend advancing with its shim dead")
    assert runs.get(run_id)["status"] == "running"
    assert procinfo.is_alive(run["pid"], run["proc_start"])
    done = runs.wait(run_id, ("finished", "crashed"), timeout=30, what="settled")
    assert done["status"] == "finished" and done["last_step"] == 60
