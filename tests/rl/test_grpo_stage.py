"""GRPO with the judge as reward: the reward function on the real Docker judge, and the stage end to end through
the supervisor on the tiny model (CPU, a few steps)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from iotatui import supervisor as sup
from tests.conftest import Runs  # the `runs` fixture: tests/conftest.py

STEPS = 3
GENERATIONS = 2


def length_reward(prompts: list[str], completions: list[str], problems: list[str]) -> list[float]:
    return [len(c) + (p == "A") for c, p in zip(completions, problems, strict=True)]


def test_config_checks_the_reward_options_in_one_line() -> None:
    from backends.grpo import Config, load_callable, reward_kind

    assert [reward_kind(v) for v in ("judge", "rm", "mix", "callable:m:f")] == ["judge", "rm", "mix", "callable"]
    for bad in ("jduge", "callable:m", "callable::f"):
        with pytest.raises(ValueError, match="reward: .*expected judge, rm, mix"):
            reward_kind(bad)
    with pytest.raises(ValueError, match="reward_model: required with reward=mix"):
        Config(reward="mix").check()
    with pytest.raises(ValueError, match="batch_size: 6 is not a multiple of num_generations 4"):
        Config(batch_size=6, num_generations=4).check()
    fn = load_callable(f"callable:{__name__}:length_reward")  # PPO's signature, called the way TRL calls it
    assert fn(["p", "p"], ["xy", "x"], None, problem=["A", "B"], trainer_state=None) == [3, 1]
    assert fn.__name__ == "length_reward"
    with pytest.raises(ValueError, match="reward: 'callable:tests.rl.test_grpo_stage:nope': "):
        load_callable("callable:tests.rl.test_grpo_stage:nope")


@pytest.mark.slow
@pytest.mark.docker
def test_judge_reward_scores_by_running_the_program_on_one_pool() -> None:
    from backends.grpo import JudgeReward
    from iotatui.data.problems import load_problems

    p = min((p for p in load_problems("bundled") if p.split == "train" and p.solutions.of("python3")
             and p.incorrect_solutions.of("python3")), key=lambda p: len(p.tests()))  # fewest tests: quickest
    good, bad = p.solutions.of("python3")[0], p.incorrect_solutions.of("python3")[0]
    completions = [f"Here it is:\n```python\n{good}\n```\n", f"```python\n{bad}\n```", "", "def f(:\n  ]"]
    logged: dict[str, float] = {}
    reward = JudgeReward({p.name: p}, "python3", "fraction", "docker", workers=2)
    try:
        got = reward([""] * 4, completions, None, problem=[p.name] * 4, log_metric=logged.__setitem__)
        assert got[0] == 1.0  # the accepted solution passes every test
        assert got[1] is not None and 0.0 <= got[1] < 1.0  # the wrong one fails at least one (all tests run)
        assert got[2] == 0.0 and got[3] == 0.0  # nothing to run; a syntax error
        assert logged == {"judge/compile_rate": 0.5, "judge/pass_rate": 0.25}
        pool = reward.session.pool
        assert reward([""], completions[:1], None, problem=[p.name]) == [1.0]
        assert reward.sessions_opened == 1 and reward.session.pool is pool and reward.judged == 4
        passfail = JudgeReward({p.name: p}, "python3", "pass", "docker", workers=1)
        try:
            assert passfail([""] * 2, completions[:2], None, problem=[p.name] * 2) == [1.0, 0.0]
        finally:
            passfail.close()
    finally:
        reward.close()
    assert reward.session is None


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.torch
def test_grpo_runs_end_to_end_with_the_judge_reward(runs: Runs) -> None:
    run_id = sup.launch(runs.ws, "grpo", preset="smoke",
                        sets=[f"max_steps={STEPS}", f"num_generations={GENERATIONS}", f"batch_size={GENERATIONS}",
                              "max_completion_length=32", "limit=2", "save_steps=2", "health_patience=2"])
    run = runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    assert run["last_step"] == STEPS
    latest = run["latest"]
    for key in ("train/reward", "train/reward_std", "rewards/judge/mean", "judge/compile_rate", "judge/pass_rate",
                "completions/mean_length", "train/entropy"):
        assert key in latest, (key, sorted(latest))
    # Every step's reward was streamed and is a real score (a SANDBOX_ERROR would be None -> NaN).
    rewards = [(s, v) for s, _, v in runs.ws.store.metrics_after_step(run_id, -1, ["train/reward"])]
    assert [s for s, _ in rewards] == list(range(1, STEPS + 1))
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for _, v in rewards), rewards
    summary = run["summary"]
    # ONE judge session (one pool) for the whole run, one judge_batch per step, every completion judged or empty.
    assert summary["judge_sessions"] == 1 and summary["reward_calls"] == STEPS
    assert 0 < summary["judged"] <= STEPS * GENERATIONS
    assert [c["step"] for c in run["checkpoints"]] == [2, STEPS]  # every save_steps, and at the end
    art = next(a for a in run["artifacts"] if a["name"] == "model")
    assert art["meta"]["adapter"] is True and art["meta"]["reward"] == "judge"
    assert (Path(art["path"]) / "adapter_config.json").exists()
    # The tiny random model never writes a passing program in 32 tokens: every group's rewards are equal (std 0),
    # so the health check flags a reward collapse after health_patience=2 updates, in the log and the store.
    assert all(v == 0.0 for _, v in rewards), rewards
    warnings = [text for _, _, level, text in runs.ws.store.logs_after(run_id)
                if level == "warning" and text.startswith("health:")]
    assert len(warnings) == 1 and warnings[0].startswith("health: reward_collapse: reward std ~0 for 2 updates"), \
        warnings
    flagged = [s for s, _, _ in runs.ws.store.metrics_after_step(run_id, -1, ["health/reward_collapse"])]
    assert flagged == [2, 3] and summary["health"] == {"reward_collapse": 2}


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.torch
def test_grpo_mix_weighs_the_judge_and_a_reward_model(runs: Runs, tmp_path: Path) -> None:
    from transformers import AutoModelForSequenceClassification

    from backends._hf import load_tokenizer
    from iotatui.data.models import make_tiny

    tiny = make_tiny(tmp_path / "tiny")
    rm_dir = tmp_path / "rm"  # an untrained scorer: its scores vary, which is all this test needs
    tok = load_tokenizer(str(tiny))
    rm = AutoModelForSequenceClassification.from_pretrained(tiny, num_labels=1)
    rm.config.pad_token_id = tok.pad_token_id
    rm.save_pretrained(rm_dir)
    tok.save_pretrained(rm_dir)
    run_id = sup.launch(runs.ws, "grpo", preset="smoke",
                        sets=[f"model={tiny}", "reward=mix", f"reward_model={rm_dir}", "mix_weight=0.25",
                              "max_steps=2", "limit=2", "save_steps=10"])
    run = runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    m = run["latest"]
    # TRL sums the weighted rewards: reward = 0.25 * judge + 0.75 * rm (same batch, so exact up to float error).
    expect = 0.25 * m["rewards/judge/mean"] + 0.75 * m["rewards/rm/mean"]
    assert math.isclose(m["train/reward"], expect, rel_tol=1e-4, abs_tol=1e-6), (m["train/reward"], expect)
    assert m["rewards/rm/std"] > 0 and run["summary"]["judge_sessions"] == 1


@pytest.mark.slow
@pytest.mark.torch
def test_grpo_with_a_callable_reward_opens_no_judge(runs: Runs) -> None:
    run_id = sup.launch(runs.ws, "grpo", preset="smoke",
                        sets=["reward=callable:backends._rewards:format_reward", "max_steps=2", "limit=2",
                              "save_steps=10"])
    run = runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    assert run["last_step"] == 2
    m = run["latest"]
    assert "rewards/format_reward/mean" in m and 0.0 <= m["train/reward"] <= 1.0
    assert "judge_sessions" not in run["summary"] and "judge/compile_rate" not in m
