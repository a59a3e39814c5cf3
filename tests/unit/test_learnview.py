"""An eval of a learned model against its SFT ancestor's eval (iotatui/learnview.py), without the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iotatui.learnview import versus_sft
from iotatui.store import Store


def add(store: Store, rid: str, stage: str, parent: str | None = None, created: float = 0.0, **config: Any) -> None:
    store.insert_run({"id": rid, "stage": stage, "status": "finished", "run_dir": "/x", "parent": parent,
                      "created": created, "config": json.dumps(config)})


def verdicts(store: Store, rid: str, per_problem: dict[str, str]) -> None:
    """``{"P1": "OK-"}``: one sample per letter, ``O`` passing, anything else failing."""
    with store.write() as c:
        for p, samples in per_problem.items():
            for i, ch in enumerate(samples):
                c.execute("INSERT INTO verdicts (run, sample_id, problem, verdict, t) VALUES (?, ?, ?, ?, 0)",
                          (rid, f"{p}/{i}", p, "OK" if ch == "O" else "WRONG_ANSWER"))


def test_ppo_eval_against_the_sft_eval_on_common_problems(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    add(store, "sft", "sft")
    add(store, "dpo", "dpo", "sft")
    add(store, "ppo", "ppo", "dpo")  # PPO on top of DPO on top of SFT: the SFT ancestor is two levels up
    add(store, "e-sft-other", "eval", "sft", created=2, problems="other")
    add(store, "e-sft", "eval", "sft", created=1, problems="bundled")
    add(store, "e-ppo", "eval", "ppo", problems="bundled")
    verdicts(store, "e-sft", {"A": "OxOx", "B": "xxxx", "C": "OOOO"})
    verdicts(store, "e-sft-other", {"A": "OOOO"})
    verdicts(store, "e-ppo", {"A": "OOOx", "B": "Oxxx", "C": "OOOO", "D": "OOOO"})  # D: only ours judged it
    v = versus_sft(store, store.get_run("e-ppo") or {})
    assert v is not None
    assert (v.stage, v.sft_eval, v.sft_run, v.problems, v.solved) == ("ppo", "e-sft", "sft", 3, (3, 2))
    assert v.ours == pytest.approx((0.75 + 0.25 + 1) / 3) and v.sft == pytest.approx((0.5 + 0 + 1) / 3)
    assert v.diff == pytest.approx(0.5 / 3) and v.p == pytest.approx(0.5)  # two problems up by 0.25: 2 of 4 flips
    assert v.text() == "eval(ppo) pass@1 0.67 vs sft 0.50 (+0.17, p=0.5)"
    assert v.short() == "p@1 .50→.67 p=.5"
    # the SFT's own eval, an eval of a base model, a learned model whose SFT has no eval: nothing to compare
    assert versus_sft(store, store.get_run("e-sft") or {}) is None
    add(store, "e-base", "eval")
    assert versus_sft(store, store.get_run("e-base") or {}) is None
    add(store, "sft2", "sft")
    add(store, "orpo2", "orpo", "sft2")
    add(store, "e-orpo2", "eval", "orpo2")
    assert versus_sft(store, store.get_run("e-orpo2") or {}) is None
    store.close()
