"""The CLI fits 80 columns by default (``--wide`` and ``--json`` for the rest): ``runs`` and ``show``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from iotatui.store import Store


def _workspace(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    (home / "runs").mkdir(parents=True)
    store = Store(home / "iotatui.db")
    now = time.time()

    def add(rid: str, stage: str, status: str, **kw: Any) -> None:
        for k in ("config", "last_metrics", "summary", "inputs"):
            if k in kw:
                kw[k] = json.dumps(kw[k])
        store.insert_run({"id": rid, "stage": stage, "status": status, "run_dir": str(home / "runs" / rid),
                          "created": now - 600, "started": now - 590, "attempt": 1, **kw})

    add("data_pairs-1207-141440-f465", "data_pairs", "finished", finished=now - 500, summary={"rows": 168})
    add("sft-1207-141440-aaaa", "sft", "finished", finished=now - 400, config={"model": "tiny", "lr": 1e-3},
        last_metrics={"train/loss": 0.41234, "train/grad_norm": 1.5})
    add("ppo-1207-142430-9242", "ppo", "running", parent="sft-1207-141440-aaaa", progress_done=12, host="gpu-box-2",
        inputs={"reward_model": {"ref": "run:rm-x", "run": "rm-x", "artifact": None}},
        progress_total=40, config={"model": "tiny", "reward_model": "run:rm-x", "problems": "bundled"},
        last_metrics={"reward/mean": 0.31234, "ppo/kl": 0.04123, "perf/tokens_per_s": 1234.5})
    with store.write() as c:
        c.execute("INSERT INTO artifacts (run, name, path, kind, meta, t) VALUES (?, 'model', ?, 'model', '{}', 0)",
                  ("sft-1207-141440-aaaa", str(home / "runs" / "sft-1207-141440-aaaa" / "model")))
    store.close()
    return home


def _cli(home: Path, *args: str) -> str:
    from iotatui.cli import app

    r = CliRunner().invoke(app, list(args), env={"IOTATUI_HOME": str(home)})
    assert r.exit_code == 0, r.output
    return r.stdout


def test_runs_fits_80_columns_unless_wide(tmp_path: Path) -> None:
    home = _workspace(tmp_path)
    out = _cli(home, "runs").splitlines()
    assert max(len(line) for line in out) <= 80
    assert out[0].split() == ["id", "stage", "status", "metric", "progress"]
    ppo = next(line for line in out if line.startswith("ppo-1207-142430-9242"))  # ids whole
    assert "running" in ppo and "rwd 0.312 kl 0.0412" in ppo and "30%" in ppo
    wide = _cli(home, "runs", "--wide").splitlines()
    assert wide[0].split() == ["id", "stage", "status", "parent", "started", "step", "latest"]
    assert "sft-1207-141440-aaaa" in next(line for line in wide if line.startswith("ppo-"))  # its parent


def test_show_fits_80_columns_and_says_what_the_run_really_uses(tmp_path: Path) -> None:
    home = _workspace(tmp_path)
    out = _cli(home, "show", "9242")
    lines = out.splitlines()
    assert all(len(line) <= 80 or " " not in line.strip() for line in lines), max(lines, key=len)
    assert "inputs (what the run really uses):" in out
    assert "  model ← parent sft-1207-141440-aaaa" in out and "(config model=tiny is not used)" in out
    assert "  reward_model ← run:rm-x" in out
    assert "  reward/mean = 0.3123" in out  # latest metrics one a line, not one long JSON
    assert not any(line.lstrip().startswith("{") for line in lines)
    wide = _cli(home, "show", "9242", "--wide")
    assert '"reward/mean": 0.31234' in wide  # --wide: the old one-line JSON values
    shown = json.loads(_cli(home, "show", "9242", "--json"))
    assert shown["resolved"][0] == {"key": "model", "value": str(home / "runs" / "sft-1207-141440-aaaa" / "model"),
                                    "source": "parent sft-1207-141440-aaaa", "unused": "tiny"}
