"""The PPO stop/resume round trip the PPO stage tests share (HF and vLLM rollouts)."""

from __future__ import annotations

from typing import Any

from iotatui import supervisor as sup
from tests.conftest import Runs


def ppo_stop_resume_finish(runs: Runs, sets: list[str], label: str, first_checkpoint_s: float,
                           finish_s: float) -> dict[str, Any]:
    """Launch PPO (smoke preset, ``sets``), stop it by SIGTERM after its first checkpoint, check the stop saved where
    it stood, resume from that checkpoint and wait for the end; the finished run (it may finish before the stop)."""
    run_id = sup.launch(runs.ws, "ppo", preset="smoke", sets=sets)
    runs.wait(run_id, lambda r: bool(r["checkpoints"]), timeout=first_checkpoint_s, what="a first checkpoint")
    sup.stop(runs.ws, run_id, grace_s=120, wait=True)
    stopped = runs.wait(run_id, ("stopped", "failed", "finished", "crashed"), timeout=200)
    assert stopped["status"] in ("stopped", "finished"), stopped["error"]
    print(f"{label}:", stopped["status"], "at update", stopped["last_step"])
    if stopped["status"] == "stopped":
        last = stopped["checkpoints"][-1]
        assert last["step"] == stopped["last_step"]  # the stop saved where it stood
        assert sup.resume(runs.ws, run_id)["resume_from"] == last["path"]
    done = runs.wait(run_id, ("finished", "failed", "crashed"), timeout=finish_s)
    assert done["status"] == "finished", done["error"]
    return done
