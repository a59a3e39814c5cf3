"""The RL learning tests' shared start: a small fixed SFT checkpoint on curriculum problems, built once per session
(``test_ppo_learning``, ``test_grpo_judge_learning``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SFT_STEPS = 85
FAMILIES = ("s_rev", "ab_max", "l_sorted", "n_square", "s_len", "ab_diff")
"""Six task families without constants to copy (the copy tasks take a model far longer to learn)."""


def learn_problems() -> list[Any]:
    """One training problem of each of :data:`FAMILIES`."""
    from iotatui.data.curriculum import problems

    train = [p for p in problems() if p.split == "train" and p.tests()]
    return [next(p for p in train if p.name.split(" ", 1)[1] == f) for f in FAMILIES]


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The learn model (built offline) after a short completion-only SFT on the six problems' references, so that
    at temperature 1 it passes some of its samples and fails others (the headroom RL needs)."""
    import torch
    from transformers import AutoModelForCausalLM

    from backends._hf import load_tokenizer
    from iotatui.data.models import make_named
    from iotatui.data.prompt import language_name, render_completion, render_prompt

    root = tmp_path_factory.mktemp("learn_sft")
    base = make_named("learn", root / "base")
    tok = load_tokenizer(str(base))
    model = AutoModelForCausalLM.from_pretrained(base)
    rows = []
    for p in learn_problems():
        for lang, src in zip(p.solutions.language, p.solutions.solution, strict=True):
            if language_name(lang) == "python3":
                prompt = tok(render_prompt(p, "python3"))["input_ids"]  # as PPO tokenizes it (BOS first)
                done = tok(render_completion(src, "python3"), add_special_tokens=False)["input_ids"]
                rows.append((prompt, [*done, tok.eos_token_id]))
    width = max(len(a) + len(b) for a, b in rows)
    pad = [width - len(a) - len(b) for a, b in rows]
    ids = torch.tensor([a + b + [tok.pad_token_id] * n for (a, b), n in zip(rows, pad, strict=True)])
    labels = torch.tensor([[-100] * len(a) + b + [-100] * n for (a, b), n in zip(rows, pad, strict=True)])
    mask = torch.tensor([[1] * (len(a) + len(b)) + [0] * n for (a, b), n in zip(rows, pad, strict=True)])
    torch.manual_seed(0)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    # Full-batch steps on the 12 references. Measured (8 samples per problem at T=1, share of tests passed): step 60
    # 0.0, 80 0.15, 100 0.63, 120 0.84. 85 leaves the policy able but unreliable.
    for _ in range(SFT_STEPS):
        model(input_ids=ids, attention_mask=mask, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()
    model.save_pretrained(root / "sft")
    tok.save_pretrained(root / "sft")
    return root / "sft"
