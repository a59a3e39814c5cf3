"""PPO's reward options (``backends/_rewards.py``): a callable, the judge on real Docker, an RM, and their mix."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_callable_reward_and_its_checks() -> None:
    from backends._rewards import check_reward, make_reward

    with make_reward("callable:backends._rewards:format_reward") as reward:
        got = reward(["p"] * 3, ["```python\nprint(1)\n```", "```python\nprint(1)", "no code"], ["a", "b", "c"])
    assert got == [1.0, 0.5, 0.0]
    with pytest.raises(ValueError, match="No module named"):
        make_reward("callable:no_such_module_xyz:f")
    with pytest.raises(ValueError, match="expected rm, judge, mix"):
        check_reward("rmm", "")
    short = make_reward("callable:backends._rewards:format_reward")
    short.fn = lambda p, c, n: [1.0]
    with pytest.raises(ValueError, match="returned 1 scores for 2 completions"):
        short(["", ""], ["", ""], ["a", "b"])


def test_a_completion_with_no_program_scores_0_without_a_sandbox() -> None:
    from backends._rewards import make_reward
    from iotatui.data.problems import load_problems

    p = next(p for p in load_problems("bundled") if p.split == "train" and p.tests())
    # Empty, blank, an empty code block: nothing to run. The judge opens its pool (image, containers) only for a
    # program, so none is opened here, and nothing was submitted.
    with make_reward("judge", problems={p.name: p}, workers=1) as reward:
        assert reward(["x"] * 3, ["", " \n", "```python\n```"], [p.name] * 3) == [0.0, 0.0, 0.0]
        assert reward.judge is not None and reward.judge.session is None and reward.judge.judged == 0


@pytest.mark.torch
def test_ppo_leaves_out_prompts_over_the_limit_and_answers_under_evals_limit(tmp_path: Path) -> None:
    from backends._hf import load_tokenizer
    from backends.eval import Config as EvalConfig
    from backends.ppo import Config, fit_prompts, rollout_new_tokens
    from iotatui.data.models import make_tiny

    tok = load_tokenizer(str(make_tiny(tmp_path / "tiny")))
    prompts = {"short": "Print 1.\n", "long": "Print 1. " * 200 + "\n"}
    n_short = len(tok(prompts["short"])["input_ids"])
    assert tok(prompts["short"])["input_ids"][0] == tok.bos_token_id  # the limit counts BOS
    assert fit_prompts(["long", "short"], prompts, tok, n_short) == (["short"], ["long"])
    assert fit_prompts(["short"], prompts, tok, n_short - 1) == ([], ["short"])  # one token over: out, never cut
    assert rollout_new_tokens(Config()) == EvalConfig().max_new_tokens  # 0: eval's limit
    assert rollout_new_tokens(Config(max_new_tokens=32)) == 32


@pytest.mark.docker
@pytest.mark.torch
@pytest.mark.slow
def test_judge_rm_and_mix_rewards(tmp_path: Path) -> None:
    from transformers import AutoModelForSequenceClassification

    from backends._hf import load_tokenizer
    from backends._rewards import make_reward
    from iotatui.data.models import make_tiny
    from iotatui.data.problems import load_problems

    p = min((p for p in load_problems("bundled") if p.split == "train" and p.solutions.of("python3")
             and p.incorrect_solutions.of("python3")), key=lambda p: len(p.tests()))  # fewest tests: quickest
    good, bad = p.solutions.of("python3")[0], p.incorrect_solutions.of("python3")[0]
    completions = [f"Here it is:\n```python\n{good}\n```\n", f"```python\n{bad}\n```", "def f(:\n  ]"]
    names, prompts = [p.name] * 3, ["Solve it.\n"] * 3
    with make_reward("judge", problems={p.name: p}, judge_mode="fraction", workers=2) as judge:
        frac = judge(prompts, completions, names)
    assert frac[0] == 1.0 and 0.0 <= frac[1] < 1.0 and frac[2] == 0.0, frac
    with make_reward("judge", problems={p.name: p}, judge_mode="pass", workers=1) as judge:
        assert judge(prompts, completions, names) == [1.0, 0.0, 0.0]

    tiny = make_tiny(tmp_path / "tiny")
    rm_dir = tmp_path / "rm"
    rm = AutoModelForSequenceClassification.from_pretrained(str(tiny), num_labels=1)
    tok = load_tokenizer(str(tiny))
    rm.config.pad_token_id = tok.pad_token_id
    rm.save_pretrained(rm_dir)
    tok.save_pretrained(rm_dir)
    with make_reward("rm", reward_model=str(rm_dir)) as scorer:
        rm_scores = scorer(prompts, completions, names)
    assert len(set(rm_scores)) == 3  # a real score per text, not a constant
    with make_reward("mix", reward_model=str(rm_dir), problems={p.name: p}, rm_weight=0.5, judge_weight=2.0,
                     workers=2) as mix:
        got = mix(prompts, completions, names)
    assert got == pytest.approx([0.5 * r + 2.0 * j for r, j in zip(rm_scores, frac, strict=True)], abs=1e-4)
