"""The per-run shim: parent of the backend, so someone always sees its exit status.

``python -m iotatui.shim --home H --run ID -- CMD...`` (started detached by the supervisor). It ignores
SIGTERM/SIGINT/SIGHUP (a stop signals the whole process group; the shim must outlive the backend to record how it
ended), records the backend's pid and start time, waits, writes ``exit.json``, settles the run in the store and runs
a queue pass so dependent runs start with nobody watching.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="iotatui.shim")
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--run", required=True)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)

    from iotatui import procinfo
    from iotatui.store import RUNNING, transition
    from iotatui.supervisor import Workspace, finalize, tick

    ws = Workspace(args.home)
    run_dir = Path(ws.store.get_run(args.run)["run_dir"])  # type: ignore[index]
    # The child gets default signal dispositions back (SIG_IGN would otherwise be inherited across exec).
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, restore_signals=True,
                            preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL)
                                                for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)])
    backend = {"pid": proc.pid, "proc_start": procinfo.start_time(proc.pid)}
    with ws.store.write() as c:
        # A stop may already have marked it "stopping" (or the backend's own "started" event made it "running"):
        # then only the pid is recorded.
        if not transition(c, args.run, RUNNING, **backend):
            ws.store.update_run(args.run, conn=c, **backend)
    # Don't hold the database open for hours while the backend trains.
    ws.close()
    code = proc.wait()
    (run_dir / "exit.json").write_text(json.dumps({"exit_code": code, "ended": time.time()}))
    ws = Workspace(args.home)
    try:
        finalize(ws, args.run)
        tick(ws)
    finally:
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
