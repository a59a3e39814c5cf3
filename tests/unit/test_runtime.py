"""The backend runtime: cooperative stop, one writer per distributed launch, batched emitters.

The stop and rank tests run real stage processes (``python -m backends.count``, or a tiny stage file) and read the
events file they leave, as the ingester would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from backends._runtime import EventBatch, RunContext, is_main_process
from backends.events import EVENTS_FILE, Checkpoint, Metrics, RunStopped, Sample, VerdictEvent, parse_line
from tests.conftest import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _run_dir(tmp_path: Path, config: dict[str, Any], name: str = "run") -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "config.json").write_text(json.dumps(config))
    return d


def _events(run_dir: Path) -> list[Any]:
    path = run_dir / EVENTS_FILE
    if not path.exists():
        return []
    return [parse_line(ln) for ln in path.read_text().splitlines()]


def _spawn(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    # The test process's own launcher variables (if any) must not decide which rank the stage thinks it is.
    inherited = {k: v for k, v in os.environ.items() if k not in ("RANK", "LOCAL_RANK", "WORLD_SIZE")}
    full_env = {**inherited, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=full_env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _has_metrics(run_dir: Path, step: int = 1) -> bool:
    return any(isinstance(e, Metrics) and e.step >= step for e in _events(run_dir))


def test_sigterm_is_a_cooperative_stop_count_saves_and_returns_stopped(tmp_path: Path) -> None:
    run_dir = _run_dir(tmp_path, {"steps": 100_000, "interval": 0.05, "checkpoint_every": 0})
    proc = _spawn(["-m", "backends.count", "--run-dir", str(run_dir)])
    try:
        # step 2's metrics: count has polled run.should_stop (once, at the end of step 1), so it stops cooperatively
        wait_until(lambda: _has_metrics(run_dir, step=2), timeout=60, what="count's second step")
        proc.send_signal(signal.SIGTERM)
        proc.send_signal(signal.SIGTERM)  # a second SIGTERM is the same request, not an exception mid-save
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    events = _events(run_dir)
    kinds = [e.kind for e in events if e is not None]
    assert kinds[-1] == "stopped" and "finished" not in kinds and "failed" not in kinds, kinds
    stopped = events[-1]
    assert isinstance(stopped, RunStopped) and stopped.reason == "SIGTERM"
    ckpts = [e for e in events if isinstance(e, Checkpoint)]
    # checkpoint_every=0: the only checkpoint is the one written because of the stop, at the step it stopped on
    assert len(ckpts) == 1 and ckpts[0].step == stopped.step
    assert json.loads(Path(ckpts[0].path).read_text())["step"] == stopped.step
    last_metrics = [e for e in events if isinstance(e, Metrics)][-1]
    assert last_metrics.step == stopped.step


_UNCOOPERATIVE = '''
import signal, sys
from dataclasses import dataclass
from pathlib import Path
from backends._runtime import run_stage

@dataclass
class Config:
    marker: str = ""

def main(cfg, run):
    run.metrics(1, {"x": 1.0})
    try:
        while True:
            signal.pause()  # never polls run.should_stop: waits for the SIGTERM that interrupts it
    finally:
        Path(cfg.marker).write_text("unwound")

run_stage(Config, main)
'''


def test_a_stage_that_never_polls_is_interrupted_and_unwinds(tmp_path: Path) -> None:
    stage = tmp_path / "stage.py"
    stage.write_text(_UNCOOPERATIVE)
    marker = tmp_path / "marker"
    run_dir = _run_dir(tmp_path, {"marker": str(marker)})
    proc = _spawn([str(stage), "--run-dir", str(run_dir)])
    try:
        wait_until(lambda: _has_metrics(run_dir), timeout=60, what="the stage's first metrics")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 143
    assert marker.read_text() == "unwound"  # its finally blocks ran (a SIGKILL after the grace would skip them)
    last = _events(run_dir)[-1]
    assert isinstance(last, RunStopped) and last.reason == "SIGTERM (interrupted)" and last.step == 1


@pytest.mark.parametrize("fail", [True, False])
def test_non_zero_rank_writes_no_events_and_its_exit_status_carries_the_outcome(tmp_path: Path, fail: bool) -> None:
    config = {"steps": 3, "interval": 0.0, "fail_at": 2 if fail else -1}
    rank1 = _run_dir(tmp_path, config, "rank1")
    proc = _spawn(["-m", "backends.count", "--run-dir", str(rank1)], env={"RANK": "1", "WORLD_SIZE": "2"})
    _, err = proc.communicate(timeout=60)
    assert not (rank1 / EVENTS_FILE).exists()
    if fail:
        assert proc.returncode == 1
        assert "Traceback" in err and "simulated failure at step 2" in err
    else:
        assert proc.returncode == 0, err
    # the same run as rank 0 reports normally: the silence above is the rank, not the config
    rank0 = _run_dir(tmp_path, config, "rank0")
    proc = _spawn(["-m", "backends.count", "--run-dir", str(rank0)], env={"RANK": "0", "WORLD_SIZE": "2"})
    proc.communicate(timeout=60)
    assert proc.returncode == (1 if fail else 0)
    assert _events(rank0)[-1].kind == ("failed" if fail else "finished")


def test_is_main_process_reads_the_launchers_env() -> None:
    assert is_main_process({})
    assert is_main_process({"RANK": "0", "LOCAL_RANK": "0", "WORLD_SIZE": "4"})
    assert not is_main_process({"RANK": "3", "LOCAL_RANK": "1", "WORLD_SIZE": "4"})
    assert not is_main_process({"RANK": "8", "LOCAL_RANK": "0", "WORLD_SIZE": "16"})  # node 1's first process
    assert not is_main_process({"LOCAL_RANK": "1", "WORLD_SIZE": "2"})
    assert is_main_process({"LOCAL_RANK": "1", "WORLD_SIZE": "1"})
    assert is_main_process({"RANK": "garbage"})


def test_should_stop_and_request_stop(tmp_path: Path) -> None:
    run = RunContext(tmp_path, "r", 1, None, is_main=True)
    assert not run.should_stop and run.stop_reason == ""
    run.request_stop("budget")
    run.request_stop("second")
    assert run.should_stop and run.stop_reason == "budget"


def _lines(run_dir: Path) -> int:
    p = run_dir / EVENTS_FILE
    return len(p.read_bytes().splitlines()) if p.exists() else 0


def test_batched_emitter_flushes_by_count_by_age_and_on_close(tmp_path: Path) -> None:
    run = RunContext(tmp_path, "r", 1, None, is_main=True)
    with run.verdicts(max_events=10, max_wait_s=3600) as out:
        for i in range(25):
            out.add(VerdictEvent(sample_id=str(i), verdict="OK", tests="AA"))
        assert _lines(tmp_path) == 20  # two full bursts; the last 5 wait
        with pytest.raises(TypeError):
            out.add(Sample(sample_id="x"))  # type: ignore[arg-type]
    assert _lines(tmp_path) == 25
    ids = [e.sample_id for e in _events(tmp_path)]
    assert ids == [str(i) for i in range(25)]
    with run.samples(max_events=1000, max_wait_s=0.2) as samples:
        samples.add(Sample(sample_id="slow"))
        t0 = time.monotonic()
        wait_until(lambda: _lines(tmp_path) == 26, timeout=10, interval=0.02, what="the age-based flush")
        assert time.monotonic() - t0 < 5
        assert samples.added == 1


def test_non_main_rank_batches_write_nothing(tmp_path: Path) -> None:
    run = RunContext(tmp_path, "r", 1, None, is_main=False)
    assert not run.is_main
    run.metrics(1, {"a": 1.0})
    with run.verdicts(max_events=1) as out:
        out.add(VerdictEvent(sample_id="1"))
    assert out.added == 1
    assert not (tmp_path / EVENTS_FILE).exists()


def test_batch_is_usable_without_a_with_block(tmp_path: Path) -> None:
    run = RunContext(tmp_path, "r", 1, None, is_main=True)
    out: EventBatch[Sample] = run.samples()
    out.add(Sample(sample_id="a"))
    out.close()
    out.close()  # idempotent
    assert [e.sample_id for e in _events(tmp_path)] == ["a"]
    with pytest.raises(ValueError):
        out.add(Sample(sample_id="b"))


@pytest.mark.slow
def test_supervisor_stop_is_recorded_from_the_stage_and_resume_continues_without_a_gap(runs: Any) -> None:
    from iotatui import supervisor as sup

    steps = 30
    rid = sup.launch(runs.ws, "count", sets=[f"steps={steps}", "interval=0.05", "checkpoint_every=0"])
    runs.wait(rid, lambda r: r["status"] == "running" and (r["last_step"] or 0) >= 3, timeout=60, what="step 3")
    t0 = time.monotonic()
    sup.stop(runs.ws, rid, grace_s=30)
    assert time.monotonic() - t0 < 20  # the stage returned by itself, long before the SIGKILL
    stopped = runs.get(rid)
    assert stopped["status"] == "stopped"
    logs = [text for (text,) in runs.ws.store.conn.execute("SELECT text FROM logs WHERE run = ? ORDER BY id", (rid,))]
    at = stopped["last_step"]
    assert f"stopped (SIGTERM) at step {at}" in logs, logs
    assert [c["step"] for c in stopped["checkpoints"]] == [at]  # saved on the way out, at the step it stopped on
    sup.resume(runs.ws, rid)
    done = runs.wait(rid, "finished", timeout=90)
    assert done["attempt"] == 2 and done["last_step"] == steps
    rows = runs.ws.store.conn.execute("SELECT step, COUNT(*) FROM metrics WHERE run = ? AND key = 'train/loss' "
                                      "GROUP BY step ORDER BY step", (rid,)).fetchall()
    assert rows == [(s, 1) for s in range(1, steps + 1)]  # every step once: nothing lost, nothing repeated


def test_a_config_value_out_of_range_fails_the_run_with_one_line(tmp_path: Path) -> None:
    # The launch checks ranges; the backend checks them again (same rules), so a hand-edited config.json can't run.
    run_dir = _run_dir(tmp_path, {"steps": 3, "interval": 0.0, "metrics_per_step": 99})
    proc = _spawn(["-m", "backends.count", "--run-dir", str(run_dir)])
    assert proc.wait(timeout=60) == 1
    last = _events(run_dir)[-1]
    assert last.kind == "failed" and "metrics_per_step: 99 is out of range (1..8)" in last.error
    assert not any(isinstance(e, Metrics) for e in _events(run_dir))  # nothing ran
