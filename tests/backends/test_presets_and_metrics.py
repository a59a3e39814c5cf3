"""Presets (every key is a real Config field; the paper's values exactly) and ``iotatui metrics`` output formats.

No torch: stage Configs import light, and the metrics come from a ``count`` run."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from iotatui.presets import PRESETS, preset
from iotatui.stages import ConfigError, build_config, config_class

TRAIN = ("sft", "dpo", "orpo", "rm")


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("stage", TRAIN)
def test_every_preset_value_is_a_valid_config_value(stage: str, name: str) -> None:
    cls = config_class(stage)
    values = preset(stage, name)
    assert set(values) <= {f.name for f in dataclasses.fields(cls)}
    cfg = build_config(cls, values, launch_checks=False)  # types and ranges as a launch checks them
    assert all(getattr(cfg, k) == v for k, v in values.items())


def test_paper_preset_is_the_papers_settings() -> None:
    assert preset("sft", "paper") == {"max_length": 4000, "batch_size": 1, "effective_batch": 8, "lr": 1e-4,
                                           "scheduler": "cosine", "warmup_steps": 5000, "lora_r": 0}
    dpo = preset("dpo", "paper")
    assert (dpo["beta"], dpo["lr"], dpo["lora_r"], dpo["effective_batch"]) == (1.0, 1e-6, 32, 64)
    assert preset("orpo", "paper")["effective_batch"] == 64 and preset("ppo", "paper")["batch_size"] == 28
    assert preset("orpo", "paper")["beta"] == 0.1 and preset("orpo", "paper")["lora_r"] == 32
    assert (preset("rm", "paper")["lr"], preset("rm", "paper")["epochs"]) == (1.4e-5, 1.0)


@pytest.mark.parametrize(("stage", "effective"), [("sft", 8), ("dpo", 64), ("orpo", 64)])
def test_the_paper_batch_is_the_same_on_one_and_two_gpus(stage: str, effective: int) -> None:
    from backends._hf import accumulation, check_effective_batch

    cfg = build_config(config_class(stage), preset(stage, "paper"), launch_checks=False)
    for world in (1, 2, 4):
        assert cfg.batch_size * world * accumulation(cfg, world) == effective
    assert accumulation(cfg, 1) == 2 * accumulation(cfg, 2)
    cfg.batch_size = 3  # 8 or 64 is no multiple of 3: refused at launch, in one line
    with pytest.raises(ValueError, match=rf"^effective_batch: {effective} is not a multiple of batch_size 3$"):
        check_effective_batch(cfg)
    cfg.batch_size = 4 if stage == "sft" else 32
    with pytest.raises(ValueError, match=rf"^effective_batch: {effective} is not a multiple of batch_size "
                                         rf"{cfg.batch_size} x 3 processes \({3 * cfg.batch_size}\)$"):
        accumulation(cfg, 3)  # what the start of a 3-GPU run says
    cfg.effective_batch = 0  # off: grad_accum as given, whatever the world size
    assert accumulation(cfg, 1) == accumulation(cfg, 2) == cfg.grad_accum


def test_unknown_preset_or_stage_is_one_line() -> None:
    with pytest.raises(ConfigError, match=r"unknown preset .*known: paper, learn, smoke"):
        preset("sft", "nope")
    with pytest.raises(ConfigError, match=r"no preset for stage 'count'"):
        preset("count", "paper")
    preset("sft", "smoke")["max_steps"] = 0  # a copy: callers cannot corrupt the table
    assert preset("sft", "smoke")["max_steps"] == 30


@pytest.mark.slow
def test_metrics_command_json_csv_and_keys(tmp_path: Path) -> None:
    from iotatui import supervisor as sup
    from iotatui.commands.metrics import register
    from tests.conftest import Runs

    home = tmp_path / "ws"
    runs = Runs(home)
    try:
        run_id = sup.launch(runs.ws, "count", sets=["steps=5", "interval=0", "metrics_per_step=2"])
        runs.wait(run_id, "finished", timeout=60)
    finally:
        runs.close()
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = {"home": home}

    register(app)
    cli = CliRunner()
    out = cli.invoke(app, ["metrics", run_id[-4:], "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert set(data) == {"train/loss", "train/learning_rate"}
    assert [s for s, _ in data["train/loss"]] == [1, 2, 3, 4, 5]
    out = cli.invoke(app, ["metrics", run_id, "--csv", "--key", "train/loss"])
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["step", "key", "value"] and len(rows) == 6
    assert [float(r[2]) for r in rows[1:]] == [v for _, v in data["train/loss"]]
    bad = cli.invoke(app, ["metrics", run_id, "--key", "nope"])
    assert bad.exit_code == 2 and "no metric 'nope'" in bad.output and "train/loss" in bad.output
