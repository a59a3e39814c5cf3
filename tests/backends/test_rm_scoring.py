"""ONE reward-model scorer: what PPO, GRPO and the RM stage's held-out accuracy score is token for token what TRL's
``RewardTrainer`` trained on (BOS + prompt + completion + EOS), on the tiny model, whose pad differs from its EOS
(so a missing EOS would move the token the score is read at)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.torch]

PROMPTS = ["Problem A: print twice n.\n", "Problem B: read a line, print it.\n"]
COMPLETIONS = ["```python\nn = int(input())\nprint(2 * n)\n```", "```python\nprint(input())\n```"]


@pytest.fixture(scope="module")
def rm_dir(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import AutoModelForSequenceClassification

    from backends._hf import load_tokenizer

    out = tmp_path_factory.mktemp("rm") / "rm"
    tok = load_tokenizer(str(tiny_model))
    rm = AutoModelForSequenceClassification.from_pretrained(str(tiny_model), num_labels=1)
    rm.config.pad_token_id = tok.pad_token_id  # as backends/rm.py sets it before training
    rm.save_pretrained(out)
    tok.save_pretrained(out)
    return out


def _trainer_ids(rm_dir: Path, tmp_path: Path) -> list[list[int]]:
    """The chosen ids TRL's RewardTrainer builds from our prompt/chosen/rejected rows."""
    from datasets import Dataset
    from transformers import AutoModelForSequenceClassification
    from trl import RewardConfig, RewardTrainer

    from backends._hf import load_tokenizer

    tok = load_tokenizer(str(rm_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(rm_dir), num_labels=1)
    data = Dataset.from_dict({"prompt": PROMPTS, "chosen": COMPLETIONS, "rejected": ["```python\n```"] * 2})
    args = RewardConfig(output_dir=str(tmp_path / "out"), report_to="none", use_cpu=True, bf16=False, max_length=512)
    trainer = RewardTrainer(model=model, args=args, train_dataset=data, processing_class=tok)
    return [list(r["chosen_ids"]) for r in trainer.train_dataset]


def _capture(model: Any) -> list[list[int]]:
    """Every input_ids the model is run on from now (a forward pre-hook: what is really scored)."""
    seen: list[list[int]] = []

    def hook(_mod: Any, args: Any, kwargs: Any) -> None:
        ids = kwargs.get("input_ids", args[0] if args else None)
        seen.extend(ids.tolist())

    model.register_forward_pre_hook(hook, with_kwargs=True)
    return seen


def test_every_rm_score_reads_the_ids_rm_training_used(rm_dir: Path, tmp_path: Path) -> None:
    from backends import grpo
    from backends._rewards import RMScorer, make_reward, rm_input_ids
    from backends.rm import heldout_pair_accuracy

    expect = _trainer_ids(rm_dir, tmp_path)
    scorer = RMScorer.load(str(rm_dir), 512)
    tok = scorer.tok
    assert tok.pad_token_id != tok.eos_token_id  # the case where a missing EOS moves the scored token
    for ids in expect:
        assert ids[0] == tok.bos_token_id and ids[-1] == tok.eos_token_id
    assert [rm_input_ids(tok, p, c, 512) for p, c in zip(PROMPTS, COMPLETIONS, strict=True)] == expect

    # PPO's rm reward (make_reward), on the model it loaded.
    with make_reward("rm", reward_model=str(rm_dir), max_length=512) as ppo_reward:
        seen = _capture(ppo_reward.fn.model)  # type: ignore[attr-defined]
        ppo_scores = ppo_reward(PROMPTS, COMPLETIONS, ["A", "B"])
    assert seen == expect

    # GRPO's rm reward: a callable on the same scorer, never a model path TRL would tokenize (no BOS, no EOS).
    funcs, _, _ = grpo.reward_functions(grpo.Config(reward="rm", reward_model=str(rm_dir),
                                                    max_prompt_tokens=256, max_completion_length=256), {})
    (fn,) = funcs
    assert callable(fn) and not isinstance(fn, (str, Path)) and fn.__name__ == "rm"
    seen = _capture(fn.scorer.model)
    grpo_scores = fn(PROMPTS, COMPLETIONS, None, problem=["A", "B"], trainer_state=None)  # as TRL calls it
    assert seen == expect and grpo_scores == pytest.approx(ppo_scores)

    # The RM stage's held-out accuracy, chosen then rejected per pair.
    from datasets import Dataset

    pairs = Dataset.from_dict({"prompt": PROMPTS, "chosen": COMPLETIONS, "rejected": ["```python\n```"] * 2})
    seen = _capture(scorer.model)
    acc, too_long = heldout_pair_accuracy(scorer.model, tok, pairs, 512)
    assert seen[0::2] == expect and too_long == 0 and acc is not None
    # And a pair over max_length is left out of it, as RewardTrainer leaves it out of training.
    assert heldout_pair_accuracy(scorer.model, tok, pairs, len(expect[0]) - 1)[1] >= 1


def test_an_over_long_text_keeps_its_head_and_ends_on_eos(rm_dir: Path) -> None:
    from backends._rewards import RMScorer

    scorer = RMScorer.load(str(rm_dir), 512)
    full = scorer.input_ids(PROMPTS[0], COMPLETIONS[0])
    cut = RMScorer(scorer.model, scorer.tok, len(full) - 3)
    ids = cut.input_ids(PROMPTS[0], COMPLETIONS[0])
    assert ids == full[:len(full) - 4] + [scorer.tok.eos_token_id] and len(ids) == len(full) - 3
    cut([PROMPTS[0]], [COMPLETIONS[0]])
    scorer([PROMPTS[0]], [COMPLETIONS[0]])
    assert (cut.truncated, scorer.truncated) == (1, 0)
