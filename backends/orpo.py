"""ORPO (``trl.experimental.orpo``): odds-ratio preference optimisation, no reference model, LoRA as in DPO::

    iotatui launch orpo --preset smoke
    iotatui launch orpo --parent <sft run> --set dataset=run:<data_pairs id>

Its own stage (not a DPO option) with DPO's data, settings and outputs; beta is the paper's lambda (0.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backends.dpo import Config as DPOStageConfig

if TYPE_CHECKING:
    from backends._runtime import RunContext


@dataclass
class Config(DPOStageConfig):
    beta: float = field(default=0.1, metadata={"help": "Weight of the odds-ratio term (lambda).", "min": 0})


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    from backends.dpo import preference_main

    return preference_main(cfg, run, "orpo")


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
