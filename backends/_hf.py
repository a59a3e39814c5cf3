"""What the training stages (sft, dpo, orpo, rm) share: model/tokenizer loading, the LoRA builder, the trainer
arguments every stage sets the same way, the events callback, lineage (``--parent``) and the on-the-fly datasets.

The top level is stdlib only: the CLI imports stage modules (and through them this one) to validate configs, and
torch + transformers + trl cost ~10 s of import. Every heavy import is inside a function.

Conventions every stage follows (so the curves, checkpoints and artifacts look the same):

* metrics: TRL's ``logs`` keys, passed through verbatim when they carry a ``/`` namespace (``rewards/margins``),
  ``train/<key>`` otherwise, ``eval/<key>`` for ``eval_<key>``; only on the main process;
* checkpoints: ``<run dir>/checkpoints/checkpoint-<step>`` (the Trainer's own format, so ``resume`` hands it
  straight to ``trainer.train(resume_from_checkpoint=...)`` and the step axis continues);
* a stop request (SIGTERM) becomes ``control.should_save`` + ``should_training_stop`` at the next optimizer step;
* a NaN/inf loss raises :class:`NonFiniteLoss` before the optimizer step that would train on it;
* a checkpoint or final-model save that fails on a full disk removes its half-written dir and raises ``DiskFull``
  (``backends/_failures.py``; the runtime turns it, and out-of-memory errors, into one reason line);
* the final model goes to ``<run dir>/model`` and is recorded as the artifact ``model`` (``StageInfo.output``).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backends._runtime import RunContext

TINY = "tiny"
"""The ``model`` value that means: the workspace's tiny random Llama (built by ``iotatui model tiny`` on first use)."""
NAMED = ("tiny", "learn")
"""``model`` values that name a model built into the workspace on first use (``iotatui.data.models.NAMED_MODELS``)."""


class NonFiniteLoss(RuntimeError):
    """The loss became NaN/inf: the run fails at once instead of training on it."""


class LineageError(ValueError):
    """A ``--parent`` that cannot hand on a model: one line."""


# ---------------------------------------------------------------------------------------------------------------
# Inputs: model, parent, datasets


def workspace_home() -> Path | None:
    home = os.environ.get("IOTATUI_HOME")
    return Path(home) if home else None


def tiny_model_dir() -> Path:
    """The workspace's shared tiny model (built once; a lock file keeps two smoke runs from racing)."""
    return named_model_dir(TINY)


def named_model_dir(name: str, home: Path | None = None) -> Path:
    """The workspace's model ``name`` (``tiny``, ``learn``), built once under a lock (two runs never race to build
    it; the builder renames a finished temp dir into place)."""
    import fcntl

    from iotatui.data.models import make_named

    home = home or workspace_home() or Path.home() / ".cache" / "iotatui"
    out = home / "models" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "config.json").exists():
            make_named(name, out)
    return out


def parent_kind_error(stage: str, parent_stage: str) -> str | None:
    """Why a ``parent_stage`` run cannot be the ``--parent`` of a ``stage`` run (None when it can), by the stage's
    own declaration (``iotatui.stages.StageInfo.parents``, the rule ``iotatui launch`` refuses with at once)."""
    from iotatui.stages import STAGES

    info = STAGES.get(stage)
    if info is None or info.parents is None or parent_stage in info.parents:
        return None
    return (f"a {parent_stage} run has no model a {stage} run can start from "
            f"(expected a finished {', '.join(info.parents)} run)")


def parent_model(parent_id: str, stage: str, store: Any = None) -> tuple[str, dict[str, Any]]:
    """(path, artifact meta) of the ``model`` a parent run hands on to a ``stage`` run; LineageError (one line)
    for a parent that is unknown, not a training run, not finished, or of a kind this stage cannot start from."""
    from iotatui.refs import find_artifact
    from iotatui.store import FINISHED, Store

    own = store is None
    if own:
        home = workspace_home()
        if home is None:
            raise LineageError(f"--parent {parent_id}: no workspace (IOTATUI_HOME is not set)")
        store = Store(home / "iotatui.db")
    try:
        run = store.get_run(parent_id)
        if run is None:
            raise LineageError(f"--parent {parent_id}: no such run")
        kind_error = parent_kind_error(stage, run["stage"])
        if kind_error:
            raise LineageError(f"--parent {parent_id}: {kind_error}")
        if run["status"] != FINISHED:
            raise LineageError(f"--parent {parent_id}: run is {run['status']}, not finished")
        art = find_artifact(store, run, "model")
        if art is None or not Path(art["path"]).exists():
            raise LineageError(f"--parent {parent_id}: run has no model artifact on disk")
        return str(art["path"]), dict(art.get("meta") or {})
    finally:
        if own:
            store.close()


