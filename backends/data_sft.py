"""Tracked stage: build the SFT dataset (prompt / completion) on disk and record it as an artifact::

    iotatui launch data_sft --set tokenizer=PATH [--set source=bundled] [--set dump=FILE] [--set ratio=1.0]

The dataset goes to ``out`` (default: ``<run dir>/sft``); its ``report.json`` (counts, length histogram, the cut)
is also the run's summary. Same code path as ``iotatui data sft``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iotatui.data.schema import LANGUAGE_CODES  # stdlib only: the one language table

if TYPE_CHECKING:  # the CLI imports this module for its Config: keep the run protocol out of `iotatui --help`
    from backends._runtime import RunContext


@dataclass
class Config:
    tokenizer: str = field(
        default="", metadata={"path": "if-exists", "help": "Tokenizer/model dir or hub id that measures lengths."}
    )
    out: str = field(default="", metadata={"path": "always", "help": "Output directory (default: <run dir>/sft)."})
    source: str = field(
        default="bundled", metadata={"path": "if-exists", "help": "Problem source: bundled, a file, a dir or a hub name."}
    )
    split: str = field(default="train", metadata={"help": "Split to build from (never test)."})
    dump: str = field(default="", metadata={"path": "always", "help": "Codeforces submission dump .jsonl[.gz] (optional)."})
    ratio: float = field(default=1.0, metadata={"help": "CodeContests : dump samples (0 = keep all).", "min": 0})
    max_tokens: int = field(
        default=4000, metadata={"help": "Drop longer samples (0 = cut at the 99th percentile).", "min": 0}
    )
    languages: tuple[str, ...] = field(
        default=("python3", "cpp"), metadata={"help": "Languages to keep.", "choices": list(LANGUAGE_CODES)}
    )
    max_per_problem: int = field(default=0, metadata={"help": "Cap solutions per problem (0 = all).", "min": 0})
    seed: int = field(default=0, metadata={"help": "Shuffle/sampling seed."})
    overwrite: bool = field(default=False, metadata={"help": "Replace an existing non-empty out."})

    def __post_init__(self) -> None:
        if not self.tokenizer:
            raise ValueError("tokenizer: required (a tokenizer/model directory, e.g. from `iotatui model tiny`)")

    def check(self) -> None:
        """Launch checks, the same for ``iotatui data sft`` and ``iotatui launch data_sft``: inputs exist, out is free."""
        from iotatui.data.sources import check_build

        check_build(source=self.source, split=self.split, dump=self.dump, out=self.out, overwrite=self.overwrite,
                    model=self.tokenizer)


def build(cfg: Config, out: Path, progress: Any = None, log: Any = None) -> tuple[Any, dict[str, Any]]:
    """Gather the inputs and build at ``out``: the one build of ``iotatui data sft`` and this stage.
    Returns (the gathered inputs, the report). Raises DataError (one line)."""
    from iotatui.data.sft import build_sft
    from iotatui.data.sources import gather

    inp = gather(cfg.source, cfg.split, cfg.dump or None)
    if log:
        log(f"{len(inp.problems)} problems, {len(inp.dump_problems)} dump problems from {cfg.source}")
    report = build_sft(inp.problems, out, cfg.tokenizer, dump_problems=inp.dump_problems, ratio=cfg.ratio,
                       max_tokens=cfg.max_tokens, languages=tuple(cfg.languages), max_per_problem=cfg.max_per_problem,
                       seed=cfg.seed, overwrite=cfg.overwrite, progress=progress)
    return inp, report


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    out = Path(cfg.out) if cfg.out else run.dir / "sft"
    _, report = build(cfg, out, lambda done, total, label: run.progress(done, total, "samples", label), run.log)
    counts = report["counts"]
    run.artifact(
        "sft",
        out,
        "dataset",
        {
            "columns": ["prompt", "completion"],
            "rows": counts["kept"]["total"],
            "max_tokens": report["max_tokens"],
            "source": cfg.source,
        },
    )
    run.log(f"wrote {out}: {counts['kept']['total']} samples")
    return {
        "rows": counts["kept"]["total"],
        "duplicates_dropped": counts["duplicates_dropped"],
        "too_long_dropped": counts["too_long_dropped"],
        "max_tokens": report["max_tokens"],
        "cut_percentile": report["cut_percentile"],
        "out": str(out),
    }


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
