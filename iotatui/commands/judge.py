"""``iotatui judge …``: judge solutions in the sandbox (``iotatui judge --solutions S --out V [--problems P]``) and
build the sandbox image (``iotatui judge image``).

The options are the ``judge`` stage's ``Config`` fields (one declaration: name, default, help, range), plus ``--out``.
All input is validated before any work: a bad JSON line, an unknown problem or language prints one line naming it
and exits 2. The sandbox is started (the Docker daemon checked, the image built if missing) before anything is
written; verdicts then go one line per solution as each finishes to ``OUT.partial``, renamed to ``OUT`` when every
solution has one, so ``OUT`` is never half-written.
"""

from __future__ import annotations

import inspect
import json
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from backends import judge_stage  # light: the Config dataclass the options derive from
from iotatui.commands import fail
from iotatui.commands._options import build_from_options, config_parameters

app = typer.Typer(help="Judge programs against tests in a hardened sandbox; build the sandbox image.",
                  context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True,
                  add_completion=False)

_CONFIG_PARAMS = config_parameters(judge_stage.Config)
_OUT = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None,
                         annotation=Annotated[Path | None, typer.Option("--out", help="VERDICTS.jsonl to write.")])


def judge(ctx: typer.Context, out: Path | None = None, **options: Any) -> None:
    """Judge SOLUTIONS against PROBLEMS' tests and write one verdict line per solution."""
    if ctx.invoked_subcommand is not None:  # `iotatui judge image`: the judge options do not apply
        return
    from judge.inputs import claim_out, prepare

    cfg: judge_stage.Config = build_from_options(judge_stage.Config, options, launch_checks=False)
    if out is None:
        raise fail("missing --out (see iotatui judge --help)")
    try:
        probs, sols, comparator = prepare(cfg.problems, Path(cfg.solutions), cfg.comparator)
    except ValueError as e:
        raise fail(str(e)) from None
    try:  # a directory, a missing parent, or a stale OUT from an earlier killed run: settled before any work
        claim_out(out)
    except ValueError as e:
        raise fail(str(e)) from None
    # SIGTERM would skip cleanup; as SystemExit it unwinds through the session, which removes its containers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workers = max(1, min(cfg.workers or len(os.sched_getaffinity(0)), len(sols)))
    session = _start(probs, cfg, comparator, workers)
    partial = out.with_name(out.name + ".partial")
    counts: Counter[str] = Counter()
    t0 = time.monotonic()
    try:
        with session, partial.open("w", encoding="utf-8") as fh:
            for i, v in enumerate(session.stream(sols, checked=True), 1):
                fh.write(json.dumps(v.to_dict()) + "\n")
                fh.flush()
                counts[v.verdict] += 1
                if sys.stderr.isatty() and (i % 10 == 0 or i == len(sols)):
                    typer.echo(f"\r  judged {i}/{len(sols)}", err=True, nl=False)
        os.replace(partial, out)
    except Exception as e:
        from judge.channel import ChannelError

        if isinstance(e, ChannelError):
            raise fail(str(e).splitlines()[0] if str(e) else type(e).__name__, 1) from None
        raise
    dt = time.monotonic() - t0
    summary = ", ".join(f"{k} {n}" for k, n in counts.most_common())
    typer.echo(f"judged {len(sols)} solutions in {dt:.1f}s ({len(sols) / max(dt, 1e-9):.1f}/s): {summary}", err=True)
    if counts.get("SANDBOX_ERROR"):
        typer.echo(f"warning: {counts['SANDBOX_ERROR']} SANDBOX_ERROR verdicts (infrastructure faults)", err=True)


def _start(probs: dict[str, Any], cfg: judge_stage.Config, comparator: str, workers: int) -> Any:
    """The judge session, sandbox up (daemon answering, image present), or exit 1 with one line saying what to do."""
    from judge.channel import ChannelError
    from judge.image import ImageError
    from judge.session import JudgeSession

    try:
        return JudgeSession(probs, sandbox=cfg.sandbox, workers=workers, all_tests=cfg.all_tests,
                            comparator=comparator, **cfg.judge_limits())
    except (ImageError, ChannelError) as e:
        raise fail(str(e).splitlines()[0] if str(e) else type(e).__name__, 1) from None


# Typer reads the signature: the context, the stage's Config fields as options, then --out.
judge.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
     *_CONFIG_PARAMS, _OUT])
judge.__annotations__ = {}
app.callback()(judge)


@app.command("image")
def image(force: Annotated[bool, typer.Option("--force", help="Rebuild even if present.")] = False) -> None:
    """Build the sandbox image offline (debootstrap + docker import), cached by a content hash."""
    from judge.image import ImageError, ensure_image

    try:
        typer.echo(ensure_image(force=force))
    except ImageError as e:
        raise fail(str(e), 1) from None
