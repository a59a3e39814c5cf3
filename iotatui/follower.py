"""The app's one store follower: a single thread that reads only what is new and posts it to whoever watches.

Screens and widgets never poll the store themselves. They ``watch`` (a run, or all runs, and the kinds of rows they
show) and receive messages (``iotatui.messages``) on their own message queue; Textual's ``post_message`` is
thread-safe. One connection, one loop, whatever the number of open screens, so an idle app costs one cheap pass per
``refresh_s`` and a burst of screens never multiplies the polling.

Each pass: reconcile (ingest new events of active runs, liveness), then per watch the rows after its cursors.
Cursors belong to the watch, so a screen opened late gets the history first (or starts after the history it loaded
itself, downsampled: ``metrics_after``). A watch whose target no longer accepts messages is dropped.

The loop takes a ``post`` target per watch and imports nothing from Textual but the message classes, so tests drive
:meth:`Follower.poll_once` with any object that has ``post_message``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from iotatui.runview import RunLog
    from iotatui.workspace import Workspace

KINDS = frozenset({"runs", "metrics", "log", "verdicts"})
OVERLAP_S = 5.0
"""Re-read runs updated this long before the newest row seen: another process may commit a row stamped a moment
before one already read (it waited for the write lock). Watches drop rows whose ``updated`` they already have."""
METRICS_CHUNK = 100_000
VERDICTS_CHUNK = 50_000
"""At most this many rows per message: a screen catching up on a huge run gets several messages, never one giant."""
VERDICT_COLUMNS = ("id", "sample_id", "problem", "verdict", "n_tests", "fail_test", "t")
IDLE_MAX_S = 2.0
"""The longest wait between passes while nothing runs and nothing changes (a run launched elsewhere shows within it)."""


class Target(Protocol):
    def post_message(self, message: Any) -> bool: ...


@dataclass(eq=False)
class Watch:
    """What one target follows, and how far it has read."""

    target: Target
    run_id: str | None
    kinds: frozenset[str]
    metrics_after: int = 0
    verdicts_after: int = 0
    seen: dict[str, float] = field(default_factory=dict)
    """run id -> the ``updated`` stamp last posted (runs are posted again only when their row changed)."""
    fresh: bool = True
    announced: bool = False
    """A runs watch's first message is sent even when empty: "no runs yet" differs from "not read yet"."""
    log: RunLog | None = None


