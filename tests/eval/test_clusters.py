"""10@k's behaviour clusters: extra inputs from public inputs only (never a hidden test), deterministic; programs that
print the same cluster together whatever their text (real Docker judge); n@k over behaviour clusters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from backends._clusters import behaviour_clusters, extra_inputs, mutate
from iotatui.data.schema import Problem
from iotatui.data.schema import Tests as CaseSet
from iotatui.evalmetrics import SampleResult, cluster_key, n_at_k


def bundled() -> dict[str, Problem]:
    from judge.inputs import load_problem_set

    return load_problem_set("bundled")[0]


def test_extra_inputs_never_hidden_deterministic_and_shaped() -> None:
    probs = bundled()
    made = 0
    for p in probs.values():
        ins = extra_inputs(p)
        assert ins == extra_inputs(p)  # deterministic: same problem, same inputs
        hidden = {" ".join(x.split()) for x in (*p.public_tests.input, *p.private_tests.input,
                                                *p.generated_tests.input)}
        for x in ins:
            assert " ".join(x.split()) not in hidden, (p.name, x)
        assert len({" ".join(x.split()) for x in ins}) == len(ins)  # no repeats
        made += len(ins)
        if p.public_tests.input:
            assert ins, p.name  # every problem with public tests gets some
    assert made >= 5 * len(probs)
    # A multi-line input keeps its first line (counts) and its token shape.
    import random

    src = "3 4\n1203\n0451\n9000\n"
    out = mutate(src, random.Random(1), 0, 9000)
    assert out.split("\n")[0] == "3 4"
    assert [len(t) for t in out.split()] == [len(t) for t in src.split()]


def test_mutations_equal_to_private_or_generated_inputs_are_dropped() -> None:
    # Public "2\n5 7\n": 5 -> 4..6 and 7 -> 6..7 give 6 candidates, one of them the public input itself. Four of the
    # other five are private/generated tests: only the fifth may come out, however many are asked for.
    cands = [f"2\n{a} {b}\n" for a in (4, 5, 6) for b in (6, 7) if (a, b) != (5, 7)]
    hidden, free = cands[:4], cands[4]
    p = Problem(name="toy", description="", public_tests=CaseSet(("2\n5 7\n",), ("12\n",)),
                private_tests=CaseSet(tuple(hidden[:2]), ("x",) * 2), generated_tests=CaseSet(tuple(hidden[2:]), ("x",) * 2))
    assert extra_inputs(p, 8) == [free]
    assert extra_inputs(Problem(name="none", description=""), 8) == []  # no public input: no extra inputs


@dataclass
class _S:
    sample_id: str
    problem: str
    language: str
    code: str


SUM_A = "import sys\nprint(sum(int(t) for t in sys.stdin.read().split()))\n"
SUM_B = ("data = open(0).read().split()\ntotal = 0\nfor tok in data:\n    total = total + int(tok)\n"
         "print(total)\n")
SUM_CPP = ("#include <iostream>\nint main(){long long x,s=0;while(std::cin>>x)s+=x;std::cout<<s<<\"\\n\";}\n")
MAX_ = "import sys\nprint(max(int(t) for t in sys.stdin.read().split()))\n"
CRASH = "import sys\nsys.stdin.read()\nraise SystemExit(3)\n"


@pytest.mark.docker
@pytest.mark.slow
def test_behaviour_clusters_on_a_bundled_problem(judge_image: str) -> None:
    probs = bundled()
    name = "B08. Best Week"
    sols = [_S("a", name, "python3", SUM_A), _S("b", name, "python3", SUM_B), _S("c", name, "cpp", SUM_CPP),
            _S("m", name, "python3", MAX_), _S("x", name, "python3", CRASH), _S("y", name, "python3", CRASH + "\n")]
    keys = behaviour_clusters({name: probs[name]}, sols, workers=2)
    assert set(keys) == {"a", "b", "c", "m", "x", "y"}
    assert all(k.startswith("b:") for k in keys.values())
    # Textually different programs that print the same: one cluster (across languages too).
    assert len({cluster_key(s.code) for s in sols[:3]}) == 3
    assert keys["a"] == keys["b"] == keys["c"]
    assert keys["m"] != keys["a"]  # different behaviour: apart
    assert keys["x"] == keys["y"] != keys["a"]  # crashing the same way is the same behaviour
    # Deterministic: the same survivors on the same inputs get the same keys.
    assert behaviour_clusters({name: probs[name]}, sols[:1], workers=1) == {"a": keys["a"]}


def S(verdict: str, cluster: str) -> SampleResult:
    return SampleResult("p", verdict, True, cluster)


def test_n_at_k_with_behaviour_clusters() -> None:
    # Three textually distinct correct programs (one behaviour) and a wrong one emitted twice verbatim.
    text = [S("OK", "t1"), S("OK", "t2"), S("OK", "t3"), S("WRONG_ANSWER", "w"), S("WRONG_ANSWER", "w")]
    beh = [S("OK", "b:good"), S("OK", "b:good"), S("OK", "b:good"), S("WRONG_ANSWER", "b:bad"),
           S("WRONG_ANSWER", "b:bad")]
    # One submission: by text the duplicated wrong program is the largest cluster; by behaviour the correct one is.
    assert n_at_k(text, submissions=1) == 0.0
    assert n_at_k(beh, submissions=1) == 1.0
    # Subsampling k=3 of 5 (AlphaCode's estimator), one submission, behaviour clusters. Of the C(5,3) = 10 draws
    # from {g,g,g,b,b}: 1 is ggg (solved), 6 are gg+b (b:good larger: solved), 3 are g+bb (b:bad larger: lost).
    got = n_at_k(beh, k=3, submissions=1, draws=4000, seed=1)
    assert got == pytest.approx(0.7, abs=0.03)
    # Fewer clusters than submissions wrap around: a second member of the same cluster is submitted too.
    mixed = [S("WRONG_ANSWER", "b:one"), S("OK", "b:one")]
    assert n_at_k(mixed, submissions=2) == 1.0
    assert n_at_k(mixed, submissions=1, draws=4000) == pytest.approx(0.5, abs=0.03)


def test_signature_needs_every_probe_run() -> None:
    from backends._clusters import signature
    from judge.verdict import TestResult, Verdict

    tr = TestResult("public", 0, "WRONG_ANSWER", 0.0, 0)
    full: Any = Verdict("a", "p", "WRONG_ANSWER", tests=[tr, tr], n_tests=2, output_digests=["d1", "d2"])
    assert signature(full) is not None and signature(full) == signature(full)
    assert signature(Verdict("a", "p", "SANDBOX_ERROR", n_tests=2)) is None
    cut = Verdict("a", "p", "WRONG_ANSWER", tests=[tr], n_tests=2, output_digests=["d1"])
    assert signature(cut) is None  # a probe run cut short says nothing about the rest


@pytest.mark.docker
@pytest.mark.slow
def test_assign_rekeys_survivors_in_the_store(tmp_path: Path, judge_image: str) -> None:
    """The eval stage's step: survivors re-emitted with behaviour keys; the store (what `iotatui report` reads) has
    them; non-survivors keep the text key; a second pass (resume) re-keys nothing."""
    import json

    from backends._clusters import assign
    from backends._runtime import RunContext
    from backends.events import ProblemInfo, Sample, VerdictEvent
    from iotatui.commands.report import run_results
    from iotatui.ingest import ingest_run
    from iotatui.store import Store

    name = "B08. Best Week"
    prob = bundled()[name]
    n_public = len(prob.public_tests)
    run_dir = tmp_path / "ev"
    run_dir.mkdir()
    run = RunContext(run_dir, "ev", 1, None, is_main=True)
    run.events.emit(ProblemInfo(name=name, problem_set="bundled", n_public=n_public))
    rows = [("a", SUM_A, "OK", None), ("b", SUM_B, "WRONG_ANSWER", n_public),  # passed the public tests
            ("m", MAX_, "OK", None), ("f", SUM_A + "# public fail\n", "WRONG_ANSWER", 0)]  # f: filtered out
    for sid, code, verdict, fail in rows:
        run.events.emit(Sample(sample_id=sid, problem=name, language="python3", code=code,
                               meta={"cluster": cluster_key(code)}))
        run.events.emit(VerdictEvent(sample_id=sid, problem=name, verdict=verdict, n_tests=5, fail_test=fail))
    assert assign(run, {name: prob}, workers=2) == 3
    assert assign(run, {name: prob}, workers=2) == 0  # already keyed: a resumed run does not run them again
    run.events.close()
    store = Store(tmp_path / "iotatui.db")
    store.insert_run({"id": "ev", "stage": "eval", "status": "finished", "run_dir": str(run_dir),
                      "config": json.dumps({"problems": "bundled"})})
    ingest_run(store, "ev", final=True)
    metas = {sid: json.loads(m) for sid, m in store.conn.execute("SELECT sample_id, meta FROM samples")}
    assert {sid for sid, m in metas.items() if m.get("cluster_by") == "behaviour"} == {"a", "b", "m"}
    assert metas["a"]["cluster"] == metas["b"]["cluster"] != metas["m"]["cluster"]
    assert metas["f"]["cluster"] == cluster_key(rows[3][1])
    results, _ = run_results(store, "ev")
    assert sorted(r.cluster or "" for r in results if r.passed_public) == sorted(
        metas[s]["cluster"] for s in ("a", "b", "m"))
    store.close()
