"""Inputs from upstream runs (``run:<id>``, ``run:<id>/<artifact>``, ``--parent``), end to end with real runs.

Runs are launched in-process (``supervisor.launch``) and really spawned (shim + backend subprocesses); every wait
polls the store in-process with a deadline. The ``count`` stage writes ``curve.json`` as its main artifact
(``StageInfo.output = "curve"``) and reads one through its ``init`` key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iotatui import supervisor as sup
from iotatui.refs import RefError, parse
from iotatui.store import StoreError
from tests.conftest import Runs

pytestmark = pytest.mark.slow


def start(runs: Runs, *sets: str, **kw: object) -> str:
    return sup.launch(runs.ws, "count", sets=list(sets), **kw)  # type: ignore[arg-type]


def test_parse_refs() -> None:
    assert parse("run:abc") == ("abc", None)
    assert parse("run:abc/model") == ("abc", "model")
    assert parse("/data/run:abc") is None and parse(3) is None and parse("running") is None
    for bad in ("run:", "run:abc/", "run:/x"):
        with pytest.raises(RefError, match="expected run:<id>"):
            parse(bad)


def test_run_ref_waits_resolves_at_spawn_and_records_lineage(runs: Runs) -> None:
    up = start(runs, "steps=15", "interval=0.1")
    down = start(runs, "steps=2", "interval=0.01", f"init=run:{up[-4:]}")  # a suffix, like --parent takes
    row = runs.get(down, reconcile=False)
    # Made to wait on the run it names, and the reference is stored with the full id (a suffix could become
    # ambiguous later).
    assert row["status"] == "queued" and row["after"] == [up]
    assert row["config"]["init"] == f"run:{up}"
    assert row["inputs"] == {"init": {"ref": f"run:{up[-4:]}", "run": up, "artifact": None}}
    done = runs.wait(down, "finished", timeout=60)
    curve = str(Path(runs.get(up)["run_dir"]) / "curve.json")
    assert [a["path"] for a in runs.get(up)["artifacts"]] == [curve]
    run_dir = Path(done["run_dir"])
    assert json.loads((run_dir / "config.json").read_text())["init"] == curve
    launch = json.loads((run_dir / "launch.json").read_text())
    assert launch["inputs"]["init"]["path"] == curve and launch["after"] == [up]
    assert done["inputs"]["init"]["path"] == curve  # in the store too: `iotatui show` displays it
    logs = [text for _, _, _, text in runs.ws.store.logs_after(down)]
    assert any(t.startswith(f"init from {curve}") for t in logs), logs  # the backend really read the upstream file


def test_named_artifact_missing_at_spawn_fails_the_run_with_one_line(runs: Runs) -> None:
    up = start(runs, "steps=10", "interval=0.1")
    down = start(runs, f"init=run:{up}/model")  # may exist later: only checkable once the upstream finished
    last = start(runs, "steps=1", after=[down])
    # Nobody reads meanwhile (reconcile=False): the upstream's shim settles both in its own queue pass.
    run = runs.wait(down, "failed", timeout=60, reconcile=False)
    assert run["error"] == f"init = run:{up}/model: run {up} has no artifact 'model' (it has: curve)"
    assert run["pid"] is None and run["shim_pid"] is None  # never spawned
    assert runs.wait(last, "failed", timeout=10, reconcile=False)["error"] == f"dependency {down} failed"
    assert runs.get(up)["status"] == "finished"


def test_parent_is_recorded_and_waited_for(runs: Runs) -> None:
    up = start(runs, "steps=8", "interval=0.1")
    down = start(runs, "steps=2", "interval=0.01", parent=up[:-2])
    assert runs.get(down, reconcile=False)["after"] == [up]
    done = runs.wait(down, "finished", timeout=60)
    launch = json.loads((Path(done["run_dir"]) / "launch.json").read_text())
    assert launch["parent"] == up and done["parent"] == up
    assert done["started"] >= runs.get(up)["finished"]  # it waited for its parent


def test_dead_or_unknown_dependencies_are_refused_before_anything_is_written(runs: Runs, home: Path) -> None:
    bad = start(runs, "steps=5", "interval=0.01", "fail_at=2")
    runs.wait(bad, "failed", timeout=60)
    before = sorted(p.name for p in (home / "runs").iterdir())
    cases = [
        ({"after": [bad]}, f"--after {bad}: run {bad} failed"),
        ({"parent": bad[-4:]}, f"--parent {bad[-4:]}: run {bad} failed"),
        ({"sets": [f"init=run:{bad}"]}, f"init = run:{bad}: run {bad} failed; it will produce no output"),
        ({"sets": ["init=run:nosuch"]}, "init = run:nosuch: no run matches 'nosuch'"),
        ({"after": ["nosuch"]}, "no run matches 'nosuch'"),
    ]
    for kw, message in cases:
        with pytest.raises(StoreError) as e:
            sup.launch(runs.ws, "count", **kw)  # type: ignore[arg-type]
        assert str(e.value).startswith(message) and "\n" not in str(e.value)
    assert sorted(p.name for p in (home / "runs").iterdir()) == before
    assert [r["id"] for r in runs.ws.store.list_runs()] == [bad]


def test_a_finished_upstream_without_the_artifact_is_refused_at_launch(runs: Runs) -> None:
    up = start(runs, "steps=2", "interval=0.01")
    runs.wait(up, "finished", timeout=60)
    with pytest.raises(StoreError, match=r"has no artifact 'nope' \(it has: curve\)"):
        start(runs, f"init=run:{up}/nope")
    ok = start(runs, "steps=1", "interval=0.01", f"init=run:{up}/curve")
    assert runs.wait(ok, "finished", timeout=60)["inputs"]["init"]["artifact"] == "curve"


def test_launch_checks_of_a_referenced_input_run_at_spawn(runs: Runs) -> None:
    up = start(runs, "steps=5", "interval=0.1")
    # data_sft checks its tokenizer at launch; this one does not exist yet, so the check runs once it does.
    down = sup.launch(runs.ws, "data_sft", sets=[f"tokenizer=run:{up}", f"out={runs.home / 'sft'}"])
    assert runs.get(down, reconcile=False)["status"] == "queued"
    run = runs.wait(down, "failed", timeout=60)
    assert run["error"].startswith("stage data_sft: ") and "\n" not in run["error"], run["error"]
    assert run["pid"] is None and not (runs.home / "sft").exists()
