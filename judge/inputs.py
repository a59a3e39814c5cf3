"""Judge inputs shared by ``iotatui judge`` and the tracked ``judge`` stage: SOLUTIONS.jsonl and problem sets.

Strict: every error is a ValueError with one line naming the file, line and field, raised before any work starts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_solutions(path: Path) -> list[Any]:
    """Parse SOLUTIONS.jsonl strictly; ValueError names the file, line and field (an empty file is an error too)."""
    from judge.engine import normalize_language
    from judge.verdict import Solution

    out: list[Solution] = []
    seen: set[str] = set()
    try:
        fh = path.open("rb")  # bytes, decoded line by line: a decode error names its exact line
    except OSError as e:
        raise ValueError(f"{path}: cannot read ({e.strerror})") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise ValueError(f"{path}:{n}: not UTF-8 text (line {n}, byte {e.start + 1})") from None
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
                try:  # JSON can carry lone surrogates ("\\ud800"): no valid program text contains one
                    row[key].encode("utf-8")
                except UnicodeEncodeError as e:
                    raise ValueError(f"{path}:{n}: field {key!r} is not valid Unicode (lone surrogate at character "
                                     f"{e.start})") from None
            try:
                lang = normalize_language(row.get("language"))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: {e}") from None
            if row["id"] in seen:
                raise ValueError(f"{path}:{n}: duplicate id {row['id']!r}")
            seen.add(row["id"])
            out.append(Solution(row["id"], row["problem"], lang, row["code"]))
    if not out:
        raise ValueError(f"{path}: no solutions in the file: nothing to judge")
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


def check_limits(problems: dict[str, Any]) -> None:
    """Refuse problems whose own limits cannot be judged: a time or memory limit <= 0 (ValueError names it)."""
    for name, p in problems.items():
        tl, mem = getattr(p, "time_limit_s", None), getattr(p, "memory_limit_bytes", None)
        if tl is not None and not tl > 0:
            raise ValueError(f"problem {name!r}: time_limit {tl} must be > 0 seconds")
        if mem is not None and mem < 0:  # 0 is "none given": the documented default applies (HumanEval has 0)
            raise ValueError(f"problem {name!r}: memory_limit_bytes {mem} must be >= 0")


def claim_out(out: Path) -> None:
    """Check ``--out`` before any work, then remove what an earlier (maybe killed) run left there, so an old complete
    OUT never passes for this run's result. ValueError names the problem."""
    if out.is_dir():
        raise ValueError(f"--out: {out} is a directory (name a file, e.g. {out / 'VERDICTS.jsonl'})")
    if not out.parent.is_dir():
        raise ValueError(f"--out: directory {out.parent} does not exist")
    for stale in (out, out.with_name(out.name + ".partial")):
        try:
            stale.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise ValueError(f"--out: cannot replace {stale} ({e.strerror})") from None


def prepare(problems_spec: str, solutions_path: Path, comparator: str) -> tuple[dict[str, Any], list[Any], str]:
    """Everything a judge run needs, validated before any work: (problems, solutions, comparator).

    HumanEval solutions are wrapped with their test code and judged by exit status (comparator ``exit0``).
    """
    from judge import engine

    sols = read_solutions(solutions_path)
    problems, is_humaneval = load_problem_set(problems_spec)
    check_limits({s.problem: problems[s.problem] for s in sols if s.problem in problems})
    if is_humaneval:
        from judge import humaneval

        sols = [humaneval.wrap(s) if s.problem in problems else s for s in sols]
        comparator = "exit0"
    return problems, engine.validate(problems, sols), comparator
