"""Supervised fine-tuning (TRL ``SFTTrainer``, loss on the completion only)::

    iotatui launch sft --preset smoke
    iotatui launch sft --set model=/path/to/model --set dataset=run:<data_sft id>

The dataset is a ``data_sft`` output (``prompt``/``completion`` columns, saved with ``save_to_disk``), a
``run:<id>`` of one, or -- when ``dataset`` is empty -- built on the fly from ``source`` with the model's tokenizer
and recorded as the run's ``dataset`` artifact. Checkpoints go to ``<run dir>/checkpoints``; the final model to
``<run dir>/model`` (artifact ``model``). With ``lora_r > 0`` the model is a LoRA adapter (``iotatui model merge``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backends._hf import EFFECTIVE_BATCH_HELP, check_dataset_value, check_effective_batch, check_model_value

if TYPE_CHECKING:
    from backends._runtime import RunContext

SCHEDULERS = ["cosine", "linear", "constant", "constant_with_warmup", "cosine_with_restarts"]


@dataclass
class Config:
    model: str = field(default="", metadata={
        "path": "if-exists", "help": "Model dir, hub id, or 'tiny' (built into the workspace); '' with --parent."})
    dataset: str = field(default="", metadata={
        "path": "if-exists", "help": "data_sft dataset dir or run:<id>; '' builds one from `source`."})
    source: str = field(default="bundled", metadata={
        "path": "if-exists", "help": "Problem source when `dataset` is empty (bundled, a file, a dir, a hub name)."})
    max_length: int = field(default=4000, metadata={"help": "Max tokens of prompt + completion.", "min": 8})
    batch_size: int = field(default=1, metadata={"help": "Per-device batch size.", "min": 1})
    grad_accum: int = field(default=4, metadata={"help": "Gradient accumulation steps (unused when effective_batch "
                                                         "> 0).", "min": 1})
    effective_batch: int = field(default=0, metadata={"help": EFFECTIVE_BATCH_HELP, "min": 0})
    lr: float = field(default=1e-4, metadata={"help": "AdamW peak learning rate.", "min": 0, "max": 1})
    scheduler: str = field(default="cosine", metadata={"help": "LR schedule.", "choices": SCHEDULERS})
    warmup_steps: int = field(default=5000, metadata={"help": "Linear warm-up steps.", "min": 0})
    epochs: float = field(default=1.0, metadata={"help": "Epochs (when max_steps is -1).", "min": 0})
    max_steps: int = field(default=-1, metadata={"help": "Optimizer steps (-1: run `epochs`).", "min": -1})
    logging_steps: int = field(default=10, metadata={"help": "Log metrics every N steps.", "min": 1})
    save_steps: int = field(default=500, metadata={"help": "Checkpoint every N steps.", "min": 1})
    save_total_limit: int = field(default=3, metadata={"help": "Keep the last N checkpoints (0: all).", "min": 0})
    seed: int = field(default=0, metadata={"help": "Seed (data order, init of new weights)."})
    gradient_checkpointing: bool = field(default=False, metadata={
        "help": "Recompute activations in backward (less memory, ~30% slower)."})
    padding_free: bool = field(default=True, metadata={
        "help": "With batch_size > 1: one row with position ids, no pad tokens computed (`bench train`: ~2x)."})
    lora_r: int = field(default=0, metadata={"help": "LoRA rank on all linear layers (0: full fine-tune).", "min": 0})

    def check(self) -> None:
        check_model_value(self.model)
        check_dataset_value("dataset", self.dataset)
        check_effective_batch(self)


def sft_trainer(cfg: Config, model_path: str, dataset: Any, run: RunContext, gpu: bool) -> tuple[Any, Any, Any]:
    """(trainer, tokenizer, events callback): the whole TRL setup, also used by the tests and ``bench train``."""
    from trl import SFTConfig, SFTTrainer

    from backends import _hf

    tok = _hf.load_tokenizer(model_path)
    model = _hf.load_model(model_path, gpu=gpu, frozen=bool(cfg.lora_r))
    padding_free = cfg.padding_free and cfg.batch_size > 1  # one row per batch: nothing to save
    args = SFTConfig(
        **_hf.trainer_args(cfg, run.dir / "checkpoints", gpu),
        max_length=None if padding_free else cfg.max_length,
        completion_only_loss=True,
        padding_free=padding_free,
    )
    if padding_free:  # SFTTrainer wants max_length=None then (it would not truncate): drop over-long rows here
        dataset = _drop_long(dataset, tok, cfg.max_length, run)
    cb = _hf.events_callback(run)
    trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, processing_class=tok, callbacks=[cb],
                         peft_config=_hf.lora_config(cfg.lora_r) if cfg.lora_r else None)
    _hf.guard_finite_loss(trainer)
    return trainer, tok, cb


def _drop_long(dataset: Any, tok: Any, max_length: int, run: RunContext) -> Any:
    n = len(dataset)
    kept = dataset.filter(lambda r: len(tok(r["prompt"] + r["completion"])["input_ids"]) + 1 <= max_length)
    if len(kept) < n:
        run.log(f"dropped {n - len(kept)} of {n} samples longer than max_length {max_length}")
    return kept


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    from backends import _hf

    model_path, lineage = _hf.resolve_model_input(cfg.model, run, "sft")
    data_dir = cfg.dataset or _hf.build_dataset("sft", run, model_path, cfg.source, cfg.max_length)
    dataset = _hf.load_dataset_dir(data_dir)
    gpu = _hf.on_gpu()
    _hf.log_batch(cfg, run, "sft")
    trainer, tok, cb = sft_trainer(cfg, model_path, dataset, run, gpu)
    run.log(f"sft: {len(dataset)} samples, model {model_path}, {'cuda' if gpu else 'cpu'}")
    trainer.train(resume_from_checkpoint=_hf.resume_checkpoint(run, run.dir / "checkpoints"))
    meta = {**lineage, "stage": "sft", "dataset": data_dir, "adapter": bool(cfg.lora_r)}
    return _hf.finish(trainer, run, tok, cb, meta)


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
