"""``iotatui judge``: bad input -> one line, exit 2, nothing written (in-process, Typer's CliRunner); a good run
through the real entry point (a subprocess) -> one verdict line per solution in the documented shape."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from iotatui.commands.judge import app
from tests.judge.conftest import make_problem

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from iotatui.commands.judge import app; app()"]


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real entry point in a subprocess (runs that judge: signal handlers, containers, exit codes)."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    """The command in-process: for the error paths, which refuse before judging anything."""
    term = signal.getsignal(signal.SIGTERM)  # the command sets its own (SIGTERM -> exit 143) before starting a pool
    try:
        r = CliRunner().invoke(app, list(args), env=env)
    finally:
        signal.signal(signal.SIGTERM, term)
    return SimpleNamespace(returncode=r.exit_code, stderr=r.stderr, exception=r.exception)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    prob = make_problem("add", [("1 2\n", "3\n")], private=[("5 5\n", "10\n")])
    (tmp_path / "p.jsonl").write_text(json.dumps(prob.to_row()) + "\n")
    return {"problems": tmp_path / "p.jsonl", "out": tmp_path / "v.jsonl", "dir": tmp_path}


def _sols(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


GOOD = {"id": "a", "problem": "add", "language": "python3", "code": "print(sum(map(int, input().split())))"}


@pytest.mark.parametrize(("rows", "needle"), [
    ([GOOD, "{not json"], "s.jsonl:2: bad JSON"),
    ([{**GOOD, "problem": "nope"}], "unknown problem 'nope'"),
    ([{**GOOD, "language": "java"}], "language: unknown 'java'"),
    ([{**GOOD, "language": 4}], "code 4 (java) is not supported"),
    ([{**GOOD, "code": 5}], "s.jsonl:1: field 'code'"),
    ([GOOD, GOOD], "s.jsonl:2: duplicate id 'a'"),
    ([], "s.jsonl: no solutions in the file: nothing to judge"),
    ([{**GOOD, "problem": "ADD"}], "unknown problem 'ADD' (did you mean 'add'?)"),
])
def test_bad_solutions_exit_2_one_line(files: dict[str, Path], rows: list[object], needle: str) -> None:
    s = _sols(files["dir"] / "s.jsonl", rows)
    r = invoke("--problems", str(files["problems"]), "--solutions", str(s), "--out", str(files["out"]))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert not files["out"].exists() and not files["out"].with_name("v.jsonl.partial").exists()


def test_file_io_problem_is_refused(tmp_path: Path) -> None:
    """C20: file-I/O problems are excluded explicitly, not judged through stdin/stdout."""
    import dataclasses

    prob = dataclasses.replace(make_problem("fio", [("1\n", "1\n")]), input_file="input.txt")
    (tmp_path / "p.jsonl").write_text(json.dumps(prob.to_row()) + "\n")
    s = _sols(tmp_path / "s.jsonl", [{**GOOD, "problem": "fio"}])
    r = invoke("--problems", str(tmp_path / "p.jsonl"), "--solutions", str(s), "--out", str(tmp_path / "v.jsonl"))
    assert r.returncode == 2 and "file I/O" in r.stderr, r.stderr


def test_bad_problems_and_options(files: dict[str, Path]) -> None:
    s = _sols(files["dir"] / "s.jsonl", [GOOD])
    for args, needle in [
        (["--problems", str(files["dir"] / "missing.jsonl")], "missing.jsonl"),
        (["--problems", str(files["problems"]), "--sandbox", "vm"], "--sandbox: unknown value 'vm'"),
        (["--problems", str(files["problems"]), "--comparator", "fuzzy"], "--comparator: unknown value 'fuzzy'"),
    ]:
        r = invoke(*args, "--solutions", str(s), "--out", str(files["out"]))
        assert r.returncode == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = invoke("--problems", str(files["problems"]))
    assert r.returncode == 2 and "--solutions" in r.stderr


def test_bundled_problem_by_its_folder_name_gets_the_real_name(tmp_path: Path) -> None:
    s = _sols(tmp_path / "s.jsonl", [{**GOOD, "problem": "02_run_length"}])
    r = invoke("--solutions", str(s), "--out", str(tmp_path / "v.jsonl"))
    assert r.returncode == 2 and "unknown problem '02_run_length' (did you mean 'B02. Run-Length Report'?)" in r.stderr


def test_no_docker_daemon_says_what_to_run_and_writes_nothing(files: dict[str, Path]) -> None:
    """Checked before anything is written: no OUT, no empty OUT.partial left behind; one line saying what to run."""
    s = _sols(files["dir"] / "s.jsonl", [GOOD])
    r = invoke("--problems", str(files["problems"]), "--solutions", str(s), "--out", str(files["out"]),
               env={"DOCKER_HOST": f"unix://{files['dir'] / 'no-daemon.sock'}"})
    assert r.returncode == 1, (r.stderr, r.exception)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no Docker daemon answers" in lines[0] and "dockerd" in lines[0], r.stderr
    assert sorted(p.name for p in files["dir"].iterdir()) == ["p.jsonl", "s.jsonl"]


@pytest.mark.docker
@pytest.mark.slow
def test_good_run_writes_verdicts(files: dict[str, Path], judge_image: str) -> None:
    s = _sols(files["dir"] / "s.jsonl", [
        GOOD,
        {"id": "b", "problem": "add", "language": 2,
         "code": "#include <bits/stdc++.h>\nint main(){int a,b;std::cin>>a>>b;std::cout<<a-b;}"},
        {"id": "c", "problem": "add", "language": "cpp", "code": "int main( {"},
    ])
    r = run_cli("--problems", str(files["problems"]), "--solutions", str(s), "--out", str(files["out"]),
                "--workers", "2")
    assert r.returncode == 0, r.stderr
    rows = {d["id"]: d for d in map(json.loads, files["out"].read_text().splitlines())}
    assert {k: v["verdict"] for k, v in rows.items()} == {"a": "OK", "b": "WRONG_ANSWER", "c": "COMPILE_ERROR"}
    assert [(t["set"], t["index"], t["verdict"]) for t in rows["a"]["tests"]] == [("public", 0, "OK"),
                                                                                  ("private", 0, "OK")]
    assert set(rows["a"]["tests"][0]) >= {"set", "index", "verdict", "time_s", "memory_bytes"}
    assert "main" in rows["c"]["compile_output"]


@pytest.mark.docker
@pytest.mark.slow
def test_humaneval_via_cli(tmp_path: Path, judge_image: str) -> None:
    from judge import humaneval

    canon = humaneval.canonical_solutions()[0]
    s = _sols(tmp_path / "s.jsonl", [
        {"id": "good", "problem": canon.problem, "language": "python3", "code": canon.code},
        {"id": "bad", "problem": canon.problem, "language": "python3", "code": canon.code.split("\n    ")[0] +
         "\n    return False\n"},
    ])
    r = run_cli("--problems", "humaneval", "--solutions", str(s), "--out", str(tmp_path / "v.jsonl"))
    assert r.returncode == 0, r.stderr
    got = {d["id"]: d["verdict"] for d in map(json.loads, (tmp_path / "v.jsonl").read_text().splitlines())}
    assert got["good"] == "OK" and got["bad"] != "OK", got
