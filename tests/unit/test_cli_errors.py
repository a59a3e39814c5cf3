"""CLI error paths: one clear line naming the offending value, exit 2, and nothing written.

In-process through Typer's CliRunner (a subprocess per case cost ~1 s each).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from iotatui.cli import app

runner = CliRunner()


def invoke(home: Path, *args: str) -> Result:
    return runner.invoke(app, list(args), env={"IOTATUI_HOME": str(home)})


def _snapshot(home: Path) -> tuple[list[str], int]:
    runs = sorted(p.name for p in (home / "runs").iterdir()) if (home / "runs").exists() else []
    n = 0
    if (home / "iotatui.db").exists():
        con = sqlite3.connect(home / "iotatui.db")
        n = con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        con.close()
    return runs, n


def _one_line(r: Result, needle: str) -> None:
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert "Traceback" not in r.output


@pytest.mark.parametrize(("args", "needle"), [
    (["launch", "nosuchstage"], "unknown stage 'nosuchstage'"),
    (["launch", "count", "--set", "bogus=1"], "unknown config key 'bogus'"),
    (["launch", "count", "--set", "steps=ten"], "steps: 'ten' is not an int"),
    (["launch", "count", "--set", "metrics_per_step=99"], "metrics_per_step: 99 is out of range (1..8)"),
    (["launch", "count", "--gpus", "-1"], "--gpus: -1 is out of range (>= 0)"),
    (["launch", "count", "--parent", "count-missing"], "no run matches 'count-missing'"),
    (["launch", "count", "--after", "ghost"], "no run matches 'ghost'"),
    (["launch", "count", "--config", "/nonexistent.toml"], "/nonexistent.toml: no such file"),
    (["launch", "data_pairs", "--set", "out=/"], "out: / already exists and is not empty"),
    (["launch", "data_sft", "--set", "tokenizer=/nonexistent"], "tokenizer: model /nonexistent: no such directory"),
    (["launch", "data_pairs", "--set", "dump=/nonexistent.jsonl"], "dump: /nonexistent.jsonl: no such file"),
    (["show", "ghost"], "no run matches 'ghost'"),
    (["stop", "ghost"], "no run matches 'ghost'"),
    (["stop", "ghost", "--grace", "-5"], "--grace: -5 is out of range (>= 0)"),
    (["resume", "ghost"], "no run matches 'ghost'"),
    (["logs", "ghost"], "no run matches 'ghost'"),
])
def test_bad_input_one_line_exit_2_nothing_written(home: Path, args: list[str], needle: str) -> None:
    assert invoke(home, "init").exit_code == 0
    before = _snapshot(home)
    _one_line(invoke(home, *args), needle)
    assert _snapshot(home) == before


@pytest.mark.parametrize("args", [["launch", "nosuch"], ["launch", "count", "--set", "steps=0"],
                                  ["launch", "count", "--gpus", "-2"]])
def test_bad_launch_does_not_create_the_workspace(tmp_path: Path, args: list[str]) -> None:
    home = tmp_path / "new-home"
    r = invoke(home, *args)
    assert r.exit_code == 2, r.output
    assert not home.exists()


def test_config_file_that_is_a_directory_or_not_utf8(home: Path, tmp_path: Path) -> None:
    _one_line(invoke(home, "launch", "count", "--config", str(tmp_path)), "is a directory")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"# r\xe9sum\xe9\nsteps = 3\n")
    _one_line(invoke(home, "launch", "count", "--config", str(bad)), f"{bad}: not UTF-8")
    assert not home.exists()


def test_home_that_is_a_file_or_cannot_be_created(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("x\n")
    for args in (["runs"], ["init"], ["launch", "count"]):
        _one_line(runner.invoke(app, ["--home", str(f), *args]), f"workspace {f}: not a directory")
    _one_line(runner.invoke(app, ["--home", str(f / "sub"), "init"]), f"{f} is not a directory")
    assert f.read_text() == "x\n"
    _one_line(runner.invoke(app, ["--home", "/proc/nope", "init"]), "workspace /proc/nope: cannot be created")
    # A command that only reads never creates a workspace: a missing one is named instead.
    _one_line(runner.invoke(app, ["--home", "/proc/nope", "runs"]), "no workspace at /proc/nope")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_home_under_an_unwritable_directory(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o555)
    _one_line(runner.invoke(app, ["--home", str(ro / "ws"), "init"]), "is not writable")


@pytest.mark.parametrize(("text", "needle"), [
    ("max_concurent_runs = 3\n", "unknown setting 'max_concurent_runs'"),
    ("max_concurrent_runs = 0\n", "max_concurrent_runs: 0 is out of range (>= 1)"),
    ("max_concurrent_runs = -3\n", "max_concurrent_runs: -3 is out of range (>= 1)"),
    ("refresh_s = 0\n", "refresh_s: 0.0 is out of range (0.05..60)"),
    ("refresh_s = -1\n", "refresh_s: -1.0 is out of range"),
    ("stop_grace_s = -5\n", "stop_grace_s: -5.0 is out of range (>= 0)"),
    ("gpus = -2\n", "gpus: -2 is out of range (>= -1)"),
    ("gpus = 'two'\n", "gpus: 'two' is not an int"),
    ("max_concurrent_runs = \n", "invalid TOML"),
])
def test_bad_settings_file(home: Path, text: str, needle: str) -> None:
    home.mkdir(parents=True)
    (home / "settings.toml").write_text(text)
    r = invoke(home, "runs")
    _one_line(r, needle)
    assert "settings.toml" in r.stderr


def test_settings_file_that_is_a_directory_or_not_utf8(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "settings.toml").write_bytes(b"# caf\xe9\n")
    _one_line(invoke(home, "runs"), "settings.toml: not UTF-8")
    (home / "settings.toml").unlink()
    (home / "settings.toml").mkdir()
    _one_line(invoke(home, "runs"), "settings.toml: is a directory")


def test_good_settings_are_read(home: Path) -> None:
    from iotatui.config import load_settings

    home.mkdir(parents=True)
    (home / "settings.toml").write_text("max_concurrent_runs = 1\nrefresh_s = 2\nstop_grace_s = 0\n")
    s = load_settings(home)
    assert (s.max_concurrent_runs, s.refresh_s, s.stop_grace_s, s.gpus) == (1, 2.0, 0.0, -1)
    assert invoke(home, "runs").exit_code == 0


def test_corrupt_database_is_one_line(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "iotatui.db").write_text("this is not sqlite")
    _one_line(invoke(home, "runs"), "not a usable iotatui database")


def test_resume_of_a_running_run_is_refused(home: Path) -> None:
    import json

    r = invoke(home, "launch", "count", "--set", "steps=1000", "--set", "interval=0.05", "--json")
    assert r.exit_code == 0, r.output
    run_id = json.loads(r.stdout)["id"]
    try:
        _one_line(invoke(home, "resume", run_id), "only stopped, crashed or failed runs resume")
    finally:
        assert invoke(home, "stop", run_id, "--grace", "3").exit_code == 0


@pytest.mark.parametrize("argv", [["runs"], ["show", "x"], ["logs", "x"], ["stop", "x"], ["resume", "x"],
                                  ["metrics", "x"], ["report", "x"]])
def test_a_mistyped_home_is_an_error_for_commands_that_read_and_creates_nothing(tmp_path: Path, argv: list[str]) -> None:
    home = tmp_path / "typo"
    res = CliRunner().invoke(app, ["--home", str(home), *argv])
    assert res.exit_code == 2 and "no workspace at" in res.output, res.output
    assert not home.exists()


def test_bench_generate_split_cores_needs_two_cores(tmp_path: Path) -> None:
    """--split-cores puts generation and judging on disjoint cores: with one usable core it refuses in one line,
    before loading anything."""
    import os
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "iotatui", "--home", str(tmp_path / "ws"), "bench", "generate",
                        "--split-cores"], capture_output=True, text=True, timeout=120,
                       preexec_fn=lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}))
    assert p.returncode == 2, p.stderr[-500:]
    assert p.stderr.strip() == "error: --split-cores: needs 2 or more usable cores, this process has 1"


@pytest.mark.parametrize("stage", ["sft", "ppo", "eval"])
def test_a_parent_of_the_wrong_kind_is_refused_at_launch(home: Path, stage: str) -> None:
    # Before: `launch sft --parent <count run>` printed "starting", exit 0, and the run failed seconds later in the
    # backend (LineageError). A count run holds no model: refused at once, one line, nothing queued.
    import json

    r = invoke(home, "launch", "count", "--set", "steps=1000", "--set", "interval=0.05", "--json")
    assert r.exit_code == 0, r.output
    count_id = json.loads(r.stdout)["id"]
    try:
        before = _snapshot(home)
        _one_line(invoke(home, "launch", stage, "--preset", "smoke", "--parent", count_id),
                  f"a count run cannot be the parent of a {stage} run")
        assert _snapshot(home) == before
    finally:
        assert invoke(home, "stop", count_id, "--grace", "3").exit_code == 0
