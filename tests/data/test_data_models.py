"""Offline models: the tiny Llama (transformers + vLLM), the DeepSeek-Coder-1.3B shape, the resolver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from iotatui.data.models import DEEPSEEK_CODER_1_3B_PARAMS, count_params, make_tiny, resolve_model, shape_config
from iotatui.data.problems import DataError

pytestmark = pytest.mark.torch


def test_tiny_model_loads_and_generates(tiny_model: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    cfg = json.loads((tiny_model / "config.json").read_text())
    assert (cfg["num_hidden_layers"], cfg["hidden_size"], cfg["num_attention_heads"], cfg["head_dim"]) == (2, 128, 2, 64)
    assert cfg["intermediate_size"] == 256 and cfg["max_position_embeddings"] >= 2048
    tok = AutoTokenizer.from_pretrained(tiny_model)
    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    assert tok.pad_token_id is not None and tok.pad_token_id != tok.eos_token_id
    assert cfg["vocab_size"] == len(tok) and cfg["pad_token_id"] == tok.pad_token_id
    # Byte-level: any text round-trips, including bytes the corpus never had.
    text = "print('héllo', 1e9)\n\t€ 🙂"
    assert tok.decode(tok(text)["input_ids"], skip_special_tokens=True) == text
    ids = tok("n = int(input())\n", return_tensors="pt")
    assert ids["input_ids"][0, 0].item() == tok.bos_token_id
    out = model.generate(**ids, max_new_tokens=8, do_sample=False, pad_token_id=tok.pad_token_id)
    assert out.shape[1] > ids["input_ids"].shape[1]
    with torch.no_grad():
        loss = model(**ids, labels=ids["input_ids"]).loss
    assert torch.isfinite(loss)


def test_tiny_is_deterministic_and_atomic(tmp_path: Path) -> None:
    corpus = ["def f(x):\n    return x + 1\n"] * 20
    a = make_tiny(tmp_path / "a", corpus=corpus, vocab_size=300)
    b = make_tiny(tmp_path / "b", corpus=corpus, vocab_size=300)
    assert (a / "model.safetensors").read_bytes() == (b / "model.safetensors").read_bytes()
    with pytest.raises(DataError, match="already exists"):
        make_tiny(a, corpus=corpus)
    with pytest.raises(DataError, match="dtype: unknown value"):
        make_tiny(tmp_path / "c", corpus=corpus, dtype="int8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_deepseek_shape_config_and_param_count() -> None:
    cfg = shape_config("deepseek-coder-1.3b")
    assert (cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads, cfg.num_key_value_heads) == \
        (2048, 24, 16, 16)
    assert (cfg.intermediate_size, cfg.vocab_size, cfg.max_position_embeddings) == (5504, 32256, 16384)
    assert cfg.rope_parameters["rope_type"] == "linear" and cfg.rope_parameters["factor"] == 4.0
    assert cfg.rope_parameters["rope_theta"] == 100000 and cfg.rms_norm_eps == 1e-6
    assert cfg.tie_word_embeddings is False
    assert count_params("deepseek-coder-1.3b") == DEEPSEEK_CODER_1_3B_PARAMS == 1_346_471_936
    with pytest.raises(DataError, match="shape: unknown value"):
        shape_config("gpt-5")


def test_resolve_model(tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_model(str(tiny_model)) == str(tiny_model)
    with pytest.raises(DataError, match="no such directory"):
        resolve_model(str(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no config.json"):
        resolve_model(str(tmp_path / "empty"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(DataError, match="deepseek-ai/deepseek-coder-1.3b-base: not a local directory"):
        resolve_model("deepseek-ai/deepseek-coder-1.3b-base")


VLLM_SCRIPT = textwrap.dedent("""
    import json, sys
    from vllm import LLM, SamplingParams

    if __name__ == "__main__":
        llm = LLM(model=sys.argv[1], dtype="float32", max_model_len=512, enforce_eager=True, seed=0)
        outs = llm.generate(["def main():", "n = int(input())"], SamplingParams(max_tokens=16, temperature=1.0, n=2))
        print("RESULT " + json.dumps([[len(c.token_ids) for c in o.outputs] for o in outs]))
""")


@pytest.mark.slow
def test_tiny_model_loads_in_vllm(tiny_model: Path, tmp_path: Path) -> None:
    script = tmp_path / "gen.py"
    script.write_text(VLLM_SCRIPT)
    env = {**os.environ, "VLLM_CPU_KVCACHE_SPACE": "1", "HF_HUB_OFFLINE": "1", "VLLM_LOGGING_LEVEL": "WARNING"}
    p = subprocess.run([sys.executable, str(script), str(tiny_model)], capture_output=True, text=True, env=env,
                       timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    line = next(x for x in p.stdout.splitlines() if x.startswith("RESULT "))
    counts = json.loads(line[len("RESULT "):])
    assert len(counts) == 2 and all(len(c) == 2 and all(1 <= n <= 16 for n in c) for c in counts)


def test_make_shape_writes_bf16_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real 1.3B writes 2.7 GB: exercise the same writer on a scaled-down copy of its config."""
    from transformers import AutoModelForCausalLM

    from iotatui.data import models

    small = {**models.DEEPSEEK_CODER_1_3B, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
             "num_attention_heads": 2, "num_key_value_heads": 2, "vocab_size": 256}
    monkeypatch.setitem(models.SHAPES, "mini", small)
    out = models.make_shape("mini", tmp_path / "mini")
    model = AutoModelForCausalLM.from_pretrained(out, dtype="auto")
    assert str(model.dtype) == "torch.bfloat16" and model.config.rope_parameters["factor"] == 4.0
    assert sum(p.numel() for p in model.parameters()) == models.count_params("mini")
