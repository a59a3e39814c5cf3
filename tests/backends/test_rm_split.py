"""The RM's held-out pairs are whole problems: nothing of a held-out problem reaches either training phase.

No torch: the split and phase 1's corpus are plain ``datasets`` work on the bundled problems' real pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backends.rm import code_texts, split_pairs


@pytest.fixture(scope="module")
def bundled_pairs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import datasets

    from iotatui.data.pairs import build_pairs
    from iotatui.data.sources import gather

    out = tmp_path_factory.mktemp("pairs") / "bundled"
    build_pairs(gather("bundled", "train", None).problems, out)
    return datasets.load_from_disk(str(out))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_held_out_problem_or_text_is_trained_on(bundled_pairs: Any, seed: int) -> None:
    train, held, info = split_pairs(bundled_pairs, 0.1, seed)
    assert info["heldout_by"] == "problem" and info["heldout_problems"] >= 1
    held_problems = set(held["problem"])
    assert len(held_problems) == info["heldout_problems"] and not held_problems & set(train["problem"])
    # Whole problems: every pair of a held-out problem is held out, and the share is about the one asked for.
    assert len(held) == sum(p in held_problems for p in bundled_pairs["problem"])
    assert 0.1 * len(bundled_pairs) <= len(held) < 0.1 * len(bundled_pairs) + max(
        sum(p == q for p in bundled_pairs["problem"]) for q in held_problems)
    assert len(train) + len(held) + info["pairs_dropped_overlap"] == len(bundled_pairs)
    # What the two phases train on (prompt + program texts) never holds a held-out one, chosen or rejected.
    held_texts = {r["prompt"] + r[side] for r in held for side in ("chosen", "rejected")}
    bt_texts = {r["prompt"] + r[side] for r in train for side in ("chosen", "rejected")}
    assert not held_texts & bt_texts and not held_texts & set(code_texts(train)["text"])
    assert not set(held["chosen"]) & set(train["chosen"])  # the audit's leak: 20 of 20 held-out chosen seen


def test_a_split_by_pair_would_have_leaked(bundled_pairs: Any) -> None:
    # Why the split is by problem: the old one (5 % of pairs at random) put every held-out problem in training too.
    parts = bundled_pairs.train_test_split(test_size=max(1, round(0.05 * len(bundled_pairs))), seed=0)
    assert set(parts["test"]["problem"]) <= set(parts["train"]["problem"])


def test_without_a_problem_column_prompts_group_and_statements_never_cross(tmp_path: Path) -> None:
    import datasets

    rows: dict[str, list[str]] = {"prompt": [], "chosen": [], "rejected": [], "problem": []}
    for i in range(12):
        for j in range(3):  # three pairs per problem; problems 0 and 6 share one statement under two names
            rows["prompt"].append(f"Statement {i % 6 if i in (0, 6) else i}.\n")
            rows["chosen"].append(f"print({i})  # {j}\n")
            rows["rejected"].append("print(-1)\n")  # one wrong answer common to every problem
            rows["problem"].append(f"p{i}")
    ds = datasets.Dataset.from_dict(rows)
    for seed in range(8):
        train, held, info = split_pairs(ds, 0.2, seed)
        assert len(held) % 3 == 0 and len(held) >= 0.2 * len(ds)  # whole problems
        assert not set(held["prompt"]) & set(train["prompt"])  # p0 and p6 are one statement: never split apart
        assert info["pairs_dropped_overlap"] == (3 if {"p0", "p6"} & set(held["problem"]) and not
                                                 {"p0", "p6"} <= set(held["problem"]) else 0)
        assert len(train) > 0  # the common wrong answer is no reason to drop a training pair
    by_prompt = ds.remove_columns("problem")
    train, held, info = split_pairs(by_prompt, 0.2, 0)
    assert info["heldout_by"] == "prompt" and not set(held["prompt"]) & set(train["prompt"])
    assert split_pairs(ds, 0.0, 0)[0] is ds and len(split_pairs(ds, 0.0, 0)[1]) == 0
    with pytest.raises(ValueError, match="^dataset: no prompt column"):
        split_pairs(ds.remove_columns("prompt"), 0.2, 0)
