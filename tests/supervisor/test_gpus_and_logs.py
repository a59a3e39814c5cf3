"""GPU slot assignment (per-run CUDA_VISIBLE_DEVICES) and `logs -f`, with real runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli, wait_until

pytestmark = pytest.mark.slow


def _env_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(kv.decode().split("=", 1) for kv in raw if b"=" in kv)


def test_gpu_slots_hand_out_distinct_devices(cli: Cli, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "settings.toml").write_text("gpus = 2\nmax_concurrent_runs = 8\n")
    ids = [cli.json("launch", "count", "--gpus", "1", "--set", "steps=100000", "--set", "interval=0.05")["id"]
           for _ in range(3)]
    cpu = cli.json("launch", "count", "--set", "steps=3", "--set", "interval=0.01")["id"]
    runs = [cli.run(i) for i in ids]
    active = [r for r in runs if r["status"] in ("starting", "running")]
    assert len(active) == 2 and sorted(r["gpu_ids"] for r in active) == ["0", "1"]
    waiting = next(r for r in runs if r["status"] == "queued")
    # a CPU-only run is not held up behind the GPU queue
    wait_until(lambda: cli.run(cpu)["status"] == "finished", what="cpu run finished")
    pids = [wait_until(lambda r=r: cli.run(r["id"])["pid"], what="pid") for r in active]
    assert sorted(_env_of(p)["CUDA_VISIBLE_DEVICES"] for p in pids) == ["0", "1"]
    cli("stop", active[0]["id"], "--grace", "3")
    got = wait_until(lambda: (r := cli.run(waiting["id"]))["status"] == "running" and r, what="freed GPU reused")
    assert got["gpu_ids"] == active[0]["gpu_ids"]
    too_many = cli.json("launch", "count", "--gpus", "3")["id"]
    r = cli.run(too_many)
    assert r["status"] == "failed" and "needs 3 GPUs, this machine has 2" in r["error"]
    for i in ids:
        if cli.run(i)["status"] in ("running", "starting"):
            cli("stop", i, "--grace", "3")


def test_logs_follow_prints_until_the_run_ends(cli: Cli) -> None:
    run_id = cli.json("launch", "count", "--set", "steps=15", "--set", "interval=0.05")["id"]
    out = cli("logs", run_id, "-f", timeout=60).stdout
    assert "step 1/15" in out and "step 15/15" in out
    assert cli.run(run_id)["status"] == "finished"
