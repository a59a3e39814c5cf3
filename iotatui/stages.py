"""The stage registry and config resolution: defaults <- TOML file <- ``--set key=value``.

Each stage is a module ``backends/<name>.py`` with a ``Config`` dataclass whose fields carry defaults and
``metadata``: ``help`` (one line), optionally ``min``/``max`` (inclusive range of a number) and ``choices`` (allowed
values of a string, or of each item of a list), and ``path`` (see :func:`_absolutize_paths`). The range is declared
once there and checked here, so the CLI, the app's form and the backend check the same thing. A ``Config`` may also
define ``check(self) -> None``: launch-time checks that look outside the config (an input exists, an output is not
already full), raising ``ValueError`` with one line; :func:`resolve_config` calls it before anything is written.
Its top level imports nothing heavy, so validating a launch (and ``--help``) stays fast.
Errors are ``ConfigError`` with one line naming the offending key or value.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """Bad stage, key, value or file: one line for the user, exit code 2."""


@dataclass(frozen=True)
class StageInfo:
    name: str
    module: str
    help: str
    gpus: int = 0
    """GPUs a run of this stage asks the queue for by default (where the machine has them)."""
    stop_grace_s: float | None = None
    """Seconds this stage may need between SIGTERM and SIGKILL (saving a large model takes longer than the default).
    None: the workspace's ``stop_grace_s``; the supervisor uses the larger of the two unless ``--grace`` is given."""
    output: str = ""
    """Name of the run's main artifact, what a ``run:<id>`` reference resolves to (see :mod:`iotatui.refs`)."""
    parents: tuple[str, ...] | None = None
    """The stages whose runs may be this stage's ``--parent`` (None: any run, as a plain ``--after``). The one
    lineage rule: ``iotatui launch``, the launcher, and the backends that take a parent's model read it here."""
    distributed: bool = False
    """Given more than one GPU, the stage runs under ``accelerate launch`` (one process per GPU; only rank 0 writes
    events, see :func:`distributed_command`)."""


def distributed_command(python: str, module: str, run_dir: str, n_gpus: int) -> list[str]:
    """How a ``distributed`` stage starts on ``n_gpus`` > 1 GPUs: accelerate's own launcher, DDP with one process per
    visible GPU (CUDA_VISIBLE_DEVICES is the run's slot), bf16 autocast, no dynamo, one machine -- all on the command
    line, so no accelerate config file is read or needed. Training stages agree on a stop across ranks
    (``backends/_hf.py``), so every rank saves and stops at the same step."""
    return [python, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", str(n_gpus),
            "--num_machines", "1", "--mixed_precision", "bf16", "--dynamo_backend", "no",
            "-m", module, "--run-dir", run_dir]


POLICY_STAGES = ("sft", "dpo", "orpo", "grpo")
"""Stages whose ``model`` artifact is a causal LM a training stage may start from (an ``rm`` output is a scorer; a
``ppo`` model carries its value head's training state and is evaluated, not trained on)."""
EVAL_PARENTS = (*POLICY_STAGES, "ppo")
"""Every stage whose ``model`` an eval samples."""

STAGES: dict[str, StageInfo] = {
    s.name: s
    for s in (
        StageInfo("count", "backends.count", "tiny built-in stage: a decaying loss curve (demo, tests)",
                  output="curve"),
        StageInfo("data_sft", "backends.data_sft", "build the SFT dataset (prompt/completion) on disk",
                  output="sft"),
        StageInfo("data_pairs", "backends.data_pairs", "build preference triplets (prompt/chosen/rejected) on disk",
                  output="pairs"),
        StageInfo("judge", "backends.judge_stage", "judge a SOLUTIONS.jsonl in the sandbox; verdicts into the store",
                  output="verdicts"),
        StageInfo("sft", "backends.sft", "supervised fine-tuning (TRL SFTTrainer)", gpus=1,
                  stop_grace_s=120, output="model", parents=POLICY_STAGES, distributed=True),
        StageInfo("rm", "backends.rm", "reward model (TRL RewardTrainer)", gpus=1, stop_grace_s=120,
                  output="model", parents=POLICY_STAGES, distributed=True),
        StageInfo("dpo", "backends.dpo", "direct preference optimisation (TRL DPOTrainer)", gpus=1,
                  stop_grace_s=120, output="model", parents=POLICY_STAGES, distributed=True),
        StageInfo("orpo", "backends.orpo", "ORPO (trl.experimental.orpo)", gpus=1, stop_grace_s=120, output="model",
                  parents=POLICY_STAGES, distributed=True),
        StageInfo("ppo", "backends.ppo", "PPO with a reward model (our own loop)", gpus=1, stop_grace_s=120,
                  output="model", parents=POLICY_STAGES),
        StageInfo("grpo", "backends.grpo", "GRPO with the judge as reward (TRL GRPOTrainer)", gpus=1,
                  stop_grace_s=120, output="model", parents=POLICY_STAGES),
        StageInfo("eval", "backends.eval", "sample with vLLM and judge: solved problems, pass@k", gpus=1,
                  stop_grace_s=60, output="eval", parents=EVAL_PARENTS),
    )
}


