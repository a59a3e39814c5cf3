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
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    max_new_tokens: int = field(default=512, metadata={"help": "Response token limit.", "min": 1})
    max_prompt_length: int = field(default=2048, metadata={"help": "Prompt tokens kept (the end).", "min": 8})
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
    seed: int = field(default=0, metadata={"help": "Seed (problem order, sampling, value head init)."})

    def check(self) -> None:
        from backends._rewards import check_reward

        check_model_value(self.model)
        check_reward(self.reward, self.reward_model)
        if self.mini_batch_size > self.batch_size:
            raise ValueError(f"mini_batch_size {self.mini_batch_size} > batch_size {self.batch_size}")


def hparams(cfg: Config) -> Any:
    from backends._ppo import Hparams

    return Hparams(temperature=cfg.temperature, top_p=cfg.top_p, max_new_tokens=cfg.max_new_tokens,
                   kl_coef=cfg.kl_coef, kl_estimator=cfg.kl_estimator, gamma=cfg.gamma, lam=cfg.lam,
                   cliprange=cfg.cliprange, cliprange_value=cfg.cliprange_value, vf_coef=cfg.vf_coef,
                   ppo_epochs=cfg.ppo_epochs, mini_batch_size=cfg.mini_batch_size,
                   micro_batch_size=cfg.micro_batch_size, max_grad_norm=cfg.max_grad_norm,
                   whiten_rewards=cfg.whiten_rewards)


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


def save_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any, update: int) -> None:
    import torch

    tmp = path.with_name(path.name + ".tmp")
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
    names = sorted(problems)
    prompts = {k: render_prompt(problems[k], cfg.language) for k in names}
    total = cfg.max_updates if cfg.max_updates >= 0 else math.ceil(cfg.epochs * len(names) / cfg.batch_size)
    gpu = _hf.on_gpu()
    resume = Path(run.resume_from) if run.resume_from and (Path(run.resume_from) / "state.json").exists() else None
    start = json.loads((resume / "state.json").read_text())["update"] if resume else 0
    tok = _hf.load_tokenizer(model_path)
    tok.padding_side, tok.truncation_side = "left", "left"  # generate continues the prompt's end
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
    run.log(f"ppo: {len(names)} problems, {total} updates of {cfg.batch_size} (from {start}), reward={cfg.reward}, "
            f"LoRA r={cfg.lora_r}, reference: adapter-off, model {model_path}, {'cuda' if gpu else 'cpu'}")
    ckpts = run.dir / "checkpoints"
    ckpts.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"problems": len(names), "updates_total": total}
    first: float | None = None
    last: dict[str, float] = {}
    update = start
    with make_reward(cfg.reward, reward_model=cfg.reward_model, problems=problems, language=cfg.language,
                     judge_mode=cfg.judge_mode, sandbox=cfg.sandbox, workers=cfg.workers,
                     rm_weight=cfg.rm_weight, judge_weight=cfg.judge_weight,
                     max_length=cfg.max_prompt_length + cfg.max_new_tokens) as reward:
        while update < total:
            if run.should_stop:
                break
            update += 1
            batch = batch_names(names, update, cfg.batch_size, cfg.seed)
            texts = [prompts[k] for k in batch]
            enc = tok(texts, return_tensors="pt", padding=True, truncation=True, max_length=cfg.max_prompt_length)

            def score(ro: Any, texts: list[str] = texts, batch: list[str] = batch) -> list[float]:
                completions = tok.batch_decode(ro.input_ids[:, ro.prompt_len:] * ro.mask.long()
                                               + (1 - ro.mask.long()) * tok.pad_token_id, skip_special_tokens=True)
                return reward(texts, completions, batch)

            metrics, _, _ = _ppo.train_step(model, optimizer, scheduler, enc["input_ids"].to(device),
                                            enc["attention_mask"].to(device), hp, score, tok.eos_token_id,
                                            tok.pad_token_id, gen)
            metrics["train/epoch"] = update * cfg.batch_size / len(names)
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
