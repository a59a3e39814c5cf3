"""The judge's limits a run may set, declared once. ``iotatui judge`` (its options), the judge stage and eval (their
config keys) take them from :class:`JudgeLimits`; the engine, the sessions and the bundled set's validation read the
defaults from here. Stdlib only: the CLI lists config keys without importing the judge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

PYTHON_TIME_MULTIPLIER = 2.0
"""CodeContests limits were set for Codeforces, where many accepted Python submissions ran on PyPy; CPython needs
headroom. 2.0 keeps the bundled correct Python solutions OK; set 1.0 for the paper's raw limits. The bundled builder
validates with this same rule (``judge.engine.scaled_time_limit``)."""
WALL_MULTIPLIER = 3.0
"""Wall-clock limit = CPU time limit x this: a program that sleeps or blocks is stopped too, with room for a busy
machine's scheduling."""


class Limits(TypedDict):
    """A judge session's keyword arguments for the limits (typed, so ``**limits`` checks against the signature)."""

    python_time_multiplier: float
    wall_multiplier: float


@dataclass
class JudgeLimits:
    """Mixed into a stage's Config: the same keys, types, defaults and help wherever a run judges programs."""

    python_time_multiplier: float = field(default=PYTHON_TIME_MULTIPLIER, metadata={
        "help": "Python time limit = the problem's limit x this (1.0: the paper's raw limits).", "min": 0.1})
    wall_multiplier: float = field(default=WALL_MULTIPLIER, metadata={
        "help": "Wall-clock limit = the time limit x this (a program that blocks is stopped too).", "min": 1.0})

    def judge_limits(self) -> Limits:
        """The keyword arguments a judge session takes for these limits."""
        return {"python_time_multiplier": self.python_time_multiplier, "wall_multiplier": self.wall_multiplier}
