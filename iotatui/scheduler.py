"""The run queue: which queued runs start now, on which GPUs, and which can never start. No Textual, stdlib only.

A pass (:func:`tick`) runs under the store's write lock, so the app, CLIs and run shims may all call it at once:
each queued run is claimed (``queued -> starting``) by exactly one of them, which then spawns it. Runs start in
creation order when their ``after`` dependencies have finished and a slot (``max_concurrent_runs``) and enough free
GPUs are there; a smaller run may overtake one waiting for GPUs. A run whose dependency failed, crashed, was stopped
or is missing fails too, along the whole chain in one pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable

from iotatui.config import Settings
from iotatui.store import ACTIVE, CRASHED, FAILED, FINISHED, QUEUED, STARTING, STOPPED, transition
from iotatui.workspace import Workspace

DEAD_DEPENDENCY = (FAILED, CRASHED, STOPPED)
"""A run waiting on a run in one of these statuses can never start."""

_GPU_COUNT: tuple[float, int] | None = None
GPU_COUNT_TTL_S = 60.0
"""The app reconciles every second; nvidia-smi takes ~0.1 s, so its answer is reused for a minute."""


def gpu_count(settings: Settings) -> int:
    global _GPU_COUNT
    if settings.gpus >= 0:
        return settings.gpus
    if _GPU_COUNT is not None and time.monotonic() - _GPU_COUNT[0] < GPU_COUNT_TTL_S:
        return _GPU_COUNT[1]
    n = 0
    if shutil.which("nvidia-smi"):
        try:
            out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10).stdout
            n = sum(1 for line in out.splitlines() if line.startswith("GPU "))
        except (OSError, subprocess.TimeoutExpired):
            n = 0
    _GPU_COUNT = (time.monotonic(), n)
    return n


def claim(ws: Workspace) -> list[tuple[str, list[int]]]:
    """One queue decision pass under the write lock: fail what can never start, claim (``starting``) what starts
    now. Returns (run id, GPU ids) for each claimed run; the caller spawns them."""
    claimed: list[tuple[str, list[int]]] = []
    # The app reconciles every second: without queued runs there is nothing to do, so no write lock is taken.
    if ws.store.conn.execute("SELECT 1 FROM runs WHERE status = ? LIMIT 1", (QUEUED,)).fetchone() is None:
        return claimed
    total_gpus = gpu_count(ws.settings)
    with ws.store.write() as c:
        marks = ", ".join("?" * (1 + len(ACTIVE)))
        rows = c.execute(f"SELECT id, status, after, gpus, gpu_ids, attempt FROM runs WHERE status IN ({marks}) "
                         "ORDER BY created, id", (QUEUED, *ACTIVE)).fetchall()
        statuses: dict[str, str] = dict(c.execute("SELECT id, status FROM runs").fetchall())
        active = [r for r in rows if r[1] != QUEUED]
        used_gpus = {int(g) for r in active if r[4] for g in r[4].split(",")}
        n_active = len(active)
        queued = [r for r in rows if r[1] == QUEUED]
        now = time.time()
        # Failure propagates along chains (A fails -> B fails -> C fails) within one pass.
        changed = True
        while changed:
            changed = False
            for run_id, _, after_json, _, _, _ in queued:
                if statuses.get(run_id) != QUEUED:
                    continue
                for dep in json.loads(after_json):
                    st = statuses.get(dep)
                    if st is None or st in DEAD_DEPENDENCY:
                        if transition(c, run_id, FAILED, error=f"dependency {dep} {st or 'is missing'}", finished=now):
                            statuses[run_id] = FAILED
                            changed = True
                        break
        for run_id, _, after_json, need, _, attempt in queued:
            if statuses.get(run_id) != QUEUED:
                continue
            if any(statuses.get(dep) != FINISHED for dep in json.loads(after_json)):
                continue
            if n_active >= ws.settings.max_concurrent_runs:
                break
            free = [g for g in range(total_gpus) if g not in used_gpus]
            if need > len(free):
                if need > total_gpus:
                    transition(c, run_id, FAILED, error=f"needs {need} GPUs, this machine has {total_gpus}",
                               finished=now)
                continue  # keep order fair but let smaller (CPU) runs through
            ids = free[:need]
            if not transition(c, run_id, STARTING, gpu_ids=",".join(map(str, ids)), attempt=(attempt or 0) + 1,
                              started=now, finished=None, exit_code=None, error=None):
                continue
            used_gpus.update(ids)
            n_active += 1
            claimed.append((run_id, ids))
    return claimed


def tick(ws: Workspace, spawn: Callable[[Workspace, str, list[int]], bool] | None = None) -> list[str]:
    """One queue pass: claim what can start, then ``spawn`` each claimed run (default: the supervisor's), which
    returns False when the run failed instead of starting. Safe to call from many processes at once. Returns the
    ids started."""
    if spawn is None:
        from iotatui.supervisor import spawn as default_spawn  # the supervisor imports this module: bind at call time

        spawn = default_spawn
    started: list[str] = []
    while True:
        failed = False
        for run_id, gpu_ids in claim(ws):
            if spawn(ws, run_id, gpu_ids):
                started.append(run_id)
            else:
                failed = True
        # A run that failed at spawn frees its slot and fails its dependents: settle that now, not on the next
        # reader's pass. Each failure leaves one queued run fewer, so this ends.
        if not failed:
            return started
