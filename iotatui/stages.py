"""The stage registry and config resolution: defaults <- TOML file <- ``--set key=value``.

Each stage is a module ``backends/<name>.py`` with a ``Config`` dataclass whose fields carry defaults and
``metadata["help"]``. Its top level imports nothing heavy, so validating a launch (and ``--help``) stays fast.
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


STAGES: dict[str, StageInfo] = {
    s.name: s
    for s in (
        StageInfo("count", "backends.count", "tiny built-in stage: a decaying loss curve (demo, tests)"),
        StageInfo("data_sft", "backends.data_sft", "build the SFT dataset (prompt/completion) on disk"),
        StageInfo("data_pairs", "backends.data_pairs", "build preference triplets (prompt/chosen/rejected) on disk"),
        StageInfo("judge", "backends.judge_stage", "judge a SOLUTIONS.jsonl in the sandbox; verdicts into the store"),
        StageInfo("sft", "backends.sft", "supervised fine-tuning (TRL SFTTrainer)", gpus=1),
        StageInfo("rm", "backends.rm", "reward model (TRL RewardTrainer)", gpus=1),
        StageInfo("dpo", "backends.dpo", "direct preference optimisation (TRL DPOTrainer)", gpus=1),
        StageInfo("orpo", "backends.orpo", "ORPO (trl.experimental.orpo)", gpus=1),
        StageInfo("ppo", "backends.ppo", "PPO with a reward model (our own loop)", gpus=1),
        StageInfo("eval", "backends.eval", "sample with vLLM and judge: solved problems, pass@k", gpus=1),
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


def _coerce(key: str, value: Any, typ: Any, from_text: bool) -> Any:
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
                return _coerce(key, value, a, from_text)
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
        out = [_coerce(key, v, inner, from_text) for v in items]
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
                   base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The full resolved config of a stage as a JSON-able dict. ``base`` (e.g. a parent's values) sits under the file."""
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
                resolved[k] = _coerce(k, v, types_[k], from_text)
            except ConfigError as e:
                raise ConfigError(f"{origin}: {e}") from None

    if base:
        apply({k: v for k, v in base.items() if k in known}, "base", False)
    if config_file is not None:
        try:
            data = tomllib.loads(Path(config_file).read_text())
        except FileNotFoundError:
            raise ConfigError(f"{config_file}: no such file") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{config_file}: invalid TOML: {e}") from None
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
    try:
        cls(**resolved)  # the dataclass's own __post_init__ checks run here, before anything is written
    except (TypeError, ValueError) as e:
        raise ConfigError(f"stage {stage}: {e}") from None
    return resolved


def _absolutize_paths(known: dict[str, dataclasses.Field[Any]], resolved: dict[str, Any]) -> None:
    """Backends run with the run directory as their cwd, maybe started later by the queue from another process:
    relative paths are made absolute against the launcher's cwd now. Fields opt in with ``metadata["path"]``:
    ``"always"`` (an output location) or ``"if-exists"`` (a value that may also be a hub id or a set name)."""
    for k, f in known.items():
        mode, v = f.metadata.get("path"), resolved.get(k)
        if not mode or not isinstance(v, str) or not v or Path(v).is_absolute():
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
        out.append((f.name, getattr(t, "__name__", str(t)), default, f.metadata.get("help", "")))
    return out
