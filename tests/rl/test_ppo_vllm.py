"""PPO rollouts from vLLM (issue 11, ``rollout_engine=vllm``): the engine serves the current policy's adapter, and a
PPO run with it completes its updates on the tiny model."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runs  # the `runs` fixture: tests/conftest.py
from tests.rl.stop_resume import ppo_stop_resume_finish

pytestmark = [pytest.mark.slow, pytest.mark.torch]


def _hf_greedy(model: Any, rows: list[list[int]], n: int, eos: int, pad: int) -> list[list[int]]:
    """The HF policy's own greedy continuation of each prompt (one at a time: no padding)."""
    import torch

    out = []
    with torch.no_grad():
        for row in rows:
            ids = torch.tensor([row])
            gen = model.lm.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                    max_new_tokens=n, eos_token_id=eos, pad_token_id=pad)
            out.append(gen[0, len(row):].tolist())
    return out


def test_vllm_sampler_serves_the_current_policy(tmp_path: Path) -> None:
    import torch
    from peft import get_peft_model

    from backends import _hf, _ppo
    from backends.ppo import VLLMSampler
    from iotatui.data.models import make_tiny

    model_dir = make_tiny(tmp_path / "tiny")
    tok = _hf.load_tokenizer(str(model_dir))
    tok.padding_side = "left"
    torch.manual_seed(0)
    model = _ppo.policy_value(get_peft_model(_hf.load_model(str(model_dir), gpu=False, frozen=True),
                                             _hf.lora_config(8)))
    texts = ["def solve():\n", "n = int(input())\n", "print(", "import sys\n"]
    enc = tok(texts, return_tensors="pt", padding=True)
    rows = [ids[m.bool()].tolist() for ids, m in zip(enc["input_ids"], enc["attention_mask"], strict=True)]
    greedy = _ppo.Hparams(temperature=0.0, max_new_tokens=12)
    eos, pad = tok.eos_token_id, tok.pad_token_id

    def served() -> list[list[int]]:
        out = sampler(enc["input_ids"], enc["attention_mask"], greedy, eos, pad)
        assert out.shape[0] == len(texts) and torch.equal(out[:, :enc["input_ids"].shape[1]], enc["input_ids"])
        resp = out[:, enc["input_ids"].shape[1]:].tolist()
        return [r[:len(h)] for r, h in zip(resp, _hf_greedy(model, rows, 12, eos, pad), strict=True)]

    # float32 like the HF policy on CPU, so greedy decoding agrees token for token (bf16 rounds differently)
    sampler = VLLMSampler(str(model_dir), tmp_path / "served", 8, 128, dtype="float32")
    try:
        first = sampler.sync(model.lm)
        before = served()
        assert before == _hf_greedy(model, rows, 12, eos, pad)
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-2)
        hp = _ppo.Hparams(max_new_tokens=12, ppo_epochs=2, mini_batch_size=2, micro_batch_size=2)

        def score(ro: Any) -> list[float]:  # reward even token ids: any signal moves the adapter
            return [float(x) for x in (ro.input_ids[:, ro.prompt_len:] % 2 == 0).float().mean(1)]

        metrics, ro, _ = _ppo.train_step(model, opt, _ppo.cosine_lr(opt, 4), enc["input_ids"], enc["attention_mask"],
                                         hp, score, eos, pad, torch.Generator().manual_seed(0), sampler)
        assert math.isfinite(metrics["ppo/policy_loss"]) and ro.logprobs.shape == ro.mask.shape
        assert served() == before  # not synced yet: the engine still serves the old adapter
        second = sampler.sync(model.lm)
        after = served()
        assert after != before  # the update changed the policy, and the engine now serves it...
        assert after == _hf_greedy(model, rows, 12, eos, pad)  # ...exactly: the HF policy's own greedy samples
        assert second.exists() and not first.exists()  # only the served adapter is kept on disk
    finally:
        sampler.close()


def test_ppo_stage_with_vllm_rollouts_stop_resume_finish(runs: Runs, tmp_path: Path) -> None:
    """Through the supervisor: stopped by SIGTERM (which reaches the vLLM engine's processes too) after a first
    checkpoint, resumed with a fresh engine, finished; every update's metrics exactly once."""
    from iotatui.data.models import make_tiny

    updates = 6
    model = make_tiny(tmp_path / "tiny")
    done = ppo_stop_resume_finish(runs, [f"model={model}", f"max_updates={updates}", "save_every=2",
                                         "rollout_engine=vllm"], "ppo (vllm rollouts)", first_checkpoint_s=600,
                                  finish_s=900)
    run_id = done["id"]
    rows = runs.ws.store.metrics_after_step(run_id, -1, ["reward/mean", "ppo/kl", "perf/rollout_tokens_per_s",
                                                         "perf/adapter_sync_s"])
    assert sorted({s for s, _, _ in rows}) == list(range(1, updates + 1))  # each update once, across the resume
    assert len(rows) == 4 * updates and all(v is not None and math.isfinite(v) for _, _, v in rows), rows
    served = [p.name for p in (runs.ws.run_dir(run_id) / "rollout_adapter").iterdir()]
    assert len(served) == 1 and served[0].startswith("policy-")  # one adapter per update, only the last kept
    assert done["summary"]["updates"] == updates


def test_config_rollout_engine_is_documented_and_checked() -> None:
    from dataclasses import fields

    from backends.ppo import Config

    f = next(f for f in fields(Config) if f.name == "rollout_engine")
    assert f.default == "auto" and f.metadata["choices"] == ["auto", "hf", "lean", "vllm"] and f.metadata["help"]
    reward = "callable:backends._rewards:format_reward"
    with pytest.raises(ValueError, match="vLLM serves LoRA ranks up to 512, lora_r is 600"):
        Config(reward=reward, rollout_engine="vllm", lora_r=600).check()
    Config(reward=reward, rollout_engine="vllm", lora_r=32).check()
