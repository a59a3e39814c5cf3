"""Named sets of stage defaults: ``iotatui launch STAGE --preset paper|smoke``. Stdlib only.

Layering (where the launcher calls :func:`preset`): the Config's own defaults <- the preset <- ``--config`` <-
``--set``. A preset holds only keys of the stage's Config; unknown stage/preset names are one ConfigError line.

* ``paper``: the IotaCode paper's settings, exactly (issue 9). Batches are the paper's **effective** ones
  (``effective_batch``: samples per optimizer step over all processes; the stage derives the accumulation from the
  world size and logs it at the start): SFT 8, DPO and ORPO 64, on one GPU or two alike (its 2 GPUs ran 1 x 4 and
  1 x 32 per device). PPO's 28 rollouts per update are one process's (the stage runs on one).
* ``learn``: learning you can see on 2 CPU cores (issue 17): the ``learn`` model (built into the workspace) on the
  generated curriculum (``iotatui/data/curriculum.py``), every stage sized so the whole pipeline fits in minutes and
  SFT, the preference stages and RL measurably change pass@1 on the held-out test problems (``iotatui bench learn``
  measures it; the numbers behind each value are in the comments).
* ``smoke``: the tiny random Llama (``model=tiny``: built into the workspace on first use), data built on the fly
  from the bundled problems, a few dozen steps at a high learning rate so the loss visibly falls: every stage
  finishes on 2 CPU cores in minutes.
"""

from __future__ import annotations

from typing import Any

_SMOKE_COMMON: dict[str, Any] = {
    "model": "tiny", "dataset": "", "source": "bundled", "max_length": 1024, "batch_size": 2, "grad_accum": 1,
    "warmup_steps": 0, "max_steps": 30, "logging_steps": 2, "save_steps": 10, "save_total_limit": 2,
    "gradient_checkpointing": False,
}

_LEARN_COMMON: dict[str, Any] = {
    "model": "learn", "dataset": "", "source": "curriculum", "max_length": 384, "gradient_checkpointing": False,
    "save_total_limit": 1,
}
LEARN_NEW_TOKENS = 64
"""Completion tokens of the learn preset's sampling (eval, PPO and GRPO alike; its longest reference is ~40)."""

PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "paper": {
        "sft": {"max_length": 4000, "batch_size": 1, "effective_batch": 8, "lr": 1e-4, "scheduler": "cosine",
                "warmup_steps": 5000, "lora_r": 0},
        "dpo": {"max_length": 4000, "batch_size": 1, "effective_batch": 64, "lr": 1e-6, "scheduler": "cosine",
                "warmup_steps": 5000, "beta": 1.0, "lora_r": 32},
        "orpo": {"max_length": 4000, "batch_size": 1, "effective_batch": 64, "lr": 1e-6, "scheduler": "cosine",
                 "warmup_steps": 5000, "beta": 0.1, "lora_r": 32},
        "rm": {"max_length": 4000, "lr": 1.4e-5, "epochs": 1.0, "max_steps": -1},
        # effective batch 28 (one process), lr 1.4e-5 cosine, 10 epochs over the problems, LoRA r 32, the RM's score
        # as reward; rollouts answer under eval's token limit (max_new_tokens=0: eval's default)
        "ppo": {"reward": "rm", "batch_size": 28, "lr": 1.4e-5, "epochs": 10.0, "max_updates": -1, "lora_r": 32,
                "problems": "deepmind/code_contests", "split": "train", "max_new_tokens": 0},
        # Not in the paper (its RL is PPO): TRL's GRPO defaults with the paper's LoRA r=32 and lr, judge reward.
        "grpo": {"reward": "judge", "reward_mode": "fraction", "num_generations": 8, "batch_size": 8, "grad_accum": 4,
                 "max_completion_length": 1024, "lr": 1.4e-5, "scheduler": "cosine", "lora_r": 32, "epochs": 1.0,
                 "max_steps": -1},
        # 1000 samples per problem on the 165 test problems; the paper does not give its sampling temperature/top-p:
        # 0.8/0.95 are ours. max_new_tokens: the eval Config's default (1024), the one value PPO's rollouts use too.
        "eval": {"problems": "deepmind/code_contests", "split": "test", "n_samples": 1000, "languages": ["python3"],
                 "temperature": 0.8, "top_p": 0.95},
    },
    "learn": {
        # 1000 steps x 16: test pass@1 0.36 (T 0.8) from a random init; 700 steps: 0.04 (copying the statement's
        # constants sets in around step 700-900: curriculum.COPY_WEIGHT). Padded batches: 431 vs 513 ms/step.
        "sft": {**_LEARN_COMMON, "batch_size": 16, "grad_accum": 1, "lr": 3e-3, "scheduler": "cosine",
                "warmup_steps": 50, "max_steps": 1000, "logging_steps": 25, "save_steps": 500, "padding_free": False},
        # Measured on the learn graph (2026-12-07, 120 test problems x 8, vs SFT 0.196/0.218 in two evals): DPO 0.161,
        # ORPO 0.106, PPO on the RM (held-out pair accuracy 0.657) 0.133, PPO on the judge 0.191, GRPO on the judge
        # 0.212: below or level with SFT. lr 1e-3 on LoRA is likely too high for DPO/ORPO (not yet swept).
        "dpo": {**_LEARN_COMMON, "batch_size": 16, "grad_accum": 1, "lr": 1e-3, "scheduler": "cosine",
                "warmup_steps": 10, "max_steps": 150, "logging_steps": 10, "save_steps": 150, "beta": 0.5, "lora_r": 16},
        "orpo": {**_LEARN_COMMON, "batch_size": 16, "grad_accum": 1, "lr": 1e-3, "scheduler": "cosine",
                 "warmup_steps": 10, "max_steps": 150, "logging_steps": 10, "save_steps": 150, "beta": 0.1, "lora_r": 16},
        "rm": {**_LEARN_COMMON, "batch_size": 16, "grad_accum": 1, "lr": 1e-3, "scheduler": "cosine",
               "warmup_steps": 10, "max_steps": 200, "adapt_steps": 100, "adapt_lr": 1e-3, "logging_steps": 10,
               "save_steps": 200, "eval_fraction": 0.1, "max_eval_pairs": 300},
        "ppo": {"model": "learn", "problems": "curriculum", "split": "train", "reward": "rm", "batch_size": 32,
                "mini_batch_size": 16, "micro_batch_size": 16, "ppo_epochs": 2, "max_updates": 40, "lr": 1e-3,
                "max_new_tokens": LEARN_NEW_TOKENS, "max_prompt_length": 320, "lora_r": 16, "save_every": 20},
        "grpo": {"model": "learn", "problems": "curriculum", "reward": "judge", "reward_mode": "fraction",
                 "num_generations": 8, "batch_size": 32, "max_completion_length": LEARN_NEW_TOKENS,
                 "max_prompt_tokens": 320, "lr": 1e-3, "scheduler": "constant", "lora_r": 16, "max_steps": 40,
                 "logging_steps": 5, "save_steps": 40, "save_total_limit": 1},
        # 120 held-out test problems x 8 samples: pass@1 within about +-0.03 (95 % bootstrap) and a paired
        # comparison per problem between two models.
        "eval": {"model": "learn", "problems": "curriculum", "split": "test", "n_samples": 8,
                 "max_new_tokens": LEARN_NEW_TOKENS, "temperature": 0.8, "top_p": 0.95},
    },
    "smoke": {
        "sft": {**_SMOKE_COMMON, "lr": 1e-3, "scheduler": "constant"},
        "dpo": {**_SMOKE_COMMON, "lr": 1e-3, "scheduler": "constant", "beta": 0.5, "lora_r": 8},
        "orpo": {**_SMOKE_COMMON, "lr": 1e-3, "scheduler": "constant", "beta": 0.1, "lora_r": 8},
        "rm": {**_SMOKE_COMMON, "lr": 1e-3, "scheduler": "constant", "adapt_steps": 10, "adapt_lr": 1e-3,
               "eval_fraction": 0.1, "max_eval_pairs": 50},
        "grpo": {"model": "tiny", "problems": "bundled", "limit": 3, "reward": "judge", "num_generations": 2,
                 "batch_size": 2, "max_completion_length": 32, "max_prompt_tokens": 1800, "lr": 1e-3,
                 "scheduler": "constant", "lora_r": 8, "max_steps": 4, "logging_steps": 1, "save_steps": 2,
                 "save_total_limit": 2, "workers": 1},
        "ppo": {"model": "tiny", "problems": "bundled", "split": "train", "reward": "callable:backends._rewards:format_reward",
                "batch_size": 4, "mini_batch_size": 2, "micro_batch_size": 2, "ppo_epochs": 2, "max_updates": 4,
                # 640: every bundled train prompt fits the tiny tokenizer (the longest is 553); longer ones are left out
                "lr": 1e-3, "max_new_tokens": 32, "max_prompt_length": 640, "lora_r": 8, "save_every": 2},
        "eval": {"model": "tiny", "problems": "bundled", "split": "test", "limit": 3, "n_samples": 4,
                 "max_new_tokens": 64, "workers": 1},
    },
}


def preset_names() -> list[str]:
    return list(PRESETS)


def preset(stage: str, name: str) -> dict[str, Any]:
    """The preset's values for ``stage`` (a copy), to layer over the Config defaults; ConfigError (one line) for an
    unknown preset or a stage the preset does not cover."""
    from iotatui.stages import ConfigError  # here, so iotatui.stages may import this module at its top level

    if name not in PRESETS:
        raise ConfigError(f"--preset {name!r}: unknown preset (known: {', '.join(PRESETS)})")
    values = PRESETS[name].get(stage)
    if values is None:
        covered = ", ".join(s for s, _ in PRESETS[name].items())
        raise ConfigError(f"--preset {name!r}: no preset for stage {stage!r} (it covers: {covered})")
    return dict(values)
