"""Run supervisor: launch detached runs, spawn them, notice deaths, stop, resume. No Textual, stdlib only.

Every run process tree is::

    shim (python -m iotatui.shim, session leader, ignores SIGTERM/SIGHUP)
      └─ backend (python -m backends.<stage> --run-dir DIR)

Both live in their own session (``setsid``), so closing the app or dropping SSH does not touch them. The shim
waits for the backend, records its exit status, ingests the final events and then runs a queue pass, so queued
runs start when their dependencies finish even when no UI or CLI is open. Every read (app, CLI) also calls
:func:`reconcile`: an active run whose processes are gone without a terminal event becomes ``crashed``. Liveness
checks pid *and* process start time, so a reused pid cannot pass for the old process; zombies count as dead.

The workspace handle lives in :mod:`iotatui.workspace`, the queue in :mod:`iotatui.scheduler`, ``run:<id>`` inputs
in :mod:`iotatui.refs`; their names are re-exported here. Every status change goes through
:func:`iotatui.store.transition`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from backends.events import hostname
from iotatui import procinfo, refs
from iotatui.ingest import ingest_all, ingest_run
from iotatui.runview import ATTEMPT_MARK
from iotatui.scheduler import DEAD_DEPENDENCY, gpu_count
from iotatui.scheduler import tick as _queue_tick
from iotatui.stages import (
    STAGES,
    ConfigError,
    build_config,
    config_class,
    distributed_command,
    resolve_config,
    stage_info,
)
from iotatui.store import (
    ACTIVE,
    CRASHED,
    FAILED,
    QUEUED,
    STARTING,
    STOPPED,
    STOPPING,
    TERMINAL,
    Store,
    StoreError,
    transition,
)
from iotatui.workspace import Workspace, new_run_id


def launch(ws: Workspace, stage: str, config_file: Path | None = None, sets: list[str] | None = None,
           parent: str | None = None, after: list[str] | None = None, gpus: int | None = None,
           start: bool = True, preset: str | None = None) -> str:
    """Validate everything, then write the run row and directory, then let the queue start it.

    The parent, every ``after`` run and every run named by a ``run:<id>`` config value become dependencies: the
    run starts when they have finished. Raises ConfigError/StoreError (one line) before anything is written when
    the stage, a key, a value or a referenced run is bad, including a dependency that already failed, crashed or
    was stopped (the run could never start).
    """
    info = stage_info(stage)
    config = resolve_config(stage, config_file, sets, preset=preset)
    inputs = refs.bind(ws.store, config)
    deps: list[str] = []
    parent_id = None
    if parent:
        parent_id = _live_dependency(ws.store, parent, "--parent")
        deps.append(parent_id)
    deps += [_live_dependency(ws.store, a, "--after") for a in (after or [])]
    deps += [ref["run"] for ref in inputs.values()]
    after_ids = list(dict.fromkeys(deps))  # de-duplicated, in order
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
        "id": run_id, "stage": stage, "status": QUEUED, "parent": parent_id, "after": json.dumps(after_ids),
        "config": json.dumps(config, default=str), "run_dir": str(run_dir), "gpus": need_gpus,
        "inputs": json.dumps(inputs),
    })
    if start:
        tick(ws)
    return run_id


def _live_dependency(store: Store, ref: str, option: str) -> str:
    """The full id of a run this one waits for; StoreError when it can never finish."""
    run = store.resolve_run(ref)
    if run["status"] in DEAD_DEPENDENCY:
        raise StoreError(f"{option} {ref}: run {run['id']} {run['status']}, so this run could never start "
                         f"(resume it first)")
    return str(run["id"])


def tick(ws: Workspace) -> list[str]:
    """One queue pass (:func:`iotatui.scheduler.tick`) that spawns what it claims."""
    return _queue_tick(ws, spawn)


def spawn(ws: Workspace, run_id: str, gpu_ids: list[int]) -> bool:
    """Start a claimed (``starting``) run: resolve its ``run:`` inputs, write ``config.json`` and ``launch.json``,
    start the shim detached. A run whose inputs cannot be resolved, or that cannot be started, fails (one line)
    and False is returned."""
    run = ws.store.get_run(run_id)
    assert run is not None
    run_dir = Path(run["run_dir"])
    inputs: dict[str, dict[str, Any]] = run.get("inputs") or {}
    config = dict(run["config"])
    try:
        info = stage_info(run["stage"])  # a stage removed since launch fails the run, not the queue
        stage_module = info.module
        if inputs:
            paths = refs.resolve(ws.store, inputs)
            config.update(paths)
            for key, path in paths.items():
                inputs[key]["path"] = path
            if run["attempt"] == 1:  # the launch checks deferred until the inputs existed (stages.resolve_config)
                build_config(config_class(run["stage"]), config, label=f"stage {run['stage']}")
            tmp = run_dir / "config.json.tmp"
            tmp.write_text(json.dumps(config, indent=2, default=str))
            tmp.rename(run_dir / "config.json")
            ws.store.update_run(run_id, inputs=json.dumps(inputs))
    except (StoreError, ConfigError) as e:
        ws.store.transition(run_id, FAILED, error=str(e), finished=time.time())
        return False
    stage_cmd = [sys.executable, "-m", stage_module, "--run-dir", str(run_dir)]
    if info.distributed and len(gpu_ids) > 1:
        stage_cmd = distributed_command(sys.executable, stage_module, str(run_dir), len(gpu_ids))
    (run_dir / "launch.json").write_text(json.dumps({
        "run_id": run_id, "attempt": run["attempt"], "resume_from": run["resume_from"], "parent": run["parent"],
        "after": run["after"], "inputs": inputs, "command": stage_cmd}))
    (run_dir / "exit.json").unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env["IOTATUI_HOME"] = str(ws.home)
    env["CUDA_VISIBLE_DEVICES"] = ",".join(map(str, gpu_ids))
    if "OMP_NUM_THREADS" not in os.environ:  # runs sharing the cores must not each spin on all of them
        from iotatui.config import run_threads

        active = len(ws.store.list_runs(ACTIVE))  # this run is already `starting`: counted
        env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(run_threads(ws.settings, active))
    # Idle OpenMP threads sleep instead of spinning at each barrier: a run that started alone with all cores keeps
    # them when others start later, and spinning threads then steal the cores the busy ones wait for (config.py's
    # cpu_threads has the measurement).
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    # The project root on the path, so `backends` imports even from a non-installed checkout.
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [sys.executable, "-m", "iotatui.shim", "--home", str(ws.home), "--run", run_id, "--", *stage_cmd]
    try:
        with open(run_dir / "stdout.log", "ab") as out, open(run_dir / "stderr.log", "ab") as err:
            out.write(f"{ATTEMPT_MARK.format(n=run['attempt'])}\n".encode())  # `iotatui logs` splits attempts here
            out.flush()
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=str(run_dir),
                                    env=env, start_new_session=True, close_fds=True)
    except OSError as e:
        ws.store.transition(run_id, FAILED, error=f"cannot start the run: {e}", finished=time.time())
        return False
    ws.store.update_run(run_id, shim_pid=proc.pid, shim_start=procinfo.start_time(proc.pid), pgid=proc.pid,
                        host=hostname())
    return True


_spawn = spawn  # the old private name


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


_OOM_KILL = "likely out of memory (host OOM killer), unless killed by hand; `dmesg` tells which"


def _death_reason(exit_code: int | None) -> str:
    """Why a process without a final event ended, from its exit status. A SIGKILL outside ``iotatui stop`` (a stop
    ends ``stopped``, not here) is almost always the kernel's OOM killer: the backend never sees it coming."""
    if exit_code is None:
        return "exit status unknown (shim gone)"
    # -N: the shim saw signal N; 137: a launcher (accelerate, a shell) reporting its child's SIGKILL as 128 + 9.
    sig = -exit_code if exit_code < 0 else signal.SIGKILL if exit_code == 128 + signal.SIGKILL else 0
    if sig in signal.Signals._value2member_map_:
        name = signal.Signals(sig).name
        return f"killed by {name} — {_OOM_KILL}" if sig == signal.SIGKILL else f"killed by {name}"
    return f"exit code {exit_code}"


