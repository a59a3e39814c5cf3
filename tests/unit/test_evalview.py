"""The eval screens' Textual-free core: incremental aggregation, live summary with intervals, table/heatmap models,
error signatures, sample grouping and one sample's detail, against a real store filled by ingesting recorded
``events.jsonl`` lines made with the real event classes (as the eval stage writes them)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from backends.events import (
    EventWriter,
    Metrics,
    ProblemInfo,
    Progress,
    RunFinished,
    RunStarted,
    Sample,
    VerdictEvent,
    compact_tests,
)
from iotatui import evalview as ev
from iotatui.evalmetrics import from_verdict_rows, pass_at_k, summarize
from iotatui.ingest import ingest_run
from iotatui.store import Store

T0 = 1_764_000_000.0
B01, B02, B03 = "B01. Divisibility Moves", "B02. Run-Length Report", "B03. Closest Cities"
CE_A = ("/tmp/judge-abc123/sol.cpp: In function 'int main()':\n"
        "/tmp/judge-abc123/sol.cpp:7:5: error: 'x' was not declared in this scope\n")
CE_B = ("/tmp/judge-zz9/sol.cpp: In function 'int main()':\n"
        "/tmp/judge-zz9/sol.cpp:12:9: error: 'x' was not declared in this scope\n")
TRACE = ('Traceback (most recent call last):\n  File "/sandbox/sol.py", line {n}, in <module>\n'
         "    print(a[{n}])\nIndexError: list index out of range\n")


def _verdict(sid: str, problem: str, verdict: str, n: int, fail: int | None = None, out: str = "", err: str = "",
             t: float = T0) -> VerdictEvent:
    """A verdict as ``backends.judge_stage.verdict_event`` emits it (fail-fast: tests after the failure skipped)."""
    names = ["OK"] * n if fail is None else ["OK"] * fail + [verdict]
    if verdict == "COMPILE_ERROR":
        names = []
    return VerdictEvent(sample_id=sid, problem=problem, verdict=verdict, tests=compact_tests(names, n),
                        time_ms=[10 + i for i in range(len(names))], memory_kb=[1000 + i for i in range(len(names))],
                        detail=err if verdict == "COMPILE_ERROR" else "", n_tests=n, fail_test=fail,
                        fail_output=out, fail_stderr=err, t=t)


def eval_events(live: bool = False) -> list[Any]:
    """A small recorded eval over three bundled problems, 4 samples each, every verdict kind the screens show."""
    evs: list[Any] = [RunStarted(pid=os.getpid() if live else 0, host="h", t=T0)]
    evs += [ProblemInfo(name=n, problem_set="bundled", split="train", difficulty=d, cf_rating=r, n_public=np_,
                        n_private=0, n_generated=0, t=T0)
            for n, d, r, np_ in ((B01, "EASY", 800, 1), (B02, "EASY", 900, 2), (B03, "MEDIUM", 1500, 2))]
    code = "n = int(input())\nfor _ in range(n):\n    a, b = map(int, input().split())\n    print((b - a % b) % b)\n"
    plan = [
        (B01, 0, "OK", None, "", ""),
        (B01, 1, "WRONG_ANSWER", 0, "2\n5\n4\n334\n0\n", ""),
        (B01, 2, "COMPILE_ERROR", None, "", CE_A),
        (B01, 3, "RUNTIME_ERROR", 1, "", TRACE.format(n=3)),
        (B02, 0, "WRONG_ANSWER", 1, "x\n", ""),
        (B02, 1, "WRONG_ANSWER", 1, "y\n", ""),
        (B02, 2, "TIME_LIMIT", 3, "", ""),
        (B02, 3, "RUNTIME_ERROR", 0, "", TRACE.format(n=17)),
        (B03, 0, "COMPILE_ERROR", None, "", CE_A),
        (B03, 1, "COMPILE_ERROR", None, "", CE_B),
        (B03, 2, "COMPILE_ERROR", None, "", CE_B),
        (B03, 3, "WRONG_ANSWER", 0, "1 2\n", ""),
    ]
    n_tests = {B01: 52, B02: 46, B03: 29}
    for i, (p, j, verdict, fail, out, err) in enumerate(plan):
        sid = f"{p}|python3|{j}"
        evs.append(Sample(sample_id=sid, problem=p, language="python3", code=code, meta={"raw": code}, t=T0 + i))
        evs.append(_verdict(sid, p, verdict, n_tests[p], fail, out, err, T0 + i))
        if i % 4 == 3:
            evs.append(Progress(done=i + 1, total=12, unit="samples", t=T0 + i))
            evs.append(Metrics(step=i + 1, values={"eval/tokens_per_s": 1234.0, "eval/roofline_fraction": 0.43,
                                                   "eval/solved": 1.0}, t=T0 + i))
    if not live:
        evs.append(RunFinished(summary={"solved": 1}, t=T0 + 20))
    return evs


def record_eval(store: Store, home: Path, run_id: str = "eval-rec-1", live: bool = False,
                events: list[Any] | None = None) -> str:
    """Insert the run row, write the recorded events to its ``events.jsonl`` and ingest them (as a reader would)."""
    run_dir = home / "runs" / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    row: dict[str, Any] = {"id": run_id, "stage": "eval", "status": "starting", "run_dir": str(run_dir),
                           "config": json.dumps({"problems": "bundled", "n_samples": 4, "languages": ["python3"]}),
                           "created": T0, "started": T0, "attempt": 1}
    if live:
        from iotatui import procinfo

        row.update(pid=os.getpid(), proc_start=procinfo.start_time(os.getpid()))
    store.insert_run(row)
    w = EventWriter(run_dir / "events.jsonl")
    w.emit_many(eval_events(live) if events is None else events)
    w.close()
    ingest_run(store, run_id)
    return run_id


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store(tmp_path / "iotatui.db")
    yield s
    s.close()


def _rows(store: Store, run_id: str) -> list[dict[str, Any]]:
    cols = ("id", "sample_id", "problem", "verdict", "n_tests", "fail_test", "t")
    return [dict(zip(cols, r, strict=True)) for r in store.conn.execute(
        f"SELECT {', '.join(cols)} FROM verdicts WHERE run = ? ORDER BY id", (run_id,))]


def test_load_and_incremental_agree_and_skip_rows_already_counted(store: Store, tmp_path: Path) -> None:
    run = record_eval(store, tmp_path)
    rows = _rows(store, run)
    loaded = ev.RunAgg(run)
    assert loaded.load(store.conn) == rows[-1]["id"]
    inc = ev.RunAgg(run)
    assert inc.add_rows(rows[:5]) == {B01, B02}
    assert inc.add_rows(rows) == {B02, B03}  # the first five are not counted twice
    assert inc.add_rows(rows) == set() and inc.version == 2  # nothing new: no version bump, views don't redraw
    for agg in (loaded, inc):
        assert agg.samples == 12
        b01 = agg.problems[B01]
        assert (b01.n, b01.correct, b01.compiled, b01.runnable, b01.solved) == (4, 1, 3, 4, True)
        assert b01.by_verdict == {"OK": 1, "WRONG_ANSWER": 1, "COMPILE_ERROR": 1, "RUNTIME_ERROR": 1}
        assert not agg.problems[B03].solved and agg.problems[B03].failing == 4
    # the follower's next rows are counted against the loaded ones
    assert loaded.add_rows([{"id": rows[-1]["id"] + 1, "problem": B03, "verdict": "OK"}]) == {B03}
    assert loaded.problems[B03].solved and loaded.samples == 13


def test_summary_matches_evalmetrics_and_has_intervals(store: Store, tmp_path: Path) -> None:
    run = record_eval(store, tmp_path)
    agg = ev.RunAgg(run)
    agg.load(store.conn)
    s = agg.summary()
    ref = summarize(from_verdict_rows(_rows(store, run)), ci_iters=200)
    assert s.problems == ref["problems"] == 3 and s.samples == 12
    assert s.solved.value == ref["solved"] == 1
    assert s.compile_rate is not None and s.compile_rate.value == pytest.approx(ref["compile_rate"]) == 8 / 12
    assert sorted(s.pass_at_k) == [1] and s.pass_at_k[1].value == pytest.approx(ref["pass_at_k"]["1"])
    for iv in (s.solved, s.compile_rate, s.pass_at_k[1]):
        assert iv.lo <= iv.value <= iv.hi
    assert s.solved.lo == 0 and s.solved.hi >= 2  # one of three solved: resampling problems moves it both ways
    assert s.verdicts["COMPILE_ERROR"] == 4


def test_live_pass_at_k_covers_only_problems_with_k_samples() -> None:
    agg = ev.RunAgg("r", ci_iters=50)
    rows = [{"id": i + 1, "problem": "A", "verdict": "OK" if i < 3 else "WRONG_ANSWER"} for i in range(12)]
    rows += [{"id": 100 + i, "problem": "B", "verdict": "WRONG_ANSWER"} for i in range(5)]
    agg.add_rows(rows)
    s = agg.summary(force=True)
    assert sorted(s.pass_at_k) == [1, 10]
    assert s.pass_at_k[10].problems == 1 and s.pass_at_k[1].problems == 2
    assert s.pass_at_k[10].value == pytest.approx(pass_at_k(12, 3, 10))
    assert s.pass_at_k[1].value == pytest.approx((3 / 12 + 0) / 2)


def test_summary_is_cached_and_recomputed_at_most_once_per_interval() -> None:
    agg = ev.RunAgg("r", ci_iters=20, min_interval=1.0)
    agg.add_rows([{"id": 1, "problem": "A", "verdict": "OK"}])
    first = agg.summary(now=100.0)
    assert agg.summary(now=100.5) is first  # unchanged
    agg.add_rows([{"id": 2, "problem": "B", "verdict": "WRONG_ANSWER"}])
    assert agg.summary(now=100.5) is first  # changed, but within the interval
    later = agg.summary(now=101.2)
    assert later is not first and later.problems == 2 and later.solved.value == 1


def test_fast_pass_at_k_agrees_with_the_exact_estimator() -> None:
    for n in (1, 10, 999, 1000):
        for c in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            for k in (1, 10, 100, 1000):
                assert ev._pass(n, c, k) == pytest.approx(pass_at_k(n, c, k), abs=1e-10)


def _two_runs() -> list[ev.RunAgg]:
    a, b = ev.RunAgg("a"), ev.RunAgg("b")
    i = 0

    def add(agg: ev.RunAgg, problem: str, verdicts: str) -> None:
        nonlocal i
        for v in verdicts:
            i += 1
            agg.add_rows([{"id": i, "problem": problem, "verdict": {"o": "OK", "w": "WRONG_ANSWER",
                                                                     "c": "COMPILE_ERROR"}[v]}])
    add(a, "p1", "owww")  # A solves p1, B does not
    add(b, "p1", "wwww")
    add(a, "p2", "wwcc")  # B solves p2 only
    add(b, "p2", "oooo")
    add(a, "p3", "oooo")  # both solve p3
    add(b, "p3", "owww")
    return [a, b]


def test_sorts() -> None:
    a, b = _two_runs()
    info = {"p1": {"cf_rating": 1200}, "p2": {"cf_rating": 2000}, "p3": {}}
    assert ev.sort_problems([a], "failing") == ["p2", "p1", "p3"]
    assert ev.sort_problems([a, b], "failing") == ["p1", "p2", "p3"]  # 7 failing across runs, then 4, then 3
    assert ev.sort_problems([a, b], "solved")[0] == "p3"  # solved by both
    assert ev.sort_problems([a], "name", reverse=True) == ["p3", "p2", "p1"]
    assert ev.sort_problems([a], "rating", info) == ["p2", "p1", "p3"]  # unrated last
    assert ev.sort_problems([a, b], "a_not_b")[0] == "p1"
    assert ev.sort_problems([a, b], "b_not_a")[0] == "p2"
    assert ev.solved_by(a, b) == (1, 1)
    with pytest.raises(ValueError, match="unknown 'nope'"):
        ev.sort_problems([a], "nope")


def test_heatmap_model() -> None:
    a, b = _two_runs()
    b.add_rows([{"id": 999, "problem": "p4", "verdict": "OK"}])
    grid = ev.heatmap([a, b], ["p1", "p4"])
    assert grid == [[0.25, 0.0], [None, 1.0]]
    assert [ev.heat_level(x) for x in (None, 0.0, 0.01, 0.5, 1.0)] == [-1, 0, 1, 3, 4]


def test_error_signature_groups_the_same_mistake() -> None:
    assert ev.error_signature(CE_A) == ev.error_signature(CE_B)
    assert "was not declared" in ev.error_signature(CE_A) and "/tmp" not in ev.error_signature(CE_A)
    assert ev.error_signature(TRACE.format(n=3)) == ev.error_signature(TRACE.format(n=99)) == \
        "IndexError: list index out of range"
    assert ev.error_signature("Segmentation fault at 0x7ffd1234 in 42") == "Segmentation fault at <addr> in N"
    assert ev.error_signature("") == "(no error text)"
    assert ev.error_signature("ZeroDivisionError: x") != ev.error_signature("IndexError: x")


def test_problem_samples_grouped_by_verdict_and_signature(store: Store, tmp_path: Path) -> None:
    run = record_eval(store, tmp_path)
    b03 = ev.problem_samples(store.conn, run, B03)
    assert [(g.verdict, len(g.samples)) for g in b03] == [("WRONG_ANSWER", 1), ("COMPILE_ERROR", 3)]
    assert b03[1].signature == ev.error_signature(CE_A)  # two error texts differing only in paths/lines: one group
    b02 = ev.problem_samples(store.conn, run, B02)
    assert [(g.verdict, g.signature, len(g.samples)) for g in b02] == [
        ("WRONG_ANSWER", "first fails test 1", 2), ("TIME_LIMIT", "first fails test 3", 1),
        ("RUNTIME_ERROR", "IndexError: list index out of range", 1)]
    b01 = ev.problem_samples(store.conn, run, B01)
    assert b01[-1].verdict == "OK" and b01[-1].samples[0].language == "python3"


def test_sample_detail_with_the_problem_source(store: Store, tmp_path: Path) -> None:
    run = record_eval(store, tmp_path)
    d = ev.load_sample(store.conn, store.get_run(run), f"{B01}|python3|1")
    assert d is not None and d.verdict == "WRONG_ANSWER" and d.language == "python3" and "int(input())" in d.code
    assert d.n_tests == 52 and len(d.tests) == 52 and d.letters == "W" + "-" * 51
    assert d.tests[0].verdict == "WRONG_ANSWER" and d.tests[0].time_ms == 10 and d.tests[0].memory_kb == 1000
    assert d.tests[0].set_name == "public" and d.tests[1].verdict == "SKIPPED"
    f = d.fail
    assert f is not None and f.index == 0 and f.set_name == "public" and f.note == ""
    assert f.input == "5\n10 4\n13 9\n100 13\n123 456\n92 46\n" and f.expected == "2\n5\n4\n333\n0\n"
    assert f.actual == "2\n5\n4\n334\n0\n"
    assert f.diff is not None and (f.diff.index, f.diff.expected, f.diff.actual) == (3, "333", "334")
    assert f.diff.expected_line == f.diff.actual_line == 4
    assert f.expected[slice(*f.diff.expected_span)] == "333"
    ce = ev.load_sample(store.conn, store.get_run(run), f"{B01}|python3|2")
    assert ce is not None and ce.fail is None and "was not declared" in ce.error_text
    re_ = ev.load_sample(store.conn, store.get_run(run), f"{B01}|python3|3")
    assert re_ is not None and re_.fail is not None and "IndexError" in re_.fail.stderr
    assert ev.load_sample(store.conn, store.get_run(run), "nope") is None


def test_sample_detail_without_a_reachable_source_says_so(store: Store, tmp_path: Path) -> None:
    run = record_eval(store, tmp_path)
    store.conn.execute("UPDATE runs SET config = ? WHERE id = ?", (json.dumps({"problems": str(tmp_path / "gone")}), run))
    d = ev.load_sample(store.conn, store.get_run(run), f"{B01}|python3|1")
    assert d is not None and d.fail is not None
    assert d.fail.input is None and d.fail.expected is None and d.fail.diff is None
    assert d.fail.note.startswith("input unavailable:") and "gone" in d.fail.note
    assert d.fail.actual == "2\n5\n4\n334\n0\n"


def test_first_diff() -> None:
    assert ev.first_diff("1 2\n3\n", "1  2\r\n3") is None  # whitespace never matters
    assert ev.first_diff("YES\n1.5\n", "yes 1.500000\n") is None  # case and number formatting, as the judge
    d = ev.first_diff("1\n2\n", "1\n")
    assert d is not None and d.actual is None and d.expected == "2" and "missing" in d.reason
    d = ev.first_diff("1\n", "1\n2 3\n")
    assert d is not None and d.expected is None and d.actual == "2" and d.actual_line == 2 and "extra" in d.reason
    d = ev.first_diff("7", "007x")
    assert d is not None and d.index == 0 and "differs" in d.reason


def test_progress_text_eta_and_expected_problems() -> None:
    clock = ev.ProgressClock()
    run = {"status": "running", "progress_done": 100, "progress_total": 1000, "progress_unit": "samples",
           "started": 0.0, "config": {"n_samples": 100, "languages": ["python3", "cpp"]}}
    # before any progress was watched: the rate since the start (100 in 10 s -> 900 more in 90 s)
    assert ev.progress_text(run, 830.0, clock, now=10.0) == \
        "judged 100/1,000 samples (10.0 %) · 830 tok/s · ETA 1m30s"
    run["progress_done"] = 400  # then the watched rate: 300 in 30 s -> 600 more in 60 s
    assert ev.progress_text(run, None, clock, now=40.0).endswith("ETA 1m00s")
    assert "ETA" not in ev.progress_text({**run, "status": "finished"}, None, clock, now=50.0)
    assert ev.expected_problems(run) == 5
    # The sampler's share of the machine's roofline, where it measured one (eval/roofline_fraction).
    assert " · 1,374 tok/s (48 % of roofline) · " in ev.progress_text(run, 1373.8, clock, now=40.0,
                                                                   roofline_fraction=0.48)
    assert ev.duration(3725) == "1h02m" and ev.duration(42) == "42s"


def test_synthetic_store(tmp_path: Path) -> None:
    ids = ev.synthetic_store(tmp_path / "ws", problems=7, samples=30, runs=2)
    s = Store(tmp_path / "ws" / "iotatui.db")
    try:
        for run_id in ids:
            agg = ev.RunAgg(run_id)
            agg.load(s.conn)
            assert len(agg.problems) == 7 and agg.samples == 210
            assert s.count("samples", run_id) == 210
        assert len(ev.problem_info(s.conn)) == 7
        rows = ev.synthetic_rows(sorted(agg.problems), 5, agg.max_id)
        assert agg.add_rows(rows) and agg.samples == 215
    finally:
        s.close()


@pytest.mark.slow
def test_full_scale_update_is_cheap(tmp_path: Path) -> None:
    """165 problems x 1000 samples: an update of 200 rows plus a fresh summary stays far below a frame budget."""
    ids = ev.synthetic_store(tmp_path / "ws", with_samples=False)
    s = Store(tmp_path / "ws" / "iotatui.db")
    try:
        agg = ev.RunAgg(ids[0])
        agg.load(s.conn)
        assert agg.samples == 165_000
        names = sorted(agg.problems)
        times = []
        for i in range(20):
            rows = ev.synthetic_rows(names, 200, agg.max_id, seed=i)
            t = time.perf_counter()
            agg.add_rows(rows)
            agg.summary(force=True)
            times.append(time.perf_counter() - t)
        assert agg.samples == 169_000
        assert sorted(times)[len(times) // 2] < 0.1, times  # typically ~7 ms; generous for a loaded CI box
    finally:
        s.close()
