"""Is a recorded process still the one we started? Linux /proc, stdlib only.

A pid alone can be reused after its process dies, so runs record the process start time (clock ticks since boot,
field 22 of /proc/PID/stat) and liveness compares both. A zombie (exited, not yet reaped) counts as dead.
"""

from __future__ import annotations

import os


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # comm (field 2) may contain spaces and parentheses: split after the last ')'.
    return raw[raw.rfind(")") + 2 :].split()


def start_time(pid: int) -> int | None:
    """Start time of ``pid`` in clock ticks since boot, or None when there is no such process."""
    f = _stat_fields(pid)
    return int(f[19]) if f else None


def state(pid: int) -> str | None:
    f = _stat_fields(pid)
    return f[0] if f else None


def is_alive(pid: int | None, start: int | None) -> bool:
    """True when ``pid`` exists, is not a zombie, and (if given) started at ``start``."""
    if not pid:
        return False
    f = _stat_fields(pid)
    if f is None or f[0] in ("Z", "X", "x"):
        return False
    return start is None or int(f[19]) == start


def reap_children() -> None:
    """Collect exited children of this process (the app launches shims; without this they linger as zombies)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
