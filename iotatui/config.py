"""Workspace settings: ``<home>/settings.toml``, typed, every field documented. Stdlib only.

Example::

    max_concurrent_runs = 2
    gpus = 1
    stop_grace_s = 10
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

HOME_ENV = "IOTATUI_HOME"
DEFAULT_HOME = ".iotatui"


@dataclass(frozen=True)
class Settings:
    max_concurrent_runs: int = 4
    """Runs that may be active at once; queued runs wait for a free slot."""
    gpus: int = -1
    """GPUs the queue may hand out (CUDA_VISIBLE_DEVICES per run). -1: count them with nvidia-smi (0 without it)."""
    stop_grace_s: float = 10.0
    """Seconds between SIGTERM and SIGKILL when stopping a run."""
    refresh_s: float = 1.0
    """How often the app polls the store for new rows."""


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """``--home`` wins, then ``$IOTATUI_HOME``, then ``./.iotatui``."""
    return Path(home or os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser().absolute()


def load_settings(home: Path) -> Settings:
    path = home / "settings.toml"
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: {e}") from None
    known = {f.name: f for f in fields(Settings)}
    kwargs = {}
    for k, v in data.items():
        if k not in known:
            raise ValueError(f"{path}: unknown setting {k!r} (known: {', '.join(known)})")
        typ = type(getattr(Settings(), k))
        if typ is float and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        if not isinstance(v, typ) or isinstance(v, bool):
            article = "an" if typ.__name__[0] in "aeiou" else "a"
            raise ValueError(f"{path}: {k} = {v!r} is not {article} {typ.__name__}")
        kwargs[k] = v
    return Settings(**kwargs)
