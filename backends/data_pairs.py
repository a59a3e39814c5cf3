"""Tracked stage: build preference triplets (prompt / chosen / rejected) on disk and record them as an artifact::

    iotatui launch data_pairs [--set source=bundled] [--set dump=FILE] [--set kinds=random,closest]

The dataset goes to ``out`` (default: ``<run dir>/pairs``). Same code path as ``iotatui data pairs``.
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
    out: str = field(default="", metadata={"path": "always", "help": "Output directory (default: <run dir>/pairs)."})
    source: str = field(
        default="bundled", metadata={"path": "if-exists", "help": "Problem source: bundled, a file, a dir or a hub name."}
    )
    split: str = field(default="train", metadata={"help": "Split to build from (never test)."})
    dump: str = field(default="", metadata={"path": "always", "help": "Codeforces submission dump .jsonl[.gz] (optional)."})
    languages: tuple[str, ...] = field(
        default=("python3", "cpp"), metadata={"help": "Languages to pair within.", "choices": list(LANGUAGE_CODES)}
    )
    kinds: tuple[str, ...] = field(
        default=("random", "closest"),
        metadata={"help": "Negatives per correct solution: random, closest.", "choices": ["random", "closest"]},
    )
    max_correct: int = field(default=0, metadata={"help": "Cap correct solutions per problem (0 = all).", "min": 0})
    max_incorrect: int = field(default=0, metadata={"help": "Cap incorrect solutions per problem (0 = all).", "min": 0})
    max_triplets: int = field(default=0, metadata={"help": "Cap total triplets (0 = all).", "min": 0})
    seed: int = field(default=0, metadata={"help": "Sampling seed (same seed, same triplets)."})
    overwrite: bool = field(default=False, metadata={"help": "Replace an existing non-empty out."})

    def __post_init__(self) -> None:
        if not self.kinds:
            raise ValueError("kinds: empty (expected random, closest or both)")

    def check(self) -> None:
        """Launch checks, the same for ``iotatui data pairs`` and ``iotatui launch data_pairs``."""
        from iotatui.data.sources import check_build

        check_build(source=self.source, split=self.split, dump=self.dump, out=self.out, overwrite=self.overwrite)


def build(cfg: Config, out: Path, progress: Any = None, log: Any = None) -> tuple[Any, dict[str, Any]]:
    """Gather the inputs and build at ``out``: the one build of ``iotatui data pairs`` and this stage.
    Returns (the gathered inputs, the report). Raises DataError (one line)."""
    from iotatui.data.pairs import build_pairs
    from iotatui.data.sources import gather

    inp = gather(cfg.source, cfg.split, cfg.dump or None)
    if log:
        log(f"{len(inp.problems)} problems, {len(inp.dump_problems)} dump problems from {cfg.source}")
    report = build_pairs(inp.problems + inp.dump_problems, out, languages=tuple(cfg.languages), seed=cfg.seed,
                         kinds=tuple(cfg.kinds), max_correct=cfg.max_correct, max_incorrect=cfg.max_incorrect,
                         max_triplets=cfg.max_triplets, overwrite=cfg.overwrite, progress=progress)
    return inp, report


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    from iotatui.data.pairs import PAIR_COLUMNS

    out = Path(cfg.out) if cfg.out else run.dir / "pairs"
    _, report = build(cfg, out, lambda done, total, label: run.progress(done, total, "problems", label), run.log)
    counts = report["counts"]
    run.artifact(
        "pairs",
        out,
        "dataset",
        {
            "columns": list(PAIR_COLUMNS),
            "rows": counts["triplets"],
            "by_kind": counts["by_kind"],
            "source": cfg.source,
        },
    )
    run.log(f"wrote {out}: {counts['triplets']} triplets from {counts['problems']} problems "
            f"({counts['duplicates_skipped']} random negatives equal to the closest one left out as duplicates)")
    return {"rows": counts["triplets"], **{f"kind/{k}": v for k, v in counts["by_kind"].items()},
            "problems": counts["problems"], "duplicates_skipped": counts["duplicates_skipped"], "out": str(out)}


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
