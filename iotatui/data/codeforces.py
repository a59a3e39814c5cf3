"""Codeforces submission dump loader (IotaCode's second source of solutions).

Input is JSON lines (``.jsonl`` or ``.jsonl.gz``), one submission per line. Field names vary between dumps, so each
field accepts several names (first present wins):

=================  ==========================================================================================
problem            ``problem_id`` (``"1554A"``, ``"1554/A"``, ``"1554_A"``), or ``contest_id``/``contestId`` +
                   ``index``/``problem_index``, or a nested ``problem: {contestId, index, name}`` (CF API shape)
problem name       ``problem_name`` / ``name`` / ``problem.name`` (optional; used to match CodeContests names)
language           ``language`` / ``programmingLanguage`` / ``lang`` / ``language_code``: a CF compiler name
                   ("GNU C++17", "Python 3", "PyPy 3-64", "Java 11"…), our short name, or the enum int (1–4)
verdict            ``verdict`` / ``status`` / ``result``: ``OK`` (also ``ACCEPTED``/``AC``) = correct, else incorrect
source             ``source`` / ``source_code`` / ``code`` / ``solution`` / ``program``
statement          ``description`` / ``statement`` (optional; otherwise the statement is joined from CodeContests)
=================  ==========================================================================================

Rows in other languages (Kotlin, C#…) and rows with no verdict yet (``TESTING``) are skipped and counted. Problems
that appear in the test split are excluded (matched by ``cf_contest_id``+``cf_index`` and by the CodeContests name).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iotatui.data.problems import DataError, LoadReport
from iotatui.data.schema import CODE_LANGUAGES, LANGUAGE_ALIASES, LANGUAGE_CODES, Problem

CFKey = tuple[int, str]
"""(contest id, problem index), e.g. (1554, "A")."""

_PID_RE = re.compile(r"^\s*(\d+)\s*[/_-]?\s*([A-Za-z][0-9]?)\s*$")
_CC_NAME_RE = re.compile(r"^(\d+)_([A-Za-z][0-9]?)\.\s*(.*)$")
_OK = {"OK", "ACCEPTED", "AC", "CORRECT"}
_PENDING = {"TESTING", "SKIPPED", "REJECTED", "PENDING", ""}


@dataclass
class DumpProblem:
    """All usable submissions of one Codeforces problem, split by verdict."""

    key: CFKey
    name: str = ""
    description: str = ""
    correct: list[tuple[int, str]] = field(default_factory=list)
    """(language code, source)."""
    incorrect: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Dump:
    """A loaded dump: problems by key, plus what was skipped/excluded."""

    problems: dict[CFKey, DumpProblem] = field(default_factory=dict)
    report: LoadReport = field(default_factory=LoadReport)
    excluded: set[CFKey] = field(default_factory=set)
    """Keys of dump problems dropped because they are test problems."""
    excluded_submissions: int = 0
    unsupported_language: int = 0


def cf_key_of(problem: Problem) -> CFKey | None:
    """The Codeforces key of a CodeContests problem: cf_* fields, else the ``1554_A. Title`` name pattern."""
    if problem.cf_contest_id > 0 and problem.cf_index:
        return (problem.cf_contest_id, problem.cf_index.upper())
    m = _CC_NAME_RE.match(problem.name)
    return (int(m.group(1)), m.group(2).upper()) if m else None


def title_of(name: str) -> str:
    """Normalised title for name matching: ``'1554_A. Cherry'`` and ``'Cherry'`` both give ``'cherry'``."""
    m = _CC_NAME_RE.match(name)
    title = m.group(3) if m else name
    return re.sub(r"\s+", " ", title).strip().lower()


def language_code(value: Any) -> int | None:
    """Map a CF compiler name / short name / enum int to our language code; None when unsupported."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value in CODE_LANGUAGES else None
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    if v in LANGUAGE_ALIASES:  # the shared vocabulary first; then Codeforces' compiler names ("GNU G++20 11.2.0")
        return LANGUAGE_CODES[LANGUAGE_ALIASES[v]]
    if "python" in v or "pypy" in v:
        return 1 if re.search(r"(python|pypy)\s*2", v) else 3
    if "c++" in v or "g++" in v or "clang++" in v:
        return 2
    if "java" in v and "javascript" not in v:
        return 4
    return None


def _first(row: dict[str, Any], *names: str) -> Any:
    for n in names:
        if n in row and row[n] not in (None, ""):
            return row[n]
    return None


