"""Reward model in two phases, one run, one step axis::

    iotatui launch rm --preset smoke
    iotatui launch rm --parent <sft run> --set dataset=run:<data_pairs id>

1. domain adaptation: causal-LM training (TRL ``SFTTrainer`` on ``{"text"}``) on contest code -- the programs of
   the pairs (prompt + chosen, prompt + rejected, de-duplicated); metrics under ``adapt/``; skipped with
   ``adapt_steps=0``;
2. Bradley-Terry training (TRL ``RewardTrainer``) on the triplets, steps continuing after phase 1; metrics under
   ``train/``. ``RewardTrainer`` silently drops pairs longer than ``max_length``: they are counted
   (``pairs_dropped_too_long``).

Held out **by problem**: whole problems (the ``problem`` column of a ``data_pairs`` dataset; the prompt where a
dataset has none) making up about ``eval_fraction`` of the pairs are set aside before either phase, and a training
pair with a held-out statement (the same problem under another name) is dropped too (``pairs_dropped_overlap``),
so neither phase ever sees a held-out problem, chosen or rejected text (a split by pair would not do: every
correct program is the chosen side of two rows, its random and its closest negative). The pairwise accuracy on them
(score(chosen) > score(rejected), scored by ``backends._rewards.RMScorer`` on the ids RM training uses, over-long
pairs left out as training leaves them out) is reported before and after phase 2: metric
``eval/heldout_pair_accuracy``, summary ``heldout_pair_accuracy`` (and ``_before``) with ``heldout_problems`` and
``heldout_pairs``.

The saved model (``<run dir>/model``, artifact ``model``) is an ``AutoModelForSequenceClassification`` with one
label: what a later PPO stage scores with. Resume works in either phase (one checkpoint dir per phase).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backends._hf import EFFECTIVE_BATCH_HELP, check_dataset_value, check_effective_batch, check_model_value

if TYPE_CHECKING:
    from backends._runtime import RunContext

SCHEDULERS = ["linear", "cosine", "constant", "constant_with_warmup", "cosine_with_restarts"]


@dataclass
class Config:
    model: str = field(default="", metadata={
        "path": "if-exists", "help": "Model dir, hub id, or 'tiny' (built into the workspace); '' with --parent."})
    dataset: str = field(default="", metadata={
        "path": "if-exists", "help": "data_pairs dataset dir or run:<id>; '' builds one from `source`."})
    source: str = field(default="bundled", metadata={
        "path": "if-exists", "help": "Problem source when `dataset` is empty (bundled, a file, a dir, a hub name)."})
    max_length: int = field(default=4000, metadata={"help": "Max tokens of prompt + completion; longer pairs are "
                                                            "dropped (and counted).", "min": 8})
    batch_size: int = field(default=1, metadata={"help": "Per-device batch size (pairs / texts).", "min": 1})
    grad_accum: int = field(default=4, metadata={"help": "Gradient accumulation steps (both phases; unused when "
                                                         "effective_batch > 0).", "min": 1})
    effective_batch: int = field(default=0, metadata={"help": EFFECTIVE_BATCH_HELP, "min": 0})
    lr: float = field(default=1.4e-5, metadata={"help": "Bradley-Terry phase learning rate.", "min": 0, "max": 1})
    scheduler: str = field(default="linear", metadata={"help": "LR schedule (both phases).", "choices": SCHEDULERS})
    warmup_steps: int = field(default=0, metadata={"help": "Linear warm-up steps (both phases).", "min": 0})
    epochs: float = field(default=1.0, metadata={"help": "Bradley-Terry epochs (when max_steps is -1).", "min": 0})
    max_steps: int = field(default=-1, metadata={"help": "Bradley-Terry optimizer steps (-1: `epochs`).", "min": -1})
    adapt_steps: int = field(default=-1, metadata={
        "help": "Domain-adaptation (causal LM) steps: -1 one epoch, 0 skip the phase.", "min": -1})
    adapt_lr: float = field(default=1e-4, metadata={"help": "Domain-adaptation learning rate.", "min": 0, "max": 1})
    eval_fraction: float = field(default=0.05, metadata={
        "help": "Share of pairs held out for accuracy, as whole problems (none of their texts is trained on).",
        "min": 0, "max": 0.5})
    max_eval_pairs: int = field(default=500, metadata={"help": "Cap on held-out pairs scored (the rest of the "
                                                               "held-out problems' pairs are not trained on either).",
                                                       "min": 1})
    logging_steps: int = field(default=10, metadata={"help": "Log metrics every N steps.", "min": 1})
    save_steps: int = field(default=500, metadata={"help": "Checkpoint every N steps.", "min": 1})
    save_total_limit: int = field(default=3, metadata={"help": "Keep the last N checkpoints (0: all).", "min": 0})
    seed: int = field(default=0, metadata={"help": "Seed (split, data order, score head init)."})
    gradient_checkpointing: bool = field(default=False, metadata={
        "help": "Recompute activations in backward (less memory, ~30% slower)."})

    def check(self) -> None:
        check_model_value(self.model)
        check_dataset_value("dataset", self.dataset)
        check_effective_batch(self)


PAIR_COLUMNS = ["prompt", "chosen", "rejected"]
"""What the trainers read (a ``data_pairs`` dataset also has ``problem``)."""


def split_pairs(dataset: Any, fraction: float, seed: int) -> tuple[Any, Any, dict[str, Any]]:
    """(train, held-out, what the split did): whole problems held out, about ``fraction`` of the pairs.

    Problems (the ``problem`` column, else the prompt) are shuffled under ``seed`` and taken until their pairs reach
    ``round(len * fraction)`` (at least one problem when ``fraction > 0``; never every problem). A training pair
    whose prompt is a held-out one (one statement under two names) is dropped too. Every text either phase trains
    on is prompt + program, so with no prompt in common no held-out text is trained on (a bare program may recur
    under another statement: a common wrong answer is not the held-out pair)."""
    import random

    if "prompt" not in dataset.column_names:
        raise ValueError("dataset: no prompt column (expected a data_pairs dataset: prompt, chosen, rejected, problem)")
    by = "problem" if "problem" in dataset.column_names else "prompt"
    info: dict[str, Any] = {"heldout_by": by, "heldout_problems": 0, "pairs_dropped_overlap": 0}
    groups = list(dict.fromkeys(dataset[by]))
    if fraction <= 0 or len(groups) < 2:
        return dataset, dataset.select([]), info
    random.Random(seed).shuffle(groups)
    sizes: dict[str, int] = {}
    for g in dataset[by]:
        sizes[g] = sizes.get(g, 0) + 1
    want = max(1, round(len(dataset) * fraction))
    held_groups: set[str] = set()
    n_held = 0
    for g in groups[:-1]:  # the last one always trains
        if n_held >= want:
            break
        held_groups.add(g)
        n_held += sizes[g]
    keys = dataset[by]
    held_idx = [i for i, g in enumerate(keys) if g in held_groups]
    held = dataset.select(held_idx)
    held_prompts = set(held["prompt"])
    rest = [i for i, g in enumerate(keys) if g not in held_groups]
    prompts = dataset["prompt"]
    train_idx = [i for i in rest if prompts[i] not in held_prompts]
    info.update(heldout_problems=len(held_groups), pairs_dropped_overlap=len(rest) - len(train_idx))
    return dataset.select(train_idx), held, info


def code_texts(pairs: Any) -> Any:
    """Phase 1's corpus: every distinct program of the pairs with its statement, as ``{"text"}``."""
    from datasets import Dataset

    seen: dict[str, None] = {}
    for row in pairs:
        for side in ("chosen", "rejected"):
            seen.setdefault(row.get("prompt", "") + row[side], None)
    return Dataset.from_dict({"text": list(seen)})


