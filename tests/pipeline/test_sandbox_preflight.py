"""Before a pipeline queues anything that judges, its sandbox must be there (iotatui/sandboxcheck.py,
judge/preflight.py): with no Docker daemon, ``iotatui pipeline`` and the demo say so on one line, exit 2 and write
no run; which nodes judge, and ``--sandbox`` written into exactly those."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from iotatui import pipeline
from iotatui.pipeline import judging
from iotatui.sandboxcheck import judges
from judge.preflight import bwrap_problem
from tests.conftest import ROOT


def _fake_model(path: Path) -> Path:
    """Passes the launch-time model check (config.json); nothing loads it, so no torch."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.json").write_text("{}")
    return path


def _no_daemon(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DOCKER_HOST": f"unix://{tmp_path / 'no-daemon.sock'}"}


def _one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_no_daemon_pipeline_is_one_line_exit_2_and_no_runs(cli: Any, tmp_path: Path) -> None:
    base = _fake_model(tmp_path / "base")
    env = _no_daemon(tmp_path)
    p = subprocess.run([sys.executable, "-m", "iotatui", "--home", str(cli.home), "pipeline", "--preset", "paper",
                        "--model", str(base), "--problems", "bundled"], capture_output=True, text=True, env=env,
                       cwd=ROOT, timeout=120)
    assert p.returncode == 2, (p.stdout, p.stderr)
    line = _one_error_line(p.stderr)
    assert line.startswith("error: no judge sandbox: no Docker daemon answers") and ".ci/setup-machine" in line
    # When bubblewrap runs here the line says so, and how to choose it; when it does not, it does not offer it.
    assert ("--sandbox bwrap" in line) == (bwrap_problem() is None), line
    assert p.stdout == ""
    assert cli.runs.ws.store.list_runs() == []


def test_no_daemon_demo_is_one_line_exit_2_and_no_runs(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    _fake_model(home / "models" / "learn")  # the demo's learn model exists: nothing is built, no torch loads
    env = {**_no_daemon(tmp_path), "IOTATUI_DEMO_HOME": str(home)}
    p = subprocess.run([sys.executable, "-m", "iotatui.demo", "--headless"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert _one_error_line(p.stderr).startswith("error: no judge sandbox: no Docker daemon answers")
    assert "queued" not in p.stdout
    from iotatui.workspace import Workspace

    ws = Workspace(home)
    try:
        assert ws.store.list_runs() == []
    finally:
        ws.close()


def test_judging_nodes_and_the_sandbox_choice(ws: Any, tmp_path: Path) -> None:
    """eval and judge-reward RL nodes judge; data, training, and RL on an RM or callable reward do not. With
    ``sandbox``, exactly the judging nodes' configs say it (start=False: rows written, nothing started or built)."""
    assert judges({"sandbox": "docker"}) and judges({"sandbox": "docker", "reward": "mix"})
    assert not judges({"sandbox": "docker", "reward": "rm"}) and not judges({"lr": 1e-3})
    assert not judges({"sandbox": "docker", "reward": "callable:backends._rewards:format_reward"})

    smoke = judging(pipeline.plan("smoke"), "smoke")
    expected = {n.name for n in pipeline.plan("smoke").nodes if n.stage == "eval" or n.name == "grpo"}
    assert set(smoke) == expected and set(smoke.values()) == {"docker"}  # smoke ppo: a format reward, no judge

    base = str(_fake_model(tmp_path / "base"))
    graph = pipeline.queue(ws, "paper", model=base, problems="bundled", start=False, sandbox="bwrap")
    rows = {n.name: ws.store.get_run(n.run_id) for n in graph.nodes}
    chosen = {name for name, r in rows.items() if r["config"].get("sandbox") == "bwrap"}
    assert chosen == {n.name for n in graph.nodes if n.stage == "eval" or n.name == "grpo"}, chosen
    if "ppo" in rows:  # the paper's PPO rewards with the RM: it keeps the default, it judges nothing
        assert rows["ppo"]["config"]["sandbox"] == "docker"
