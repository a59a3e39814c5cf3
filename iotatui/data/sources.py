"""Gather the inputs of the SFT/pair builders: training problems of a source plus the (test-excluded) dump.

Shared by the CLI (``iotatui data sft|pairs``) and the tracked stages (``backends/data_sft.py``,
``backends/data_pairs.py``) so both build exactly the same thing from the same options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iotatui.data.problems import DataError, check_source, load_problems_report, normalize_split
from iotatui.data.schema import Problem


@dataclass
class Inputs:
    """Problems to build from, dump problems (statements attached, test problems removed) and what happened."""

    problems: list[Problem]
    dump_problems: list[Problem] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


def training_split(split: str) -> str | None:
    """The split to build training data from (None: every non-test split); ``test`` is refused."""
    want = normalize_split(split)
    if want == "test":
        raise DataError("split: 'test' is held out for evaluation; build training data from train or valid")
    return want


def check_build(*, source: str, split: str, dump: str = "", out: str = "", overwrite: bool = False,
                model: str = "", model_key: str = "tokenizer") -> None:
    """Cheap checks of a dataset build before any work: the ONE place ``iotatui data sft|pairs`` and
    ``iotatui launch data_sft|data_pairs`` refuse a missing input or a full output. ValueError, one line."""
    from iotatui.data._io import check_out
    from iotatui.data.models import check_model

    try:
        training_split(split)
        check_source(source)
        if dump and not Path(dump).expanduser().is_file():
            raise DataError(f"dump: {dump}: no such file")
        if model:
            try:
                check_model(model)
            except DataError as e:
                raise DataError(f"{model_key}: {e}") from None
        if out:
            check_out(out, overwrite)
    except DataError as e:
        raise ValueError(str(e)) from None


def gather(source: str = "bundled", split: str = "train", dump: str | None = None) -> Inputs:
    """Load ``source``, keep ``split`` (never ``test``), and load ``dump`` excluding the source's test problems.

    A source without any split labels (a plain file) is used whole, since there is nothing to tell test apart.
    """
    want = training_split(split)
    rep = load_problems_report(source)
    labelled = any(p.split for p in rep.problems)
    test = [p for p in rep.problems if p.split == "test"]
    if want is None:
        problems = [p for p in rep.problems if p.split != "test"]
    elif labelled:
        problems = [p for p in rep.problems if p.split == want]
    else:
        problems = list(rep.problems)
    info: dict[str, Any] = {"source": source, "split": want or "all non-test", "problems": len(problems),
                            "test_problems_held_out": len(test), "rows_skipped": rep.skipped,
                            "skip_messages": rep.skip_messages}
    out = Inputs(problems=problems, info=info)
    if dump:
        from iotatui.data.codeforces import attach_statements, dump_to_problems, load_dump

        d = load_dump(dump, exclude=test)
        missing = attach_statements(d, [p for p in rep.problems if p.split != "test"])
        out.dump_problems = dump_to_problems(d)
        info["dump"] = {"path": dump, "rows": d.report.rows_read, "rows_skipped": d.report.skipped,
                        "skip_messages": d.report.skip_messages, "problems": len(d.problems),
                        "problems_without_statement": missing, "test_problems_excluded": len(d.excluded),
                        "test_submissions_excluded": d.excluded_submissions,
                        "unsupported_language": d.unsupported_language}
    return out