def _key_of_row(row: dict[str, Any]) -> tuple[CFKey, str]:
    nested: dict[str, Any] = row["problem"] if isinstance(row.get("problem"), dict) else {}
    name = str(_first(row, "problem_name", "name") or nested.get("name") or "")
    pid = _first(row, "problem_id", "problemId")
    if pid is not None:
        m = _PID_RE.match(str(pid))
        if not m:
            raise ValueError(f"problem_id: cannot parse {pid!r} (expected like 1554A or 1554/A)")
        return (int(m.group(1)), m.group(2).upper()), name
    contest = _first(row, "contest_id", "contestId") or nested.get("contestId")
    index = _first(row, "index", "problem_index") or nested.get("index")
    if contest is None or index is None:
        raise ValueError("problem: missing (need problem_id, or contest_id + index, or problem{contestId,index})")
    try:
        return (int(contest), str(index).strip().upper()), name
    except (TypeError, ValueError):
        raise ValueError(f"contest_id: not an integer: {contest!r}") from None


def load_dump(path: str | Path, exclude: Sequence[Problem] = ()) -> Dump:
    """Read a submission dump, grouping by problem; drop problems matching any of ``exclude`` (the test split)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"dump {path}: no such file")
    ex_keys = {k for k in (cf_key_of(p) for p in exclude) if k}
    ex_titles = {title_of(p.name) for p in exclude}
    dump = Dump()
    dump.report.files.append(str(path))
    opener = gzip.open if path.name.endswith(".gz") else open
    seen_schema = False
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                dump.report.rows_read += 1
                where = f"{path} row {lineno}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    dump.report.skip(where, f"invalid JSON ({e.msg})")
                    continue
                if not isinstance(row, dict):
                    dump.report.skip(where, "not a JSON object")
                    continue
                seen_schema = seen_schema or _first(row, "source", "source_code", "code", "solution",
                                                     "program") is not None
                _add_row(dump, row, where, ex_keys, ex_titles)
    except (OSError, UnicodeDecodeError, EOFError) as e:
        raise DataError(f"dump {path}: cannot read ({e})") from e
    if dump.report.rows_read and not seen_schema:
        raise DataError(f"dump {path}: not a submission dump (no row has a source/source_code/code field)")
    return dump


def _add_row(dump: Dump, row: dict[str, Any], where: str, ex_keys: set[CFKey], ex_titles: set[str]) -> None:
    try:
        key, name = _key_of_row(row)
    except ValueError as e:
        dump.report.skip(where, str(e))
        return
    src = _first(row, "source", "source_code", "code", "solution", "program")
    if not isinstance(src, str):
        dump.report.skip(where, "source: missing or not a string")
        return
    lang_raw = _first(row, "language", "programmingLanguage", "lang", "language_code")
    if lang_raw is None:
        dump.report.skip(where, "language: missing")
        return
    verdict = str(_first(row, "verdict", "status", "result") or "").strip().upper()
    if verdict in _PENDING:
        dump.report.skip(where, f"verdict: {verdict or 'missing'} (no final verdict)")
        return
    if key in ex_keys or (name and title_of(name) in ex_titles):
        dump.excluded_submissions += 1
        dump.excluded.add(key)
        return
    lang = language_code(lang_raw)
    if lang is None:
        dump.unsupported_language += 1
        return
    prob = dump.problems.get(key)
    if prob is None:
        prob = dump.problems[key] = DumpProblem(key=key, name=name)
    if name and not prob.name:
        prob.name = name
    if not prob.description:
        desc = _first(row, "description", "statement")
        if isinstance(desc, str):
            prob.description = desc
    (prob.correct if verdict in _OK else prob.incorrect).append((lang, src))


def attach_statements(dump: Dump, problems: list[Problem]) -> int:
    """Fill missing statements from CodeContests problems with the same CF key; returns how many stay unknown."""
    by_key = {k: p for p in problems if (k := cf_key_of(p))}
    by_title = {title_of(p.name): p for p in problems}
    missing = 0
    for dp in dump.problems.values():
        if dp.description:
            continue
        src = by_key.get(dp.key) or (by_title.get(title_of(dp.name)) if dp.name else None)
        if src is not None:
            dp.description = src.description
            dp.name = dp.name or src.name
        else:
            missing += 1
    return missing


def dump_to_problems(dump: Dump) -> list[Problem]:
    """Dump problems with a statement, as Problems (solutions/incorrect_solutions filled) for SFT/pair builders."""
    from iotatui.data.schema import Solutions

    out = []
    for (contest, index), dp in sorted(dump.problems.items()):
        if not dp.description:
            continue
        out.append(Problem(
            name=dp.name or f"{contest}_{index}",
            description=dp.description,
            solutions=Solutions(tuple(lang for lang, _ in dp.correct), tuple(s for _, s in dp.correct)),
            incorrect_solutions=Solutions(tuple(lang for lang, _ in dp.incorrect), tuple(s for _, s in dp.incorrect)),
            source="CODEFORCES", cf_contest_id=contest, cf_index=index, split="train",
        ))
    return out
