"""GPU slot assignment (per-run CUDA_VISIBLE_DEVICES) and `logs -f`, with real runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from iotatui import supervisor as sup
from tests.conftest import Cli, Runs

pytestmark = pytest.mark.slow


def _env_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(kv.decode().split("=", 1) for kv in raw if b"=" in kv)


def test_gpu_slots_hand_out_distinct_devices(cli: Cli, runs: Runs, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "settings.toml").write_text("gpus = 2\nmax_concurrent_runs = 8\n")
    ids = [sup.launch(runs.ws, "count", gpus=1, sets=["steps=100000", "interval=0.05"]) for _ in range(3)]
    cpu = sup.launch(runs.ws, "count", sets=["steps=3", "interval=0.01"])
    rows = [runs.get(i) for i in ids]
    active = [r for r in rows if r["status"] in ("starting", "running")]
    assert len(active) == 2 and sorted(r["gpu_ids"] for r in active) == ["0", "1"]
    waiting = next(r for r in rows if r["status"] == "queued")
    # a CPU-only run is not held up behind the GPU queue
    runs.wait(cpu, "finished", what="cpu run finished")
    pids = [runs.wait(r["id"], lambda x: x["pid"], what="pid")["pid"] for r in active]
    assert sorted(_env_of(p)["CUDA_VISIBLE_DEVICES"] for p in pids) == ["0", "1"]
    cli("stop", active[0]["id"], "--grace", "3")
    got = runs.wait(waiting["id"], "running", what="freed GPU reused")
    assert got["gpu_ids"] == active[0]["gpu_ids"]
    too_many = cli.json("launch", "count", "--gpus", "3")["id"]
    r = cli.run(too_many)
    assert r["status"] == "failed" and "needs 3 GPUs, this machine has 2" in r["error"]
    for i in ids:
        if runs.get(i)["status"] in ("running", "starting"):
            sup.stop(runs.ws, i, grace_s=3)


def test_logs_follow_prints_until_the_run_ends(cli: Cli, runs: Runs) -> None:
    run_id = sup.launch(runs.ws, "count", sets=["steps=15", "interval=0.05"])
    out = cli("logs", run_id, "-f", "--raw", timeout=60).stdout  # --raw: every line as the stage printed it
    assert "step 1/15" in out and "step 15/15" in out
    assert runs.get(run_id)["status"] == "finished"
    # Without --raw the stage's 15 alike lines read as the first one and a count (iotatui/lognoise.py)
    folded = cli("logs", run_id).stdout
    assert "step 1/15" in folded and "14 more lines like the one above" in folded and "step 15/15" not in folded


def test_a_distributed_stage_given_several_gpus_runs_under_accelerate(runs: Runs, home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from iotatui import stages

    # A distributed twin of `count` (training stages are `distributed`; they need torch and a model to start).
    monkeypatch.setitem(stages.STAGES, "count_ddp", stages.StageInfo("count_ddp", "backends.count", "ddp count",
                                                                      distributed=True))
    home.mkdir(parents=True)
    (home / "settings.toml").write_text("gpus = 2\n")
    multi = sup.launch(runs.ws, "count_ddp", gpus=2, sets=["steps=2", "interval=0.01"])
    cmd = json.loads((Path(runs.get(multi)["run_dir"]) / "launch.json").read_text())["command"]
    assert cmd[1:4] == ["-m", "accelerate.commands.launch", "--multi_gpu"]
    assert cmd[cmd.index("--num_processes") + 1] == "2" and cmd[-4:-2] == ["-m", "backends.count"]
    # Without real GPUs accelerate may refuse: either way the run settles (and frees its GPUs).
    runs.wait(multi, ("finished", "failed", "crashed"), timeout=120, what="ddp run settled")
    single = sup.launch(runs.ws, "count_ddp", gpus=1, sets=["steps=2", "interval=0.01"])
    runs.wait(single, ("finished",), timeout=60, what="single-GPU run")
    cmd1 = json.loads((Path(runs.get(single)["run_dir"]) / "launch.json").read_text())["command"]
    assert cmd1[1:3] == ["-m", "backends.count"]