def heldout_pair_accuracy(model: Any, tok: Any, pairs: Any, max_length: int) -> tuple[float | None, int]:
    """(share of pairs whose chosen side scores above the rejected one, pairs left out as over ``max_length``).

    Scored by the one RM scorer (:class:`backends._rewards.RMScorer`: BOS + prompt + completion + EOS, as
    ``RewardTrainer`` trains); a pair over ``max_length`` is left out, as training leaves it out."""
    import sys

    from backends._rewards import RMScorer, rm_input_ids

    scorer = RMScorer(model, tok, max_length)
    wins = scored = too_long = 0
    for row in pairs:
        prompt = row.get("prompt", "")
        if any(len(rm_input_ids(tok, prompt, row[side], sys.maxsize)) > max_length for side in ("chosen", "rejected")):
            too_long += 1
            continue
        chosen, rejected = scorer([prompt, prompt], [row["chosen"], row["rejected"]])
        wins += chosen > rejected
        scored += 1
    return (wins / scored if scored else None), too_long


def adapt(cfg: Config, run: RunContext, model_path: str, pairs: Any, gpu: bool) -> tuple[str, int]:
    """Phase 1 -> (adapted model dir, its steps). Reused when a resume finds it done."""
    from trl import SFTConfig, SFTTrainer

    from backends import _hf

    out = run.dir / "adapted"
    if (out / "phase.json").exists():
        return str(out), int(json.loads((out / "phase.json").read_text())["steps"])
    ckpts = run.dir / "checkpoints" / "adapt"
    tok = _hf.load_tokenizer(model_path)
    args = SFTConfig(**{**_hf.trainer_args(cfg, ckpts, gpu), "max_steps": cfg.adapt_steps, "num_train_epochs": 1,
                        "learning_rate": cfg.adapt_lr}, max_length=cfg.max_length, dataset_text_field="text")
    cb = _hf.events_callback(run, prefix="adapt")
    trainer = SFTTrainer(model=_hf.load_model(model_path, gpu=gpu), args=args, train_dataset=code_texts(pairs),
                         processing_class=tok, callbacks=[cb])
    _hf.guard_finite_loss(trainer)
    trainer.train(resume_from_checkpoint=_hf.resume_checkpoint(run, ckpts))
    steps = int(trainer.state.global_step)
    if run.should_stop:
        return "", steps
    trainer.save_model(str(out))  # collective under several ranks; the files below are rank 0's to write
    if run.is_main:
        tok.save_pretrained(str(out))
        (out / "phase.json").write_text(json.dumps({"steps": steps, "first_loss": cb.first_loss,
                                                    "final_loss": cb.last_loss}))
    else:
        _hf.main_first(run, out / "phase.json")
    run.log(f"rm: domain adaptation done, {steps} steps, loss {cb.first_loss} -> {cb.last_loss}")
    return str(out), steps


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    from trl import RewardConfig, RewardTrainer

    from backends import _hf

    model_path, lineage = _hf.resolve_model_input(cfg.model, run, "rm")
    data_dir = cfg.dataset or _hf.build_dataset("pairs", run, model_path, cfg.source, cfg.max_length)
    train, held, split = split_pairs(_hf.load_dataset_dir(data_dir), cfg.eval_fraction, cfg.seed)
    held = held.select(range(min(len(held), cfg.max_eval_pairs)))
    train = train.select_columns([c for c in PAIR_COLUMNS if c in train.column_names])
    run.log(f"rm: held out {split['heldout_problems']} problems ({len(held)} pairs, split by {split['heldout_by']}); "
            f"{split['pairs_dropped_overlap']} training pairs sharing a text with them dropped")
    gpu = _hf.on_gpu()
    _hf.log_batch(cfg, run, "rm")
    summary: dict[str, Any] = {"heldout_by": split["heldout_by"], "heldout_problems": split["heldout_problems"],
                               "heldout_pairs": len(held), "pairs_dropped_overlap": split["pairs_dropped_overlap"]}
    offset = 0
    start = model_path
    if cfg.adapt_steps != 0:
        start, offset = adapt(cfg, run, model_path, train, gpu)
        summary["adapt_steps"] = offset
        if run.should_stop:
            return summary
    tok = _hf.load_tokenizer(start)
    model = _hf.load_model(start, kind="reward", gpu=gpu)
    model.config.pad_token_id = tok.pad_token_id
    ckpts = run.dir / "checkpoints" / "rm"
    resume = _hf.resume_checkpoint(run, ckpts)
    before, held_long = heldout_pair_accuracy(model, tok, held, cfg.max_length) if resume is None else (None, 0)
    if before is not None:
        run.metrics(offset, {"eval/heldout_pair_accuracy": before})
    args = RewardConfig(**_hf.trainer_args(cfg, ckpts, gpu), max_length=cfg.max_length)
    cb = _hf.events_callback(run, step_offset=offset)
    trainer = RewardTrainer(model=model, args=args, train_dataset=train, processing_class=tok, callbacks=[cb])
    _hf.guard_finite_loss(trainer)
    dropped = len(train) - len(trainer.train_dataset)
    run.log(f"rm: {len(train)} training pairs ({dropped} dropped as longer than {cfg.max_length} tokens), "
            f"{len(held)} held out, model {start}")
    trainer.train(resume_from_checkpoint=resume)
    summary.update(_hf.finish(trainer, run, tok, cb, {**lineage, "stage": "rm", "dataset": data_dir,
                                                      "kind": "reward", "adapter": False}))
    summary.update(pairs_train=len(train), pairs_dropped_too_long=dropped,
                   steps=offset + int(trainer.state.global_step))
    if before is not None:
        summary["heldout_pair_accuracy_before"] = before
    if not run.should_stop:
        after, held_long = heldout_pair_accuracy(trainer.model, tok, held, cfg.max_length)
        if after is not None:
            run.metrics(offset + int(trainer.state.global_step), {"eval/heldout_pair_accuracy": after})
            summary["heldout_pair_accuracy"] = after
    summary["heldout_pairs_too_long"] = held_long
    return summary


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
