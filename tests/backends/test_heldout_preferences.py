"""Preference learning that generalises, measured on problems the trainer never saw: DPO and the reward model on the
learn model and the curriculum's pairs (the reference program chosen, a mutant rejected: a wrong constant or
operator, a dropped step, a bad parse, a syntax slip), in-process on the stages' own code.

* DPO (``backends.dpo.preference_trainer``), trained on pairs of training problems, raises the preference for the
  correct program on the pairs of the curriculum's **test** problems (unseen mixes and constants): its implicit
  reward margin (policy minus the adapter-off reference) is positive on far more than half of them;
* the RM stage (``backends.rm.main``, its own split by problem) ranks its held-out pairs above chance.

Each is a one-sided binomial test against 0.5 at p < 0.001 on a few hundred pairs. Broken on purpose (the pairs
swapped, which flips the loss's sign) both fall below 0.5 (measured; see the issue note), so the tests can fail.
The bar is chance, not a number tuned to pass: 200 pairs at p < 0.001 need 0.61."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.torch]

TRAIN_PROBLEMS = 400
"""Curriculum training problems whose pairs train (one correct program each: its random and closest mutant)."""
MAX_LENGTH = 512
"""Every curriculum prompt + program fits (the longest is under 300 tokens of the learn tokenizer)."""


def p_above_chance(wins: int, n: int) -> float:
    """One-sided binomial p-value of ``wins`` or more in ``n`` fair coin flips."""
    return sum(math.comb(n, k) for k in range(wins, n + 1)) / 2 ** n


def test_the_binomial_bar() -> None:
    assert p_above_chance(5, 5) == pytest.approx(1 / 32) and p_above_chance(0, 7) == 1.0
    assert p_above_chance(123, 200) < 1e-3 < p_above_chance(118, 200)


@pytest.fixture(scope="module")
def learn_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from iotatui.data.models import make_named

    return make_named("learn", tmp_path_factory.mktemp("models") / "learn")


@pytest.fixture(scope="module")
def train_pairs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``data_pairs`` dataset (the product's own builder) from the first curriculum training problems."""
    from iotatui.data.curriculum import problems
    from iotatui.data.pairs import build_pairs

    out = tmp_path_factory.mktemp("pairs") / "train"
    train = [p for p in problems() if p.split == "train"][:TRAIN_PROBLEMS]
    build_pairs(train, out, languages=("python3",), max_correct=1, workers=1)
    return out


@pytest.fixture(scope="module")
def test_pairs() -> list[dict[str, str]]:
    """Pairs of every curriculum test problem: statements, mixes and constants no training pair has."""
    from iotatui.data.curriculum import problems
    from iotatui.data.pairs import triplets_for

    rows: list[dict[str, str]] = []
    for p in problems():
        if p.split == "test":
            rows += triplets_for(p, "python3", 0, max_correct=1, workers=1)[0]
    return rows


def _run(path: Path) -> Any:
    from backends._runtime import RunContext

    return RunContext(path, "test", 1, None, is_main=True)


def _logp(model: Any, tok: Any, prompt: str, completion: str) -> float:
    """log p(completion + EOS | BOS + prompt), tokenized as the preference trainers do."""
    import torch

    p = tok(prompt)["input_ids"]
    c = [*tok(completion, add_special_tokens=False)["input_ids"], tok.eos_token_id]
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([p + c])).logits[0, len(p) - 1:-1].float()
    return float(logits.log_softmax(-1).gather(1, torch.tensor(c)[:, None]).sum())


def test_dpo_raises_the_preference_for_correct_programs_on_unseen_problems(
        tmp_path: Path, learn_model: Path, train_pairs: Path, test_pairs: list[dict[str, str]]) -> None:
    from backends import dpo
    from backends._hf import load_dataset_dir

    train = load_dataset_dir(str(train_pairs)).select_columns(["prompt", "chosen", "rejected"])
    assert not {r["prompt"] for r in test_pairs} & set(train["prompt"])  # no test statement is trained on
    cfg = dpo.Config(model=str(learn_model), max_steps=100, lr=1e-3, batch_size=16, grad_accum=1, warmup_steps=0,
                     max_length=MAX_LENGTH, logging_steps=10, save_steps=10_000, lora_r=16, scheduler="constant",
                     beta=0.5)
    trainer, tok, _ = dpo.preference_trainer(cfg, str(learn_model), train, _run(tmp_path), gpu=False)
    trainer.train()
    model = trainer.model.eval()

    def margins() -> list[float]:
        return [_logp(model, tok, r["prompt"], r["chosen"]) - _logp(model, tok, r["prompt"], r["rejected"])
                for r in test_pairs]

    policy = margins()
    with model.disable_adapter():  # the reference DPO measured its rewards against
        reference = margins()
    implicit = [a - b for a, b in zip(policy, reference, strict=True)]
    wins, n = sum(x > 0 for x in implicit), len(implicit)
    before, after = sum(x > 0 for x in reference) / n, sum(x > 0 for x in policy) / n
    print(f"dpo: held-out implicit-reward accuracy {wins / n:.3f} on {n} pairs of test problems "
          f"(p={p_above_chance(wins, n):.1e}); likelihood preference {before:.3f} -> {after:.3f}")
    # Measured: 0.671 (p=2e-7), likelihood preference 0.411 -> 0.511 (0.703 at 150 steps); trained on the pairs
    # swapped: 0.352, 0.411 -> 0.388 (fails both asserts).
    assert n >= 200 and p_above_chance(wins, n) < 1e-3, (wins, n)
    assert after > before  # the model itself now prefers more correct programs than the reference did


def test_the_rm_ranks_its_held_out_problems_pairs_above_chance(tmp_path: Path, learn_model: Path,
                                                               train_pairs: Path) -> None:
    from backends import rm

    cfg = rm.Config(model=str(learn_model), dataset=str(train_pairs), max_length=MAX_LENGTH, batch_size=16,
                    grad_accum=1, lr=1e-3, scheduler="constant", max_steps=150, adapt_steps=0, eval_fraction=0.3,
                    logging_steps=10, save_steps=10_000)
    s = rm.main(cfg, _run(tmp_path))
    n = s["heldout_pairs"]
    wins = round(s["heldout_pair_accuracy"] * n)
    print(f"rm: held-out pair accuracy {s['heldout_pair_accuracy_before']:.3f} -> {s['heldout_pair_accuracy']:.3f} "
          f"on {n} pairs of {s['heldout_problems']} problems never trained on (p={p_above_chance(wins, n):.1e})")
    # Measured: 0.490 -> 0.635 on 208 pairs (p=6e-5); with the training pairs swapped inside rm.main (a one-line
    # break after the split): 0.490 -> 0.409 (fails).
    assert s["heldout_by"] == "problem" and s["heldout_pairs_too_long"] == 0 and n >= 200
    assert p_above_chance(wins, n) < 1e-3, (wins, n)
