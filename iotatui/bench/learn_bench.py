"""``iotatui bench learn``: the learn pipeline end to end (``iotatui pipeline --preset learn``) in a fresh workspace,
timed per stage, with the figures that say whether it learned.

    iotatui bench learn [--json] [--home DIR] [--sandbox docker|bwrap] [--timeout-s S]

Prints (``--json``: one object) ``total_s`` (queue to the last run's end, model build and judge image included),
``stages`` (each run's wall time, start to end, and its status), ``sft_pass1`` / ``dpo_pass1`` / ``orpo_pass1`` /
``ppo_pass1`` / ``grpo_pass1`` (pass@1 on the held-out test problems), each learned model's paired comparison with
the SFT eval (``versus_sft``: difference and sign-flip p-value, :mod:`iotatui.learnview`), and ``rm_pair_acc`` (the
RM's pair accuracy on held-out problems, and before training). The baseline it is held to, in the same output: the
issue's 15-minute budget (``budget_ratio`` = total_s / 900) and SFT's pass@1 (every ``*_vs_sft`` line).
Exit status 1 when a run did not finish.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer  # light; module level because typer resolves the command's annotations against these globals

BUDGET_S = 900.0
"""The issue's budget for the whole learn graph on 2 CPU cores (issue 17)."""


def figures(ws: Any, graph: Any) -> dict[str, Any]:
    """pass@1 per trained model, the learned ones against SFT, the RM's held-out accuracy, per-stage wall time."""
    from iotatui.learnview import pass1, versus_sft

    out: dict[str, Any] = {"stages": {}}
    for node in graph.nodes:
        run = ws.store.get_run(node.run_id) or {}
        took = (run["finished"] - run["started"]) if run.get("finished") and run.get("started") else None
        out["stages"][node.name] = {"run": node.run_id, "status": run.get("status"),
                                    "wall_s": None if took is None else round(float(took), 1)}
        if node.stage == "rm":
            summary = run.get("summary") or {}
            out["rm_pair_acc"] = summary.get("heldout_pair_accuracy")
            out["rm_pair_acc_before"] = summary.get("heldout_pair_accuracy_before")
        if node.stage == "eval" and run.get("status") == "finished":
            trained = node.name.removeprefix("eval_")
            rates = pass1(ws.store.problem_counts(node.run_id))
            out[f"{trained}_pass1"] = round(sum(rates.values()) / len(rates), 4) if rates else None
            if trained != "sft":
                v = versus_sft(ws.store, run)
                out[f"{trained}_vs_sft"] = None if v is None else v.as_dict()
    return out


def main(json_out: bool = False, home: str = "", sandbox: str | None = None, timeout_s: float = 3600.0) -> int:
    from iotatui import pipeline
    from iotatui.workspace import Workspace

    path = Path(home) if home else Path(tempfile.mkdtemp(prefix="iotatui-bench-learn-"))
    ws = Workspace(path)
    try:
        t0 = time.monotonic()
        graph = pipeline.queue(ws, "learn", sandbox=sandbox)
        done = pipeline.wait(ws, graph, timeout_s=timeout_s)
        total = time.monotonic() - t0
        result: dict[str, Any] = {"home": str(path), "total_s": round(total, 1),
                                  "budget_ratio": round(total / BUDGET_S, 2), "timed_out": not done,
                                  **figures(ws, graph)}
    finally:
        ws.close()
    failed = [n for n, s in result["stages"].items() if s["status"] != "finished"]
    if json_out:
        print(json.dumps(result))
    else:
        print(render(result))
    return 1 if failed else 0


def render(r: dict[str, Any]) -> str:
    lines = [f"learn pipeline: {r['total_s']:.0f} s ({r['budget_ratio']:.2f}x the {BUDGET_S:.0f} s budget)"
             f"{'  TIMED OUT' if r['timed_out'] else ''}   workspace {r['home']}"]
    for name, s in r["stages"].items():
        wall = "-" if s["wall_s"] is None else f"{s['wall_s']:.0f} s"
        lines.append(f"  {name:10} {s['status'] or '?':9} {wall:>7}  {s['run']}")
    rm = r.get("rm_pair_acc")
    if rm is not None:
        before = r.get("rm_pair_acc_before")
        lines.append(f"rm held-out pair accuracy {rm:.3f}" + ("" if before is None else f" (before training {before:.3f})"))
    if r.get("sft_pass1") is not None:
        lines.append(f"sft pass@1 {r['sft_pass1']:.3f} on the held-out test problems")
    for name in ("dpo", "orpo", "ppo", "grpo"):
        v = r.get(f"{name}_vs_sft")
        if v:
            lines.append(f"  {v['text']}  ({v['problems']} problems)")
    return "\n".join(lines)


def register(bench_app: Any) -> None:
    """Add ``learn`` to the ``iotatui bench`` group."""
    @bench_app.command("learn")
    def bench_learn(
        json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
        home: Annotated[str, typer.Option(help="Workspace to run in (default: a fresh temp dir).")] = "",
        sandbox: Annotated[str | None, typer.Option(help="docker or bwrap (default: each stage's).",
                                                    show_default=False)] = None,
        timeout_s: Annotated[float, typer.Option(help="Give up waiting after this long.")] = 3600.0,
    ) -> None:
        """The learn pipeline's wall time per stage and whether it learned (SFT/DPO/ORPO/PPO/GRPO pass@1, RM
        accuracy), against the 15-minute budget and SFT."""
        from iotatui.stages import ConfigError
        from judge.preflight import SandboxError

        try:
            rc = main(json_out=json_out, home=home, sandbox=sandbox, timeout_s=timeout_s)
        except (ConfigError, SandboxError) as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from None
        raise typer.Exit(rc)
