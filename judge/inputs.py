"""Judge inputs shared by ``iotatui judge`` and the tracked ``judge`` stage: SOLUTIONS.jsonl and problem sets.

Strict: every error is a ValueError with one line naming the file, line and field, raised before any work starts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_solutions(path: Path) -> list[Any]:
    """Parse SOLUTIONS.jsonl strictly; ValueError names the file, line and field."""
    from judge.engine import normalize_language
    from judge.verdict import Solution

    out: list[Solution] = []
    seen: set[str] = set()
    try:
        fh = path.open(encoding="utf-8")
    except OSError as e:
        raise ValueError(f"{path}: cannot read ({e.strerror})") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: bad JSON ({e.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{n}: expected a JSON object")
            for key in ("id", "problem", "code"):
                if not isinstance(row.get(key), str):
                    raise ValueError(f"{path}:{n}: field {key!r} missing or not a string")
            try:
                lang = normalize_language(row.get("language"))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: {e}") from None
            if row["id"] in seen:
                raise ValueError(f"{path}:{n}: duplicate id {row['id']!r}")
            seen.add(row["id"])
            out.append(Solution(row["id"], row["problem"], lang, row["code"]))
    return out


def load_problem_set(spec: str) -> tuple[dict[str, Any], bool]:
    """Problems by name, and whether they are HumanEval (function-call tests, judged by exit status)."""
    if spec == "humaneval":
        from judge import humaneval

        return humaneval.load_problems(), True
    from iotatui.data.problems import DataError, load_problems

    try:
        return {p.name: p for p in load_problems(spec)}, False
    except DataError as e:
        raise ValueError(str(e)) from None


def prepare(problems_spec: str, solutions_path: Path, comparator: str) -> tuple[dict[str, Any], list[Any], str]:
    """Everything a judge run needs, validated before any work: (problems, solutions, comparator).

    HumanEval solutions are wrapped with their test code and judged by exit status (comparator ``exit0``).
    """
    from judge import engine

    sols = read_solutions(solutions_path)
    problems, is_humaneval = load_problem_set(problems_spec)
    if is_humaneval:
        from judge import humaneval

        sols = [humaneval.wrap(s) if s.problem in problems else s for s in sols]
        comparator = "exit0"
    return problems, engine.validate(problems, sols), comparator
