"""Folding repeated library noise (iotatui/lognoise.py) and ``iotatui logs`` with and without ``--raw``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from iotatui.lognoise import Folder, event_lines, fold, shape
from iotatui.store import Store

VLLM = ("INFO 12-07 14:02:{s:02d} [loader.py:123] Attempted to load weight (torch.Size([64, 32])) into parameter "
        "(torch.Size([{n}])) model.layers.{i}.mlp.weight dtype torch.float32")


def noise(n: int) -> list[str]:
    return [VLLM.format(s=i % 60, n=32 + i, i=i) for i in range(n)]


def test_alike_lines_fold_to_the_first_and_a_count() -> None:
    lines = ["3 problems x 1 language(s) x 4 samples = 12", *noise(40), "sampling with vllm on cpu",
             *(f"Processed prompts:  {10 * k}%|{'#' * k:<10}| {k}/10 [00:0{k}<00:0{9 - k}]" for k in range(1, 6)),
             "done"]
    out = fold(lines)
    assert out == [lines[0], lines[1], "  ⋯ 39 more lines like the one above (--raw shows them)",
                   "sampling with vllm on cpu", lines[42], "  ⋯ 4 more lines like the one above (--raw shows them)",
                   "done"]
    assert shape(lines[1]) == shape(lines[2]) and shape(lines[0]) != shape(lines[1])
    # a pair is not noise; unlike lines are never touched
    assert fold(["a 1", "a 2", "b"]) == ["a 1", "a 2", "b"]
    assert fold(["x", "y", "z"]) == ["x", "y", "z"]


def test_the_stages_own_event_lines_are_never_folded_and_streaming_holds_a_run() -> None:
    events = [f"[12:00:0{i} info] judged {i} samples" for i in range(5)]
    assert fold(events) == events
    f = Folder()
    assert f.feed(noise(2)) == noise(2)[:1]  # the second is held: more may come
    assert f.feed(noise(3)[2:]) == []
    assert f.flush() == ["  ⋯ 2 more lines like the one above (--raw shows them)"] and f.folded == 2
    assert event_lines("out\n[12:00:01 info] sampling with vllm on cpu\n    detail\n") == \
        ["12:00:01 sampling with vllm on cpu"]


def test_logs_folds_unless_raw(tmp_path: Path) -> None:
    from iotatui.cli import app

    home = tmp_path / "ws"
    run_dir = home / "runs" / "eval-x"
    run_dir.mkdir(parents=True)
    store = Store(home / "iotatui.db")
    store.insert_run({"id": "eval-x", "stage": "eval", "status": "finished", "run_dir": str(run_dir),
                      "config": json.dumps({}), "attempt": 1})
    store.close()
    (run_dir / "stdout.log").write_text("── attempt 1 ──\nloading\n" + "\n".join(noise(30)) + "\nsampling\n")
    env = {"IOTATUI_HOME": str(home)}
    folded = CliRunner().invoke(app, ["logs", "eval-x"], env=env)
    assert folded.exit_code == 0, folded.output
    assert folded.stdout.splitlines() == ["── attempt 1 ──", "loading", noise(1)[0],
                                          "  ⋯ 29 more lines like the one above (--raw shows them)", "sampling"]
    raw = CliRunner().invoke(app, ["logs", "eval-x", "--raw"], env=env)
    assert raw.stdout.count("Attempted to load weight") == 30