def finalize(ws: Workspace, run_id: str) -> None:
    """The run's processes are gone: ingest the rest and settle its status."""
    ingest_run(ws.store, run_id, final=True)
    run = ws.store.get_run(run_id)
    if run is None:
        return
    run_dir = Path(run["run_dir"])
    exit_code = None
    try:
        exit_code = json.loads((run_dir / "exit.json").read_text()).get("exit_code")
    except (OSError, ValueError):
        pass
    if run["status"] not in ACTIVE:
        if run["status"] == FAILED and run.get("exit_code") is None and exit_code is not None:
            ws.store.update_run(run_id, exit_code=exit_code)  # its `failed` event came first; now the status too
        return
    if run["status"] == STOPPING:
        ws.store.transition(run_id, STOPPED, finished=time.time(), exit_code=exit_code)
        return
    why = _death_reason(exit_code)
    tail = _tail(run_dir / "stderr.log") or _tail(run_dir / "stdout.log")
    error = f"process died without a final event ({why})" + (f"\n{tail}" if tail else "")
    ws.store.transition(run_id, CRASHED, finished=time.time(), exit_code=exit_code, error=error[-4000:])


def reconcile(ws: Workspace) -> None:
    """Ingest new events, mark dead active runs, and run a queue pass. Called on every read."""
    procinfo.reap_children()
    ingest_all(ws.store)
    for run in ws.store.list_runs(ACTIVE):
        if run["status"] == STARTING and not run.get("shim_pid"):
            if time.time() - (run.get("started") or 0) < 30:
                continue  # claimed by a tick in another process that has not spawned yet
        if not _is_running(run):
            finalize(ws, run["id"])
    tick(ws)


