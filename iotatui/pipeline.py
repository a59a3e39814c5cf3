"""The whole stage graph in one call: ``iotatui pipeline [--preset paper|smoke] [--model PATH] [--problems SRC]``.

::

    data_sft ──► sft ──┬──► eval(sft)
    data_pairs ────────┼──► dpo ──► eval(dpo)
                       ├──► orpo ─► eval(orpo)
                       ├──► rm ───► ppo ──► eval(ppo)      (ppo: only where the stage is installed)
                       └──► grpo ─► eval(grpo)             (grpo: likewise)

Every node is an ordinary run queued through :func:`iotatui.supervisor.launch`: the parent and every ``run:<id>``
value are its dependencies, so the runs proceed detached (the shims run the queue) and a failed run fails only what
depends on it (:mod:`iotatui.scheduler`). :func:`queue` returns at once; :func:`wait` polls the store until every
run is terminal; :func:`summary` is the outcome with the report's rows (:mod:`iotatui.commands.report`).
Stdlib only at the top level.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from iotatui.stages import ConfigError, available_stages, config_class
from iotatui.store import FINISHED, TERMINAL
from iotatui.workspace import Workspace

PRESETS = ("paper", "smoke", "learn")
DEFAULT_MODEL = {"paper": "deepseek-ai/deepseek-coder-1.3b-instruct", "smoke": "tiny", "learn": "learn"}
"""Base model of the SFT run when ``--model`` is not given (the paper fine-tunes DeepSeek-Coder 1.3B-instruct;
``tiny`` and ``learn`` are built into the workspace)."""
DEFAULT_PROBLEMS = {"paper": "deepmind/code_contests", "smoke": "bundled", "learn": "curriculum"}
POLICY_STAGES = ("dpo", "orpo", "ppo", "grpo")
"""Trained models that get an eval (after ``sft``); ``rm`` is a scorer, so it gets none."""


@dataclass
class Node:
    """One run of the graph: ``parent`` and ``refs`` name other nodes (resolved to run ids when queued)."""

    name: str
    stage: str
    sets: dict[str, str] = field(default_factory=dict)
    parent: str | None = None
    refs: dict[str, str] = field(default_factory=dict)
    """config key -> node whose output it takes (``run:<id>``)."""
    run_id: str = ""


@dataclass
class Graph:
    preset: str
    nodes: list[Node]
    skipped: list[str]
    """Optional stages left out because their backend is not installed (one line each)."""

    def ids(self) -> dict[str, str]:
        return {n.name: n.run_id for n in self.nodes}

    def as_dict(self) -> dict[str, Any]:
        return {"preset": self.preset, "skipped": self.skipped,
                "nodes": [{"name": n.name, "stage": n.stage, "run": n.run_id, "parent": n.parent, "refs": n.refs,
                           "sets": n.sets} for n in self.nodes]}


def _fields(stage: str) -> set[str]:
    return {f.name for f in dataclasses.fields(config_class(stage))}


def plan(preset: str = "smoke", model: str | None = None, problems: str | None = None,
         stages: set[str] | None = None) -> Graph:
    """The nodes to queue, in launch order (every dependency before its dependents). ConfigError for a bad preset
    or a required stage that is not installed. ``stages``: the installed ones (default: what is on this machine)."""
    if preset not in PRESETS:
        raise ConfigError(f"--preset {preset!r}: unknown preset (known: {', '.join(PRESETS)})")
    avail = set(available_stages()) if stages is None else stages
    missing = [s for s in ("data_sft", "data_pairs", "sft", "dpo", "orpo", "rm", "eval") if s not in avail]
    if missing:
        raise ConfigError(f"pipeline: stage(s) not installed: {', '.join(missing)}")
    base = model or DEFAULT_MODEL[preset]
    source = problems or DEFAULT_PROBLEMS[preset]
    # data_sft measures lengths with the base model's tokenizer; 'tiny' is the workspace's (see queue()).
    nodes = [Node("data_sft", "data_sft", {"tokenizer": base, "source": source}),
             Node("data_pairs", "data_pairs", {"source": source}),
             Node("sft", "sft", {"model": base}, refs={"dataset": "data_sft"})]
    for stage in ("dpo", "orpo", "rm"):
        nodes.append(Node(stage, stage, parent="sft", refs={"dataset": "data_pairs"}))
    skipped = []
    if "ppo" in avail:
        # The paper's PPO: the learned reward model's score (whatever the stage's preset rewards by default).
        nodes.append(Node("ppo", "ppo", {"reward": "rm", "problems": source}, parent="sft", refs={"reward_model": "rm"}))
    else:
        skipped.append("ppo: stage not installed (backends/ppo.py), so no PPO and no eval of it")
    if "grpo" in avail:
        nodes.append(Node("grpo", "grpo", {"problems": source}, parent="sft"))
    else:
        skipped.append("grpo: stage not installed (backends/grpo.py), so no GRPO and no eval of it")
    for trained in ["sft", *(n.name for n in nodes if n.stage in POLICY_STAGES)]:
        nodes.append(Node(f"eval_{trained}", "eval", {"problems": source}, parent=trained))
    return Graph(preset, nodes, skipped)


def _sets(node: Node, ids: dict[str, str]) -> list[str]:
    values = dict(node.sets)
    values.update({k: f"run:{ids.get(v, 'pending')}" for k, v in node.refs.items()})
    # RL stages are being written alongside this: only hand them keys their Config has.
    if node.stage in ("ppo", "grpo"):
        known = _fields(node.stage)
        values = {k: v for k, v in values.items() if k in known}
    return [f"{k}={v}" for k, v in values.items()]


def _preset_for(stage: str, preset: str) -> str | None:
    from iotatui.presets import PRESETS as VALUES

    return preset if stage in VALUES.get(preset, {}) else None


def judging(graph: Graph, preset: str, sandbox: str | None = None) -> dict[str, str]:
    """Node name -> the sandbox it will judge in, for every node of ``graph`` that judges. ``sandbox`` (the caller's
    ``--sandbox``) is written into each of those nodes' config, so the choice shows in every run's config."""
    from iotatui.sandboxcheck import judges
    from iotatui.stages import resolve_config

    out: dict[str, str] = {}
    for node in graph.nodes:
        cfg = resolve_config(node.stage, sets=_sets(node, {}), preset=_preset_for(node.stage, preset), check=False)
        if judges(cfg):
            if sandbox:
                node.sets["sandbox"] = sandbox
            out[node.name] = sandbox or str(cfg["sandbox"])
    return out


def queue(ws: Workspace, preset: str = "smoke", model: str | None = None, problems: str | None = None,
          start: bool = True, sandbox: str | None = None) -> Graph:
    """Queue every node (``start=False``: only write the rows, for a look at the graph) and return the graph with
    its run ids. Every node's config is checked before the first run is written, so a bad option queues nothing;
    so is the judge's sandbox (``sandbox``: docker or bwrap for every judging node; default: each stage's):
    SandboxError when there is none."""
    from iotatui import sandboxcheck, supervisor
    from iotatui.stages import resolve_config

    graph = plan(preset, model, problems)
    judged = judging(graph, preset, sandbox)
    base = model or DEFAULT_MODEL[preset]
    from iotatui.data.models import NAMED_MODELS

    if base in NAMED_MODELS:
        # data_sft needs a tokenizer directory; the training stages resolve the name to this same dir (backends/_hf).
        named = ws.home / "models" / base
        if not (named / "config.json").exists():
            from backends._hf import named_model_dir  # torch loads here, only when the model is missing

            with _stdout_to_stderr():  # the tokenizer trainer prints to fd 1; keep `pipeline --json` clean
                named_model_dir(base, ws.home)
        graph.nodes[0].sets["tokenizer"] = str(named)
    for node in graph.nodes:  # placeholders for run:<id>: the launch checks of such configs wait for the inputs
        resolve_config(node.stage, sets=_sets(node, {}), preset=_preset_for(node.stage, preset))
    if start and judged:  # the image is built here, once: runs that start together would race to build it
        sandboxcheck.prepare(ws, judged)
    ids: dict[str, str] = {}
    for node in graph.nodes:
        node.run_id = supervisor.launch(ws, node.stage, sets=_sets(node, ids),
                                        parent=ids[node.parent] if node.parent else None, start=start,
                                        preset=_preset_for(node.stage, preset))
        ids[node.name] = node.run_id
    return graph


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """File descriptor 1 points at stderr meanwhile (native code writes there too, not only ``sys.stdout``)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def wait(ws: Workspace, graph: Graph, poll_s: float = 2.0, timeout_s: float | None = None) -> bool:
    """Block until every run of the graph is terminal (True), or ``timeout_s`` passed (False). Each poll
    reconciles, so a run whose processes died becomes ``crashed`` and its dependents fail."""
    from iotatui.supervisor import reconcile

    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        reconcile(ws)
        if all((ws.store.get_run(n.run_id) or {}).get("status") in TERMINAL for n in graph.nodes):
            return True
        if deadline is not None and time.monotonic() > deadline:
            return False
        time.sleep(poll_s)


