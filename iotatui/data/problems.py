"""Load CodeContests problems from our bundled set, local files/directories or the Hugging Face hub.

A *spec* names where problems come from:

- ``bundled``: the problem set packaged with iotatui (``iotatui/data/bundled/problems.jsonl``, rows carry ``split``);
- ``curriculum``: the generated family of easy problems a small model learns on a CPU (``iotatui/data/curriculum.py``);
- a file: ``.jsonl``, ``.jsonl.gz``, ``.json`` (JSON lines) or ``.parquet``;
- a directory: a ``datasets`` ``save_to_disk`` folder (Dataset or DatasetDict), or a folder of parquet/jsonl files
  named like the HF repo (``data/train-00000-of-00039.parquet``, ``test.jsonl``);
- a hub name such as ``deepmind/code_contests`` (needs network or a local HF cache).

Splits are ``train``/``valid``/``test`` (``validation``/``val`` are accepted and mean ``valid``). A malformed row is
skipped and counted, with the file and row number in the report; a file without ``name``/``description`` columns at
all is a :class:`DataError`. ``datasets``/``pyarrow`` are imported inside functions (the CLI must start fast).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iotatui.data.bundled import BUNDLED_PATH  # the one bundled path (re-exported here)
from iotatui.data.schema import Problem

CURRICULUM = "curriculum"
"""The generated curriculum of easy problems (``iotatui/data/curriculum.py``)."""
NAMED_SOURCES = ("bundled", CURRICULUM)
"""Problem sources named by a word rather than a path or a hub id."""

SPLITS: tuple[str, ...] = ("train", "valid", "test")
_SPLIT_ALIASES = {"train": "train", "valid": "valid", "validation": "valid", "val": "valid", "dev": "valid",
                  "test": "test"}
_HUB_RE = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_FILE_SUFFIXES = (".jsonl.gz", ".jsonl", ".json", ".parquet")
MAX_SKIP_MESSAGES = 20
"""How many skipped-row messages a report keeps verbatim (the count is always exact)."""


class DataError(Exception):
    """Bad or missing data. ``str(err)`` is one line naming the file/field/value; the CLI prints it and exits 2."""


@dataclass
class LoadReport:
    """Problems loaded plus what was skipped, and where."""

    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    skipped: int = 0
    skip_messages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def skip(self, where: str, why: str) -> None:
        """Count one skipped row; keep its message while there are few (a bad dump must not flood memory)."""
        self.skipped += 1
        if len(self.skip_messages) < MAX_SKIP_MESSAGES:
            self.skip_messages.append(f"{where}: {why}")


def is_hub_id(spec: str) -> bool:
    """THE hub-id rule (datasets and models alike): ``owner/name``, and not something that reads as a path."""
    return bool(_HUB_RE.match(spec)) and not spec.startswith((".", "/", "~"))


def check_source(spec: str) -> None:
    """Cheap check of a problem source before any work (and at ``iotatui launch``): ``bundled``, an existing file
    or directory, or a hub name (whether the hub has it is only known when loading). Raises DataError."""
    if spec in NAMED_SOURCES or Path(spec).expanduser().exists() or is_hub_id(spec):
        return
    raise DataError(f"problem source {spec!r}: no such file or directory (nor a hub name like owner/dataset)")


def normalize_split(split: str | None) -> str | None:
    """``validation``/``val`` → ``valid``; None stays None. Raises DataError on anything else."""
    if split is None or split == "" or split == "all":
        return None
    s = _SPLIT_ALIASES.get(split.lower())
    if s is None:
        raise DataError(f"split: unknown value {split!r} (expected one of train, valid, test)")
    return s


def split_from_filename(path: Path) -> str:
    """HF repo files are named ``train-00000-of-00039-….parquet`` / ``valid-….parquet`` / ``test.jsonl``."""
    stem = path.name.split(".")[0].lower()
    head = re.split(r"[-_]", stem)[0]
    return _SPLIT_ALIASES.get(head, "")


def load_problems(spec: str, split: str | None = None) -> list[Problem]:
    """Problems from ``spec`` (see module doc), optionally only one split. Raises DataError on unusable input."""
    return load_problems_report(spec, split).problems


def load_problems_report(spec: str, split: str | None = None) -> LoadReport:
    """Like :func:`load_problems` but also returns rows read and skipped (with file and row of each skip)."""
    want = normalize_split(split)
    report = LoadReport()
    n_valid = 0
    for prob in _iter_spec(str(spec), want, report):
        n_valid += 1
        if want is None or prob.split == want:
            report.problems.append(prob)
    if n_valid == 0 and report.skipped:
        # Every row was unusable: that is a file in the wrong schema, not a few bad rows.
        first = report.skip_messages[0] if report.skip_messages else ""
        raise DataError(f"problem source {spec!r}: none of its {report.skipped} rows is a CodeContests problem "
                        f"(first: {first})")
    return report


def _iter_spec(spec: str, want: str | None, report: LoadReport) -> Iterator[Problem]:
    if spec == CURRICULUM:
        from iotatui.data.curriculum import problems  # generated in memory (~1 s), the same on every machine

        yield from problems()
        return
    if spec == "bundled":
        if not BUNDLED_PATH.exists():
            raise DataError(f"bundled problem set not built: {BUNDLED_PATH} is missing "
                            "(run python -m iotatui.data.bundled.build)")
        yield from _iter_file(BUNDLED_PATH, "", report)
        return
    path = Path(spec).expanduser()
    if path.is_file():
        yield from _iter_file(path, split_from_filename(path), report)
    elif path.is_dir():
        yield from _iter_dir(path, want, report)
    else:
        check_source(spec)
        yield from _iter_hub(spec, want, report)


def _iter_dir(path: Path, want: str | None, report: LoadReport) -> Iterator[Problem]:
    if (path / "dataset_dict.json").exists() or (path / "state.json").exists():
        yield from _iter_arrow_dir(path, want, report)
        return
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(_FILE_SUFFIXES))
    if not files:
        raise DataError(f"{path}: no save_to_disk dataset and no .parquet/.jsonl files inside")
    for f in files:
        file_split = split_from_filename(f)
        # Skip whole files of other splits without reading them (the HF train split is ~40 GB of parquet).
        if want is not None and file_split and file_split != want:
            continue
        yield from _iter_file(f, file_split, report)


def _iter_file(path: Path, split: str, report: LoadReport) -> Iterator[Problem]:
    report.files.append(str(path))
    if path.name.endswith(".parquet"):
        rows = _parquet_rows(path)
    elif path.name.endswith(_FILE_SUFFIXES):
        rows = _jsonl_rows(path, report)
    else:
        raise DataError(f"{path}: unsupported file type (expected .jsonl, .jsonl.gz or .parquet)")
    yield from _rows_to_problems(rows, str(path), split, report)


def _rows_to_problems(rows: Iterator[tuple[int, Any]], where: str, split: str,
                      report: LoadReport) -> Iterator[Problem]:
    """Validate rows one by one; a file none of whose rows has name/description is a schema mismatch."""
    seen_schema = False
    n = 0
    for rowno, row in rows:
        n += 1
        report.rows_read += 1
        if not isinstance(row, dict):
            report.skip(f"{where} row {rowno}", "not a JSON object")
            continue
        if "name" in row or "description" in row:
            seen_schema = True
        try:
            yield Problem.from_row(row, split=split)
        except (ValueError, TypeError) as e:
            report.skip(f"{where} row {rowno}", str(e))
    if n and not seen_schema:
        raise DataError(f"{where}: not CodeContests data (no row has a 'name' or 'description' field)")


def _jsonl_rows(path: Path, report: LoadReport) -> Iterator[tuple[int, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield lineno, json.loads(line)
                except json.JSONDecodeError as e:
                    report.skip(f"{path} row {lineno}", f"invalid JSON ({e.msg})")
    except (OSError, UnicodeDecodeError, EOFError) as e:
        raise DataError(f"{path}: cannot read ({e})") from e


def _parquet_rows(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow as pa  # heavy: keep out of CLI start-up
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as e:
        raise DataError(f"{path}: not a readable parquet file ({e})") from e
    cols = set(pf.schema_arrow.names)
    if "name" not in cols and "description" not in cols:
        raise DataError(f"{path}: not CodeContests data (no 'name' or 'description' column)")
    rowno = 0
    # Small batches: one CodeContests train row can hold tens of MB of generated tests.
    for batch in pf.iter_batches(batch_size=64):
        for row in batch.to_pylist():
            rowno += 1
            yield rowno, row


def _iter_arrow_dir(path: Path, want: str | None, report: LoadReport) -> Iterator[Problem]:
    import datasets  # heavy: keep out of CLI start-up

    try:
        ds = datasets.load_from_disk(str(path))
    except Exception as e:  # datasets raises many types here; one line is what the user needs
        raise DataError(f"{path}: cannot load save_to_disk dataset ({type(e).__name__}: {_first_line(e)})") from e
    report.files.append(str(path))
    parts = ds.items() if isinstance(ds, datasets.DatasetDict) else [("", ds)]
    for name, part in parts:
        part_split = _SPLIT_ALIASES.get(name.lower(), "") if name else ""
        if want is not None and part_split and part_split != want:
            continue
        if "name" not in part.column_names and "description" not in part.column_names:
            raise DataError(f"{path}: not CodeContests data (no 'name' or 'description' column)")
        where = f"{path}[{name}]" if name else str(path)
        yield from _rows_to_problems(((i + 1, r) for i, r in enumerate(part)), where, part_split, report)


def hub_reachable(timeout: float = 3.0) -> bool:
    """Can we open a TCP connection to the hub (``HF_ENDPOINT``)? Offline, the hub clients retry for ~25 s."""
    import os
    import socket
    from urllib.parse import urlparse

    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        return False
    url = urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    try:
        with socket.create_connection((url.hostname or "huggingface.co", url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


@contextmanager
def offline_unless_reachable() -> Iterator[bool]:
    """Force the hub clients into offline mode (cache only, fail fast) when the hub cannot be reached."""
    import datasets
    import huggingface_hub.constants as hc

    online = hub_reachable()
    saved = (datasets.config.HF_HUB_OFFLINE, hc.HF_HUB_OFFLINE)
    if not online:
        datasets.config.HF_HUB_OFFLINE = hc.HF_HUB_OFFLINE = True
    try:
        yield online
    finally:
        datasets.config.HF_HUB_OFFLINE, hc.HF_HUB_OFFLINE = saved


def _iter_hub(name: str, want: str | None, report: LoadReport) -> Iterator[Problem]:
    import datasets  # heavy: keep out of CLI start-up

    report.files.append(f"hub:{name}")
    for s in ([want] if want else list(SPLITS)):
        with offline_unless_reachable() as online:
            try:
                part = datasets.load_dataset(name, split=s)
            except ValueError as e:
                if "split" in str(e).lower() and want is None:
                    continue  # a dataset without this split: fine when the user asked for all of them
                raise DataError(f"hub dataset {name!r} split {s!r}: {_first_line(e)}") from e
            except Exception as e:  # offline, unknown repo, gated…: all one line
                why = (f"{type(e).__name__}: {_first_line(e)}" if online
                       else "the hub is unreachable and the dataset is not in the local Hugging Face cache")
                raise DataError(f"hub dataset {name!r}: cannot load ({why})") from e
        yield from _rows_to_problems(((i + 1, r) for i, r in enumerate(part)), f"{name}[{s}]", s, report)


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def write_jsonl(problems: list[Problem], out: Path) -> None:
    """Write problems as HF rows (one JSON object per line, with ``split``); temp file then rename."""
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for p in problems:
            fh.write(json.dumps(p.to_row(), ensure_ascii=False) + "\n")
    tmp.replace(out)


def summarize(problems: list[Problem]) -> dict[str, Any]:
    """Counts for ``iotatui data problems``: per split, tests per problem, solutions per language, difficulty."""
    from iotatui.data.schema import CODE_LANGUAGES

    by_split: dict[str, int] = {}
    difficulty: dict[str, int] = {}
    sols: dict[str, dict[str, int]] = {}
    tests = {"public": 0, "private": 0, "generated": 0}
    for p in problems:
        by_split[p.split or "?"] = by_split.get(p.split or "?", 0) + 1
        label = p.difficulty if p.difficulty != "UNKNOWN_DIFFICULTY" else (
            f"cf{p.cf_rating}" if p.cf_rating else "unknown")
        difficulty[label] = difficulty.get(label, 0) + 1
        for kind, s in (("correct", p.solutions), ("incorrect", p.incorrect_solutions)):
            for lang in s.language:
                name = CODE_LANGUAGES.get(lang, "unknown")
                sols.setdefault(name, {"correct": 0, "incorrect": 0})[kind] += 1
        tests["public"] += len(p.public_tests)
        tests["private"] += len(p.private_tests)
        tests["generated"] += len(p.generated_tests)
    n = max(len(problems), 1)
    return {
        "problems": len(problems),
        "splits": dict(sorted(by_split.items())),
        "tests_per_problem": {k: round(v / n, 2) for k, v in tests.items()},
        "solutions": dict(sorted(sols.items())),
        "difficulty": dict(sorted(difficulty.items())),
    }