def stop_grace(ws: Workspace, stage: str, grace_s: float | None = None) -> float:
    """``--grace`` when given, else the larger of the workspace's and the stage's own grace."""
    if grace_s is not None:
        return grace_s
    info = STAGES.get(stage)
    return max(ws.settings.stop_grace_s, (info.stop_grace_s or 0.0) if info else 0.0)


def stop(ws: Workspace, ref: str, grace_s: float | None = None, wait: bool = True) -> dict[str, Any]:
    """SIGTERM the run's process group, SIGKILL after the grace period; status ``stopped``."""
    run = ws.store.resolve_run(ref)
    if run["status"] == QUEUED and ws.store.transition(run["id"], STOPPED, finished=time.time()):
        tick(ws)
        return ws.store.get_run(run["id"]) or run
    if not ws.store.transition(run["id"], STOPPING):
        run = ws.store.get_run(run["id"]) or run
        raise StoreError(f"run {run['id']} is {run['status']}, not running")
    pgid = run.get("pgid")
    if pgid and _is_running(run):
        _signal_group(pgid, signal.SIGTERM)
        deadline = time.time() + stop_grace(ws, run["stage"], grace_s)
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
    ckpts = ws.store.checkpoints(run["id"])
    ckpt = next((c for c in reversed(ckpts) if Path(c["path"]).exists()), None)
    with ws.store.write() as c:
        if not transition(c, run["id"], QUEUED, resume_from=ckpt["path"] if ckpt else None, error=None,
                          exit_code=None, finished=None):
            raise StoreError(f"run {run['id']} is {run['status']}; only stopped, crashed or failed runs resume")
        keep_until = ckpt["step"] if ckpt else -1
        c.execute("DELETE FROM metrics WHERE run = ? AND step > ?", (run["id"], keep_until))
    tick(ws)
    return ws.store.get_run(run["id"]) or run


RUN_TABLES = ("metrics", "logs", "checkpoints", "artifacts", "samples", "verdicts")
"""Tables with a ``run`` column: :func:`delete` clears a run's rows from each."""


def _dependents(conn: Any, run_id: str) -> list[str]:
    """Queued or active runs that wait for or build on ``run_id`` (its ``after`` list holds parent and inputs)."""
    marks = ", ".join("?" * (1 + len(ACTIVE)))
    rows = conn.execute(f"SELECT id, parent, after FROM runs WHERE status IN ({marks}) AND id != ?",
                        (QUEUED, *ACTIVE, run_id)).fetchall()
    return [r[0] for r in rows if r[1] == run_id or run_id in json.loads(r[2] or "[]")]


def delete(ws: Workspace, ref: str, grace_s: float | None = None) -> dict[str, Any]:
    """Remove a run: stop it first when it is queued or active, then its rows from every table (one write
    transaction) and its run directory. Refused (StoreError, nothing changed) while a queued or active run depends
    on it. Returns the deleted row plus ``rows`` (rows removed per table) and ``dir_removed``."""
    import shutil

    run = ws.store.resolve_run(ref)
    rid = run["id"]
    deps = _dependents(ws.store.conn, rid)
    if deps:
        raise StoreError(f"run {rid}: {', '.join(deps[:3])}{' …' if len(deps) > 3 else ''} depend on it; "
                         f"stop or delete {'them' if len(deps) > 1 else 'it'} first")
    if run["status"] in (QUEUED, *ACTIVE):
        stop(ws, rid, grace_s=grace_s)  # a queued run stops at once, so no queue pass claims it meanwhile
    counts: dict[str, int] = {}
    with ws.store.write() as c:
        deps = _dependents(c, rid)  # again under the lock: a launch may have named it meanwhile
        if deps:
            raise StoreError(f"run {rid}: {', '.join(deps[:3])} depend on it; stop or delete them first")
        row = c.execute("SELECT status FROM runs WHERE id = ?", (rid,)).fetchone()
        if row is None:
            raise StoreError(f"run {rid} is already gone")
        if row[0] in ACTIVE:
            raise StoreError(f"run {rid} is {row[0]} again (resumed meanwhile?); not deleted")
        for table in RUN_TABLES:
            counts[table] = c.execute(f"DELETE FROM {table} WHERE run = ?", (rid,)).rowcount
        c.execute("DELETE FROM runs WHERE id = ?", (rid,))
    run_dir = Path(run["run_dir"])
    # Only a directory inside this workspace's runs/: a row naming another path must never make us rm -r it.
    inside = run_dir.resolve().parent == (ws.home / "runs").resolve()
    if inside and run_dir.exists():
        shutil.rmtree(run_dir, ignore_errors=True)
    return {**run, "rows": counts, "dir_removed": inside and not run_dir.exists()}


__all__ = ["Workspace", "new_run_id", "launch", "tick", "spawn", "gpu_count", "reconcile", "stop", "stop_grace",
           "resume", "finalize", "delete", "ConfigError", "StoreError", "ACTIVE", "TERMINAL"]