def resolve_model_input(model: str, run: RunContext, stage: str) -> tuple[str, dict[str, Any]]:
    """The model a run starts from, and its lineage: ``--parent``'s model, else ``model`` (a dir, a hub id or
    ``tiny``). A LoRA parent is merged into its base first (the child starts from the parent's weights)."""
    parent = _launch(run).get("parent")
    if parent:
        path, meta = parent_model(parent, stage)
        if model:
            run.log(f"model={model} ignored: --parent {parent} hands on its model {path}")
        if meta.get("adapter"):
            merged = run.dir / "parent_merged"
            if not main_first(run, merged / "config.json"):
                merge_adapter(path, merged)
            path = str(merged)
        return path, {"parent": parent, "parent_model": path, "base": path}
    if not model:
        raise LineageError("model: required (a model dir, a hub id, 'tiny', 'learn', or --parent RUN)")
    if model in NAMED:
        return str(named_model_dir(model)), {"base": model}
    from iotatui.data.models import resolve_model

    return resolve_model(model), {"base": model}


def _launch(run: RunContext) -> dict[str, Any]:
    p = run.dir / "launch.json"
    return json.loads(p.read_text()) if p.exists() else {}


def check_model_value(model: str) -> None:
    """Launch check of a ``model`` config value (no network): '' and the names (tiny, learn) pass; else a dir or a
    hub id."""
    if model and model not in NAMED and not model.startswith("run:"):
        from iotatui.data.models import check_model

        check_model(model)  # DataError is a ValueError: one line at launch


def check_dataset_value(name: str, value: str) -> None:
    if value and not value.startswith("run:") and not Path(value).is_dir():
        raise ValueError(f"{name}: {value}: no such dataset directory (a data_sft/data_pairs output or run:<id>)")


def load_dataset_dir(path: str) -> Any:
    from datasets import load_from_disk

    ds = load_from_disk(path)
    if hasattr(ds, "keys"):  # a DatasetDict: train on its train split
        ds = ds["train"] if "train" in ds else ds[next(iter(ds.keys()))]
    return ds


def build_dataset(kind: str, run: RunContext, tokenizer_dir: str, source: str, max_tokens: int) -> str:
    """Build a ``data_sft`` (kind 'sft') or ``data_pairs`` (kind 'pairs') dataset into the run dir from a problem
    source, with the data stages' own code, and record it as the run's ``dataset`` artifact. Reused on resume."""
    out = run.dir / f"data_{kind}"
    if not main_first(run, out / "dataset_info.json"):
        if kind == "sft":
            from backends import data_sft

            scfg = data_sft.Config(tokenizer=tokenizer_dir, source=source, max_tokens=max_tokens, overwrite=True)
            _, report = data_sft.build(scfg, out, log=run.log)
            rows = report["counts"]["kept"]["total"]
        else:
            from backends import data_pairs

            pcfg = data_pairs.Config(source=source, overwrite=True)
            _, report = data_pairs.build(pcfg, out, log=run.log)
            rows = report["counts"]["triplets"]
        run.artifact("dataset", out, "dataset", {"kind": kind, "source": source, "rows": rows})
    return str(out)


def main_first(run: RunContext, done: Path, timeout_s: float = 3600) -> bool:
    """True when ``done`` exists, or once it does on a non-main rank (which waits while rank 0 builds it); False on
    the main process when it must build it now. Keeps several ranks from writing the same directory (the builders
    rename a finished temp dir into place, so ``done`` appears only when the whole thing is there)."""
    import time

    if done.exists():
        return True
    if run.is_main:
        return False
    deadline = time.monotonic() + timeout_s
    while not done.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout_s:.0f}s for rank 0 to write {done}")
        time.sleep(1.0)
    return True


# ---------------------------------------------------------------------------------------------------------------
# Models


def on_gpu() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def load_tokenizer(path: str) -> Any:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    if tok.pad_token is None:  # DeepSeek-Coder ships one; a bare tokenizer may not: pad with EOS then
        tok.pad_token = tok.eos_token
    return tok


