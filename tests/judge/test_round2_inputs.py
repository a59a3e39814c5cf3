"""Judge round 2, class 7: CLI edges refused up front (exit 2, one line, nothing judged), in-process via CliRunner."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.judge.conftest import make_problem
from tests.judge.test_cli import GOOD, invoke


def _files(tmp_path: Path, sol_text: str | bytes, time_limit: float = 1.0) -> tuple[Path, Path]:
    prob = make_problem("add", [("1 2\n", "3\n")], time_limit=time_limit)
    (tmp_path / "p.jsonl").write_text(json.dumps(prob.to_row()) + "\n")
    s = tmp_path / "s.jsonl"
    s.write_bytes(sol_text if isinstance(sol_text, bytes) else sol_text.encode())
    return tmp_path / "p.jsonl", s


def _one_line_exit_2(r: object, needle: str) -> None:
    assert r.returncode == 2, (r.stderr, r.exception)  # type: ignore[attr-defined]
    lines = r.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and needle in lines[0], r.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("field", ["code", "id", "problem"])
@pytest.mark.parametrize("surrogate", ["\\ud800", "\\udfff", "x\\udc80y"])
def test_lone_surrogate_is_refused(tmp_path: Path, field: str, surrogate: str) -> None:
    row = json.dumps({**GOOD, "id": "b"}).replace('"b"', '"b"', 1)
    row = row.replace(f'"{field}": "', f'"{field}": "{surrogate}', 1)
    p, s = _files(tmp_path, json.dumps(GOOD) + "\n" + row + "\n")
    r = invoke("--problems", str(p), "--solutions", str(s), "--out", str(tmp_path / "v.jsonl"))
    _one_line_exit_2(r, f"s.jsonl:2: field '{field}' is not valid Unicode")
    assert not (tmp_path / "v.jsonl").exists()


@pytest.mark.parametrize("bad", [b"\xff\xfe", b"\xc3(", b"caf\xe9"])
def test_non_utf8_names_file_and_line(tmp_path: Path, bad: bytes) -> None:
    good = json.dumps(GOOD).encode()
    p, s = _files(tmp_path, good + b"\n" + good.replace(b'"a"', b'"' + bad + b'"', 1) + b"\n")
    r = invoke("--problems", str(p), "--solutions", str(s), "--out", str(tmp_path / "v.jsonl"))
    assert r.returncode == 2 and "s.jsonl" in r.stderr and "line 2" in r.stderr, r.stderr


@pytest.mark.parametrize("target", ["dir", "dir_with_slash", "missing_parent"])
def test_out_directory_is_refused_up_front(tmp_path: Path, target: str) -> None:
    p, s = _files(tmp_path, json.dumps(GOOD) + "\n")
    (tmp_path / "outdir").mkdir()
    out = {"dir": str(tmp_path / "outdir"), "dir_with_slash": str(tmp_path / "outdir") + "/",
           "missing_parent": str(tmp_path / "nope" / "v.jsonl")}[target]
    r = invoke("--problems", str(p), "--solutions", str(s), "--out", out,
               env={"DOCKER_HOST": f"unix://{tmp_path / 'no-daemon.sock'}"})
    _one_line_exit_2(r, "--out:")
    assert sorted(x.name for x in (tmp_path / "outdir").iterdir()) == []


def test_stale_out_is_removed_when_a_run_starts(tmp_path: Path) -> None:
    """After kill -9 an older complete OUT (and its .partial) must not pass for this run's result."""
    p, s = _files(tmp_path, json.dumps(GOOD) + "\n")
    out = tmp_path / "v.jsonl"
    out.write_text('{"id": "a", "verdict": "OK"}\n')
    out.with_name("v.jsonl.partial").write_text('{"id": "a"}\n')
    r = invoke("--problems", str(p), "--solutions", str(s), "--out", str(out),
               env={"DOCKER_HOST": f"unix://{tmp_path / 'no-daemon.sock'}"})
    assert r.returncode != 0  # no daemon: the run fails, but only after claiming OUT
    assert not out.exists() and not out.with_name("v.jsonl.partial").exists()


@pytest.mark.parametrize("tl", [-1.0, -0.5])
def test_non_positive_time_limit_is_refused(tmp_path: Path, tl: float) -> None:
    p, s = _files(tmp_path, json.dumps(GOOD) + "\n", time_limit=tl)
    r = invoke("--problems", str(p), "--solutions", str(s), "--out", str(tmp_path / "v.jsonl"))
    _one_line_exit_2(r, "time_limit")


def test_non_positive_memory_limit_is_refused(tmp_path: Path) -> None:
    prob = dataclasses.replace(make_problem("add", [("1 2\n", "3\n")]), memory_limit_bytes=-5)
    (tmp_path / "p.jsonl").write_text(json.dumps(prob.to_row()) + "\n")
    s = tmp_path / "s.jsonl"
    s.write_text(json.dumps(GOOD) + "\n")
    r = invoke("--problems", str(tmp_path / "p.jsonl"), "--solutions", str(s), "--out", str(tmp_path / "v.jsonl"))
    _one_line_exit_2(r, "memory_limit")
