"""PPO on contest problems (our own loop, ``backends/_ppo.py``; TRL no longer ships a PPO trainer)::

    iotatui launch ppo --preset smoke
    iotatui launch ppo --parent <sft run> --set reward_model=<rm run> --preset paper

The policy is the parent's model + LoRA (``lora_r``) with a value head; the reference is the same model with the
adapter disabled. Each update samples one response per problem prompt (``batch_size`` prompts, rendered like the
SFT data), scores them with ``reward`` (``backends/_rewards.py``: rm, judge, mix, or callable:module:function) and
runs ``ppo_epochs`` passes of clipped PPO over minibatches. ``epochs`` passes over the problem set make the run
(``max_updates`` caps it). Metrics per update (the step axis): ``reward/*``, ``ppo/*``, ``perf/*``.

Checkpoints (``<run dir>/checkpoints/checkpoint-<update>``: adapter, value head, optimizer, scheduler, state) every
``save_every`` updates and at a stop; ``resume`` continues from one on the same step axis. The final model is the
adapter at ``<run dir>/model`` (artifact ``model``, ``adapter: true``; ``value_head.pt`` beside it).
Single process: under several ranks only rank 0 would be correct, so it refuses to run distributed.

Rollouts (``rollout_engine``): ``hf`` samples with the policy's own ``generate``; ``lean`` with the lean decode loop
(``backends._lean`` through :class:`LeanRollouts`) on the live PEFT policy, so it samples the current LoRA weights
with no copy and no merge (a test checks its greedy output equals ``generate``'s token for token); ``auto`` (the
default) the faster of those two, measured on this machine and model shape once (``choose_rollout_engine``, cached in
``~/.cache/iotatui/engines.json``; on GPU: ``hf``, not measured there); ``vllm`` starts one vLLM engine per
run (the base model, LoRA enabled; its processes nice'd as in ``backends._pipeline``) and before each update saves
the current adapter (small) under ``<run dir>/rollout_adapter/`` and serves it with a new ``LoRARequest`` id
(:class:`VLLMSampler`). Log-probs, reference log-probs and values always come from the HF policy's forward pass,
never from vLLM or the lean loop. vLLM is never ``auto``'s pick: on CPU HF rolled out 1.6-2.2x faster than vLLM-CPU
serving the adapter (``iotatui bench rl``, numbers in ``iotatui/bench/rollout_bench.py``); not measured on a GPU,
where vLLM should win.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backends._failures import save_guard
from backends._health import HealthConfig
from backends._hf import check_model_value

if TYPE_CHECKING:
    from backends._runtime import RunContext


@dataclass
class Config(HealthConfig):
    model: str = field(default="", metadata={
        "path": "if-exists", "help": "Model dir, hub id, or 'tiny' (built into the workspace); '' with --parent."})
    problems: str = field(default="bundled", metadata={
        "path": "if-exists", "help": "Problem set (bundled, a file, a dir, a hub name)."})
    split: str = field(default="train", metadata={"help": "Split to train on ('all': every problem)."})
    limit: int = field(default=0, metadata={"help": "Use the first N problems (0: all).", "min": 0})
    language: str = field(default="python3", metadata={"help": "Language the prompts ask for.",
                                                         "choices": ["python3", "cpp"]})
    reward: str = field(default="rm", metadata={
        "help": "rm, judge, mix (rm_weight*rm + judge_weight*judge) or callable:module:function "
                "(f(prompts, completions, problems) -> list[float])."})
    reward_model: str = field(default="", metadata={"help": "rm run id or reward model dir (reward=rm|mix)."})
    judge_mode: str = field(default="fraction", metadata={"help": "Judge reward: share of tests passed, or 1/0.",
                                                          "choices": ["fraction", "pass"]})
    sandbox: str = field(default="docker", metadata={"help": "Judge sandbox.", "choices": ["docker", "bwrap"]})
    workers: int = field(default=0, metadata={"help": "Judge sandboxes (0: one per core).", "min": 0})
    rm_weight: float = field(default=1.0, metadata={"help": "Weight of the RM score (reward=mix)."})
    judge_weight: float = field(default=1.0, metadata={"help": "Weight of the judge score (reward=mix)."})
    batch_size: int = field(default=28, metadata={"help": "Prompts (rollouts) per PPO update.", "min": 1})
    mini_batch_size: int = field(default=4, metadata={"help": "Rollouts per optimizer step.", "min": 1})
    micro_batch_size: int = field(default=1, metadata={"help": "Rollouts per forward/backward.", "min": 1})
    ppo_epochs: int = field(default=4, metadata={"help": "PPO passes over each rollout batch.", "min": 1})
    epochs: float = field(default=10.0, metadata={"help": "Passes over the problem set.", "min": 0})
    max_updates: int = field(default=-1, metadata={"help": "PPO updates (-1: from `epochs`).", "min": -1})
    lr: float = field(default=1.4e-5, metadata={"help": "AdamW peak learning rate (cosine decay).", "min": 0,
                                                "max": 1})
    warmup_updates: int = field(default=0, metadata={"help": "Linear warm-up updates.", "min": 0})
    temperature: float = field(default=1.0, metadata={"help": "Sampling temperature.", "min": 0.01})
    top_p: float = field(default=1.0, metadata={"help": "Nucleus sampling.", "min": 0.01, "max": 1})
    max_new_tokens: int = field(default=0, metadata={
        "help": "Response token limit (0: eval's max_new_tokens, so rollouts and eval answer under one limit).",
        "min": 0})
    max_prompt_length: int = field(default=2048, metadata={
        "help": "Leave out problems whose prompt (BOS included) is longer, counted in the log and summary; a prompt "
                "is never cut.", "min": 8})
    missing_eos_penalty: float = field(default=1.0, metadata={
        "help": "Subtracted from the score of a response cut at the token limit without EOS (TRL's old "
                "missing_eos_penalty); 0: off.", "min": 0})
    kl_coef: float = field(default=0.05, metadata={"help": "Per-token KL penalty to the reference.", "min": 0})
    kl_estimator: str = field(default="k1", metadata={"help": "KL estimator.", "choices": ["k1", "k3"]})
    gamma: float = field(default=1.0, metadata={"help": "Discount.", "min": 0, "max": 1})
    lam: float = field(default=0.95, metadata={"help": "GAE lambda.", "min": 0, "max": 1})
    cliprange: float = field(default=0.2, metadata={"help": "Policy ratio clip.", "min": 0})
    cliprange_value: float = field(default=0.2, metadata={"help": "Value clip.", "min": 0})
    vf_coef: float = field(default=0.1, metadata={"help": "Value loss weight.", "min": 0})
    max_grad_norm: float = field(default=1.0, metadata={"help": "Gradient clipping norm.", "min": 0})
    whiten_rewards: bool = field(default=False, metadata={"help": "Whiten per-token rewards before GAE."})
    lora_r: int = field(default=32, metadata={"help": "LoRA rank on all linear layers but the embeddings.", "min": 1})
    lora_alpha: int = field(default=0, metadata={"help": "LoRA alpha (0: equal to lora_r).", "min": 0})
    save_every: int = field(default=50, metadata={"help": "Checkpoint every N updates.", "min": 1})
    rollout_engine: str = field(default="auto", metadata={
        "help": "Rollout sampling: hf (the policy's generate), lean (backends._lean's loop on the live policy), auto "
                "(the faster of hf and lean, measured once per machine and model shape; hf on GPU) or vllm (one "
                "engine per run serving the current adapter); log-probs always from the HF policy.",
        "choices": ["auto", "hf", "lean", "vllm"]})
    seed: int = field(default=0, metadata={"help": "Seed (problem order, sampling, value head init)."})

    def check(self) -> None:
        from backends._rewards import check_reward

        check_model_value(self.model)
        check_reward(self.reward, self.reward_model)
        if self.mini_batch_size > self.batch_size:
            raise ValueError(f"mini_batch_size {self.mini_batch_size} > batch_size {self.batch_size}")
        if self.rollout_engine == "vllm":
            import importlib.util

            from backends._generate import VLLM_LORA_RANKS

            if importlib.util.find_spec("vllm") is None:
                raise ValueError("rollout_engine=vllm: vllm is not installed here (use rollout_engine=hf)")
            if self.lora_r > VLLM_LORA_RANKS[-1]:
                raise ValueError(f"rollout_engine=vllm: vLLM serves LoRA ranks up to {VLLM_LORA_RANKS[-1]}, "
                                 f"lora_r is {self.lora_r}")


def rollout_new_tokens(cfg: Config) -> int:
    """The rollouts' token limit: ``max_new_tokens``, or when 0 the eval stage's own default (one source of truth)."""
    if cfg.max_new_tokens:
        return cfg.max_new_tokens
    from backends.eval import Config as EvalConfig  # stdlib at its top level: cheap

    limit: int = EvalConfig().max_new_tokens
    return limit


def fit_prompts(names: list[str], prompts: dict[str, str], tok: Any, max_len: int) -> tuple[list[str], list[str]]:
    """(problems whose prompt fits in ``max_len`` tokens with BOS, those left out): a cut prompt would lose its
    start (the statement, BOS) and train on text no eval ever shows; eval and GRPO leave such prompts out too."""
    kept: list[str] = []
    skipped: list[str] = []
    for k in names:
        (kept if len(tok(prompts[k])["input_ids"]) <= max_len else skipped).append(k)
    return kept, skipped


def hparams(cfg: Config) -> Any:
    from backends._ppo import Hparams

    return Hparams(temperature=cfg.temperature, top_p=cfg.top_p, max_new_tokens=rollout_new_tokens(cfg),
                   kl_coef=cfg.kl_coef, kl_estimator=cfg.kl_estimator, gamma=cfg.gamma, lam=cfg.lam,
                   cliprange=cfg.cliprange, cliprange_value=cfg.cliprange_value, vf_coef=cfg.vf_coef,
                   ppo_epochs=cfg.ppo_epochs, mini_batch_size=cfg.mini_batch_size,
                   micro_batch_size=cfg.micro_batch_size, max_grad_norm=cfg.max_grad_norm,
                   whiten_rewards=cfg.whiten_rewards, missing_eos_penalty=cfg.missing_eos_penalty)


def load_problems(cfg: Config) -> dict[str, Any]:
    from judge.inputs import load_problem_set

    probs, _ = load_problem_set(cfg.problems)
    if cfg.split not in ("", "all"):
        from iotatui.data.problems import normalize_split

        want = normalize_split(cfg.split)
        probs = {k: p for k, p in probs.items() if p.split == want}
    if cfg.reward in ("judge", "mix"):  # the judge can score only problems with tests and no file I/O
        probs = {k: p for k, p in probs.items() if p.tests() and not p.uses_file_io}
    names = sorted(probs)[:cfg.limit or None]
    if not names:
        raise ValueError(f"no problems to train on in {cfg.problems!r} (split {cfg.split!r})")
    return {k: probs[k] for k in names}


def batch_names(names: list[str], update: int, batch_size: int, seed: int) -> list[str]:
    """The problems of update ``update`` (1-based): consecutive slices of a per-epoch seeded shuffle, so a resumed
    run picks up exactly where it stopped."""
    import random

    out: list[str] = []
    pos = (update - 1) * batch_size
    while len(out) < batch_size:
        epoch, i = divmod(pos, len(names))
        order = list(names)
        random.Random(seed * 100_003 + epoch).shuffle(order)
        out.append(order[i])
        pos += 1
    return out


@contextlib.contextmanager
def _closing(sampler: VLLMSampler | LeanRollouts | None) -> Iterator[None]:
    """Shut the rollout engine down when the run ends, however it ends."""
    try:
        yield
    finally:
        if sampler is not None:
            try:
                sampler.close()
            except Exception:  # noqa: BLE001, S110 - an engine already dead of a stop signal: nothing to shut down
                pass


def save_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any, update: int) -> None:
    import torch

    tmp = path.with_name(path.name + ".tmp")
    with save_guard(tmp, f"checkpoint {update}"):  # full disk: the partial copy goes, one line names the path
        model.lm.save_pretrained(str(tmp / "adapter"))
        torch.save(model.v_head.state_dict(), tmp / "value_head.pt")
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, tmp / "optim.pt")
        (tmp / "state.json").write_text(json.dumps({"update": update}))
    tmp.rename(path)  # a checkpoint is either whole or absent


def build_policy(cfg: Config, model_path: str, gpu: bool, resume: Path | None) -> Any:
    import torch
    from peft import PeftModel, get_peft_model

    from backends import _hf, _ppo

    torch.manual_seed(cfg.seed)
    base = _hf.load_model(model_path, gpu=gpu, frozen=True)
    if gpu:
        base.to("cuda")
    if resume is not None:
        lm = PeftModel.from_pretrained(base, str(resume / "adapter"), is_trainable=True)
    else:
        lm = get_peft_model(base, _hf.lora_config(cfg.lora_r, cfg.lora_alpha))
    model = _ppo.policy_value(lm)
    if resume is not None:
        model.v_head.load_state_dict(torch.load(resume / "value_head.pt", map_location="cpu"))
    return model


class VLLMSampler:
    """PPO rollouts from a vLLM engine serving the current policy: :meth:`sync` saves the adapter and serves it with
    a new ``LoRARequest`` id; calling it samples (``backends._ppo.Sampler``'s signature)."""

    def __init__(self, model_path: str, work_dir: Path, lora_r: int, max_len: int | None, seed: int = 0,
                 dtype: str | None = None) -> None:
        from backends._generate import VLLMEngine

        self.engine = VLLMEngine(model_path, max_model_len=max_len, seed=seed, max_lora_rank=lora_r, dtype=dtype)
        if self.engine.device == "cpu":  # its spinning and compute yield to the trainer (backends._pipeline)
            from backends._pipeline import lower_children_priority

            lower_children_priority()
        self.dir = work_dir
        self.version = 0

    def sync(self, lm: Any) -> Path:
        """Serve ``lm``'s adapter (a PEFT model) from the next rollout on; the previous copy is removed."""
        import shutil

        self.version += 1
        path = self.dir / f"policy-{self.version}"
        lm.save_pretrained(str(path))
        self.engine.set_adapter(path)
        shutil.rmtree(self.dir / f"policy-{self.version - 1}", ignore_errors=True)  # no request names it any more
        return path

    def __call__(self, prompt_ids: Any, prompt_mask: Any, hp: Any, eos_id: int | None, pad_id: int) -> Any:
        import torch

        from backends._generate import Sampling

        rows = [ids[m.bool()].tolist() for ids, m in zip(prompt_ids.cpu(), prompt_mask.cpu(), strict=True)]
        outs = self.engine.generate_ids(rows, Sampling(n=1, temperature=hp.temperature, top_p=hp.top_p,
                                                       max_new_tokens=hp.max_new_tokens), ignore_eos=eos_id is None)
        resp = torch.full((len(outs), max(1, *(len(ids) for ids, _ in outs))), pad_id, dtype=prompt_ids.dtype)
        for i, (ids, _) in enumerate(outs):
            resp[i, :len(ids)] = torch.tensor(ids, dtype=prompt_ids.dtype)
        return torch.cat([prompt_ids, resp.to(prompt_ids.device)], dim=1)

    def close(self) -> None:
        self.engine.close()


class LeanRollouts:
    """PPO rollouts from the lean loop (``backends._lean``) on the live policy ``lm`` (a PEFT model: its current
    adapter is what it samples, nothing to sync); its own seeded generator. ``backends._ppo.Sampler``'s signature."""

    def __init__(self, lm: Any, tok: Any, seed: int) -> None:
        import torch

        from backends._generate import LeanEngine

        self.engine = LeanEngine(lm, tokenizer=tok)
        self.gen = torch.Generator(device=self.engine.device).manual_seed(seed)

    def __call__(self, prompt_ids: Any, prompt_mask: Any, hp: Any, eos_id: int | None, pad_id: int) -> Any:
        import torch

        from backends._generate import Sampling

        self.engine.sampler.eos_id, self.engine.sampler.pad_id = eos_id, pad_id
        rows = [ids[m.bool()].tolist() for ids, m in zip(prompt_ids.cpu(), prompt_mask.cpu(), strict=True)]
        outs = self.engine.generate_ids(rows, Sampling(n=1, temperature=hp.temperature, top_p=hp.top_p,
                                                       max_new_tokens=hp.max_new_tokens),
                                        ignore_eos=eos_id is None, generator=self.gen)
        resp = torch.full((len(outs), max(1, *(len(ids) for ids, _ in outs))), pad_id, dtype=prompt_ids.dtype)
        for i, (ids, _) in enumerate(outs):
            resp[i, :len(ids)] = torch.tensor(ids, dtype=prompt_ids.dtype)
        return torch.cat([prompt_ids, resp.to(prompt_ids.device)], dim=1)

    def close(self) -> None:
        pass


def choose_rollout_engine(lm: Any, tok: Any, rows: int, gpu: bool, lora_r: int = 0,
                          log: Any = None) -> tuple[str, dict[str, Any]]:
    """``rollout_engine=auto``: ``hf`` or ``lean``, the faster on this machine and model shape (+ LoRA rank) measured
    on the policy itself (``rows`` prompts of ``backends._generate.CALIBRATION``'s length, EOS ignored), cached in
    ``~/.cache/iotatui/engines.json``; on GPU ``hf`` (not measured there). -> (engine, cache entry)."""
    if gpu:
        return "hf", {}
    import torch

    from backends._generate import CALIBRATION, Sampling
    from backends._lean import machine_key, read_cache, write_cache

    c = lm.config
    key = (f"rollout|{machine_key()}|{c.model_type}:{c.num_hidden_layers}x{c.hidden_size}x{c.intermediate_size}"
           f"x{c.vocab_size}|lora{lora_r}|rows{rows}")
    got = read_cache().get(key)
    source = f"cached {got.get('measured', '')}" if isinstance(got, dict) else "measured now"
    if not isinstance(got, dict) or got.get("engine") not in ("hf", "lean"):
        g = torch.Generator().manual_seed(0)
        new = CALIBRATION["new_tokens"]
        dev = next(lm.parameters()).device
        ids = torch.randint(4, max(5, int(c.vocab_size)), (rows, CALIBRATION["prompt"]), generator=g).to(dev)
        mask = torch.ones_like(ids)
        hp = Sampling(n=1, temperature=1.0, top_p=1.0, max_new_tokens=new)
        rates: dict[str, float] = {}
        was_training = lm.training
        lm.eval()
        with torch.no_grad():
            t0 = time.perf_counter()
            lm.generate(input_ids=ids, attention_mask=mask, do_sample=True, top_k=0, max_new_tokens=new,
                        min_new_tokens=new, pad_token_id=tok.pad_token_id)
            rates["hf"] = round(rows * new / (time.perf_counter() - t0), 1)
            t0 = time.perf_counter()
            LeanRollouts(lm, tok, 0)(ids, mask, hp, None, tok.pad_token_id)
            rates["lean"] = round(rows * new / (time.perf_counter() - t0), 1)
        lm.train(was_training)
        got = {"engine": max(rates, key=lambda k: rates[k]), "tokens_per_s": rates, "calibration": dict(CALIBRATION),
               "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
        write_cache(key, got)
    if log:
        log(f"rollout_engine auto: {got['engine']} ({source} on {machine_key()}: "
            + ", ".join(f"{k} {v:.0f} tok/s" for k, v in (got.get("tokens_per_s") or {}).items()) + ")")
    return str(got["engine"]), got


def rollout_max_len(model_path: str, cfg: Config) -> int | None:
    """Prompt + response tokens the vLLM engine must take, capped at the model's positions."""
    from transformers import AutoConfig

    limit = getattr(AutoConfig.from_pretrained(model_path), "max_position_embeddings", None)
    want = cfg.max_prompt_length + rollout_new_tokens(cfg)
    return min(want, int(limit)) if limit else want


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    import torch

    from backends import _hf, _ppo
    from backends._health import Health
    from backends._rewards import make_reward
    from iotatui.data.prompt import render_prompt

    health = Health(HealthConfig.of(cfg))

    if int(__import__("os").environ.get("WORLD_SIZE", "1")) > 1:
        raise ValueError("ppo runs on one process (launch it with --gpus 1)")
    model_path, lineage = _hf.resolve_model_input(cfg.model, run, "ppo")
    problems = load_problems(cfg)
    prompts = {k: render_prompt(problems[k], cfg.language) for k in sorted(problems)}
    tok = _hf.load_tokenizer(model_path)
    tok.padding_side = "left"  # generate continues the prompt's end
    names, too_long = fit_prompts(sorted(problems), prompts, tok, cfg.max_prompt_length)
    if too_long:
        run.log(f"ppo: left out {len(too_long)} problems whose prompt is over {cfg.max_prompt_length} tokens: "
                f"{too_long[:5]}", "warning")
    if not names:
        raise ValueError(f"max_prompt_length: every prompt is longer than {cfg.max_prompt_length} tokens")
    new_tokens = rollout_new_tokens(cfg)
    limit_note = " (eval's limit)" if not cfg.max_new_tokens else ""
    total = cfg.max_updates if cfg.max_updates >= 0 else math.ceil(cfg.epochs * len(names) / cfg.batch_size)
    gpu = _hf.on_gpu()
    resume = Path(run.resume_from) if run.resume_from and (Path(run.resume_from) / "state.json").exists() else None
    start = json.loads((resume / "state.json").read_text())["update"] if resume else 0
    model = build_policy(cfg, model_path, gpu, resume)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.lr)
    scheduler = _ppo.cosine_lr(optimizer, total, cfg.warmup_updates)
    if resume is not None:
        state = torch.load(resume / "optim.pt", map_location="cpu")
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
    hp = hparams(cfg)
    device = params[0].device
    gen = torch.Generator().manual_seed(cfg.seed + start)
    torch.manual_seed(cfg.seed + start)
    engine = cfg.rollout_engine
    if engine == "auto" and start < total:
        engine, _ = choose_rollout_engine(model.lm, tok, min(cfg.batch_size, 16), gpu, cfg.lora_r, run.log)
    run.log(f"ppo: {len(names)} problems, {total} updates of {cfg.batch_size} (from {start}), reward={cfg.reward}, "
            f"LoRA r={cfg.lora_r}, reference: adapter-off, model {model_path}, {'cuda' if gpu else 'cpu'}, "
            f"rollouts: {engine}, up to {new_tokens} new tokens{limit_note}, missing-EOS penalty "
            f"{cfg.missing_eos_penalty:g}")
    sampler: VLLMSampler | LeanRollouts | None = None
    if engine == "lean":
        sampler = LeanRollouts(model.lm, tok, cfg.seed + start + 1)
    if engine == "vllm" and start < total:
        # Started before the reward's judge pool: the engine's processes are then the only children to nice.
        sampler = VLLMSampler(model_path, run.dir / "rollout_adapter", cfg.lora_r, rollout_max_len(model_path, cfg),
                              cfg.seed)
        run.log(f"vLLM rollout engine on {sampler.engine.device}: serving the current adapter each update")
    ckpts = run.dir / "checkpoints"
    ckpts.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"problems": len(names), "updates_total": total,
                               "prompts_skipped_too_long": len(too_long), "max_new_tokens": new_tokens}
    first: float | None = None
    last: dict[str, float] = {}
    update = start
    with _closing(sampler), make_reward(cfg.reward, reward_model=cfg.reward_model, problems=problems, language=cfg.language,
                     judge_mode=cfg.judge_mode, sandbox=cfg.sandbox, workers=cfg.workers,
                     rm_weight=cfg.rm_weight, judge_weight=cfg.judge_weight,
                     max_length=cfg.max_prompt_length + new_tokens + 1) as reward:  # + EOS
        while update < total:
            if run.should_stop:
                break
            update += 1
            batch = batch_names(names, update, cfg.batch_size, cfg.seed)
            texts = [prompts[k] for k in batch]
            enc = tok(texts, return_tensors="pt", padding=True)  # every prompt fits (fit_prompts): none is cut

            def score(ro: Any, texts: list[str] = texts, batch: list[str] = batch) -> list[float]:
                completions = tok.batch_decode(ro.input_ids[:, ro.prompt_len:] * ro.mask.long()
                                               + (1 - ro.mask.long()) * tok.pad_token_id, skip_special_tokens=True)
                return reward(texts, completions, batch)

            t_sync = time.perf_counter()
            if isinstance(sampler, VLLMSampler):
                sampler.sync(model.lm)
            t_sync = time.perf_counter() - t_sync
            try:
                metrics, _, _ = _ppo.train_step(model, optimizer, scheduler, enc["input_ids"].to(device),
                                                enc["attention_mask"].to(device), hp, score, tok.eos_token_id,
                                                tok.pad_token_id, gen, sampler)
            except Exception:
                # A stop signals the whole process group: the vLLM engine's processes may die of it mid-rollout.
                # The rollout comes before the update, so nothing of this one was applied: stop at the previous
                # update (saved if it was not). Only a real failure fails.
                if not isinstance(sampler, VLLMSampler) or not run.stop_reason:
                    raise
                update -= 1
                path = ckpts / f"checkpoint-{update}"
                if update > start and not path.exists():
                    save_checkpoint(path, model, optimizer, scheduler, update)
                    run.checkpoint(update, path)
                break
            metrics["train/epoch"] = update * cfg.batch_size / len(names)
            if isinstance(sampler, VLLMSampler):
                metrics["perf/adapter_sync_s"] = t_sync
            run.metrics(update, metrics)
            health.observe(update, metrics, run)  # KL runaway, reward collapse/hacking, entropy collapse, NaN
            run.progress(update, total, unit="updates", label="ppo")
            first = metrics["reward/mean"] if first is None else first
            last = metrics
            if update % cfg.save_every == 0 or run.should_stop:
                path = ckpts / f"checkpoint-{update}"
                save_checkpoint(path, model, optimizer, scheduler, update)
                run.checkpoint(update, path)
    summary.update(updates=update, first_reward=first, final_reward=last.get("reward/mean"),
                   final_kl=last.get("ppo/kl"))
    if run.should_stop:
        return summary
    out = run.dir / "model"
    with save_guard(out, "the final model"):
        model.lm.save_pretrained(str(out))
        tok.save_pretrained(str(out))
        torch.save(model.v_head.state_dict(), out / "value_head.pt")
    run.artifact("model", out, "model", {**lineage, "stage": "ppo", "adapter": True, "base_model": model_path,
                                         "lora_r": cfg.lora_r, "reward": cfg.reward, "updates": update})
    summary["model"] = str(out)
    return summary


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
