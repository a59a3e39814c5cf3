"""The lean sampler (``backends._lean``, issue 20) on the real tiny model: the same greedy tokens as HF ``generate``
(plain and a live PEFT policy), one prefill per prompt, EOS stops and finish reasons, seeds, and ``engine=auto``'s
cached measurement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.torch, pytest.mark.slow]

PROMPTS = ["def solve(n):\n    return", "Read two integers and print their sum.\n" * 3, "x"]


def _model(path: Path) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    return AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval(), tok


def _hf_greedy(model: Any, tok: Any, ids: list[int], new: int, eos: int | None = None) -> list[int]:
    import torch

    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), do_sample=False, max_new_tokens=new, pad_token_id=tok.pad_token_id,
                             eos_token_id=eos)
    return list(out[0, len(ids):].tolist())


def test_greedy_equals_hf_generate_and_one_prefill_per_prompt(tiny_model: Path) -> None:
    from backends._lean import LeanSampler

    model, tok = _model(tiny_model)
    ids = [tok(p)["input_ids"] for p in PROMPTS]
    s = LeanSampler(model, None, tok.pad_token_id, max_rows=4)
    out = s.sample(ids, 3, 0.0, 1.0, 24)  # 3 prompts of different lengths: left-padded, in batches of 4 rows
    for p, comps in zip(ids, out, strict=True):
        want = _hf_greedy(model, tok, p, 24)
        assert [c for c, _ in comps] == [want] * 3 and {f for _, f in comps} == {"length"}
    assert s.prefill_rows == len(ids)  # each prompt prefilled once, whatever its n
    wide_s = LeanSampler(model, None, tok.pad_token_id)
    for shared in (True, False):  # 8+ samples of a prompt: its rows share one copy of its K/V (or each has its own)
        wide_s.shared = shared
        wide = wide_s.sample(ids[1:2], 9, 0.0, 1.0, 24)[0]
        assert [c for c, _ in wide] == [_hf_greedy(model, tok, ids[1], 24)] * 9
        assert wide_s.shared_batches == 1
    s2 = LeanSampler(model, None, tok.pad_token_id, max_rows=4)
    many = s2.sample(ids[:1], 10, 0.8, 0.95, 8)  # n > max_rows: three decode batches, still one prefill
    assert len(many[0]) == 10 and s2.prefill_calls == 1 and s2.prefill_rows == 1 and s2.tokens == 80


def test_eos_stops_rows_and_finish_says_why(tiny_model: Path) -> None:
    import torch

    from backends._lean import LeanSampler

    model, tok = _model(tiny_model)
    ids = tok(PROMPTS[1])["input_ids"]
    free = _hf_greedy(model, tok, ids, 20)
    k = 5
    eos = free[k]
    stop_at = free.index(eos)  # the first time greedy decoding emits that token
    got = LeanSampler(model, eos, tok.pad_token_id).sample([ids], 2, 0.0, 1.0, 20)[0]
    assert got == [(free[:stop_at + 1], "stop")] * 2  # the EOS is kept as the last token, as vLLM and HF do
    # Sampled rows: each stops at its first EOS ("stop") or runs to the limit without one ("length"); finished rows
    # are dropped from the batch as they go (an eighth at a time), which must not change the survivors' lengths.
    free_rows = LeanSampler(model, None, tok.pad_token_id).sample([ids], 32, 1.5, 1.0, 16,
                                                                   torch.Generator().manual_seed(0))[0]
    common = max({t for r, _ in free_rows for t in r}, key=lambda t: sum(t in r for r, _ in free_rows))
    rows = LeanSampler(model, common, tok.pad_token_id).sample([ids], 32, 1.5, 1.0, 16,
                                                               torch.Generator().manual_seed(0))[0]
    assert {f for _, f in rows} == {"stop", "length"}
    for r, f in rows:
        assert common not in r[:-1]
        assert (f == "stop") == (r[-1] == common) and (f == "length") == (len(r) == 16 and common not in r)


def test_live_lora_policy_greedy_equals_its_generate(tiny_model: Path) -> None:
    """PPO's lean rollouts sample the policy as it is now: a PEFT model with nonzero adapter weights, left-padded
    prompts of different lengths, token for token what its own ``generate`` gives (fp32)."""
    import torch
    from peft import get_peft_model

    from backends import _hf, _ppo
    from backends.ppo import LeanRollouts

    model, tok = _model(tiny_model)
    torch.manual_seed(0)
    lm = get_peft_model(model, _hf.lora_config(8))
    with torch.no_grad():
        for name, p in lm.named_parameters():
            if "lora_B" in name:
                p.normal_(0.0, 0.05)
    lm.eval()
    tok.padding_side = "left"
    enc = tok(PROMPTS, return_tensors="pt", padding=True)
    hp = _ppo.Hparams(temperature=0.0, top_p=1.0, max_new_tokens=16)  # 0: greedy, through the rollout path
    with torch.no_grad():
        want = lm.generate(**enc, do_sample=False, max_new_tokens=16, eos_token_id=tok.eos_token_id,
                           pad_token_id=tok.pad_token_id)
        sampler = LeanRollouts(lm, tok, 0)
        sampler.engine.sampler.max_rows = 2  # two prefill batches: padding handled per batch
        got = sampler(enc["input_ids"], enc["attention_mask"], hp, tok.eos_token_id, tok.pad_token_id)
    assert got.shape[1] <= want.shape[1]
    assert got.tolist() == want[:, :got.shape[1]].tolist()
    assert (want[:, got.shape[1]:] == tok.pad_token_id).all()


def test_engine_seeds_reproduce_and_differ(tiny_model: Path) -> None:
    from backends._generate import LeanEngine, Sampling

    eng = LeanEngine(str(tiny_model))
    sampling = Sampling(n=4, temperature=0.8, top_p=0.95, max_new_tokens=12)
    a = eng.generate(PROMPTS[:2], sampling, [1, 2])
    b = eng.generate(PROMPTS[:2], sampling, [1, 2])
    c = eng.generate(PROMPTS[:2], sampling, [3, 4])
    assert a == b and a != c
    assert [len(x) for x in a] == [4, 4] and all(0 < x.tokens <= 12 for o in a for x in o)
    assert eng.tokens == sum(x.tokens for out in (a, b, c) for o in out for x in o) and eng.gen_s > 0


def test_auto_measures_once_caches_per_machine_and_shape(tiny_model: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from backends._generate import make_engine
    from backends._lean import cache_path

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    logs: list[str] = []
    engine, reason = make_engine("auto", str(tiny_model), log=lambda t, lvl="info": logs.append(t))
    assert cache_path() == tmp_path / ".cache" / "iotatui" / "engines.json" and cache_path().exists()
    data = json.loads(cache_path().read_text())
    entry = next(v for k, v in data.items() if k.startswith("engine|"))
    assert engine.name == entry["engine"] in ("lean", "hf") and reason == ""
    assert set(entry["tokens_per_s"]) == {"lean", "hf"} and all(v > 0 for v in entry["tokens_per_s"].values())
    line = next(t for t in logs if t.startswith("engine auto:"))
    assert "measured now" in line and "lean" in line and "hf" in line and "vllm not calibrated" in line
    assert any(k.startswith("dtype|") for k in data)  # the sampling dtype, measured per machine too
    engine.close()
    logs.clear()
    again, _ = make_engine("auto", str(tiny_model), log=lambda t, lvl="info": logs.append(t))
    assert again.name == engine.name and json.loads(cache_path().read_text()) == data  # reused, not re-measured
    assert any(t.startswith("engine auto:") and "cached" in t for t in logs)


def test_bad_engine_value_is_one_clear_error(tiny_model: Path) -> None:
    from backends._generate import make_engine

    with pytest.raises(ValueError, match=r"^engine: unknown value 'tgi' \(expected auto, lean, hf, vllm\)$"):
        make_engine("tgi", str(tiny_model))
