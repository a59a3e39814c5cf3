"""``iotatui report``: the metrics of a judge output file, and Table-1 rows from the store (real SQLite, real ingest)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from backends.events import EventWriter, ProblemInfo, Sample, VerdictEvent
from iotatui.commands import report
from iotatui.ingest import ingest_run
from iotatui.store import Store
from judge.verdict import TestResult as _TR
from judge.verdict import Verdict


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)  # a group, as in iotatui.cli: `report` is a subcommand
    report.register(app)
    return app


def _invoke(*args: str, home: Path | None = None) -> tuple[int, str, str]:
    env = {"IOTATUI_HOME": str(home)} if home else {}
    r = CliRunner().invoke(_app(), ["report", *args], env=env)
    return r.exit_code, r.stdout, r.stderr


def _verdict(i: int, problem: str, verdict: str, fail: int | None = None) -> Verdict:
    tests = [_TR("public", 0, "OK" if fail != 0 else verdict, 0.01, 1 << 20)]
    return Verdict(id=f"s{i}", problem=problem, verdict=verdict, tests=tests, n_tests=3, fail_test=fail,
                   compile_output="error: x" if verdict == "COMPILE_ERROR" else None)


def test_report_verdicts_json_has_the_issue_shape(tmp_path: Path) -> None:
    vs = [_verdict(0, "A", "OK"), _verdict(1, "A", "COMPILE_ERROR"), _verdict(2, "A", "WRONG_ANSWER", 1),
          _verdict(3, "B", "WRONG_ANSWER", 0), _verdict(4, "B", "RUNTIME_ERROR", 2), _verdict(5, "B", "OK")]
    path = tmp_path / "verdicts.jsonl"
    path.write_text("".join(json.dumps(v.to_dict()) + "\n" for v in vs))  # exactly what `iotatui judge` writes
    code, out, err = _invoke("--verdicts", str(path), "--json")
    assert code == 0, err
    d = json.loads(out)
    assert (d["problems"], d["samples"], d["solved"]) == (2, 6, 2)
    assert d["compile_rate"] == pytest.approx(5 / 6)
    assert set(d["pass_at_k"]) == {"1"}  # 3 samples per problem: k up to 3 of (1, 10, ...)
    assert d["pass_at_k"]["1"] == pytest.approx(1 / 3)
    code, out, _ = _invoke("--verdicts", str(path))
    assert code == 0 and "2 problems, 6 samples: solved 2" in out and "pass@1 33.3%" in out


@pytest.mark.parametrize("content, message", [
    ('{"problem": "A", "verdict": "OK"}\nnot json\n', ":2: bad JSON"),
    ('{"problem": "A"}\n', ":1: expected an object"),
    ("\n", "no verdicts in the file"),
])
def test_report_verdicts_bad_file_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(content)
    code, _, err = _invoke("--verdicts", str(path), "--json")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    code, _, err = _invoke("--verdicts", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "cannot read" in err
    code, _, err = _invoke("--format", "xml", "--verdicts", str(path))
    assert code == 2 and "--format: unknown value 'xml'" in err


def _eval_run(store: Store, tmp_path: Path, run_id: str, outcomes: dict[str, list[str]], parent: str | None = None
              ) -> None:
    run_dir = tmp_path / run_id
    run_dir.mkdir()
    store.insert_run({"id": run_id, "stage": "eval", "status": "finished", "run_dir": str(run_dir), "parent": parent,
                      "config": json.dumps({"problems": "set1"})})
    w = EventWriter(run_dir / "events.jsonl")
    for name in outcomes:
        w.emit(ProblemInfo(name=name, problem_set="set1", difficulty="EASY", cf_rating=1300, n_public=1, n_private=2))
    for name, verdicts in outcomes.items():
        for i, v in enumerate(verdicts):
            sid = f"{name}/{i}"
            w.emit(Sample(sample_id=sid, problem=name, language="python3", code=f"print({i})\n"))
            w.emit(VerdictEvent(sample_id=sid, problem=name, verdict=v, n_tests=3,
                                fail_test=None if v in ("OK", "COMPILE_ERROR") else 1))
    w.close()
    ingest_run(store, run_id, final=True)


def test_report_runs_from_the_store_with_paper_rows_and_comparison(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    store = Store(home / "iotatui.db")
    store.insert_run({"id": "sft1", "stage": "sft", "status": "finished", "run_dir": str(tmp_path)})
    _eval_run(store, tmp_path, "evalA", {"P1": ["OK", "WRONG_ANSWER"], "P2": ["OK", "COMPILE_ERROR"]}, parent="sft1")
    _eval_run(store, tmp_path, "evalB", {"P1": ["WRONG_ANSWER", "WRONG_ANSWER"], "P2": ["OK", "OK"]})
    store.close()
    code, out, err = _invoke("evalA", "evalB", "--json", "--compare", home=home)
    assert code == 0, err
    d = json.loads(out)
    a, b = d["rows"]
    assert (a["run"], a["solved"], a["problems"], a["samples"]) == ("evalA", 2, 2, 4)
    assert a["lineage"] == "sft → eval" and b["lineage"] == "eval"
    assert a["compile_rate"] == pytest.approx(3 / 4) and a["pass_at_k"]["1"] == pytest.approx(0.5)
    assert b["solved"] == 1 and b["pass_at_k"]["1"] == pytest.approx(0.5)
    assert a["ten_at_k"]["k"] == 2 and a["ten_at_k"]["solved"] == pytest.approx(2.0)
    lo, hi = a["ci"]["solved"]
    assert lo <= 2 <= hi
    assert [p["model"] for p in d["paper"]][:2] == ["AlphaCode 9B", "AlphaCode 1B"]
    assert {p["model"]: (p["solved"], p["compile_rate"]) for p in d["paper"]}["SFT+PPO"] == (25, 0.403)
    assert d["comparison"]["only_a"] == ["P1"] and d["comparison"]["only_b"] == []
    for fmt in ("table", "markdown", "csv"):
        code, out, err = _invoke("evalA", "--format", fmt, home=home)
        assert code == 0, err
        assert "evalA" in out and "paper: SFT+PPO" in out and "25/165" in out and "2/2" in out
        # The ORPO row's printed "2.1" is read as 21, and the row says so beside it.
        orpo = next(line for line in out.splitlines() if "SFT+ORPO" in line)
        if fmt == "table":  # 80 columns: the row points at its footnote, which says it
            mark = re.search(r"\[(\d+)\]", orpo)
            assert "21/165" in orpo and mark, orpo
            note = next(line for line in out.splitlines() if line.startswith(f"[{mark.group(1)}] SFT+ORPO"))
            assert 'printed "2.1"' in note and "read as 21" in note
        else:
            assert "21/165" in orpo and 'printed "2.1"' in orpo.replace('""', '"') and "read as 21" in orpo
        if fmt != "csv":  # and why, under the table
            assert 'SFT+ORPO: printed "2.1", read as 21: a count of problems is whole' in out and "did not improve" in out
    code, _, err = _invoke("nosuchrun", home=home)
    assert code == 2 and "no run matches 'nosuchrun'" in err


def test_report_without_runs_reports_every_finished_eval_in_80_columns_with_learn_rows(tmp_path: Path) -> None:
    """No RUN ids: every finished eval of the workspace; the table fits 80 columns; the eval of a PPO model trained
    from SFT reads against the SFT's eval, beside the paper's SFT+PPO row (issue 17.5)."""
    home = tmp_path / "ws"
    home.mkdir()
    store = Store(home / "iotatui.db")
    store.insert_run({"id": "sft-1207-141440-f465", "stage": "sft", "status": "finished", "run_dir": str(tmp_path)})
    store.insert_run({"id": "ppo-1207-150000-aaaa", "stage": "ppo", "status": "finished", "run_dir": str(tmp_path),
                      "parent": "sft-1207-141440-f465"})
    problems = {f"P{i}": ["WRONG_ANSWER", "WRONG_ANSWER"] for i in range(1, 9)}
    _eval_run(store, tmp_path, "eval-1207-143302-247f", problems, parent="sft-1207-141440-f465")
    better = {**problems, **{f"P{i}": ["OK", "WRONG_ANSWER"] for i in range(1, 7)}}
    _eval_run(store, tmp_path, "eval-1207-153302-943c", better, parent="ppo-1207-150000-aaaa")
    store.insert_run({"id": "eval-queued", "stage": "eval", "status": "queued", "run_dir": str(tmp_path)})
    store.close()
    code, out, err = _invoke(home=home)
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(ln) for ln in lines) <= 80, max(lines, key=len)
    assert lines[0].split() == ["run", "lineage", "solved", "compile", "pass@1", "10@k"]
    assert lines[1].startswith("eval-1207-143302-247f  sft → eval") and lines[2].startswith("eval-1207-153302-943c")
    assert "eval-queued" not in out  # not finished
    assert "paper: SFT+PPO                       25/165  40.3%" in out  # the paper's table, under ours
    assert "[1] AlphaCode 9B: 10@1k (AlphaCode Table 5: 14.3 % of 165)" in out  # its long notes as footnotes
    # 6 of 8 problems at pass@1 0.5 against 0: +0.375, every one of the 6 pairs the same way (p = 2/64)
    assert "  eval(ppo) pass@1 0.38 vs sft 0.00 (+0.38, p=0.031)  (eval-1207-153302-943c vs" in out
    assert "    paper SFT+PPO: solved 25/165 vs SFT 21/165 (+4); ours solved 6 vs 0 of 8" in out
    code, out, _ = _invoke("--json", home=home)
    (learn,) = json.loads(out)["learn"]
    assert (learn["stage"], learn["sft_eval"], learn["problems"]) == ("ppo", "eval-1207-143302-247f", 8)
    assert learn["diff"] == pytest.approx(0.375) and learn["p"] == pytest.approx(2 / 64)
    code, out, _ = _invoke("--wide", home=home)
    assert max(len(ln) for ln in out.splitlines()) > 80 and "10@1k (AlphaCode Table 5" in out  # every column
    empty = tmp_path / "empty"
    empty.mkdir()
    Store(empty / "iotatui.db").close()
    code, _, err = _invoke(home=empty)
    assert code == 2 and "no finished eval in this workspace yet" in err and len(err.strip().splitlines()) == 1
