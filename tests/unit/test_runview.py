"""The one headline-metric rule and the merged run log (store events + process output, attempts separated)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from iotatui.runview import RunLog, headline_metric, latest_metric
from iotatui.store import Store
from tests.conftest import wait_until


def test_headline_metric_prefers_train_loss_over_alphabetical() -> None:
    last = {"eval/loss": 1.0, "train/loss": 0.5, "objective/kl": 0.1}
    assert headline_metric(last) == ("train/loss", 0.5)
    assert latest_metric(last, "=") == "train/loss=0.5"
    assert headline_metric({"b": 1, "a": 2}) == ("a", 2)
    assert latest_metric({}) == "" and headline_metric(None) is None


def _log(store: Store, run: str, t: float, level: str, text: str) -> None:
    with store.write() as c:
        c.execute("INSERT INTO logs (run, t, level, text) VALUES (?, ?, ?, ?)", (run, t, level, text))


def test_runlog_merges_events_and_output_by_attempt(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    out = tmp_path / "stdout.log"
    _log(store, "r", 1.0, "info", "started (attempt 1) pid 10")
    _log(store, "r", 2.0, "error", "Traceback (most recent call last):\nRuntimeError: boom")
    _log(store, "other", 2.5, "info", "not this run")
    _log(store, "r", 3.0, "info", "started (attempt 2) pid 11")
    _log(store, "r", 3.5, "info", "resumed from step 20")
    out.write_text("── attempt 1 ──\nstep 1\nstep 2\n── attempt 2 ──\nstep 21\npartial")
    log = RunLog(store, "r", tmp_path)
    lines = log.poll()
    text = "\n".join(lines)
    assert lines[0] == "── attempt 1 ──" and text.count("── attempt 2 ──") == 1
    first, second = text.split("── attempt 2 ──")
    assert "step 1\nstep 2" in first and "started (attempt 1) pid 10" in first and "    RuntimeError: boom" in first
    assert "step 21" in second and "resumed from step 20" in second and "step 1\n" not in second
    assert "not this run" not in text and "partial" not in text  # other runs; a line without its newline yet
    assert log.poll() == [] and not log.output_done()
    with out.open("a") as f:
        f.write(" line\n")
    _log(store, "r", 4.0, "info", "finished")
    new = log.poll()
    assert new[0] == "partial line" and new[-1].endswith("finished") and "── attempt" not in "".join(new)
    assert log.output_done()
    with out.open("a") as f:
        f.write("crashed mid-li")
    assert log.poll() == [] and not log.advanced  # waits for the newline while the run goes on...
    assert log.poll(final=True) == ["crashed mid-li"] and log.output_done()  # ...and shows it once it ended
    with out.open("a") as f:
        f.write("── attempt 3 ──\nstep 41\n")  # a resume appends its marker right after the torn line
    assert log.poll() == ["── attempt 3 ──", "step 41"]
    fresh = "\n".join(RunLog(store, "r", tmp_path, events=False).poll())
    assert "\ncrashed mid-li\n── attempt 3 ──\nstep 41" in fresh
    store.close()


def test_logs_command_shows_failure_and_resume_attempts(home: Path) -> None:
    from iotatui import supervisor as sup
    from iotatui.cli import app

    ws = sup.Workspace(home)
    try:
        run_id = sup.launch(ws, "count", sets=["steps=30", "interval=0.01", "fail_at=25", "checkpoint_every=10"])
        wait_until(lambda: (ws.store.get_run(run_id) or {}).get("status") == "failed", timeout=60, what="failure")
        sup.resume(ws, run_id)
        wait_until(lambda: (r := ws.store.get_run(run_id) or {}).get("status") == "failed" and r["attempt"] == 2,
                   timeout=60, what="second attempt to end")
    finally:
        ws.close()
    r = CliRunner().invoke(app, ["logs", run_id], env={"IOTATUI_HOME": str(home)})
    assert r.exit_code == 0, r.output
    first, _, second = r.stdout.partition("── attempt 2 ──")
    assert first.startswith("── attempt 1 ──") and second, r.stdout
    assert "step 1/30" in first and "simulated failure at step 25" in first and "started (attempt 1)" in first
    assert "step 21/30" in second and "started (attempt 2)" in second and "step 1/30" not in second
    plain = CliRunner().invoke(app, ["logs", run_id, "--no-events"], env={"IOTATUI_HOME": str(home)})
    assert "started (attempt" not in plain.stdout and "step 21/30" in plain.stdout
    shown = json.loads(CliRunner().invoke(app, ["show", run_id, "--json"], env={"IOTATUI_HOME": str(home)}).stdout)
    assert shown["attempt"] == 2