def summary(ws: Workspace, graph: Graph, ci_iters: int | None = None) -> dict[str, Any]:
    """The outcome: every node's status (and error), the failed ones, and the report's rows of the finished evals
    (the shape of ``iotatui report --json``: ``rows`` and ``paper``)."""
    from iotatui.commands.report import CI_ITERS, PAPER, run_row

    runs = []
    for n in graph.nodes:
        r = ws.store.get_run(n.run_id) or {}
        runs.append({"name": n.name, "stage": n.stage, "run": n.run_id, "status": r.get("status"),
                     "error": r.get("error"), "started": r.get("started"), "finished": r.get("finished")})
    evals = [str(x["run"]) for x in runs if x["stage"] == "eval" and x["status"] == FINISHED]
    rows = [run_row(ws.store, i, CI_ITERS if ci_iters is None else ci_iters) for i in evals]
    return {"rows": rows, "paper": PAPER, "pipeline": {**graph.as_dict(), "runs": runs,
                                                        "failed": [x["name"] for x in runs if x["status"] != FINISHED]}}


def render(result: dict[str, Any]) -> str:
    """Text form: one line per run, then the report's table of the evals."""
    from iotatui.commands.report import render as render_report

    pipe = result["pipeline"]
    lines = [f"pipeline ({pipe['preset']}):"]
    for r in pipe["runs"]:
        err = f"  {r['error']}" if r["error"] and r["status"] != FINISHED else ""
        lines.append(f"  {r['name']:10} {r['run']:32} {r['status'] or '?':9}{err}"[:200])
    lines += [f"  skipped {s}" for s in pipe["skipped"]]
    if result["rows"]:
        lines += ["", render_report(result["rows"], "table")]
    if pipe["failed"]:
        lines += ["", f"not finished: {', '.join(pipe['failed'])}"]
    return "\n".join(lines)
