"""The workspace handle: a directory with ``iotatui.db``, ``settings.toml`` and ``runs/<id>/``. Stdlib only.

Everything that works on runs (supervisor, queue, CLI, app, shims) takes one of these.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from iotatui.config import Settings, load_settings
from iotatui.store import Store


class Workspace:
    """A workspace directory: ``iotatui.db``, ``settings.toml`` and ``runs/<id>/``."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "runs").mkdir(exist_ok=True)
        self.store = Store(self.home / "iotatui.db")
        self.settings: Settings = load_settings(self.home)

    def run_dir(self, run_id: str) -> Path:
        return self.home / "runs" / run_id

    def close(self) -> None:
        self.store.close()


def new_run_id(stage: str) -> str:
    return f"{stage}-{time.strftime('%m%d-%H%M%S')}-{secrets.token_hex(2)}"
