"""CLI error paths: one clear line naming the offending value, exit 2, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli


def _snapshot(home: Path) -> tuple[list[str], int]:
    runs = sorted(p.name for p in (home / "runs").iterdir()) if (home / "runs").exists() else []
    n = 0
    if (home / "iotatui.db").exists():
        import sqlite3

        n = sqlite3.connect(home / "iotatui.db").execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    return runs, n


@pytest.mark.parametrize(("args", "needle"), [
    (["launch", "nosuchstage"], "unknown stage 'nosuchstage'"),
    (["launch", "count", "--set", "bogus=1"], "unknown config key 'bogus'"),
    (["launch", "count", "--set", "steps=ten"], "steps: 'ten' is not an int"),
    (["launch", "count", "--parent", "count-missing"], "no run matches 'count-missing'"),
    (["launch", "count", "--after", "ghost"], "no run matches 'ghost'"),
    (["launch", "count", "--config", "/nonexistent.toml"], "/nonexistent.toml: no such file"),
    (["show", "ghost"], "no run matches 'ghost'"),
    (["stop", "ghost"], "no run matches 'ghost'"),
    (["resume", "ghost"], "no run matches 'ghost'"),
])
def test_bad_input_one_line_exit_2_nothing_written(cli: Cli, home: Path, args: list[str], needle: str) -> None:
    cli("init")
    before = _snapshot(home)
    p = cli(*args, check=False)
    assert p.returncode == 2, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0], p.stderr
    assert "Traceback" not in p.stderr
    assert _snapshot(home) == before


def test_resume_of_a_running_run_is_refused(cli: Cli, home: Path) -> None:
    run_id = cli.json("launch", "count", "--set", "steps=1000", "--set", "interval=0.05")["id"]
    p = cli("resume", run_id, check=False)
    assert p.returncode == 2 and "only stopped, crashed or failed runs resume" in p.stderr
    cli("stop", run_id, "--grace", "3")


def test_bad_settings_file(cli: Cli, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "settings.toml").write_text("max_concurent_runs = 3\n")
    p = cli("runs", check=False)
    assert p.returncode == 2 and "unknown setting 'max_concurent_runs'" in p.stderr


def test_corrupt_database_is_one_line(cli: Cli, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "iotatui.db").write_text("this is not sqlite")
    p = cli("runs", check=False)
    assert p.returncode == 2 and "not a usable iotatui database" in p.stderr and "Traceback" not in p.stderr
