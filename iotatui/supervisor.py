"""Run supervisor: launch detached runs, stop them, notice deaths, run the queue, resume. No Textual.

Every run process tree is::

    shim (python -m iotatui.shim, session leader, ignores SIGTERM/SIGHUP)
      └─ backend (python -m backends.<stage> --run-dir DIR)

Both live in their own session (``setsid``), so closing the app or dropping SSH does not touch them. The shim
waits for the backend, records its exit status, ingests the final events and then runs a queue pass, so queued
runs start when their dependencies finish even when no UI or CLI is open. Every read (app, CLI) also calls
:func:`reconcile`: an active run whose processes are gone without a terminal event becomes ``crashed``. Liveness
checks pid *and* process start time, so a reused pid cannot pass for the old process; zombies count as dead.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from backends.events import hostname
from iotatui import procinfo
from iotatui.config import Settings, load_settings
from iotatui.ingest import ingest_all, ingest_run
from iotatui.stages import ConfigError, resolve_config, stage_info
from iotatui.store import ACTIVE, TERMINAL, Store, StoreError


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


def launch(ws: Workspace, stage: str, config_file: Path | None = None, sets: list[str] | None = None,
           parent: str | None = None, after: list[str] | None = None, gpus: int | None = None,
           start: bool = True) -> str:
    """Validate everything, then write the run row and directory, then let the queue start it.

    Raises ConfigError/StoreError before anything is written when the stage, a key, a value or a referenced run
    is bad.
    """
    info = stage_info(stage)
    config = resolve_config(stage, config_file, sets)
    parent_id = ws.store.resolve_run(parent)["id"] if parent else None
    after_ids = [ws.store.resolve_run(a)["id"] for a in (after or [])]
    need_gpus = info.gpus if gpus is None else gpus
    if need_gpus > 0 and gpu_count(ws.settings) == 0:
        need_gpus = 0  # a GPU stage on a CPU-only machine runs on the CPU rather than waiting forever
    run_id = new_run_id(stage)
    run_dir = ws.run_dir(run_id)
    tmp = run_dir.with_name(run_id + ".tmp")
    tmp.mkdir(parents=True)
    (tmp / "config.json").write_text(json.dumps(config, indent=2, default=str))
    tmp.rename(run_dir)
    ws.store.insert_run({
        "id": run_id, "stage": stage, "status": "queued", "parent": parent_id, "after": json.dumps(after_ids),
        "config": json.dumps(config, default=str), "run_dir": str(run_dir), "gpus": need_gpus,
    })
    if start:
        tick(ws)
    return run_id


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


def tick(ws: Workspace) -> list[str]:
    """One queue pass: fail runs whose dependency failed, start runs whose dependencies finished and that fit the
    free slots and GPUs. Safe to call from many processes at once (claims happen under the write lock)."""
    started: list[str] = []
    to_spawn: list[dict[str, Any]] = []
    # The app reconciles every second: without queued runs there is nothing to do, so no write lock is taken.
    if ws.store.conn.execute("SELECT 1 FROM runs WHERE status = 'queued' LIMIT 1").fetchone() is None:
        return started
    total_gpus = gpu_count(ws.settings)
    with ws.store.write() as c:
        rows = c.execute("SELECT id, status, after, gpus, gpu_ids FROM runs WHERE status IN "
                         "('queued', 'starting', 'running', 'stopping') ORDER BY created, id").fetchall()
        statuses = dict(c.execute("SELECT id, status FROM runs").fetchall())
        active = [r for r in rows if r[1] != "queued"]
        used_gpus = {int(g) for r in active if r[4] for g in r[4].split(",")}
        n_active = len(active)
        changed = True
        queued = [r for r in rows if r[1] == "queued"]
        # Failure propagates along chains (A fails -> B fails -> C fails) within one pass.
        while changed:
            changed = False
            for run_id, _, after_json, _, _ in queued:
                if statuses.get(run_id) != "queued":
                    continue
                for dep in json.loads(after_json):
                    st = statuses.get(dep)
                    if st in ("failed", "crashed", "stopped") or st is None:
                        why = f"dependency {dep} {st or 'is missing'}"
                        c.execute("UPDATE runs SET status='failed', error=?, finished=?, updated=? WHERE id=?",
                                  (why, time.time(), time.time(), run_id))
                        statuses[run_id] = "failed"
                        changed = True
                        break
        for run_id, _, after_json, need, _ in queued:
            if statuses.get(run_id) != "queued":
                continue
            if any(statuses.get(dep) != "finished" for dep in json.loads(after_json)):
                continue
            if n_active >= ws.settings.max_concurrent_runs:
                break
            free = [g for g in range(total_gpus) if g not in used_gpus]
            if need > len(free):
                if need > total_gpus:
                    c.execute("UPDATE runs SET status='failed', error=?, finished=?, updated=? WHERE id=?",
                              (f"needs {need} GPUs, this machine has {total_gpus}", time.time(), time.time(), run_id))
                continue  # keep order fair but let smaller (CPU) runs through
            ids = free[:need]
            used_gpus.update(ids)
            n_active += 1
            c.execute("UPDATE runs SET status='starting', gpu_ids=?, attempt=attempt+1, started=?, finished=NULL, "
                      "exit_code=NULL, error=NULL, updated=? WHERE id=?",
                      (",".join(map(str, ids)), time.time(), time.time(), run_id))
            to_spawn.append({"id": run_id, "gpu_ids": ids})
    for item in to_spawn:
        _spawn(ws, item["id"], item["gpu_ids"])
        started.append(item["id"])
    return started


def _spawn(ws: Workspace, run_id: str, gpu_ids: list[int]) -> None:
    run = ws.store.get_run(run_id)
    assert run is not None
    run_dir = Path(run["run_dir"])
    (run_dir / "launch.json").write_text(json.dumps(
        {"run_id": run_id, "attempt": run["attempt"], "resume_from": run["resume_from"]}))
    (run_dir / "exit.json").unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env["IOTATUI_HOME"] = str(ws.home)
    env["CUDA_VISIBLE_DEVICES"] = ",".join(map(str, gpu_ids))
    # The project root on the path, so `backends` imports even from a non-installed checkout.
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    stage_module = stage_info(run["stage"]).module
    cmd = [sys.executable, "-m", "iotatui.shim", "--home", str(ws.home), "--run", run_id, "--",
           sys.executable, "-m", stage_module, "--run-dir", str(run_dir)]
    with open(run_dir / "stdout.log", "ab") as out, open(run_dir / "stderr.log", "ab") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=str(run_dir),
                                env=env, start_new_session=True, close_fds=True)
    ws.store.update_run(run_id, shim_pid=proc.pid, shim_start=procinfo.start_time(proc.pid), pgid=proc.pid,
                        host=hostname())


def _is_running(run: dict[str, Any]) -> bool:
    if run.get("host") and run["host"] != hostname():
        return True  # another host's run: only its events file can tell us about it
    return procinfo.is_alive(run.get("pid"), run.get("proc_start")) or procinfo.is_alive(
        run.get("shim_pid"), run.get("shim_start"))


def _tail(path: Path, n: int = 20) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            return "\n".join(f.read().decode(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def finalize(ws: Workspace, run_id: str) -> None:
    """The run's processes are gone: ingest the rest and settle its status."""
    ingest_run(ws.store, run_id, final=True)
    run = ws.store.get_run(run_id)
    if run is None or run["status"] not in ACTIVE:
        return
    run_dir = Path(run["run_dir"])
    exit_code = None
    try:
        exit_code = json.loads((run_dir / "exit.json").read_text()).get("exit_code")
    except (OSError, ValueError):
        pass
    if run["status"] == "stopping":
        ws.store.update_run(run_id, status="stopped", finished=time.time(), exit_code=exit_code)
        return
    why = f"exit code {exit_code}" if exit_code is not None else "exit status unknown (shim gone)"
    if exit_code is not None and exit_code < 0:
        why = f"killed by {signal.Signals(-exit_code).name}" if -exit_code in signal.Signals._value2member_map_ else why
    tail = _tail(run_dir / "stderr.log") or _tail(run_dir / "stdout.log")
    error = f"process died without a final event ({why})" + (f"\n{tail}" if tail else "")
    ws.store.update_run(run_id, status="crashed", finished=time.time(), exit_code=exit_code, error=error[-4000:])


