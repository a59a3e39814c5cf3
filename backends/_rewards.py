"""Reward options for the RL stages (``reward=`` in their Config). Stdlib at the top level.

* ``rm``: the score of a reward-model run's ``model`` (an ``rm`` run id, or a sequence-classification model dir) on
  BOS + prompt + completion + EOS, the ids the RM was trained on (:class:`RMScorer`, the one RM scorer: PPO, GRPO
  and the RM stage's held-out accuracy all score through it; the paper's reward);
* ``judge``: execution through ``JudgeSession.judge_batch``: the fraction of tests passed (``judge_mode=fraction``,
  all tests run) or 1/0 for all-pass (``judge_mode=pass``); an infrastructure error scores 0, never a pass; a
  completion with no program in it (empty, blank, an empty code block) scores 0 without reaching a sandbox;
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
    judge: JudgeScore | None = None
    """The judge part of a ``judge``/``mix`` reward (``judged``: programs that reached a sandbox)."""

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


def rm_input_ids(tok: Any, prompt: str, completion: str, max_length: int) -> list[int]:
    """THE token ids a reward model scores for ``prompt + completion``: what TRL's ``RewardTrainer`` trained it on.

    TRL appends the EOS *text* to a completion that does not already end with it, then tokenizes ``prompt +
    completion`` with the tokenizer's special tokens, so the ids are BOS + prompt + completion + EOS (the sequence
    classifier reads the score at the last non-pad token: the EOS, or the token before it where pad == EOS, in
    training and here alike). Training drops a pair over ``max_length``; a rollout cannot be dropped, so a longer
    text keeps its head (BOS and prompt first) and still ends on EOS, where the score is read."""
    return _rm_ids(tok, prompt, completion, max_length)[0]


def _rm_ids(tok: Any, prompt: str, completion: str, max_length: int) -> tuple[list[int], bool]:
    eos = tok.eos_token
    text = prompt + (completion if completion.endswith(eos) else completion + eos)
    ids: list[int] = tok(text)["input_ids"]
    if len(ids) > max_length:
        return ids[:max_length - 1] + [tok.eos_token_id], True
    return ids, False


class RMScorer:
    """A reward model's score of texts, on exactly the ids of its training (:func:`rm_input_ids`): the one scorer
    behind PPO's and GRPO's ``rm``/``mix`` rewards and the RM stage's held-out accuracy. One text per forward (no
    padding side to get wrong; the texts are long). ``truncated`` counts texts over ``max_length``."""

    def __init__(self, model: Any, tok: Any, max_length: int) -> None:
        self.model, self.tok, self.max_length = model, tok, max_length
        if getattr(model.config, "pad_token_id", None) is None:  # what rm.py sets before training
            model.config.pad_token_id = tok.pad_token_id
        self.truncated = 0

    @classmethod
    def load(cls, path: str, max_length: int, device: Any = None) -> RMScorer:
        """The scorer of a reward model dir, on ``device`` (default: this rank's GPU, else the CPU)."""
        import os

        import torch
        from transformers import AutoModelForSequenceClassification

        from backends._hf import load_tokenizer

        if device is None:
            device = f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if torch.cuda.is_available() else "cpu"
        model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1)
        return cls(model.to(device).eval(), load_tokenizer(path), max_length)

    def input_ids(self, prompt: str, completion: str) -> list[int]:
        return rm_input_ids(self.tok, prompt, completion, self.max_length)

    def score_ids(self, ids: list[int]) -> float:
        import torch

        dev = next(self.model.parameters()).device
        return float(self.model(input_ids=torch.tensor([ids], device=dev)).logits[0, 0])

    def __call__(self, prompts: list[str], completions: list[str], problems: list[str] | None = None) -> list[float]:
        import torch

        was_training = self.model.training
        self.model.eval()
        out = []
        try:
            with torch.no_grad():
                for p, c in zip(prompts, completions, strict=True):
                    ids, cut = _rm_ids(self.tok, p, c, self.max_length)
                    self.truncated += cut
                    out.append(self.score_ids(ids))
        finally:
            self.model.train(was_training)
        return out


def rm_reward(path: str, max_length: int, device: Any = None) -> RewardFn:
    """The ``rm`` reward: :class:`RMScorer` of a reward model dir."""
    return RMScorer.load(path, max_length, device)


class JudgeScore:
    """The ``judge`` reward: one ``JudgeSession`` (one pool) for the run, opened at the first program there is to
    run, so a batch of empty completions builds no image and starts no container. ``judged`` counts the programs
    that reached a sandbox."""

    def __init__(self, problems: dict[str, Any], language: str, mode: str, sandbox: str, workers: int) -> None:
        self.problems, self.language, self.mode, self.sandbox, self.workers = problems, language, mode, sandbox, workers
        self.session: Any = None
        self.judged = 0

    def __call__(self, prompts: list[str], completions: list[str], names: list[str]) -> list[float]:
        from backends._extract import extract
        from judge.verdict import OK, Solution

        codes = [extract(c, self.language).code for c in completions]
        todo = [i for i, code in enumerate(codes) if code.strip()]  # nothing to run: 0, no sandbox spent on it
        out = [0.0] * len(completions)
        if not todo:
            return out
        if self.session is None:
            from judge.session import JudgeSession

            self.session = JudgeSession(self.problems, sandbox=self.sandbox, workers=self.workers or None,
                                        all_tests=self.mode == "fraction")
        sols = []
        for i in todo:
            self.judged += 1
            sols.append(Solution(f"ppo-{self.judged}", names[i], self.language, codes[i]))
        for i, v in zip(todo, self.session.judge_batch(sols), strict=True):
            if self.mode == "pass":
                out[i] = 1.0 if v.verdict == OK else 0.0
            else:  # SANDBOX_ERROR has no passing tests recorded: 0
                passed = sum(t.verdict == OK for t in v.tests)
                out[i] = passed / v.n_tests if v.n_tests else 0.0
        return out

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


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
    judge: JudgeScore | None = None
    if spec in ("rm", "mix"):
        parts.append((rm_weight if spec == "mix" else 1.0, rm_reward(rm_path(reward_model), max_length)))
    if spec in ("judge", "mix"):
        judge = JudgeScore(problems or {}, language, judge_mode, sandbox, workers)
        parts.append((judge_weight if spec == "mix" else 1.0, judge))
        closers.append(judge.close)
    if len(parts) == 1 and parts[0][0] == 1.0:
        return Reward(parts[0][1], closers, judge)

    def mixed(prompts: list[str], completions: list[str], names: list[str]) -> list[float]:
        total = [0.0] * len(completions)
        for w, fn in parts:
            total = [t + w * s for t, s in zip(total, fn(prompts, completions, names), strict=True)]
        return total

    return Reward(mixed, closers, judge)


def format_reward(prompts: list[str], completions: list[str], problems: list[str]) -> list[float]:
    """A shipped callable reward (``reward=callable:backends._rewards:format_reward``, the smoke preset's): 1 for a
    closed fenced code block, 0.5 for one cut off by the token limit, 0 for none. Cheap, needs no judge; it teaches
    the answer's shape only, never correctness."""
    from backends._extract import extract

    shape = {"fenced": 1.0, "fenced-open": 0.5}
    return [shape.get(extract(c, "python3").how, 0.0) for c in completions]
