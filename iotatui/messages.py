"""App-wide messages (past tense: they report what happened). Posted by the one store follower (`iotatui.follower`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class RunsChanged(Message):
    """Rows of the runs table changed (only the changed runs are carried)."""

    runs: list[dict[str, Any]]


@dataclass
class MetricsReceived(Message):
    """New metric rows (id, step, key, value) of one run, in id order."""

    run_id: str
    rows: list[tuple[int, int, str, float | None]]


@dataclass
class LogReceived(Message):
    """New lines of a run's log: process output and the store's log events (see ``iotatui.runview.RunLog``)."""

    run_id: str
    text: str


@dataclass
class RunActionRequested(Message):
    """A screen asks the app to ``stop`` or ``resume`` a run (the app owns the worker that does it)."""

    action: str
    run_id: str


@dataclass
class RunsRemoved(Message):
    """Runs deleted from the store since the watcher last heard of them."""

    run_ids: list[str]


@dataclass
class VerdictsReceived(Message):
    """New verdict rows of one run (dicts: id, sample_id, problem, verdict, n_tests, fail_test, t), in id order."""

    run_id: str
    rows: list[dict[str, Any]]
