"""``iotatui bench rl`` on tiny settings: the JSON shape, and both PPO sides processed the same token budget."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.torch, pytest.mark.slow]


def test_rl_bench_json_shape_and_equal_budget(capsys: pytest.CaptureFixture[str]) -> None:
    from iotatui.bench.rl_bench import main

    result = main(json_out=True, steps=1, batch=2, new_tokens=4, grpo_steps=1)
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed == json.loads(json.dumps(result))
    for key in ("ours_tokens_per_s", "baseline_tokens_per_s", "ppo_speedup", "ours_steps_per_s",
                "baseline_steps_per_s", "baseline", "grpo_hf_steps_per_s", "grpo_vllm_steps_per_s", "model", "device"):
        assert key in result, key
    # fixed-length responses (EOS off): batch 2 x 4 tokens x 1 timed step on both sides
    assert result["ours_tokens"] == result["baseline_tokens"] == 8
    assert result["ours_tokens_per_s"] > 0 and result["baseline_tokens_per_s"] > 0
    assert result["ppo_speedup"] == pytest.approx(result["ours_tokens_per_s"] / result["baseline_tokens_per_s"], rel=0.05)
    assert result["grpo_hf_steps_per_s"] > 0
    # the vLLM side either ran or says why not
    assert (result["grpo_vllm_steps_per_s"] is not None) != ("grpo_vllm_reason" in result)
