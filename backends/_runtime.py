"""The backend side of the run protocol: read the resolved config, emit events, report the outcome.

A stage module ends with::

    if __name__ == "__main__":
        from backends._runtime import run_stage
        run_stage(Config, main)

The supervisor starts ``python -m backends.<stage> --run-dir DIR``. ``DIR/config.json`` holds the resolved config,
``DIR/launch.json`` the attempt number and the checkpoint to resume from. Stdlib only (torch loads inside ``main``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from backends.events import (
    EVENTS_FILE,
    Artifact,
    Checkpoint,
    EventWriter,
    LogLine,
    Progress,
    RunFailed,
    RunFinished,
    RunStarted,
    hostname,
)

C = TypeVar("C")


class StopRequested(BaseException):
    """Raised in the main thread on SIGTERM so stages can unwind (and save) instead of dying mid-write.

    A BaseException so that ``except Exception`` blocks in library code do not swallow it.
    """


class RunContext:
    """What a stage's ``main`` gets: where to write, and how to report."""

    def __init__(self, run_dir: Path, run_id: str, attempt: int, resume_from: str | None) -> None:
        self.dir = run_dir
        self.id = run_id
        self.attempt = attempt
        self.resume_from = resume_from
        self.events = EventWriter(run_dir / EVENTS_FILE)

    def metrics(self, step: int, values: dict[str, Any]) -> None:
        self.events.metrics(step, values)

    def progress(self, done: int, total: int | None = None, unit: str = "", label: str = "") -> None:
        self.events.emit(Progress(done=done, total=total, unit=unit, label=label))

    def log(self, text: str, level: str = "info") -> None:
        self.events.emit(LogLine(text=text, level=level))

    def checkpoint(self, step: int, path: str | os.PathLike[str]) -> None:
        self.events.emit(Checkpoint(step=step, path=str(path)))

    def artifact(self, name: str, path: str | os.PathLike[str], kind: str, meta: dict[str, Any] | None = None) -> None:
        self.events.emit(Artifact(name=name, path=str(path), artifact_kind=kind, meta=meta or {}))


def load_config(cls: type[C], data: dict[str, Any]) -> C:
    """Build the stage's Config dataclass from the resolved JSON (the supervisor validated it already)."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def run_stage(config_cls: type[C], main: Callable[[C, RunContext], Any]) -> None:
    """Entry point used by every stage module's ``__main__`` block. Exits the process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", required=True, type=Path)
    args = parser.parse_args()
    run_dir: Path = args.run_dir
    cfg = load_config(config_cls, json.loads((run_dir / "config.json").read_text()))
    launch = json.loads((run_dir / "launch.json").read_text()) if (run_dir / "launch.json").exists() else {}
    run = RunContext(run_dir, launch.get("run_id", run_dir.name), int(launch.get("attempt", 1)), launch.get("resume_from"))

    def on_term(signum: int, frame: Any) -> None:
        raise StopRequested(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_term)
    run.events.emit(RunStarted(pid=os.getpid(), host=hostname(), attempt=run.attempt, resumed_from=run.resume_from))
    try:
        summary = main(cfg, run)
    except StopRequested as e:
        # No terminal event: the supervisor that sent the signal records "stopped"; anyone else's SIGTERM reads as a
        # crash with exit code 143, which is what it is.
        run.log(f"stopping on {e}", level="warning")
        sys.stdout.flush()
        os._exit(143)
    except BaseException as e:  # noqa: BLE001 - every failure must reach the store, KeyboardInterrupt included
        run.events.emit(RunFailed(error=f"{type(e).__name__}: {e}"[:2000], traceback=traceback.format_exc()[-8000:]))
        traceback.print_exc()
        sys.exit(1)
    run.events.emit(RunFinished(summary=summary if isinstance(summary, dict) else {}))
    sys.exit(0)