def load_model(path: str, kind: str = "causal", gpu: bool | None = None, frozen: bool = False) -> Any:
    """The weights a stage trains. On GPU the compute is bf16 either way (``bf16=True``: autocast); the stored
    weights are bf16 only when ``frozen`` (the base under a LoRA adapter; PEFT keeps the adapter in fp32). A full
    fine-tune keeps fp32 master weights: a bf16 weight cannot hold an update ~1e-6 relative to it (DPO's lr 1e-6,
    SFT's 1e-4 times a 0.02-sized weight), so most steps would round away. CPU: fp32 (bf16 matmuls are slow there).
    ``kind``: 'causal' or 'reward' (a one-label sequence classifier; a causal-LM checkpoint gets a fresh ``score``)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification

    gpu = on_gpu() if gpu is None else gpu
    dtype = torch.bfloat16 if gpu and frozen else torch.float32
    if kind == "reward":
        model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1, dtype=dtype)
    else:
        model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    return model


def lora_config(r: int, alpha: int = 0, dropout: float = 0.0, task: str = "CAUSAL_LM") -> Any:
    """LoRA on every linear layer but the output embedding (PEFT's ``all-linear``; embeddings are not Linear)."""
    from peft import LoraConfig

    extra = {"modules_to_save": ["score"]} if task == "SEQ_CLS" else {}
    return LoraConfig(r=r, lora_alpha=alpha or r, lora_dropout=dropout, target_modules="all-linear", task_type=task,
                      **extra)


def merge_adapter(adapter_dir: str | Path, out: str | Path) -> Path:
    """A LoRA adapter merged into its base model, saved (with the tokenizer) at ``out``."""
    from peft import AutoPeftModelForCausalLM

    out = Path(out)
    if (out / "config.json").exists():
        return out
    model = AutoPeftModelForCausalLM.from_pretrained(str(adapter_dir))
    merged = model.merge_and_unload()
    tmp = out.with_name(out.name + ".tmp")
    merged.save_pretrained(tmp)
    load_tokenizer(str(adapter_dir)).save_pretrained(tmp)
    tmp.rename(out)
    return out


def orpo_classes() -> tuple[Any, Any]:
    """``(ORPOConfig, ORPOTrainer)``: the one ``trl.experimental`` import of the project."""
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
    from trl.experimental.orpo import ORPOConfig, ORPOTrainer

    return ORPOConfig, ORPOTrainer


# ---------------------------------------------------------------------------------------------------------------
# Trainer arguments and callbacks


@dataclass
class Common:
    """The trainer settings every stage exposes under the same names (a stage's Config carries these fields)."""

    max_steps: int
    epochs: float
    batch_size: int
    grad_accum: int
    lr: float
    scheduler: str
    warmup_steps: int
    logging_steps: int
    save_steps: int
    save_total_limit: int
    seed: int
    gradient_checkpointing: bool


EFFECTIVE_BATCH_HELP = ("Samples per optimizer step over all processes; > 0 sets the accumulation to effective_batch / "
                        "(batch_size x processes), so 1 and 2 GPUs train the same recipe (0: use grad_accum as given).")


def world_size() -> int:
    """Processes of this launch (``accelerate launch`` / torchrun set ``WORLD_SIZE``; 1 alone)."""
    try:
        return max(1, int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError:
        return 1


def check_effective_batch(cfg: Any) -> None:
    """Launch check: ``effective_batch`` a multiple of ``batch_size`` (the process count is checked at the start)."""
    eff = getattr(cfg, "effective_batch", 0)
    if eff and eff % cfg.batch_size:
        raise ValueError(f"effective_batch: {eff} is not a multiple of batch_size {cfg.batch_size}")


def accumulation(cfg: Any, world: int | None = None) -> int:
    """Gradient accumulation steps: ``grad_accum``, or ``effective_batch / (batch_size x world)`` when the config
    sets ``effective_batch > 0`` (ValueError, one line, when that does not divide)."""
    eff: int = getattr(cfg, "effective_batch", 0)
    if not eff:
        return int(cfg.grad_accum)
    world = world_size() if world is None else world
    per_step: int = cfg.batch_size * world
    if eff % per_step:
        raise ValueError(f"effective_batch: {eff} is not a multiple of batch_size {cfg.batch_size} x {world} "
                         f"process{'es' if world > 1 else ''} ({per_step})")
    return eff // per_step


def log_batch(cfg: Any, run: RunContext, stage: str) -> int:
    """Say at the start what one optimizer step trains on (and check it): returns the accumulation steps."""
    world = world_size()
    accum = accumulation(cfg, world)
    how = "from effective_batch" if getattr(cfg, "effective_batch", 0) else "grad_accum as given"
    run.log(f"{stage}: batch {cfg.batch_size} per device x {world} process{'es' if world > 1 else ''} x {accum} "
            f"accumulation = {cfg.batch_size * world * accum} per optimizer step ({how})")
    return accum


def trainer_args(cfg: Any, out_dir: Path, gpu: bool) -> dict[str, Any]:
    """Keyword arguments for any TRL ``*Config`` from a stage config (duck-typed on the :class:`Common` names; the
    accumulation is :func:`accumulation`'s)."""
    return {
        "output_dir": str(out_dir),
        "report_to": "none",
        "use_cpu": not gpu,
        "bf16": gpu,
        "max_steps": cfg.max_steps,
        "num_train_epochs": cfg.epochs,
        "per_device_train_batch_size": cfg.batch_size,
        "gradient_accumulation_steps": accumulation(cfg),
        "learning_rate": cfg.lr,
        "lr_scheduler_type": cfg.scheduler,
        "warmup_steps": cfg.warmup_steps,
        "logging_steps": cfg.logging_steps,
        "save_strategy": "steps",
        "save_steps": cfg.save_steps,
        "save_total_limit": cfg.save_total_limit or None,
        "seed": cfg.seed,
        "gradient_checkpointing": cfg.gradient_checkpointing,
        "logging_nan_inf_filter": False,  # the default hides a NaN loss behind the running average
        "disable_tqdm": True,  # the stdout log stays readable; progress goes through events
        "dataloader_num_workers": 0,
        "optim": "adamw_torch_fused" if gpu else "adamw_torch",
    }


def metric_key(key: str, prefix: str = "train") -> str:
    if "/" in key:
        return key
    if key.startswith("eval_"):
        return "eval/" + key[len("eval_"):]
    return f"{prefix}/{key}"


def events_callback(run: RunContext, prefix: str = "train", step_offset: int = 0) -> Any:
    """A ``TrainerCallback`` that streams ``logs`` as metrics, reports checkpoints and honours ``run.should_stop``.

    ``prefix`` names keys without a namespace (``train/loss``; the RM's first phase uses ``adapt``) and
    ``step_offset`` shifts the step axis (the RM's second phase continues after the first)."""
    from transformers import TrainerCallback

    class EventsCallback(TrainerCallback):  # type: ignore[misc]
        def __init__(self) -> None:
            self.summary: dict[str, Any] = {}
            self.first_loss: float | None = None
            self.last_loss: float | None = None

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kw: Any) -> None:
            if not state.is_world_process_zero or not logs:
                return
            if "train_runtime" in logs:  # the end-of-training summary line, not a point on a curve
                self.summary.update({k: v for k, v in logs.items() if isinstance(v, (int, float))})
                return
            values = {metric_key(k, prefix): float(v) for k, v in logs.items()
                      if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "epoch"}
            if "epoch" in logs:
                values[f"{prefix}/epoch"] = float(logs["epoch"])
            loss = logs.get("loss")
            if isinstance(loss, (int, float)) and math.isfinite(loss):
                self.first_loss = float(loss) if self.first_loss is None else self.first_loss
                self.last_loss = float(loss)
            run.metrics(step_offset + state.global_step, values)
            if state.max_steps:
                run.progress(state.global_step, state.max_steps, unit="steps", label=prefix)

        def on_step_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            run.step = step_offset + state.global_step + 1  # what a failure (OOM, full disk) reports

        def on_save(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            # The Trainer calls on_save only after the whole checkpoint is written (a save that raised never gets
            # here), so a `checkpoint` event always names a complete one.
            if state.is_world_process_zero:
                path = Path(args.output_dir) / f"checkpoint-{state.global_step}"
                run.checkpoint(step_offset + state.global_step, path)

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            if _agree_stop(run.should_stop):
                control.should_save = True
                control.should_training_stop = True

    return EventsCallback()


def _agree_stop(local: bool) -> bool:
    """Under several ranks, stop when any rank was asked to (each gets its own SIGTERM at its own step); every rank
    must take the same branch or the checkpoint's collective save hangs."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        import torch

        flag = torch.tensor([1.0 if local else 0.0], device="cuda" if torch.cuda.is_available() else "cpu")
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        return bool(flag.item() > 0)
    return local


def guard_finite_loss(trainer: Any) -> None:
    """Fail at once on a NaN/inf loss: checked after each micro-batch's backward, before the optimizer step that
    would apply it, so the last checkpoint stays the last good state. (One host sync per micro-batch, which the
    Trainer's own NaN filter already pays.) Also installs :func:`guard_saves` (every stage calls this one)."""
    import torch

    guard_saves(trainer)
    inner = trainer.training_step

    def training_step(*args: Any, **kwargs: Any) -> Any:
        loss = inner(*args, **kwargs)
        if not bool(torch.isfinite(loss.detach()).all()):
            raise NonFiniteLoss(f"loss is {loss.item()} at step {trainer.state.global_step + 1}; stopped before "
                                "the optimizer step (last checkpoint kept)")
        return loss

    trainer.training_step = training_step


def guard_saves(trainer: Any) -> None:
    """A checkpoint save that fails on a full disk removes its half-written ``checkpoint-<step>`` dir and raises
    ``DiskFull`` naming it (``backends/_failures.py``): ``resume`` then finds only complete checkpoints. Wraps the
    Trainer's ``_save_checkpoint`` (the one method that writes them; stable across transformers 4.x-5.x)."""
    from backends._failures import save_guard

    inner = trainer._save_checkpoint
    if getattr(inner, "_iotatui_guarded", False):
        return

    def _save_checkpoint(*args: Any, **kwargs: Any) -> Any:
        path = Path(trainer.args.output_dir) / f"checkpoint-{trainer.state.global_step}"
        with save_guard(path, f"checkpoint {trainer.state.global_step}"):
            return inner(*args, **kwargs)

    _save_checkpoint._iotatui_guarded = True  # type: ignore[attr-defined]
    trainer._save_checkpoint = _save_checkpoint


def resume_checkpoint(run: RunContext, out_dir: Path) -> str | None:
    """The checkpoint to resume from when it belongs to ``out_dir`` (the RM has one checkpoint dir per phase)."""
    if run.resume_from and Path(run.resume_from).is_dir() and Path(run.resume_from).parent == out_dir:
        return run.resume_from
    return None


def finish(trainer: Any, run: RunContext, tokenizer: Any, cb: Any, meta: dict[str, Any],
           out: Path | None = None) -> dict[str, Any]:
    """After ``trainer.train``: unless stopping, save the final model (+ tokenizer) and record it as ``model``.
    Returns the run summary (first/last logged loss, the Trainer's end-of-training numbers)."""
    summary: dict[str, Any] = {"steps": int(trainer.state.global_step)}
    if cb.first_loss is not None:
        summary.update(first_loss=cb.first_loss, final_loss=cb.last_loss)
    summary.update({k: v for k, v in cb.summary.items() if k in ("train_runtime", "train_loss",
                                                                    "train_samples_per_second")})
    if run.should_stop:
        return summary
    out = out or run.dir / "model"
    from backends._failures import save_guard

    with save_guard(out, "the final model"):  # a full disk leaves no half-written model behind
        trainer.save_model(str(out))
        if trainer.is_world_process_zero():
            tokenizer.save_pretrained(str(out))
    if trainer.is_world_process_zero():
        run.artifact("model", out, "model", {**meta, "steps": summary["steps"]})
    summary["model"] = str(out)
    return summary


def health_callback(cfg: Any, run: RunContext) -> Any:
    """A ``TrainerCallback`` feeding every logged update to :class:`backends._health.Health` (GRPO, DPO, ORPO; the
    thresholds are the stage Config's ``health_*`` fields). Its ``monitor.seen`` goes into the run's summary."""
    from transformers import TrainerCallback

    from backends._health import Health, HealthConfig

    class HealthCallback(TrainerCallback):  # type: ignore[misc]
        def __init__(self) -> None:
            self.monitor = Health(HealthConfig.of(cfg))

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kw: Any) -> None:
            if not cfg.health or not state.is_world_process_zero or not logs or "train_runtime" in logs:
                return
            values = {metric_key(k): v for k, v in logs.items() if isinstance(v, (int, float))}
            self.monitor.observe(state.global_step, values, run)

    return HealthCallback()
