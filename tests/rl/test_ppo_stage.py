"""PPO end to end through the supervisor on the tiny model (CPU, the smoke preset, a callable reward): stopped by
SIGTERM after its first checkpoint, resumed on the same step axis, finished with an adapter + value head."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.conftest import Runs  # the `runs` fixture: tests/conftest.py
from tests.rl.stop_resume import ppo_stop_resume_finish

pytestmark = [pytest.mark.slow, pytest.mark.torch]

UPDATES = 4


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
    done = ppo_stop_resume_finish(runs, [f"model={model}", f"max_updates={UPDATES}", "save_every=2"], "ppo stage",
                                  first_checkpoint_s=400, finish_s=400)
    run_id = done["id"]
    rows = runs.ws.store.metrics_after_step(run_id, -1, ["reward/raw_mean", "ppo/kl", "ppo/value_loss", "ppo/entropy"])
    steps = sorted({s for s, _, _ in rows})
    assert steps == list(range(1, UPDATES + 1))  # every update once: the axis continues across the resume
    assert len(rows) == 4 * UPDATES and all(v is not None and math.isfinite(v) for _, _, v in rows), rows
    assert all(v is not None and 0.0 <= v <= 1.0 for _, k, v in rows if k == "reward/raw_mean")  # format_reward's range
    art = next(a for a in done["artifacts"] if a["name"] == "model")
    out = Path(art["path"])
    assert art["meta"]["adapter"] is True and art["meta"]["stage"] == "ppo"
    assert (out / "adapter_config.json").exists() and (out / "value_head.pt").exists()
    assert done["summary"]["updates"] == UPDATES
    # Every bundled train prompt fits the smoke preset's limit (none left out), rollouts stop at its 32 tokens, and a
    # random tiny model rarely writes EOS that early: the missing-EOS penalty lowers reward/mean below the raw one.
    assert done["summary"]["prompts_skipped_too_long"] == 0 and done["summary"]["max_new_tokens"] == 32
    pen = runs.ws.store.metrics_after_step(run_id, -1, ["ppo/missing_eos_frac", "reward/raw_mean", "reward/mean"])
    by_step: dict[int, dict[str, float]] = {}
    for s, k, v in pen:
        by_step.setdefault(s, {})[k] = v
    for m in by_step.values():
        assert m["reward/mean"] == pytest.approx(m["reward/raw_mean"] - 1.0 * m["ppo/missing_eos_frac"], abs=1e-5), m
