"""The built-in ``count`` stage: a tiny real backend with a plausible, decaying loss curve.

It exercises the whole run protocol (events, checkpoints, resume, failure) without torch, for the demo and tests::

    iotatui launch count --set steps=200 --set interval=0.05
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module for its Config: keep the run protocol off `iotatui --help`
    from backends._runtime import RunContext


@dataclass
class Config:
    steps: int = field(default=100, metadata={"help": "Number of steps to run.", "min": 1})
    interval: float = field(default=0.1, metadata={"help": "Seconds to sleep per step (simulated work).", "min": 0})
    seed: int = field(default=0, metadata={"help": "Noise seed; same seed, same curve."})
    lr: float = field(default=0.05, metadata={"help": "Decay rate of the simulated loss."})
    checkpoint_every: int = field(
        default=20, metadata={"help": "Write a resumable checkpoint every N steps (0: never).", "min": 0}
    )
    fail_at: int = field(
        default=-1, metadata={"help": "Raise an error at this step (for testing failure paths; -1: never).", "min": -1}
    )
    metrics_per_step: int = field(
        default=3, metadata={"help": "How many metric keys to log per step (1..8).", "min": 1, "max": 8}
    )
    init: str = field(
        default="", metadata={"path": "if-exists", "help": "An earlier count run's curve.json, e.g. run:<id> (optional)."}
    )


def curve(cfg: Config, step: int) -> dict[str, float]:
    """Deterministic per (seed, step), so a resumed run continues the very same curve."""
    rng = random.Random(cfg.seed * 1_000_003 + step)
    loss = 2.5 * math.exp(-cfg.lr * step) + 0.3 + 0.05 * rng.gauss(0, 1)
    values = {
        "train/loss": round(loss, 6),
        "train/learning_rate": round(1e-4 * (1 - step / max(cfg.steps, 1)), 10),
        "train/grad_norm": round(abs(1.0 + 0.3 * rng.gauss(0, 1)) * math.exp(-cfg.lr * step / 2), 6),
        "eval/loss": round(loss + 0.1 + 0.02 * rng.gauss(0, 1), 6),
        "rewards/margins": round(1 - math.exp(-cfg.lr * step), 6),
        "objective/kl": round(0.01 * step ** 0.5, 6),
        "objective/entropy": round(2.0 * math.exp(-cfg.lr * step / 4), 6),
        "train/epoch": round(step / max(cfg.steps, 1), 6),
    }
    return dict(list(values.items())[: max(1, min(cfg.metrics_per_step, len(values)))])


def save_checkpoint(cfg: Config, run: RunContext, step: int) -> None:
    ckpt_dir = run.dir / "checkpoints"
    ckpt_dir.mkdir(exist_ok=True)
    path = ckpt_dir / f"step-{step}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"step": step, "seed": cfg.seed}))
    tmp.rename(path)  # atomic: a resume never reads a half-written checkpoint
    run.checkpoint(step, path)


def main(cfg: Config, run: RunContext) -> dict[str, float]:
    start = 0
    if run.resume_from:
        state = json.loads(Path(run.resume_from).read_text())
        start = int(state["step"])
        run.log(f"resumed from {run.resume_from} at step {start}")
    if cfg.init:  # an upstream run's output (a `run:<id>` input, resolved by the supervisor to this file)
        run.log(f"init from {cfg.init}: final_loss {json.loads(Path(cfg.init).read_text())['final_loss']}")
    values: dict[str, float] = {}
    for step in range(start + 1, cfg.steps + 1):
        time.sleep(cfg.interval)
        if step == cfg.fail_at:
            raise RuntimeError(f"simulated failure at step {step}")
        values = curve(cfg, step)
        run.metrics(step, values)
        run.progress(step, cfg.steps, unit="steps")
        stopping = run.should_stop  # the step is whole: a stop request ends the run here, resumable from this step
        if stopping or (cfg.checkpoint_every and step % cfg.checkpoint_every == 0):
            save_checkpoint(cfg, run, step)
        print(f"step {step}/{cfg.steps} loss={values.get('train/loss')}", flush=True)  # human stdout log only
        if stopping:
            print(f"stopping at step {step} ({run.stop_reason})", flush=True)
            break
    summary = {"final_loss": values.get("train/loss", float("nan")), "steps": cfg.steps}
    if not run.should_stop:  # the main artifact (StageInfo.output "curve"): what `run:<id>` of a count run names
        out = run.dir / "curve.json"
        out.write_text(json.dumps({**summary, "seed": cfg.seed}))
        run.artifact("curve", out, "json")
    return summary


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
