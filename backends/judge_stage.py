"""Tracked stage ``judge``: judge a SOLUTIONS.jsonl in the sandbox, streaming one verdict event per solution into
the store (the same ``JudgeSession`` the eval and RL stages use)::

    iotatui launch judge --set problems=bundled --set solutions=sols.jsonl [--set all_tests=true]

Verdicts also go to ``<run dir>/verdicts.jsonl`` (the ``iotatui judge`` format); each stored verdict keeps the first
failing test's index, stdout head and stderr tail. A ``problem`` event per judged problem fills the ``problems``
table. The summary counts verdicts. ``iotatui judge`` takes its options from this ``Config``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from judge.limits import JudgeLimits

if TYPE_CHECKING:  # the CLI imports this module for its Config: keep the run protocol off `iotatui --help`
    from backends._runtime import RunContext



@dataclass
class _Settings:
    problems: str = field(
        default="bundled",
        metadata={"path": "if-exists", "help": "CodeContests JSONL/Parquet/dataset dir, 'bundled', or 'humaneval'."},
    )
    solutions: str = field(default="", metadata={"path": "always", "help": "SOLUTIONS.jsonl: {id, problem, language, code}."})
    sandbox: str = field(
        default="docker", metadata={"help": "docker (fully tested) or bwrap.", "choices": ["docker", "bwrap"]}
    )
    workers: int | None = field(default=None, metadata={"help": "Parallel sandboxes (default: one per core).", "min": 1})
    all_tests: bool = field(default=False, metadata={"help": "Run every test (per-test diagnostics) instead of fail-fast."})
    comparator: str = field(
        default="alphacode", metadata={"help": "alphacode or strict.", "choices": ["alphacode", "strict"]}
    )

    def __post_init__(self) -> None:
        if not self.solutions:
            raise ValueError("solutions: required (a SOLUTIONS.jsonl path)")

    def check(self) -> None:
        """Launch checks, the same for ``iotatui judge`` and ``iotatui launch judge``: the problems load, the
        solutions file parses, and every solution is judgeable (known problem, judged language, has tests)."""
        from judge.inputs import prepare

        prepare(self.problems, Path(self.solutions), self.comparator)



@dataclass
class Config(JudgeLimits, _Settings):
    """What to judge and how (``_Settings``), then the judge's limits (``judge.limits``: one declaration for the
    judge stage, ``iotatui judge`` and eval)."""


def verdict_event(v: Any, sample_run: str | None = None) -> Any:
    """A judge Verdict as the compact store event: one letter per test, '-' for tests fail-fast skipped."""
    from backends.events import VerdictEvent, compact_tests

    return VerdictEvent(
        sample_id=v.id,
        problem=v.problem,
        verdict=v.verdict,
        tests=compact_tests((t.verdict for t in v.tests), v.n_tests),
        time_ms=[round(t.time_s * 1000) for t in v.tests],
        memory_kb=[t.memory_bytes // 1024 for t in v.tests],
        detail=(v.compile_output or v.error or "")[:2000],
        n_tests=v.n_tests,
        fail_test=v.fail_test,
        fail_output=v.fail_output,
        fail_stderr=v.fail_stderr,
        sample_run=sample_run,
    )


def judging_line(solutions: int, used: int, in_set: int, problem_set: str, sandbox: str) -> str:
    """The run's first log line: ``judging 36 solutions of 3 problems (of 44 in bundled) in docker`` -- the
    problems the solutions are for, not the whole set's count (which read as 44 problems judged)."""
    of = f" (of {in_set} in {problem_set})" if in_set != used else ""
    return f"judging {solutions} solution{'s' if solutions != 1 else ''} of {used} problem{'s' if used != 1 else ''}" \
        f"{of} in {sandbox}"


def problem_event(p: Any, problem_set: str) -> Any:
    """What the store's ``problems`` table keeps about a judged problem."""
    from backends.events import ProblemInfo

    return ProblemInfo(
        name=p.name,
        problem_set=problem_set,
        split=p.split or None,
        difficulty=p.difficulty,
        cf_rating=p.cf_rating or None,
        n_public=len(p.public_tests),
        n_private=len(p.private_tests),
        n_generated=len(p.generated_tests),
        time_limit_s=p.time_limit_s,
        memory_limit_bytes=p.memory_limit_bytes or None,
    )


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    import json
    import os
    from collections import Counter

    from iotatui.config import workspace_judge_hosts
    from judge import engine
    from judge.inputs import prepare
    from judge.session import JudgeSession

    problems, sols, comparator = prepare(cfg.problems, Path(cfg.solutions), cfg.comparator)
    used = sorted({s.problem for s in sols})
    run.log(judging_line(len(sols), len(used), len(problems), cfg.problems, cfg.sandbox))
    run.events.emit_many([problem_event(problems[name], cfg.problems) for name in used])
    counts: Counter[str] = Counter()
    out = run.dir / "verdicts.jsonl"
    workers = max(1, min(cfg.workers or len(os.sched_getaffinity(0)), len(sols)))
    hosts = workspace_judge_hosts()  # settings.toml judge_hosts: the pool may span several Docker daemons
    if hosts and cfg.sandbox == "docker":
        run.log(f"judge pool over {len(hosts)} Docker hosts: {', '.join(h.url for h in hosts)}")
    with (
        engine.make_pool(cfg.sandbox, workers, problems, hosts) as pool,
        JudgeSession(problems, pool=pool, all_tests=cfg.all_tests, comparator=comparator,
                     **cfg.judge_limits()) as session,
        run.verdicts() as emit,
        out.open("w", encoding="utf-8") as fh,
    ):
        for i, v in enumerate(session.stream(sols, checked=True), 1):
            fh.write(json.dumps(v.to_dict()) + "\n")
            emit.add(verdict_event(v))
            counts[v.verdict] += 1
            if i % 32 == 0 or i == len(sols):
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
