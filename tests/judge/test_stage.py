"""The tracked `judge` stage: verdicts stream from the real sandbox into the store, one compact row per solution."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iotatui.ingest import unpack
from iotatui.store import Store
from tests.conftest import Cli, wait_until


@pytest.mark.docker
@pytest.mark.slow
def test_judge_stage_streams_verdicts_into_the_store(judge_image: str, cli: Cli, home: Path, tmp_path: Path) -> None:
    from iotatui.data.problems import load_problems

    p = next(p for p in load_problems("bundled") if p.split == "train")
    good = p.solutions.of("python3")[0]
    bad = p.incorrect_solutions.of("cpp")[0]
    sols = [
        {"id": "good", "problem": p.name, "language": "python3", "code": good},
        {"id": "bad", "problem": p.name, "language": "cpp", "code": bad},
        {"id": "syntax", "problem": p.name, "language": 3, "code": "def f(:\n"},
        {"id": "crash", "problem": p.name, "language": "python3",
         "code": "print('partial output')\nraise ValueError('boom')\n"},
    ]
    path = tmp_path / "sols.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in sols))
    run_id = cli.json("launch", "judge", "--set", f"solutions={path}", "--set", "workers=1")["id"]
    run: dict[str, Any] = wait_until(lambda: (r := cli.run(run_id))["status"] in ("finished", "failed", "crashed") and r,
                                     timeout=180, what="judge run done")
    assert run["status"] == "finished", run["error"]
    store = Store(home / "iotatui.db")
    rows = {r[0]: r for r in store.conn.execute(
        "SELECT sample_id, verdict, tests, time_ms, memory_kb, n_tests, fail_test, fail_output, fail_stderr "
        "FROM verdicts WHERE run = ?", (run_id,))}
    n_tests = len(p.tests())
    assert rows["good"][1] == "OK" and rows["good"][2] == "A" * n_tests
    assert len(unpack(rows["good"][3])) == n_tests and all(m > 0 for m in unpack(rows["good"][4]))
    assert rows["good"][5] == n_tests and rows["good"][6] is None
    bad = rows["bad"]
    assert bad[1] not in ("OK", "SANDBOX_ERROR") and len(bad[2]) == n_tests and bad[5] == n_tests
    assert "-" in bad[2] or bad[2][-1] != "A"  # fail-fast: tests after the failure are skipped
    assert bad[6] == next(i for i, c in enumerate(bad[2]) if c != "A")  # the first failing test, kept
    assert rows["syntax"][1] == "COMPILE_ERROR" and rows["syntax"][6] is None and "SyntaxError" in rows["syntax"][8]
    crash = rows["crash"]  # why a sample failed is visible in the store: its output head and stderr tail
    assert crash[1] == "RUNTIME_ERROR" and crash[6] == 0 and crash[7] == "partial output\n"
    assert crash[8].rstrip().endswith("ValueError: boom")
    assert run["summary"]["solutions"] == 4 and run["summary"]["ok"] == 1
    assert run["progress_done"] == 4 and run["progress_total"] == 4
    arts = store.artifacts(run_id)
    assert arts[0]["kind"] == "verdicts" and len(Path(arts[0]["path"]).read_text().splitlines()) == 4
    problem_rows = store.conn.execute(
        "SELECT name, problem_set, split, n_public, n_private, n_generated FROM problems").fetchall()
    assert [tuple(r) for r in problem_rows] == [(p.name, "bundled", "train", len(p.public_tests),
                                                  len(p.private_tests), len(p.generated_tests))]

def test_judge_stage_bad_config_is_refused_before_launch(cli: Cli, home: Path, tmp_path: Path) -> None:
    """The same checks as ``iotatui judge``, before any run exists (no Docker needed: nothing is judged)."""
    p = cli("launch", "judge", "--set", "sandbox=chroot", "--set", "solutions=x.jsonl", check=False)
    assert p.returncode == 2 and "sandbox: unknown value 'chroot'" in p.stderr
    p = cli("launch", "judge", check=False)
    assert p.returncode == 2 and "solutions: required" in p.stderr
    p = cli("launch", "judge", "--set", f"solutions={tmp_path / 'missing.jsonl'}", check=False)
    assert p.returncode == 2 and "missing.jsonl: cannot read" in p.stderr, p.stderr
    (tmp_path / "empty.jsonl").write_text("")
    p = cli("launch", "judge", "--set", f"solutions={tmp_path / 'empty.jsonl'}", check=False)
    assert p.returncode == 2 and "nothing to judge" in p.stderr, p.stderr
    (tmp_path / "folder.jsonl").write_text(json.dumps(
        {"id": "a", "problem": "02_run_length", "language": "python3", "code": "print(1)"}) + "\n")
    p = cli("launch", "judge", "--set", f"solutions={tmp_path / 'folder.jsonl'}", check=False)
    assert p.returncode == 2 and "did you mean 'B02. Run-Length Report'?" in p.stderr, p.stderr
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert not (home / "iotatui.db").exists() or Store(home / "iotatui.db").list_runs() == []
