"""Reward options for the RL stages (``reward=`` in their Config). Stdlib at the top level.

* ``rm``: the score of a reward-model run's ``model`` (an ``rm`` run id, or a sequence-classification model dir) on
  ``prompt + completion + EOS``, the text the RM was trained on (the paper's reward);
* ``judge``: execution through ``JudgeSession.judge_batch``: the fraction of tests passed (``judge_mode=fraction``,
  all tests run) or 1/0 for all-pass (``judge_mode=pass``); an infrastructure error scores 0, never a pass;
* ``mix``: ``rm_weight * rm + judge_weight * judge``;
* ``callable:module:function``: a user's function with the signature
  ``f(prompts: list[str], completions: list[str], problems: list[str]) -> list[float]`` (one float per completion;
  ``problems`` are the problem names). The module must be importable (on ``PYTHONPATH``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RewardFn = Callable[[list[str], list[str], list[str]], list[float]]
KINDS = ("rm", "judge", "mix")


def check_reward(spec: str, reward_model: str) -> None:
    """Launch check (one-line ValueError): a known kind, an RM for rm/mix, a well-formed callable spec (imported
    only in the run: the user's module may need the run's environment)."""
    if spec.startswith("callable:"):
        _callable_parts(spec)
        return
    if spec not in KINDS:
        raise ValueError(f"reward: {spec!r}: expected rm, judge, mix or callable:module:function")
    if spec in ("rm", "mix") and not reward_model:
        raise ValueError(f"reward={spec} needs reward_model (an rm run id or a reward model dir)")


def _callable_parts(spec: str) -> list[str]:
    parts = spec.split(":")
    if len(parts) != 3 or not parts[1] or not parts[2]:
        raise ValueError(f"reward: {spec!r}: expected callable:module:function")
    return parts


def load_callable(spec: str) -> RewardFn:
    parts = _callable_parts(spec)
    try:
        fn = getattr(importlib.import_module(parts[1]), parts[2])
    except (ImportError, AttributeError) as e:
        raise ValueError(f"reward: {spec!r}: {e}") from None
    if not callable(fn):
        raise ValueError(f"reward: {spec!r}: not callable")
    return fn  # type: ignore[no-any-return]


@dataclass
class Reward:
    """A reward function plus what it must release (a judge pool, an RM on the GPU). A context manager."""

    fn: RewardFn
    closers: list[Callable[[], None]] = field(default_factory=list)

    def __call__(self, prompts: list[str], completions: list[str], problems: list[str]) -> list[float]:
        scores = [float(s) for s in self.fn(prompts, completions, problems)]
        if len(scores) != len(completions):
            raise ValueError(f"reward returned {len(scores)} scores for {len(completions)} completions")
        return scores

    def close(self) -> None:
        for c in self.closers:
            c()
        self.closers.clear()

    def __enter__(self) -> Reward:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def rm_path(reward_model: str) -> str:
    """A reward model dir from an rm run id (its ``model`` artifact) or a dir given as is."""
    from pathlib import Path

    if Path(reward_model).is_dir():
        return reward_model
    from backends._hf import parent_model

    path, meta = parent_model(reward_model, "ppo")
    if meta.get("kind") != "reward":
        raise ValueError(f"reward_model {reward_model}: not a reward-model run (its model is no scorer)")
    return path


def rm_reward(path: str, max_length: int, device: Any = None) -> RewardFn:
    import torch
    from transformers import AutoModelForSequenceClassification

    from backends._hf import load_tokenizer

    tok = load_tokenizer(path)
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1)
    model.to(device or ("cuda" if torch.cuda.is_available() else "cpu")).eval()
    dev = next(model.parameters()).device

    def score(prompts: list[str], completions: list[str], problems: list[str]) -> list[float]:
        out = []
        with torch.no_grad():
            for p, c in zip(prompts, completions, strict=True):  # one at a time: no padding side to get wrong, texts are long
                ids = tok(p + c + tok.eos_token)["input_ids"][-max_length:]
                out.append(float(model(input_ids=torch.tensor([ids], device=dev)).logits[0, 0]))
        return out

    return score


def judge_reward(problems: dict[str, Any], language: str, mode: str, sandbox: str,
                 workers: int) -> tuple[RewardFn, Callable[[], None]]:
    from backends._extract import extract
    from judge.session import JudgeSession
    from judge.verdict import OK, Solution

    session = JudgeSession(problems, sandbox=sandbox, workers=workers or None, all_tests=mode == "fraction")
    counter = [0]

    def score(prompts: list[str], completions: list[str], names: list[str]) -> list[float]:
        sols = []
        for c, name in zip(completions, names, strict=True):
            counter[0] += 1
            sols.append(Solution(f"ppo-{counter[0]}", name, language, extract(c, language).code))
        out = []
        for v in session.judge_batch(sols):
            if mode == "pass":
                out.append(1.0 if v.verdict == OK else 0.0)
            else:  # SANDBOX_ERROR has no passing tests recorded: 0
                passed = sum(t.verdict == OK for t in v.tests)
                out.append(passed / v.n_tests if v.n_tests else 0.0)
        return out

    return score, session.close


def make_reward(spec: str, *, reward_model: str = "", problems: dict[str, Any] | None = None,
                language: str = "python3", judge_mode: str = "fraction", sandbox: str = "docker",
                workers: int = 0, rm_weight: float = 1.0, judge_weight: float = 1.0,
                max_length: int = 4000) -> Reward:
    """The reward for ``spec`` (see the module doc); close it (or use ``with``) to release a judge pool."""
    if spec.startswith("callable:"):
        return Reward(load_callable(spec))
    check_reward(spec, reward_model)
    parts: list[tuple[float, RewardFn]] = []
    closers: list[Callable[[], None]] = []
    if spec in ("rm", "mix"):
        parts.append((rm_weight if spec == "mix" else 1.0, rm_reward(rm_path(reward_model), max_length)))
    if spec in ("judge", "mix"):
        fn, close = judge_reward(problems or {}, language, judge_mode, sandbox, workers)
        parts.append((judge_weight if spec == "mix" else 1.0, fn))
        closers.append(close)
    if len(parts) == 1 and parts[0][0] == 1.0:
        return Reward(parts[0][1], closers)

    def mixed(prompts: list[str], completions: list[str], names: list[str]) -> list[float]:
        total = [0.0] * len(completions)
        for w, fn in parts:
            total = [t + w * s for t, s in zip(total, fn(prompts, completions, names), strict=True)]
        return total

    return Reward(mixed, closers)


def format_reward(prompts: list[str], completions: list[str], problems: list[str]) -> list[float]:
    """A shipped callable reward (``reward=callable:backends._rewards:format_reward``, the smoke preset's): 1 for a
    closed fenced code block, 0.5 for one cut off by the token limit, 0 for none. Cheap, needs no judge; it teaches
    the answer's shape only, never correctness."""
    from backends._extract import extract

    shape = {"fenced": 1.0, "fenced-open": 0.5}
    return [shape.get(extract(c, "python3").how, 0.0) for c in completions]
