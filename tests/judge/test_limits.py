"""The judge's limits are declared once (``judge.limits.JudgeLimits``) and every stage that judges takes them: eval
accepts the keys ``iotatui judge`` and the judge stage accept, and the value set on an eval reaches the sandbox and
decides a verdict. Before, ``iotatui judge --python-time-multiplier 3`` worked and
``iotatui launch eval --set python_time_multiplier=3`` exited 2 (unknown config key)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from iotatui.stages import ConfigError, config_class, resolve_config
from judge.limits import JudgeLimits


def _eval_config(*sets: str) -> Any:
    return config_class("eval")(**resolve_config("eval", sets=list(sets), check=False))


@pytest.mark.parametrize("stage", ["eval", "judge"])
def test_every_stage_that_judges_has_the_same_limit_keys(stage: str) -> None:
    theirs = {f.name: f for f in dataclasses.fields(config_class(stage))}
    for f in dataclasses.fields(JudgeLimits):
        assert f.name in theirs and theirs[f.name].default == f.default
        assert theirs[f.name].metadata["help"] == f.metadata["help"]


def test_eval_takes_the_limits_and_refuses_a_bad_one() -> None:
    assert _eval_config("python_time_multiplier=3", "wall_multiplier=4").judge_limits() == {
        "python_time_multiplier": 3.0, "wall_multiplier": 4.0}
    with pytest.raises(ConfigError, match="python_time_multiplier"):
        resolve_config("eval", sets=["python_time_multiplier=0"], check=False)


BURN = """import time
t = time.process_time()
while time.process_time() - t < 0.7:
    pass
print(int(input()) * 2)
"""
"""0.7 s of CPU: over a 0.5 s limit at x1, under it at x2 (1.0 s)."""


@pytest.mark.slow
@pytest.mark.docker
def test_the_multiplier_set_on_an_eval_decides_the_verdict(judge_image: str) -> None:
    from judge.procsession import ProcessJudgeSession
    from judge.verdict import OK, TIME_LIMIT, Solution
    from tests.judge.conftest import make_problem

    problems = {"burn": make_problem("burn", [("21\n", "42\n")], time_limit=0.5)}
    verdicts = {}
    for mult in ("1", "2"):
        limits = _eval_config(f"python_time_multiplier={mult}").judge_limits()
        with ProcessJudgeSession(problems, workers=1, **limits) as session:  # as backends/eval.py opens it
            (v,) = session.judge_batch([Solution(f"x{mult}", "burn", "python3", BURN)])
        verdicts[mult] = v.verdict
    assert verdicts == {"1": TIME_LIMIT, "2": OK}, verdicts
