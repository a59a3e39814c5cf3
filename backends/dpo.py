"""Direct preference optimisation (TRL ``DPOTrainer``) with a LoRA adapter; the reference is the same model with
the adapter disabled (``ref_model=None`` + ``peft_config``: no second copy in memory)::

    iotatui launch dpo --preset smoke
    iotatui launch dpo --parent <sft run> --set dataset=run:<data_pairs id>

The dataset is a ``data_pairs`` output (``prompt``/``chosen``/``rejected``), a ``run:<id>`` of one, or built on
the fly from ``source`` when ``dataset`` is empty. The final model is the adapter (``<run dir>/model``, artifact
``model``, ``adapter: true`` in its meta); ``iotatui model merge RUN OUT`` merges it into its base.
``backends/orpo.py`` reuses this module's setup with ``trl.experimental.orpo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backends._health import HealthConfig
from backends._hf import EFFECTIVE_BATCH_HELP, check_dataset_value, check_effective_batch, check_model_value

if TYPE_CHECKING:
    from backends._runtime import RunContext

SCHEDULERS = ["cosine", "linear", "constant", "constant_with_warmup", "cosine_with_restarts"]


@dataclass
class _Settings:
    model: str = field(default="", metadata={
        "path": "if-exists", "help": "Model dir, hub id, or 'tiny' (built into the workspace); '' with --parent."})
    dataset: str = field(default="", metadata={
        "path": "if-exists", "help": "data_pairs dataset dir or run:<id>; '' builds one from `source`."})
    source: str = field(default="bundled", metadata={
        "path": "if-exists", "help": "Problem source when `dataset` is empty (bundled, a file, a dir, a hub name)."})
    beta: float = field(default=1.0, metadata={"help": "Preference temperature beta.", "min": 0})
    max_length: int = field(default=4000, metadata={"help": "Max tokens of prompt + completion.", "min": 8})
    batch_size: int = field(default=1, metadata={"help": "Per-device batch size (pairs).", "min": 1})
    grad_accum: int = field(default=32, metadata={"help": "Gradient accumulation steps (unused when effective_batch "
                                                          "> 0).", "min": 1})
    effective_batch: int = field(default=0, metadata={"help": EFFECTIVE_BATCH_HELP, "min": 0})
    lr: float = field(default=1e-6, metadata={"help": "AdamW peak learning rate.", "min": 0, "max": 1})
    scheduler: str = field(default="cosine", metadata={"help": "LR schedule.", "choices": SCHEDULERS})
    warmup_steps: int = field(default=5000, metadata={"help": "Linear warm-up steps.", "min": 0})
    epochs: float = field(default=1.0, metadata={"help": "Epochs (when max_steps is -1).", "min": 0})
    max_steps: int = field(default=-1, metadata={"help": "Optimizer steps (-1: run `epochs`).", "min": -1})
    logging_steps: int = field(default=10, metadata={"help": "Log metrics every N steps.", "min": 1})
    save_steps: int = field(default=500, metadata={"help": "Checkpoint every N steps.", "min": 1})
    save_total_limit: int = field(default=3, metadata={"help": "Keep the last N checkpoints (0: all).", "min": 0})
    seed: int = field(default=0, metadata={"help": "Seed (data order, LoRA init)."})
    gradient_checkpointing: bool = field(default=False, metadata={
        "help": "Recompute activations in backward (less memory, ~30% slower)."})
    lora_r: int = field(default=32, metadata={"help": "LoRA rank on all linear layers but the embeddings.", "min": 1})
    lora_alpha: int = field(default=0, metadata={"help": "LoRA alpha (0: equal to lora_r, scale 1).", "min": 0})


@dataclass
class Config(HealthConfig, _Settings):
    """The stage's settings, then the health thresholds (``health_*``: NaN, likelihood displacement, ...)."""

    def check(self) -> None:
        check_model_value(self.model)
        check_dataset_value("dataset", self.dataset)
        check_effective_batch(self)


def preference_trainer(cfg: Config, model_path: str, dataset: Any, run: RunContext, gpu: bool,
                       stage: str = "dpo") -> tuple[Any, Any, Any]:
    """(trainer, tokenizer, events callback) for ``dpo`` or ``orpo``; the tests build it in-process too."""
    from backends import _hf

    if stage == "orpo":
        config_cls, trainer_cls = _hf.orpo_classes()
    else:
        import trl

        config_cls, trainer_cls = trl.DPOConfig, trl.DPOTrainer
    tok = _hf.load_tokenizer(model_path)
    model = _hf.load_model(model_path, gpu=gpu, frozen=True)  # only the LoRA adapter trains
    # TRL reads prompt/chosen/rejected; a data_pairs dataset's `problem` column (for the RM's held-out split) is
    # not the trainer's (ORPO keeps unused columns and would carry it through every batch).
    dataset = dataset.select_columns([c for c in ("prompt", "chosen", "rejected") if c in dataset.column_names])
    args = config_cls(**_hf.trainer_args(cfg, run.dir / "checkpoints", gpu), beta=cfg.beta, max_length=cfg.max_length)
    cb = _hf.events_callback(run)
    trainer = trainer_cls(model=model, args=args, train_dataset=dataset, processing_class=tok,
                          callbacks=[cb, _hf.health_callback(cfg, run)],
                          peft_config=_hf.lora_config(cfg.lora_r, cfg.lora_alpha))
    _hf.guard_finite_loss(trainer)
    return trainer, tok, cb


def preference_main(cfg: Config, run: RunContext, stage: str) -> dict[str, Any]:
    from backends import _hf

    model_path, lineage = _hf.resolve_model_input(cfg.model, run, stage)
    data_dir = cfg.dataset or _hf.build_dataset("pairs", run, model_path, cfg.source, cfg.max_length)
    dataset = _hf.load_dataset_dir(data_dir)
    gpu = _hf.on_gpu()
    _hf.log_batch(cfg, run, stage)
    trainer, tok, cb = preference_trainer(cfg, model_path, dataset, run, gpu, stage)
    reference = "adapter-off" if getattr(trainer, "ref_model", None) is None else "copy"
    run.log(f"{stage}: {len(dataset)} pairs, model {model_path}, LoRA r={cfg.lora_r}, "
            f"{'reference: ' + reference if stage == 'dpo' else 'no reference'}, {'cuda' if gpu else 'cpu'}")
    trainer.train(resume_from_checkpoint=_hf.resume_checkpoint(run, run.dir / "checkpoints"))
    meta = {**lineage, "stage": stage, "dataset": data_dir, "adapter": True, "base_model": model_path,
            "lora_r": cfg.lora_r}
    summary = _hf.finish(trainer, run, tok, cb, meta)
    health = next(c for c in trainer.callback_handler.callbacks if hasattr(c, "monitor")).monitor
    summary["health"] = dict(health.seen)
    if stage == "dpo":
        summary["reference"] = reference
    return summary


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    return preference_main(cfg, run, "dpo")


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
