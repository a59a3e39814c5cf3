"""Which runs a stage may start from is declared once, on the stage (``iotatui.stages.StageInfo.parents``): the
launcher and ``iotatui launch`` (``launchplan.parent_error``) and the backends (``backends._hf.parent_kind_error``)
answer every (stage, parent) pair alike. Before, four modules listed it and disagreed about ``ppo``."""

from __future__ import annotations

import pytest

from backends._hf import parent_kind_error
from iotatui import launchplan
from iotatui.stages import STAGES


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_launch_and_the_backends_apply_one_rule(stage: str) -> None:
    for parent in STAGES:
        at_launch = launchplan.parent_error(stage, "r", parent) is None
        assert at_launch == (parent_kind_error(stage, parent) is None), (stage, parent)


def test_the_rule_itself() -> None:
    ok = {(s, p) for s in STAGES for p in STAGES if parent_kind_error(s, p) is None}
    assert ("dpo", "sft") in ok and ("ppo", "sft") in ok and ("eval", "ppo") in ok and ("eval", "grpo") in ok
    # An rm output scores, it is not a policy to train on; a ppo model is evaluated, not trained on; data has no model.
    assert not {("ppo", "rm"), ("dpo", "ppo"), ("sft", "count"), ("eval", "rm"), ("sft", "data_sft")} & ok
    assert all((s, p) in ok for s in ("count", "data_sft", "data_pairs", "judge") for p in STAGES)  # any: --after
