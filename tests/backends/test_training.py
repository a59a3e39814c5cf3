"""The training stages end to end through the supervisor, on the tiny model and CPU: real TRL trainers.

One SFT run is the session's spine (launched, stopped by SIGTERM, resumed, finished); the DPO test starts from it
with ``--parent`` and checks on tensors that its weights are the starting point. Runs are short (a few steps, 256
tokens) because each is a fresh process importing torch + trl.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import typer  # module level: typer resolves the callback's annotations against these globals

from iotatui import supervisor as sup
from tests.backends.conftest import TOY_LONG, series
from tests.conftest import Runs

pytestmark = [pytest.mark.slow, pytest.mark.torch]

SHORT = ["max_length=640", "batch_size=2", "grad_accum=1", "warmup_steps=0", "logging_steps=1"]
LR = 2e-3
SFT_STEPS = 10


@pytest.fixture(scope="session")
def sft_run(train_runs: Runs, tiny_model: Path, sft_data: Path) -> dict[str, Any]:
    """An SFT run stopped (SIGTERM) after its first checkpoint, resumed, and finished; returns what the test checks."""
    ws = train_runs.ws
    run_id = sup.launch(ws, "sft", sets=[*SHORT, f"model={tiny_model}", f"dataset={sft_data}", f"lr={LR}",
                                         "scheduler=linear", f"max_steps={SFT_STEPS}", "save_steps=3"])
    train_runs.wait(run_id, lambda r: r["checkpoints"] and (r["last_step"] or 0) >= 4, timeout=300,
                    what="a checkpoint and step 4")
    sup.stop(ws, run_id, grace_s=120, wait=True)
    stopped = train_runs.wait(run_id, ("stopped", "failed", "finished"), timeout=150)
    ckpt = stopped["checkpoints"][-1]["path"] if stopped["checkpoints"] else ""
    saved = Path(ckpt, "trainer_state.json").exists()  # before the resumed run's rotation deletes it
    resumed = sup.resume(ws, run_id)
    done = train_runs.wait(run_id, ("finished", "failed", "crashed"), timeout=300)
    return {"id": run_id, "stopped": stopped, "saved": saved, "resumed": resumed, "done": done}


def test_sft_finishes_loss_falls_and_resume_continues_the_step_axis(sft_run: dict[str, Any], train_runs: Runs) -> None:
    stopped, done = sft_run["stopped"], sft_run["done"]
    assert stopped["status"] == "stopped", stopped["error"]
    stop_ckpt = stopped["checkpoints"][-1]
    assert stop_ckpt["step"] >= 4 and stop_ckpt["step"] == stopped["last_step"] and sft_run["saved"]  # saved at the stop
    assert sft_run["resumed"]["resume_from"] == stop_ckpt["path"]
    assert done["status"] == "finished", done["error"]
    assert done["last_step"] == SFT_STEPS
    loss = series(train_runs, sft_run["id"], "train/loss")
    assert [s for s, _ in loss] == list(range(1, SFT_STEPS + 1))  # every step once: the axis continues, no overlap
    assert loss[-1][1] < loss[0][1] - 0.2, loss
    k = stop_ckpt["step"]
    assert loss[k][1] < loss[0][1], "the resumed run restarted from fresh weights"  # step k+1 (0-based k)
    # The scheduler's state came back too: linear decay from LR, without a restart at the resume.
    lrs = series(train_runs, sft_run["id"], "train/learning_rate")
    for s, v in lrs:
        assert math.isclose(v, LR * (1 - (s - 1) / SFT_STEPS), rel_tol=1e-4), (s, v)
    art = next(a for a in done["artifacts"] if a["name"] == "model")
    assert (Path(art["path"]) / "config.json").exists() and art["meta"]["adapter"] is False
    assert done["summary"]["final_loss"] < done["summary"]["first_loss"]


def test_dpo_starts_from_the_parent_with_the_adapter_off_reference(
        sft_run: dict[str, Any], train_runs: Runs, tiny_model: Path, pairs_data: Path, tmp_path: Path) -> None:
    import torch
    from peft import AutoPeftModelForCausalLM
    from transformers import AutoModelForCausalLM

    parent = sft_run["id"]
    run_id = sup.launch(train_runs.ws, "dpo", sets=[*SHORT, f"dataset={pairs_data}", "lr=1e-3", "max_steps=4",
                                                    "save_steps=2", "lora_r=8", "beta=0.5"], parent=parent)
    run = train_runs.wait(run_id, ("finished", "failed", "crashed"), timeout=300)
    assert run["status"] == "finished", run["error"]
    assert run["summary"]["reference"] == "adapter-off"
    assert [c["step"] for c in run["checkpoints"]] == [2, 4]
    keys = set(run["latest"])
    assert {"rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies"} <= keys
    art = next(a for a in run["artifacts"] if a["name"] == "model")
    parent_model = next(a for a in sft_run["done"]["artifacts"] if a["name"] == "model")["path"]
    assert art["meta"]["parent"] == parent and art["meta"]["base_model"] == parent_model
    assert json.loads((Path(art["path"]) / "adapter_config.json").read_text())["base_model_name_or_path"] == parent_model
    # On tensors: the frozen base under the adapter is the parent's (SFT-trained) weights, not the tiny init.
    child = AutoPeftModelForCausalLM.from_pretrained(art["path"])
    par = AutoModelForCausalLM.from_pretrained(parent_model)
    init = AutoModelForCausalLM.from_pretrained(tiny_model)
    q_child = child.base_model.model.model.layers[0].self_attn.q_proj.base_layer.weight
    q_par = par.model.layers[0].self_attn.q_proj.weight
    assert torch.equal(q_child, q_par)
    assert not torch.equal(q_par, init.model.layers[0].self_attn.q_proj.weight)
    assert torch.equal(child.base_model.model.model.embed_tokens.weight, par.model.embed_tokens.weight)
    # `iotatui model merge`: a plain model whose weights are base + the adapter's delta.
    merged_dir = tmp_path / "merged"
    out = _merge_cli(train_runs.home, run_id, merged_dir)
    assert out.exit_code == 0, out.output
    merged = AutoModelForCausalLM.from_pretrained(merged_dir)
    expect = child.merge_and_unload().model.layers[0].self_attn.q_proj.weight
    got = merged.model.layers[0].self_attn.q_proj.weight
    assert torch.allclose(got, expect, atol=1e-6) and not torch.allclose(got, q_par, atol=1e-6)
    again = _merge_cli(train_runs.home, sft_run["id"], tmp_path / "m2")  # a full model has nothing to merge
    assert again.exit_code == 2 and "not a LoRA adapter" in again.output


def _merge_cli(home: Path, run_id: str, out: Path) -> Any:
    from typer.testing import CliRunner

    from iotatui.commands.merge import register

    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = {"home": home}

    register(app)
    return CliRunner().invoke(app, ["merge", run_id, str(out)])


def test_orpo_builds_its_model_and_data_and_loss_falls(train_runs: Runs) -> None:
    # model=tiny: the workspace's tiny model, built on first use; no dataset: pairs built from the bundled problems.
    run_id = sup.launch(train_runs.ws, "orpo", sets=[*SHORT, "model=tiny", "lr=2e-3", "max_steps=8",
                                                     "save_steps=4", "lora_r=8"])
    run = train_runs.wait(run_id, ("finished", "failed", "crashed"), timeout=400)
    assert run["status"] == "finished", run["error"]
    names = {a["name"] for a in run["artifacts"]}
    assert {"dataset", "model"} <= names  # the on-the-fly pairs are recorded as an input of this run
    assert (train_runs.home / "models" / "tiny" / "config.json").exists()
    loss = [v for _, v in series(train_runs, run_id, "train/loss")]
    assert len(loss) == 8 and min(loss[-3:]) < loss[0], loss
    assert "log_odds_ratio" in " ".join(run["latest"])


def test_rm_two_phases_counts_dropped_pairs_and_ranks_held_out_pairs(
        train_runs: Runs, tiny_model: Path, toy_pairs: Path) -> None:
    from backends._hf import load_dataset_dir
    from backends.rm import split_pairs

    max_length = 128
    run_id = sup.launch(train_runs.ws, "rm", sets=[
        f"model={tiny_model}", f"dataset={toy_pairs}", f"max_length={max_length}", "batch_size=4", "grad_accum=1",
        "lr=1e-3", "max_steps=16", "adapt_steps=3", "adapt_lr=1e-3", "logging_steps=1", "save_steps=8",
        "eval_fraction=0.25", "seed=1"])
    run = train_runs.wait(run_id, ("finished", "failed", "crashed"), timeout=400)
    assert run["status"] == "finished", run["error"]
    s = run["summary"]
    train, held, split = split_pairs(load_dataset_dir(str(toy_pairs)), 0.25, 1)
    long_in_train = sum(r["chosen"].count("\n") > 100 for r in train)
    assert s["pairs_dropped_too_long"] == long_in_train and long_in_train <= TOY_LONG
    assert s["heldout_pairs"] == len(held) > 0 and s["heldout_problems"] == split["heldout_problems"] > 0
    assert s["heldout_by"] == "prompt"  # the toy pairs have no problem column: one prompt, one problem
    # Held-out over-long pairs are left out of the accuracy, as training leaves them out.
    assert s["heldout_pairs_too_long"] == sum(r["chosen"].count("\n") > 100 for r in held)
    assert s["heldout_pair_accuracy"] > 0.5 and s["heldout_pair_accuracy"] >= s["heldout_pair_accuracy_before"], s
    adapt = series(train_runs, run_id, "adapt/loss")
    bt = series(train_runs, run_id, "train/loss")
    assert [x for x, _ in adapt] == [1, 2, 3] and bt[0][0] == 4 and bt[-1][0] == 3 + 16  # one step axis
    art = next(a for a in run["artifacts"] if a["name"] == "model")
    cfg = json.loads((Path(art["path"]) / "config.json").read_text())
    assert cfg["architectures"] == ["LlamaForSequenceClassification"] and len(cfg["id2label"]) == 1  # one score


def test_a_parent_of_the_wrong_kind_fails_in_one_line(train_runs: Runs) -> None:
    count = sup.launch(train_runs.ws, "count", sets=["steps=2", "interval=0"])
    train_runs.wait(count, "finished", timeout=60)
    run_id = sup.launch(train_runs.ws, "dpo", sets=["max_steps=1"], parent=count)
    run = train_runs.wait(run_id, ("finished", "failed", "crashed"), timeout=120)
    assert run["status"] == "failed"
    assert "a count run has no model" in run["error"] and "\n" not in run["error"]
