"""PPO learns from the judge, on real programs: from a small fixed SFT checkpoint, one update of the stage's own loop
(``backends._ppo``: rollout, GAE, whitening, clipped policy + value loss, KL to the adapter-off reference) on
responses scored by the real judge in Docker moves log-probability from the failing responses to the passing ones,
for every seed and by more than the seed-to-seed spread.

Why the likelihood of the policy's own responses and not the next batch's reward: from this checkpoint the reward
of the following rollouts is noise-bound at this size (measured, 3 seeds x 10 updates of 24 rollouts, lr 3e-3: the
judge reward went 0.46/0.67/0.46 -> 0.24/0.38/0.33, at lr 1e-3 0.71 -> 0.67 flat), while the update's direction is
measurable in one step: at lr 1e-3, passing responses +0.005 nats, failing ones -0.096.

The checkpoint: the learn model (built offline) taught six curriculum problems' reference programs for 85 full-batch
steps, so that at temperature 1 it passes some of its samples and fails others (the headroom RL needs).

Broken on purpose (in a copy; see the issue note), this test fails: the advantage's sign flipped (the failing
responses gain), the policy loss detached (nothing moves but through the value loss)."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from tests.rl.conftest import learn_problems

pytestmark = [pytest.mark.slow, pytest.mark.torch, pytest.mark.docker]

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def reward() -> Any:
    from backends._rewards import make_reward

    with make_reward("judge", problems={p.name: p for p in learn_problems()}, workers=2) as r:
        yield r


def _shift(model_dir: Path, reward: Any, seed: int) -> tuple[float, float, float]:
    """(mean log-prob change of the passing responses, of the failing ones, the batch's mean reward) after one update
    on 48 rollouts (8 per problem) at lr 1e-3."""
    import torch

    from backends import _ppo, ppo
    from backends._hf import load_tokenizer
    from iotatui.data.prompt import render_prompt

    cfg = ppo.Config(model=str(model_dir), lora_r=8, seed=seed)
    model = ppo.build_policy(cfg, str(model_dir), False, None)
    tok = load_tokenizer(str(model_dir))
    tok.padding_side = "left"
    batch = [p for p in learn_problems() for _ in range(8)]
    prompts = [render_prompt(p, "python3") for p in batch]
    enc = tok(prompts, return_tensors="pt", padding=True)
    hp = _ppo.Hparams(temperature=1.0, max_new_tokens=48, kl_coef=0.05, ppo_epochs=2, mini_batch_size=24,
                      micro_batch_size=24, missing_eos_penalty=1.0)
    torch.manual_seed(seed)
    ro = _ppo.rollout(model, enc["input_ids"], enc["attention_mask"], hp, tok.eos_token_id, tok.pad_token_id)
    texts = tok.batch_decode(ro.input_ids[:, ro.prompt_len:] * ro.mask.long()
                             + (1 - ro.mask.long()) * tok.pad_token_id, skip_special_tokens=True)
    scores = torch.tensor(reward(prompts, texts, [p.name for p in batch]), dtype=torch.float32)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    before = (ro.logprobs * ro.mask).sum(1)
    _ppo.update(model, optimizer, ro, scores, hp, torch.Generator().manual_seed(seed))
    model.eval()
    with torch.no_grad():
        logp, _, _ = _ppo._response_stats(model, ro.input_ids, ro.attention_mask, ro.prompt_len, hp.temperature)
    change = (logp * ro.mask).sum(1) - before
    good, bad = scores >= 0.99, scores <= 0.01
    assert good.sum() >= 3 and bad.sum() >= 3, f"seed {seed}: no headroom ({scores.tolist()})"
    return float(change[good].mean()), float(change[bad].mean()), float(scores.mean())


def test_one_ppo_update_on_judged_programs_moves_likelihood_to_the_passing_ones(checkpoint: Path,
                                                                                reward: Any) -> None:
    shifts = {s: _shift(checkpoint, reward, s) for s in SEEDS}
    for s, (good, bad, r) in shifts.items():
        print(f"seed {s}: reward {r:.3f}, log-prob change passing {good:+.3f}, failing {bad:+.3f}")
    gaps = [good - bad for good, bad, _ in shifts.values()]
    assert all(g > 0 for g in gaps), shifts  # every seed: the passing responses gain on the failing ones
    assert statistics.mean(gaps) > 3 * statistics.stdev(gaps), gaps  # beyond the seed-to-seed spread
