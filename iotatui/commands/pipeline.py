"""``iotatui pipeline``: queue the whole stage graph (:mod:`iotatui.pipeline`); ``--wait`` blocks and reports.

    iotatui pipeline [--preset paper|learn|smoke] [--model PATH] [--problems SOURCE] [--sandbox docker|bwrap] [--wait]
                     [--json]

Wire it with ``pipeline.register(app)``. Exit status with ``--wait``: 0 when every run finished, 1 when any did not
(they are named); 2 for bad input or no judge sandbox (one line: what is missing, how to fix it), before anything is
queued.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from iotatui.commands import fail, open_workspace


def pipeline(ctx: typer.Context,
             preset: Annotated[str, typer.Option(help="paper (the paper's settings), learn (a model trained from "
                                                      "scratch on the curriculum: SFT and RL gains on held-out problems, "
                                                      "~15-30 min on 2 cores) or smoke (tiny model, plumbing only, "
                                                      "minutes).")] = "smoke",
             model: Annotated[str | None, typer.Option(help="Base model of the SFT run (a dir, a hub id or 'tiny'; "
                                                            "default: the preset's).", show_default=False)] = None,
             problems: Annotated[str | None, typer.Option(help="Problem source of the data stages and the evals "
                                                               "(default: the preset's).", show_default=False)] = None,
             sandbox: Annotated[str | None, typer.Option(help="Judge sandbox of every run that judges: docker "
                                                             "or bwrap (default: each stage's, docker).",
                                                        show_default=False)] = None,
             wait: Annotated[bool, typer.Option("--wait", help="Block until every run is done, then print the "
                                                               "report.")] = False,
             json_out: Annotated[bool, typer.Option("--json", help="Print JSON (with --wait: the report's).")] = False,
             ) -> None:
    """Queue data, SFT, then DPO/ORPO/RM in parallel, PPO after RM, and an eval of each trained model; returns at
    once (the runs go on detached) unless --wait. The judge's sandbox is made ready first (the Docker image is built
    once, here, when missing)."""
    from iotatui import pipeline as pipe
    from iotatui.stages import ConfigError
    from iotatui.store import StoreError
    from judge.preflight import SandboxError

    ws = open_workspace(ctx, create=True)
    try:
        try:
            graph = pipe.queue(ws, preset, model, problems, sandbox=sandbox)
        except (ConfigError, StoreError, SandboxError) as e:
            raise fail(str(e)) from None
        if not wait:
            if json_out:
                typer.echo(json.dumps(graph.as_dict(), indent=2))
            else:
                for n in graph.nodes:
                    typer.echo(f"{n.name:10} {n.run_id}")
                for s in graph.skipped:
                    typer.echo(f"skipped {s}")
            return
        pipe.wait(ws, graph)
        result = pipe.summary(ws, graph)
        typer.echo(json.dumps(result, indent=2, default=str) if json_out else pipe.render(result))
        if result["pipeline"]["failed"]:
            typer.echo(f"error: not finished: {', '.join(result['pipeline']['failed'])}", err=True)
            raise typer.Exit(1)
    finally:
        ws.close()


def register(app: typer.Typer) -> None:
    """Add ``pipeline`` to the ``iotatui`` app (cli.py: ``pipeline.register(app)``)."""
    app.command("pipeline")(pipeline)