def available_stages() -> dict[str, StageInfo]:
    """Stages whose backend module is present in this install."""
    return {n: s for n, s in STAGES.items() if importlib.util.find_spec(s.module) is not None}


def stage_info(name: str) -> StageInfo:
    avail = available_stages()
    if name not in avail:
        raise ConfigError(f"unknown stage {name!r} (available: {', '.join(avail)})")
    return avail[name]


def config_class(stage: str) -> type:
    module = importlib.import_module(stage_info(stage).module)
    cls = getattr(module, "Config", None)
    if cls is None or not dataclasses.is_dataclass(cls):
        raise ConfigError(f"stage {stage!r}: {module.__name__} has no Config dataclass")
    return cls  # type: ignore[return-value]


def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def coerce(key: str, value: Any, typ: Any, from_text: bool = False) -> Any:
    """Convert ``value`` to the field type; raise ConfigError naming the key and value."""
    origin = typing.get_origin(typ)
    args = typing.get_args(typ)
    if origin in (typing.Union, types.UnionType):
        if value is None or (from_text and str(value).lower() in ("none", "null")):
            if type(None) in args:
                return None
        errors = []
        for a in args:
            if a is type(None):
                continue
            try:
                return coerce(key, value, a, from_text)
            except ConfigError as e:
                errors.append(str(e))
        raise ConfigError(errors[0] if errors else f"{key}: bad value {value!r}")
    if origin in (list, tuple):
        inner = args[0] if args else str
        if from_text and isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            raise ConfigError(f"{key}: expected a list, got {value!r}")
        out = [coerce(key, v, inner, from_text) for v in items]
        return out if origin is list else tuple(out)
    if typ is bool:
        if isinstance(value, bool):
            return value
        if from_text and str(value).lower() in ("1", "true", "yes", "on"):
            return True
        if from_text and str(value).lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{key}: {value!r} is not a bool (true/false)")
    if typ is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if from_text:
            try:
                return int(str(value).replace("_", ""))
            except ValueError:
                pass
        raise ConfigError(f"{key}: {value!r} is not an int")
    if typ is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if from_text:
            try:
                return float(value)
            except ValueError:
                pass
        raise ConfigError(f"{key}: {value!r} is not a float")
    if typ is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"{key}: {value!r} is not a string")
    if typ is dict or origin is dict:
        if isinstance(value, dict):
            return value
        raise ConfigError(f"{key}: {value!r} is not a table")
    return value


def range_text(meta: Any) -> str:
    """The allowed range of a field as the help and the errors show it: ``1..8``, ``>= 0``, ``docker, bwrap``."""
    if "choices" in meta:
        return ", ".join(map(str, meta["choices"]))
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and hi is not None:
        return f"{lo}..{hi}"
    if lo is not None:
        return f">= {lo}"
    if hi is not None:
        return f"<= {hi}"
    return ""


def field_help(f: dataclasses.Field[Any], text: str | None = None) -> str:
    """A field's help with its declared range appended, unless the help already states it."""
    text = f.metadata.get("help", "") if text is None else text
    rng = range_text(f.metadata)
    stated = rng in text or ("choices" in f.metadata and all(str(c) in text for c in f.metadata["choices"]))
    if rng and not stated:
        text = f"{text} (allowed: {rng})".strip()
    return text


def check_value(key: str, value: Any, meta: Any) -> None:
    """Check a coerced value against its field's ``min``/``max``/``choices``; ConfigError names key, value, range."""
    items = value if isinstance(value, (list, tuple)) else [value]
    for v in items:
        if v is None:
            continue
        if "choices" in meta and v not in meta["choices"]:
            raise ConfigError(f"{key}: unknown value {v!r} (expected {range_text(meta)})")
        lo, hi = meta.get("min"), meta.get("max")
        if isinstance(v, (int, float)) and not isinstance(v, bool) and (
                (lo is not None and v < lo) or (hi is not None and v > hi)):
            raise ConfigError(f"{key}: {v!r} is out of range ({range_text(meta)})")


def coerce_field(f: dataclasses.Field[Any], typ: Any, value: Any, from_text: bool = False) -> Any:
    """The one way a value becomes a field's value: type coercion, then the field's declared range/choices."""
    v = coerce(f.name, value, typ, from_text)
    check_value(f.name, v, f.metadata)
    return v


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; every way it can be unreadable is one ConfigError line naming the path."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, expected a TOML file") from None
    except PermissionError:
        raise ConfigError(f"{path}: permission denied") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None


