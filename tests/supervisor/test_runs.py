"""The run supervisor end to end, with real detached subprocesses and real SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iotatui import procinfo
from iotatui.store import Store
from tests.conftest import Cli, wait_until

pytestmark = pytest.mark.slow


def launch(cli: Cli, *sets: str, extra: tuple[str, ...] = ()) -> str:
    args = ["launch", "count", *extra]
    for s in sets:
        args += ["--set", s]
    return cli.json(*args)["id"]


def status(cli: Cli, run_id: str) -> str:
    return cli.run(run_id)["status"]


def test_launch_streams_metrics_and_finishes(cli: Cli, home: Path) -> None:
    run_id = launch(cli, "steps=25", "interval=0.02", "metrics_per_step=3")
    run = wait_until(lambda: (r := cli.run(run_id))["status"] == "finished" and r, timeout=30, what="finished")
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


def test_kill_9_marks_crashed_within_10s(cli: Cli) -> None:
    run_id = launch(cli, "steps=10000", "interval=0.05")
    pid = wait_until(lambda: (r := cli.run(run_id))["status"] == "running" and r["pid"], what="running pid")
    wait_until(lambda: cli.run(run_id)["last_step"], what="first metrics")
    os.kill(pid, signal.SIGKILL)
    t0 = time.monotonic()
    run = wait_until(lambda: (r := cli.run(run_id))["status"] == "crashed" and r, timeout=10, what="crashed")
    assert time.monotonic() - t0 < 10
    assert run["exit_code"] == -9
    assert "SIGKILL" in run["error"]


def test_run_survives_cli_exit_and_stop(cli: Cli, home: Path) -> None:
    # The launching CLI process has exited by the time cli.json returns; the run keeps going.
    run_id = launch(cli, "steps=10000", "interval=0.05")
    first = wait_until(lambda: cli.run(run_id)["last_step"], what="metrics")
    wait_until(lambda: (cli.run(run_id)["last_step"] or 0) > first + 5, what="more metrics after the CLI exited")
    out = cli("stop", run_id, "--grace", "5").stdout
    assert "stopped" in out
    run = cli.run(run_id)
    assert run["status"] == "stopped"
    assert not procinfo.is_alive(run["pid"], None)


def test_stop_escalates_to_sigkill(cli: Cli, home: Path) -> None:
    # A backend that ignores SIGTERM is killed after the grace period.
    run_id = launch(cli, "steps=10000", "interval=0.05")
    pid = wait_until(lambda: (r := cli.run(run_id))["status"] == "running" and r["pid"], what="pid")
    wait_until(lambda: cli.run(run_id)["last_step"], what="metrics")
    # make the backend deaf to SIGTERM via gdb-free trick: SIGSTOP it, so SIGTERM stays pending
    os.kill(pid, signal.SIGSTOP)
    t0 = time.monotonic()
    cli("stop", run_id, "--grace", "1")
    assert time.monotonic() - t0 < 15
    assert not procinfo.is_alive(pid, None)
    assert cli.run(run_id)["status"] == "stopped"


def test_resume_continues_from_checkpoint(cli: Cli, home: Path) -> None:
    run_id = launch(cli, "steps=60", "interval=0.05", "checkpoint_every=10")
    wait_until(lambda: (cli.run(run_id)["last_step"] or 0) >= 25, timeout=30, what="step 25")
    cli("stop", run_id, "--grace", "5")
    store = Store(home / "iotatui.db")
    ckpt = store.checkpoints(run_id)[-1]["step"]
    out = cli("resume", run_id).stdout
    assert f"step-{ckpt}.json" in out
    run = wait_until(lambda: (r := cli.run(run_id))["status"] == "finished" and r, timeout=40, what="finished")
    assert run["attempt"] == 2
    steps = [r[1] for r in store.metrics_after_id(run_id) if r[2] == "train/loss"]
    # metrics after the checkpoint were dropped and re-logged: every step exactly once, in order
    assert sorted(steps) == list(range(1, 61))


def test_pid_reuse_and_zombie_count_as_dead(ws) -> None:  # type: ignore[no-untyped-def]
    # A live process whose start time differs from the recorded one is not our run.
    me = os.getpid()
    assert procinfo.is_alive(me, procinfo.start_time(me))
    assert not procinfo.is_alive(me, (procinfo.start_time(me) or 0) + 12345)
    # A zombie: exited child not yet reaped.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    start = procinfo.start_time(child.pid)
    wait_until(lambda: procinfo.state(child.pid) == "Z", what="zombie")
    assert not procinfo.is_alive(child.pid, start)
    child.wait()
    # Reconcile turns a "running" row whose pid now belongs to someone else into crashed.
    from iotatui.supervisor import reconcile

    ws.store.insert_run({"id": "count-fake", "stage": "count", "status": "running", "run_dir": str(ws.run_dir("x")),
                         "pid": me, "proc_start": (procinfo.start_time(me) or 0) + 1, "host": os.uname().nodename})
    reconcile(ws)
    assert ws.store.get_run("count-fake")["status"] == "crashed"


def test_queue_after_runs_without_any_reader(home: Path, cli: Cli) -> None:
    # B waits for A; nobody reads the store meanwhile: A's shim starts B when A finishes.
    a = launch(cli, "steps=15", "interval=0.05")
    b = launch(cli, "steps=5", "interval=0.01", extra=("--after", a))
    store = Store(home / "iotatui.db")  # plain reads: no reconcile, no tick
    assert store.get_run(b)["status"] == "queued"
    wait_until(lambda: store.get_run(b)["status"] == "finished", timeout=30, what="B finished via A's shim")
    ra, rb = store.get_run(a), store.get_run(b)
    assert rb["started"] >= ra["finished"] - 0.5


def test_dependency_failure_propagates(cli: Cli, home: Path) -> None:
    a = launch(cli, "steps=50", "interval=0.01", "fail_at=3")
    b = launch(cli, "steps=5", extra=("--after", a))
    c = launch(cli, "steps=5", extra=("--after", b))
    wait_until(lambda: cli.run(c)["status"] == "failed", timeout=30, what="C failed")
    ra, rb, rc = cli.run(a), cli.run(b), cli.run(c)
    assert ra["status"] == "failed" and "simulated failure at step 3" in ra["error"]
    assert rb["status"] == "failed" and f"dependency {a} failed" in rb["error"]
    assert f"dependency {b} failed" in rc["error"]
    assert rb["pid"] is None and rc["pid"] is None  # never started


def test_slot_limit(cli: Cli, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text("max_concurrent_runs = 1\n")
    a = launch(cli, "steps=80", "interval=0.05")
    b = launch(cli, "steps=3", "interval=0.01")
    time.sleep(0.5)
    assert cli.run(b)["status"] == "queued"
    assert cli.run(a)["status"] in ("starting", "running")
    wait_until(lambda: cli.run(b)["status"] == "finished", timeout=30, what="B ran after A freed the slot")
    assert cli.run(b)["started"] >= cli.run(a)["finished"] - 0.5


def test_kill_9_of_the_shim_does_not_lose_the_run(cli: Cli, home: Path) -> None:
    # The shim (the run's supervisor) dies; the backend carries on, and its own final event still settles the run.
    run_id = launch(cli, "steps=40", "interval=0.05")
    run = wait_until(lambda: (r := cli.run(run_id))["status"] == "running" and r["pid"] and r, what="running")
    store = Store(home / "iotatui.db")
    shim_pid = store.get_run(run_id)["shim_pid"]
    os.kill(shim_pid, signal.SIGKILL)
    time.sleep(0.5)
    assert cli.run(run_id)["status"] == "running"  # backend still alive: not declared dead
    assert procinfo.is_alive(run["pid"], None)
    done = wait_until(lambda: (r := cli.run(run_id))["status"] in ("finished", "crashed") and r, timeout=30,
                      what="settled")
    assert done["status"] == "finished" and done["last_step"] == 40
