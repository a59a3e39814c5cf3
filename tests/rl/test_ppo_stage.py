"""PPO end to end through the supervisor on the tiny model (CPU, the smoke preset, a callable reward): stopped by
SIGTERM after its first checkpoint, resumed on the same step axis, finished with an adapter + value head."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from iotatui import supervisor as sup
from tests.conftest import Runs, _kill_leftovers

pytestmark = [pytest.mark.slow, pytest.mark.torch]

UPDATES = 4


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[Runs]:
    r = Runs(tmp_path / "ws")
    yield r
    r.close()
    _kill_leftovers(r.home)


def test_config_checks_reward_in_one_line() -> None:
    from backends.ppo import Config

    for bad, msg in (("rmm", "expected rm, judge, mix"), ("callable:m", "expected callable:module:function")):
        with pytest.raises(ValueError, match=msg):
            Config(reward=bad).check()
    with pytest.raises(ValueError, match="needs reward_model"):
        Config(reward="mix").check()
    Config(reward="callable:backends._rewards:format_reward").check()


def test_ppo_smoke_stop_resume_finish(runs: Runs, tmp_path: Path) -> None:
    from iotatui.data.models import make_tiny

    model = make_tiny(tmp_path / "tiny")
    run_id = sup.launch(runs.ws, "ppo", preset="smoke", sets=[f"model={model}", f"max_updates={UPDATES}",
                                                              "save_every=2"])
    runs.wait(run_id, lambda r: bool(r["checkpoints"]), timeout=400, what="a first checkpoint")
    sup.stop(runs.ws, run_id, grace_s=120, wait=True)
    stopped = runs.wait(run_id, ("stopped", "failed", "finished"), timeout=200)
    assert stopped["status"] in ("stopped", "finished"), stopped["error"]
    print("ppo stage:", stopped["status"], "at update", stopped["last_step"])
    if stopped["status"] == "stopped":
        last = stopped["checkpoints"][-1]
        assert last["step"] == stopped["last_step"]  # the stop saved where it stood
        assert sup.resume(runs.ws, run_id)["resume_from"] == last["path"]
    done = runs.wait(run_id, ("finished", "failed", "crashed"), timeout=400)
    assert done["status"] == "finished", done["error"]
    rows = runs.ws.store.metrics_after_step(run_id, -1, ["reward/mean", "ppo/kl", "ppo/value_loss", "ppo/entropy"])
    steps = sorted({s for s, _, _ in rows})
    assert steps == list(range(1, UPDATES + 1))  # every update once: the axis continues across the resume
    assert len(rows) == 4 * UPDATES and all(v is not None and math.isfinite(v) for _, _, v in rows), rows
    assert all(v is not None and 0.0 <= v <= 1.0 for _, k, v in rows if k == "reward/mean")  # format_reward's range
    art = next(a for a in done["artifacts"] if a["name"] == "model")
    out = Path(art["path"])
    assert art["meta"]["adapter"] is True and art["meta"]["stage"] == "ppo"
    assert (out / "adapter_config.json").exists() and (out / "value_head.pt").exists()
    assert done["summary"]["updates"] == UPDATES
