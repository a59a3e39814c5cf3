"""Tracked stage ``judge``: judge a SOLUTIONS.jsonl in the sandbox, streaming one verdict event per solution into
the store (the same engine the eval and PPO stages call)::

    iotatui launch judge --set problems=bundled --set solutions=sols.jsonl [--set all_tests=true]

Verdicts also go to ``<run dir>/verdicts.jsonl`` (the ``iotatui judge`` format). The summary counts verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backends._runtime import RunContext


@dataclass
class Config:
    problems: str = field(
        default="bundled", metadata={"path": "if-exists", "help": "CodeContests file/dir, 'bundled' or 'humaneval'."}
    )
    solutions: str = field(default="", metadata={"path": "always", "help": "SOLUTIONS.jsonl: {id, problem, language, code}."})
    sandbox: str = field(default="docker", metadata={"help": "docker or bwrap."})
    workers: int = field(default=0, metadata={"help": "Parallel sandboxes (0: one per core)."})
    all_tests: bool = field(default=False, metadata={"help": "Run every test (per-test diagnostics) instead of fail-fast."})
    comparator: str = field(default="alphacode", metadata={"help": "alphacode or strict."})
    python_time_multiplier: float = field(default=0.0, metadata={"help": "Python limit = problem limit x this (0: default)."})

    def __post_init__(self) -> None:
        if not self.solutions:
            raise ValueError("solutions: required (a SOLUTIONS.jsonl path)")
        if self.sandbox not in ("docker", "bwrap"):
            raise ValueError(f"sandbox: unknown {self.sandbox!r} (use docker or bwrap)")
        if self.comparator not in ("alphacode", "strict"):
            raise ValueError(f"comparator: unknown {self.comparator!r} (use alphacode or strict)")


def verdict_event(v: Any) -> Any:
    """A judge Verdict as the compact store event: one letter per test, '-' for tests fail-fast skipped."""
    from backends.events import TEST_CODES, VerdictEvent

    letters = "".join(TEST_CODES.get(t.verdict, "?") for t in v.tests)
    letters += "-" * max(0, v.n_tests - len(v.tests))
    return VerdictEvent(
        sample_id=v.id,
        problem=v.problem,
        verdict=v.verdict,
        tests=letters,
        time_ms=[round(t.time_s * 1000) for t in v.tests],
        memory_kb=[t.memory_bytes // 1024 for t in v.tests],
        detail=(v.compile_output or v.error or "")[:2000],
    )


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    import json
    from collections import Counter
    from pathlib import Path

    from judge import engine
    from judge.inputs import prepare

    problems, sols, comparator = prepare(cfg.problems, Path(cfg.solutions), cfg.comparator)
    run.log(f"judging {len(sols)} solutions of {len(problems)} problems in {cfg.sandbox}")
    counts: Counter[str] = Counter()
    batch: list[Any] = []
    out = run.dir / "verdicts.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, v in enumerate(
            engine.judge_solutions(
                problems,
                sols,
                sandbox=cfg.sandbox,
                workers=cfg.workers or None,
                all_tests=cfg.all_tests,
                comparator=comparator,
                python_time_multiplier=cfg.python_time_multiplier or engine.PYTHON_TIME_MULTIPLIER,
            ),
            1,
        ):
            fh.write(json.dumps(v.to_dict()) + "\n")
            counts[v.verdict] += 1
            batch.append(verdict_event(v))
            if len(batch) >= 32 or i == len(sols):  # bursts keep the events file and the ingester cheap
                run.events.emit_many(batch)
                batch = []
                run.progress(i, len(sols), "solutions", "judged")
    run.artifact("verdicts", out, "verdicts", {"solutions": len(sols)})
    return {
        "solutions": len(sols),
        **{k.lower(): n for k, n in counts.items()},
        "ok_rate": round(counts["OK"] / max(len(sols), 1), 4),
    }


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
