"""GRPO learns in the direction of its reward: the stage's own trainer (``backends.grpo.grpo_trainer``, the reward
through ``reward_functions``, as ``reward=callable:...`` runs it) on the tiny model, a few steps, a reward anyone
can check (the share of whitespace in the completion), three seeds. In-process: no supervisor, no judge."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.torch]

CALLS: list[float] = []
"""The mean true reward of each call (each generation batch), in order: what the policy really wrote."""


def whitespace_share(prompts: list[str], completions: list[str], problems: list[str]) -> list[float]:
    scores = [sum(ch.isspace() for ch in c) / max(1, len(c)) for c in completions]
    CALLS.append(sum(scores) / len(scores))
    return scores


STEPS = 16
SEEDS = (0, 1, 2)
PROMPTS = ["Write a program.\n", "Read n and print it.\n", "Print the sum of a and b.\n", "Sort the list.\n"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model with its output head scaled x8. At the default init (std 0.02, after the final RMSNorm) the
    logits reach < 1 nat and cannot peak in a few steps: 20 steps at lr 3e-2 moved the reward by nothing
    measurable (0.11 -> 0.12, 0.14 -> 0.11), so a test on it would pass a broken direction too."""
    import torch
    from transformers import AutoModelForCausalLM

    from backends._hf import load_tokenizer
    from iotatui.data.models import make_tiny

    root = tmp_path_factory.mktemp("models")
    base = make_tiny(root / "tiny")
    model = AutoModelForCausalLM.from_pretrained(base)
    with torch.no_grad():
        model.lm_head.weight.mul_(8.0)
    model.save_pretrained(root / "sharp")
    load_tokenizer(str(base)).save_pretrained(root / "sharp")
    return root / "sharp"


def _curve(tiny: Path, tmp_path: Path, seed: int) -> list[float]:
    from datasets import Dataset

    from backends import grpo
    from backends._runtime import RunContext

    cfg = grpo.Config(model=str(tiny), reward=f"callable:{__name__}:whitespace_share", num_generations=8,
                      batch_size=16, max_completion_length=8, temperature=1.0, lr=LR, scheduler="constant",
                      lora_r=8, beta=0.0, max_steps=STEPS, logging_steps=1, save_steps=1000, seed=seed)
    rewards, weights, _ = grpo.reward_functions(cfg, {})
    data = Dataset.from_dict({"prompt": PROMPTS, "problem": [f"p{i}" for i in range(len(PROMPTS))]})
    run = RunContext(tmp_path / f"seed{seed}", "test", 1, None, is_main=True)
    trainer, _, _, _ = grpo.grpo_trainer(cfg, str(tiny), data, rewards, weights, run, gpu=False)
    CALLS.clear()
    trainer.train()
    return list(CALLS)


LR = 1e-2


def test_a_few_grpo_steps_raise_the_reward_beyond_the_seed_spread(tiny: Path, tmp_path: Path) -> None:
    curves = {seed: _curve(tiny, tmp_path, seed) for seed in SEEDS}
    first = {s: c[0] for s, c in curves.items()}  # the untrained policy's batch (LoRA B = 0)
    last = {s: statistics.mean(c[-3:]) for s, c in curves.items()}
    for s, c in curves.items():
        print(f"seed {s}: whitespace share per step {[round(v, 3) for v in c]}")
    spread = statistics.stdev(first.values())
    gain = statistics.mean(last.values()) - statistics.mean(first.values())
    print(f"gain {gain:.3f}, seed-to-seed spread of the first batch {spread:.3f}")
    # Measured (seeds 0-4; first batch -> mean of the last 3): 0.15 -> 1.0, 0.15 -> 1.0, 0.13 -> 0.27, 0.15 -> 0.21,
    # 0.10 -> 0.20. Some seeds settle on a few answers early (a group with equal rewards has no gradient).
    assert all(len(c) == STEPS for c in curves.values())  # one generation batch per step
    assert min(last.values()) > max(first.values()), (first, last)  # every seed ends above every seed's start
    assert gain > 3 * spread, (gain, spread)
