"""Status changes: one authority (``store.transition``), and the supervisor's moves through it, with real runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iotatui import supervisor as sup
from iotatui.store import StoreError
from tests.conftest import ROOT, Runs, wait_until

# SQL that sets a status, or a status passed as a keyword with a status value: only iotatui/store.py may do either.
_RAW_WRITE = re.compile(
    r"SET\b[^\n]*\bstatus\s*=|\bstatus\s*=\s*(['\"](queued|starting|running|stopping|finished|failed|crashed|stopped)"
    r"['\"]|QUEUED|STARTING|RUNNING|STOPPING|FINISHED|FAILED|CRASHED|STOPPED)\b")


def test_only_the_store_writes_statuses() -> None:
    files = [p for d in ("iotatui", "backends", "judge") for p in (ROOT / d).rglob("*.py")]
    assert ROOT / "iotatui" / "supervisor.py" in files and len(files) > 20
    offenders = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in files if p.name != "store.py"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if _RAW_WRITE.search(line)]
    assert not offenders, "status written outside store.transition:\n" + "\n".join(offenders)
    # the pattern itself catches what it is meant to
    assert _RAW_WRITE.search("c.execute(\"UPDATE runs SET status='failed' WHERE id=?\")")
    assert _RAW_WRITE.search("store.update_run(rid, status=FAILED)")
    assert not _RAW_WRITE.search("transition(c, rid, FAILED, error=why)")


def test_stage_stop_grace_wins_over_a_smaller_setting(runs: Runs, home: Path) -> None:
    ws = runs.ws
    assert sup.stop_grace(ws, "count") == ws.settings.stop_grace_s == 10.0  # count declares none
    assert sup.stop_grace(ws, "sft") == 120.0  # saving a model takes longer than the workspace default
    assert sup.stop_grace(ws, "sft", grace_s=3.0) == 3.0  # --grace is the user's word
    (home / "settings.toml").write_text("stop_grace_s = 300\n")
    ws2 = sup.Workspace(home)
    assert sup.stop_grace(ws2, "sft") == 300.0
    ws2.close()


@pytest.mark.slow
def test_stopping_a_queued_run_keeps_it_out_of_the_queue(runs: Runs) -> None:
    rid = sup.launch(runs.ws, "count", sets=["steps=2", "interval=0.01"], start=False)
    assert runs.get(rid, reconcile=False)["status"] == "queued"
    assert sup.stop(runs.ws, rid)["status"] == "stopped"
    assert sup.tick(runs.ws) == []
    run = runs.get(rid)
    assert run["status"] == "stopped" and run["pid"] is None and run["attempt"] == 0


@pytest.mark.slow
def test_refused_moves_leave_the_run_as_it_was(runs: Runs) -> None:
    rid = sup.launch(runs.ws, "count", sets=["steps=2", "interval=0.01"])
    done = runs.wait(rid, "finished", timeout=60)
    with pytest.raises(StoreError, match=f"run {rid} is finished, not running"):
        sup.stop(runs.ws, rid)
    with pytest.raises(StoreError, match="only stopped, crashed or failed runs resume"):
        sup.resume(runs.ws, rid)
    assert runs.get(rid) == done


@pytest.mark.slow
def test_stop_then_resume_goes_through_the_whole_cycle(runs: Runs) -> None:
    rid = sup.launch(runs.ws, "count", sets=["steps=100000", "interval=0.05", "checkpoint_every=5"])
    runs.wait(rid, lambda r: r["status"] == "running" and (r["last_step"] or 0) >= 6, timeout=60, what="step 6")
    stopped = sup.stop(runs.ws, rid, grace_s=20)
    assert stopped["status"] == "stopped" and stopped["finished"] is not None
    resumed = sup.resume(runs.ws, rid)
    assert resumed["status"] in ("queued", "starting", "running")
    run = runs.wait(rid, lambda r: r["attempt"] == 2 and r["status"] == "running", timeout=60, what="attempt 2")
    assert run["resume_from"] and Path(run["resume_from"]).exists()
    assert sup.stop(runs.ws, rid, grace_s=20)["status"] == "stopped"
    wait_until(lambda: not sup._is_running(runs.get(rid)), timeout=20, what="processes gone")