def reconcile(ws: Workspace) -> None:
    """Ingest new events, mark dead active runs, and run a queue pass. Called on every read."""
    procinfo.reap_children()
    ingest_all(ws.store)
    for run in ws.store.list_runs(ACTIVE):
        if run["status"] == "starting" and not run.get("shim_pid"):
            if time.time() - (run.get("started") or 0) < 30:
                continue  # claimed by a tick in another process that has not spawned yet
        if not _is_running(run):
            finalize(ws, run["id"])
    tick(ws)


def stop(ws: Workspace, ref: str, grace_s: float | None = None, wait: bool = True) -> dict[str, Any]:
    """SIGTERM the run's process group, SIGKILL after the grace period; status ``stopped``."""
    run = ws.store.resolve_run(ref)
    if run["status"] == "queued":
        ws.store.update_run(run["id"], status="stopped", finished=time.time())
        tick(ws)
        return ws.store.get_run(run["id"]) or run
    if run["status"] not in ACTIVE:
        raise StoreError(f"run {run['id']} is {run['status']}, not running")
    ws.store.update_run(run["id"], status="stopping")
    pgid = run.get("pgid")
    if pgid and _is_running(run):
        _signal_group(pgid, signal.SIGTERM)
        deadline = time.time() + (ws.settings.stop_grace_s if grace_s is None else grace_s)
        while wait and time.time() < deadline and _is_running(run):
            procinfo.reap_children()
            time.sleep(0.1)
        if wait and _is_running(run):
            _signal_group(pgid, signal.SIGKILL)
            t_end = time.time() + 5
            while time.time() < t_end and _is_running(run):
                procinfo.reap_children()
                time.sleep(0.05)
    if not wait:
        return ws.store.get_run(run["id"]) or run
    finalize(ws, run["id"])
    tick(ws)
    return ws.store.get_run(run["id"]) or run


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def resume(ws: Workspace, ref: str) -> dict[str, Any]:
    """Restart a stopped/crashed/failed run as the same id from its last checkpoint (the stage decides what a
    checkpoint is). Metrics logged after that checkpoint are dropped so the resumed curve lines up."""
    run = ws.store.resolve_run(ref)
    if run["status"] not in ("stopped", "crashed", "failed"):
        raise StoreError(f"run {run['id']} is {run['status']}; only stopped, crashed or failed runs resume")
    ckpts = ws.store.checkpoints(run["id"])
    ckpt = next((c for c in reversed(ckpts) if Path(c["path"]).exists()), None)
    with ws.store.write() as c:
        keep_until = ckpt["step"] if ckpt else -1
        c.execute("DELETE FROM metrics WHERE run = ? AND step > ?", (run["id"], keep_until))
        c.execute("UPDATE runs SET status='queued', resume_from=?, error=NULL, exit_code=NULL, finished=NULL, "
                  "updated=? WHERE id=?", (ckpt["path"] if ckpt else None, time.time(), run["id"]))
    tick(ws)
    return ws.store.get_run(run["id"]) or run


__all__ = ["Workspace", "launch", "tick", "reconcile", "stop", "resume", "finalize", "ConfigError", "StoreError",
           "TERMINAL"]