class Follower:
    """Owns the polling thread; ``watch``/``unwatch``/``wake`` may be called from any thread."""

    def __init__(self, home: Path, refresh_s: float) -> None:
        self.home = Path(home)
        self.refresh_s = refresh_s
        self._watches: list[Watch] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self.passes = 0
        """Completed polling passes (tests wait on it instead of sleeping)."""
        self.active = False
        """A run was starting, running or stopping at the last pass (the loop then never backs off)."""
        self.error: BaseException | None = None
        """The last pass's error (None once a pass succeeds again); the loop keeps going."""
        self.errors = 0
        """Passes that failed so far."""

    # -- the API screens use ---------------------------------------------------------------------------------------
    def watch(self, target: Target, run_id: str | None = None, kinds: Iterable[str] = ("runs",),
              metrics_after: int = 0, verdicts_after: int = 0) -> Watch:
        ks = frozenset(kinds)
        if not ks <= KINDS:
            raise ValueError(f"unknown watch kind(s) {sorted(ks - KINDS)}; known: {sorted(KINDS)}")
        if run_id is None and ks - {"runs"}:
            raise ValueError("metrics, log and verdicts are followed per run: give run_id")
        w = Watch(target, run_id, ks, metrics_after, verdicts_after)
        with self._lock:
            self._watches.append(w)
        self.wake()
        return w

    def unwatch(self, w: Watch) -> None:
        with self._lock:
            if w in self._watches:
                self._watches.remove(w)

    def wake(self) -> None:
        """Poll now rather than at the end of the current ``refresh_s`` wait (after an action, a new watch)."""
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    @property
    def watches(self) -> list[Watch]:
        with self._lock:
            return list(self._watches)

    # -- the loop --------------------------------------------------------------------------------------------------
    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Poll until stopped or ``cancelled()``; the workspace handle (and its SQLite connection) is this thread's."""
        from iotatui.workspace import Workspace

        ws = Workspace(self.home)
        try:
            wait = self.refresh_s
            while not (self._stopped.is_set() or cancelled()):
                self._wake.clear()
                try:
                    posted = self.poll_once(ws)
                    self.error = None
                except Exception as e:  # noqa: BLE001 - one bad pass must not end the follower for good
                    # (a dead follower is a table that never changes again): kept for whoever shows it, and the
                    # next pass tries again (a failed write transaction has rolled back: the connection is usable).
                    self.error = e
                    self.errors += 1
                    posted = 0
                # Nothing running and nothing new: back off up to IDLE_MAX_S, so an idle app costs next to nothing
                # whatever refresh_s says; anything posted, an active run or wake() brings refresh_s back.
                wait = self.refresh_s if posted or self.active else min(wait * 2, max(self.refresh_s, IDLE_MAX_S))
                if self._wake.wait(wait):
                    wait = self.refresh_s
        finally:
            ws.close()

    def poll_once(self, ws: Workspace) -> int:
        """One pass over every watch; returns the number of messages posted."""
        from iotatui.store import ACTIVE
        from iotatui.supervisor import reconcile

        reconcile(ws)  # readers ingest: new events of active runs become rows here
        self.active = ws.store.conn.execute(
            f"SELECT 1 FROM runs WHERE status IN ({', '.join('?' * len(ACTIVE))}) LIMIT 1", ACTIVE).fetchone() is not None
        posted = 0
        changed: list[dict[str, Any]] | None = None
        ids: set[str] | None = None
        for w in self.watches:
            if "runs" in w.kinds and w.run_id is None:
                if changed is None:
                    changed, ids = self._changed_runs(ws)
                posted += self._post_runs(w, ws, changed, ids or set())
            if w.run_id is not None:
                posted += self._post_run(w, ws)
        self.passes += 1
        return posted

    def _changed_runs(self, ws: Workspace) -> tuple[list[dict[str, Any]], set[str]]:
        newest = max((t for w in self.watches if w.run_id is None for t in w.seen.values()), default=0.0)
        rows = ws.store.runs_changed_since(newest - OVERLAP_S) if newest else ws.store.list_runs()
        ids = {r[0] for r in ws.store.conn.execute("SELECT id FROM runs")}
        return rows, ids

    def _send(self, w: Watch, message: Any) -> int:
        if w.target.post_message(message) is False:  # closed: its screen went away without unwatching
            self.unwatch(w)
            return 0
        return 1

    def _post_runs(self, w: Watch, ws: Workspace, changed: list[dict[str, Any]], ids: set[str]) -> int:
        from iotatui.messages import RunsChanged, RunsRemoved

        rows = ws.store.list_runs() if w.fresh else changed
        w.fresh = False
        new = [r for r in rows if w.seen.get(r["id"]) != r["updated"]]
        gone = sorted(set(w.seen) - ids)
        n = 0
        if gone:
            for run_id in gone:
                del w.seen[run_id]
            n += self._send(w, RunsRemoved(gone))
        if new or not w.announced:
            w.announced = True
            for r in new:
                w.seen[r["id"]] = r["updated"]
            n += self._send(w, RunsChanged(new))
        return n

    def _post_run(self, w: Watch, ws: Workspace) -> int:
        from iotatui.messages import LogReceived, MetricsReceived, RunsChanged, VerdictsReceived
        from iotatui.runview import RunLog
        from iotatui.store import TERMINAL

        assert w.run_id is not None
        run = ws.store.get_run(w.run_id)
        if run is None:
            return 0
        n = 0
        if "runs" in w.kinds and w.seen.get(run["id"]) != run["updated"]:
            w.seen[run["id"]] = run["updated"]
            n += self._send(w, RunsChanged([run]))
        if "metrics" in w.kinds:
            rows = ws.store.metrics_after_id(w.run_id, w.metrics_after, limit=METRICS_CHUNK)
            if rows:
                w.metrics_after = rows[-1][0]
                n += self._send(w, MetricsReceived(w.run_id, rows))
        if "verdicts" in w.kinds:
            vrows = ws.store.conn.execute(
                f"SELECT {', '.join(VERDICT_COLUMNS)} FROM verdicts WHERE run = ? AND id > ? ORDER BY id LIMIT ?",
                (w.run_id, w.verdicts_after, VERDICTS_CHUNK)).fetchall()
            if vrows:
                w.verdicts_after = vrows[-1][0]
                n += self._send(w, VerdictsReceived(w.run_id, [dict(zip(VERDICT_COLUMNS, r, strict=True))
                                                                for r in vrows]))
        if "log" in w.kinds:
            # The same merged view as `iotatui logs`: output of both streams and the store's events.
            w.log = w.log or RunLog(ws.store, w.run_id, run["run_dir"], streams=("stdout", "stderr"))
            lines = w.log.poll(final=run["status"] in TERMINAL)  # an ended run's unterminated last line
            if lines:
                n += self._send(w, LogReceived(w.run_id, "\n".join(lines) + "\n"))
        return n
