"""Workspace settings: ``<home>/settings.toml``, typed, every field documented. Stdlib only.

Example::

    max_concurrent_runs = 2
    gpus = 1
    stop_grace_s = 10

Values go through the same coercer and range check as stage configs (:func:`iotatui.stages.coerce_field`), so a
setting declares its range once, in its field's ``metadata``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

HOME_ENV = "IOTATUI_HOME"
DEFAULT_HOME = ".iotatui"


@dataclass(frozen=True)
class Settings:
    max_concurrent_runs: int = field(default=4, metadata={"min": 1})
    """Runs that may be active at once; queued runs wait for a free slot (0 would queue them forever)."""
    gpus: int = field(default=-1, metadata={"min": -1})
    """GPUs the queue may hand out (CUDA_VISIBLE_DEVICES per run). -1: count them with nvidia-smi (0 without it)."""
    stop_grace_s: float = field(default=10.0, metadata={"min": 0})
    """Seconds between SIGTERM and SIGKILL when stopping a run."""
    refresh_s: float = field(default=1.0, metadata={"min": 0.05, "max": 60})
    """How often the app polls the store for new rows (0 would make the idle app spin)."""


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """``--home`` wins, then ``$IOTATUI_HOME``, then ``./.iotatui``."""
    return Path(home or os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser().absolute()


def check_home(home: Path) -> None:
    """Can ``home`` be the workspace (an existing directory, or one we may create)? ValueError naming it if not:
    checked before anything is opened, so a typo'd ``--home`` pointing at a file is one line, not a traceback."""
    if home.exists():
        if not home.is_dir():
            raise ValueError(f"workspace {home}: not a directory (--home/${HOME_ENV} names the workspace directory)")
        if not os.access(home, os.W_OK | os.X_OK):
            raise ValueError(f"workspace {home}: not writable")
        return
    parent = home.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ValueError(f"workspace {home}: cannot be created ({parent} is not a directory)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"workspace {home}: cannot be created ({parent} is not writable)")


def load_settings(home: Path) -> Settings:
    """``<home>/settings.toml`` (defaults when absent). Raises ConfigError (a ValueError): one line naming the file."""
    from iotatui.stages import ConfigError, build_config, read_toml  # stdlib-only module

    path = home / "settings.toml"
    if not path.exists() and not path.is_symlink():
        return Settings()
    data = read_toml(path)
    known = [f.name for f in fields(Settings)]
    for k in data:
        if k not in known:
            raise ConfigError(f"{path}: unknown setting {k!r} (known: {', '.join(known)})")
    settings: Settings = build_config(Settings, data, origin=str(path))
    return settings
