"""The tracked `judge` stage: verdicts stream from the real sandbox into the store, one compact row per solution."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iotatui.ingest import unpack
from iotatui.store import Store
from tests.conftest import Cli, wait_until

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_judge_stage_streams_verdicts_into_the_store(judge_image: str, cli: Cli, home: Path, tmp_path: Path) -> None:
    from iotatui.data.problems import load_problems

    p = next(p for p in load_problems("bundled") if p.split == "train")
    good = p.solutions.of("python3")[0]
    bad = p.incorrect_solutions.of("cpp")[0]
    sols = [
        {"id": "good", "problem": p.name, "language": "python3", "code": good},
        {"id": "bad", "problem": p.name, "language": "cpp", "code": bad},
        {"id": "syntax", "problem": p.name, "language": 3, "code": "def f(:\n"},
    ]
    path = tmp_path / "sols.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in sols))
    run_id = cli.json("launch", "judge", "--set", f"solutions={path}", "--set", "workers=1")["id"]
    run: dict[str, Any] = wait_until(lambda: (r := cli.run(run_id))["status"] in ("finished", "failed", "crashed") and r,
                                     timeout=180, what="judge run done")
    assert run["status"] == "finished", run["error"]
    store = Store(home / "iotatui.db")
    rows = {r[0]: r for r in store.conn.execute(
        "SELECT sample_id, verdict, tests, time_ms, memory_kb FROM verdicts WHERE run = ?", (run_id,))}
    n_tests = len(p.tests())
    assert rows["good"][1] == "OK" and rows["good"][2] == "A" * n_tests
    assert len(unpack(rows["good"][3])) == n_tests and all(m > 0 for m in unpack(rows["good"][4]))
    assert rows["bad"][1] not in ("OK", "SANDBOX_ERROR") and len(rows["bad"][2]) == n_tests
    assert "-" in rows["bad"][2] or rows["bad"][2][-1] != "A"  # fail-fast: tests after the failure are skipped
    assert rows["syntax"][1] == "COMPILE_ERROR"
    assert run["summary"]["solutions"] == 3 and run["summary"]["ok"] == 1
    assert run["progress_done"] == 3 and run["progress_total"] == 3
    arts = store.artifacts(run_id)
    assert arts[0]["kind"] == "verdicts" and len(Path(arts[0]["path"]).read_text().splitlines()) == 3


def test_judge_stage_bad_config_is_refused_before_launch(cli: Cli) -> None:
    p = cli("launch", "judge", "--set", "sandbox=chroot", "--set", "solutions=x.jsonl", check=False)
    assert p.returncode == 2 and "sandbox: unknown 'chroot'" in p.stderr
    p = cli("launch", "judge", check=False)
    assert p.returncode == 2 and "solutions: required" in p.stderr
