"""The eval stage's resume bookkeeping (no model, no judge): what is done is read back from the events file."""

from __future__ import annotations

from pathlib import Path

from backends.eval import Job, Live, plan, previous, sample_id, sample_seed
from backends.events import EventWriter, Sample, VerdictEvent


def test_plan_generates_only_missing_index_runs() -> None:
    probs = {"A": None, "B": None}
    done = {sample_id("A", "python3", i): True for i in (0, 1, 4)}
    jobs = plan(probs, ["python3"], 6, done)
    assert [(j.problem, j.start, j.count) for j in jobs] == [("A", 2, 2), ("A", 5, 1), ("B", 0, 6)]
    assert plan(probs, ["python3", "cpp"], 1, {}) == [Job("A", "python3", 0, 1), Job("A", "cpp", 0, 1),
                                                       Job("B", "python3", 0, 1), Job("B", "cpp", 0, 1)]
    assert plan(probs, ["python3"], 2, {sample_id(p, "python3", i): 1 for p in probs for i in range(2)}) == []


def test_seeds_are_a_pure_function_of_what_is_generated() -> None:
    assert sample_seed(0, "A", "python3", 3) == sample_seed(0, "A", "python3", 3)
    assert len({sample_seed(0, "A", "python3", 0), sample_seed(1, "A", "python3", 0), sample_seed(0, "B", "python3", 0),
                sample_seed(0, "A", "cpp", 0), sample_seed(0, "A", "python3", 1)}) == 5
    assert 0 <= sample_seed(12345, "x", "cpp", 9) < 2 ** 31


def test_previous_reads_samples_and_verdicts_and_ignores_a_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    assert previous(path) == ({}, {})
    w = EventWriter(path)
    w.emit_many([Sample(sample_id="A|python3|0", problem="A", code="x"), Sample(sample_id="A|python3|1", problem="A"),
                 VerdictEvent(sample_id="A|python3|0", problem="A", verdict="OK")])
    w.close()
    torn = VerdictEvent(sample_id="A|python3|1", problem="A", verdict="OK").to_line()
    with open(path, "a") as fh:
        fh.write(torn[:-5])  # killed mid-line: that verdict does not count
    samples, verdicts = previous(path)
    assert set(samples) == {"A|python3|0", "A|python3|1"} and set(verdicts) == {"A|python3|0"}


def test_live_metrics() -> None:
    live = Live(4, per_problem=2)
    for p, v in (("A", "OK"), ("A", "COMPILE_ERROR"), ("B", "WRONG_ANSWER"), ("B", "SANDBOX_ERROR")):
        live.add(p, v)
    m = live.metrics()
    assert m["eval/judged"] == 4 and m["eval/solved"] == 1 and m["eval/compile_rate"] == 2 / 3
    assert m["eval/pass@1"] == 0.25 and "eval/pass@10" not in m
    assert live.problems_done() == 2
    live.per_problem = 3
    assert live.problems_done() == 0