def build_config(cls: type, values: dict[str, Any], origin: str = "", from_text: bool = False,
                 label: str = "", launch_checks: bool = True) -> Any:
    """Values (already layered) -> the checked ``cls`` instance: each value coerced and range-checked, the
    dataclass's own ``__post_init__`` run, then its ``check()`` (launch checks) when ``launch_checks``.
    ``origin`` prefixes type/range errors (``--set``, a file name); ``label`` prefixes the dataclass's own errors."""
    types_ = _field_types(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for k, v in values.items():
        if k not in known:
            raise ConfigError(f"{origin + ': ' if origin else ''}unknown config key {k!r}"
                              f"{' for ' + label if label else ''} (known: {', '.join(known)})")
        try:
            kwargs[k] = coerce_field(known[k], types_[k], v, from_text)
        except ConfigError as e:
            raise ConfigError(f"{origin}: {e}" if origin else str(e)) from None
    prefix = f"{label}: " if label else ""
    try:
        obj = cls(**kwargs)  # the dataclass's own __post_init__ checks run here, before anything is written
        if launch_checks and callable(getattr(obj, "check", None)):
            obj.check()
    except ConfigError:
        raise
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{prefix}{e}") from None
    return obj


def parse_sets(sets: list[str]) -> dict[str, str]:
    out = {}
    for s in sets:
        if "=" not in s:
            raise ConfigError(f"--set {s!r}: expected key=value")
        k, v = s.split("=", 1)
        if not k.strip():
            raise ConfigError(f"--set {s!r}: empty key")
        out[k.strip()] = v
    return out


def resolve_config(stage: str, config_file: Path | None = None, sets: list[str] | None = None,
                   preset: str | None = None, check: bool = True) -> dict[str, Any]:
    """The full resolved config of a stage as a JSON-able dict: defaults <- ``preset`` <- ``config_file`` <- ``sets``.

    Every value is type- and range-checked, then the stage's ``Config.check()`` runs (an input exists, an output is
    free), so a bad launch is refused here, before anything is written. ``check=False`` only shows the values
    (``iotatui stages STAGE --preset P``): the Config is not built, so required inputs may still be missing."""
    cls = config_class(stage)
    types_ = _field_types(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    resolved: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            resolved[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            resolved[f.name] = f.default_factory()

    def apply(values: dict[str, Any], origin: str, from_text: bool) -> None:
        for k, v in values.items():
            if k not in known:
                raise ConfigError(f"{origin}: unknown config key {k!r} for stage {stage} (known: {', '.join(known)})")
            try:
                resolved[k] = coerce_field(known[k], types_[k], v, from_text)
            except ConfigError as e:
                raise ConfigError(f"{origin}: {e}") from None

    if preset:
        from iotatui.presets import preset as preset_values

        apply(preset_values(stage, preset), f"--preset {preset}", False)
    if config_file is not None:
        data = read_toml(Path(config_file))
        # Accept either a flat table or one table named after the stage.
        if set(data) == {stage} and isinstance(data[stage], dict):
            data = data[stage]
        apply(data, str(config_file), False)
    if sets:
        apply(parse_sets(sets), "--set", True)
    _absolutize_paths(known, resolved)
    missing = [k for k in known if k not in resolved]
    if missing:
        raise ConfigError(f"stage {stage}: required config key(s) not set: {', '.join(missing)}")
    # A `run:<id>` value names another run's output, resolved when this run starts (iotatui.refs); the launch checks,
    # which may look at that input, run then (supervisor.spawn) instead of now.
    has_refs = any(isinstance(v, str) and v.startswith("run:") for v in resolved.values())
    if not check:
        return resolved
    build_config(cls, resolved, label=f"stage {stage}", launch_checks=not has_refs)
    return resolved


def _absolutize_paths(known: dict[str, dataclasses.Field[Any]], resolved: dict[str, Any]) -> None:
    """Backends run with the run directory as their cwd, maybe started later by the queue from another process:
    relative paths are made absolute against the launcher's cwd now. Fields opt in with ``metadata["path"]``:
    ``"always"`` (an output location) or ``"if-exists"`` (a value that may also be a hub id or a set name)."""
    for k, f in known.items():
        mode, v = f.metadata.get("path"), resolved.get(k)
        if not mode or not isinstance(v, str) or not v or v.startswith("run:") or Path(v).is_absolute():
            continue
        if mode == "always" or (mode == "if-exists" and Path(v).exists()):
            resolved[k] = str(Path(v).expanduser().absolute())


def describe(stage: str) -> list[tuple[str, str, Any, str]]:
    """(name, type, default, help) for each config field: the launch screen and ``launch --help`` show these."""
    cls = config_class(stage)
    types_ = _field_types(cls)
    out = []
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else None
        t = types_[f.name]
        out.append((f.name, getattr(t, "__name__", str(t)), default, field_help(f)))
    return out
