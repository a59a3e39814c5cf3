"""``iotatui judge …``: judge solutions in the sandbox (``iotatui judge --problems P --solutions S --out V``) and
build the sandbox image (``iotatui judge image``).

All input is validated before any work: a bad JSON line, an unknown problem or language prints one line naming it
and exits 2. Verdicts are written one line per solution as each finishes to ``OUT.partial``, renamed to ``OUT`` when
every solution has one, so ``OUT`` is never half-written.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from iotatui.commands import fail
from judge.inputs import prepare  # light: stdlib + the problem schema

app = typer.Typer(help="Judge programs against tests in a hardened sandbox; build the sandbox image.",
                  context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True,
                  add_completion=False)


@app.callback()
def judge(
    ctx: typer.Context,
    problems: Annotated[str | None, typer.Option("--problems", help="CodeContests JSONL/Parquet/dataset dir, "
                                                 "'bundled', or 'humaneval'.")] = None,
    solutions: Annotated[Path | None, typer.Option("--solutions", help="JSONL: {id, problem, language, code}.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="VERDICTS.jsonl to write.")] = None,
    sandbox: Annotated[str, typer.Option("--sandbox", help="docker (default, fully tested) or bwrap.")] = "docker",
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Parallel sandboxes (default: cores).")] = None,
    all_tests: Annotated[bool, typer.Option("--all-tests", help="Run every test (no fail-fast).")] = False,
    comparator: Annotated[str, typer.Option("--comparator", help="alphacode or strict.")] = "alphacode",
    python_time_multiplier: Annotated[float | None, typer.Option(
        "--python-time-multiplier", min=0.1, help="Python time limit = problem limit x this (default 2.0).")] = None,
) -> None:
    """Judge SOLUTIONS against PROBLEMS' tests and write one verdict line per solution."""
    if ctx.invoked_subcommand is not None:
        return
    from judge import engine

    missing = [f"--{n}" for n, v in (("problems", problems), ("solutions", solutions), ("out", out)) if v is None]
    if missing:
        raise fail(f"missing {', '.join(missing)} (see iotatui judge --help)")
    assert problems is not None and solutions is not None and out is not None
    if sandbox not in ("docker", "bwrap"):
        raise fail(f"--sandbox: unknown {sandbox!r} (use docker or bwrap)")
    if comparator not in ("alphacode", "strict"):
        raise fail(f"--comparator: unknown {comparator!r} (use alphacode or strict)")
    try:
        probs, sols, comparator = prepare(problems, solutions, comparator)
    except ValueError as e:
        raise fail(str(e)) from None
    if not out.parent.exists():
        raise fail(f"--out: directory {out.parent} does not exist")
    mult = python_time_multiplier or engine.PYTHON_TIME_MULTIPLIER
    # SIGTERM would skip cleanup; as SystemExit it unwinds through the engine, which removes its containers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    partial = out.with_name(out.name + ".partial")
    counts: Counter[str] = Counter()
    t0 = time.monotonic()
    try:
        with partial.open("w", encoding="utf-8") as fh:
            for i, v in enumerate(engine.judge_solutions(probs, sols, sandbox=sandbox, workers=workers,
                                                         all_tests=all_tests, comparator=comparator,
                                                         python_time_multiplier=mult), 1):
                fh.write(json.dumps(v.to_dict()) + "\n")
                fh.flush()
                counts[v.verdict] += 1
                if sys.stderr.isatty() and (i % 10 == 0 or i == len(sols)):
                    typer.echo(f"\r  judged {i}/{len(sols)}", err=True, nl=False)
        os.replace(partial, out)
    except Exception as e:
        from judge.channel import ChannelError
        from judge.image import ImageError

        if isinstance(e, (ImageError, ChannelError)):
            raise fail(str(e).splitlines()[0] if str(e) else type(e).__name__, 1) from None
        raise
    dt = time.monotonic() - t0
    summary = ", ".join(f"{k} {n}" for k, n in counts.most_common())
    typer.echo(f"judged {len(sols)} solutions in {dt:.1f}s ({len(sols) / max(dt, 1e-9):.1f}/s): {summary}", err=True)
    if counts.get("SANDBOX_ERROR"):
        typer.echo(f"warning: {counts['SANDBOX_ERROR']} SANDBOX_ERROR verdicts (infrastructure faults)", err=True)


@app.command("image")
def image(force: Annotated[bool, typer.Option("--force", help="Rebuild even if present.")] = False) -> None:
    """Build the sandbox image offline (debootstrap + docker import), cached by a content hash."""
    from judge.image import ImageError, ensure_image

    try:
        typer.echo(ensure_image(force=force))
    except ImageError as e:
        raise fail(str(e), 1) from None
