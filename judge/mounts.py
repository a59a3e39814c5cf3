"""Remove a build directory that may still have file systems mounted inside it. Linux only, stdlib only.

debootstrap mounts ``/proc`` and ``/sys`` (and, in a container, a tmpfs ``/dev`` with bind-mounted devices) inside
its target, and unmounts them on a clean exit only. A build killed with ``kill -9`` leaves them mounted; a plain
``shutil.rmtree`` of the target then walks into the live ``/proc``/``/sys`` (and fails, or worse, deletes through a
bind mount). So: every mount under the directory is unmounted first (read from ``/proc/self/mountinfo``, deepest
first), and when one will not go, the directory is left where it is and the caller is told, never deleted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
from pathlib import Path

MNT_DETACH = 2
"""umount2 flag: detach now, free when no longer busy. After it the mount is out of our tree, so a delete cannot
reach it; used only when a plain unmount fails (a process still has a file open in a stale /proc)."""


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as 3-digit octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mounts_under(path: str | os.PathLike[str]) -> list[str]:
    """Mount points at or below ``path`` in this process's mount namespace, in mount order (parents first)."""
    root = os.path.realpath(path)
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = _unescape(line.split()[4])
            if point == root or point.startswith(root.rstrip("/") + "/"):
                found.append(point)
    return found


def _umount2(point: str, flags: int) -> str | None:
    """None when unmounted, else the reason (strerror)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.umount2(os.fsencode(point), flags) == 0:
        return None
    return os.strerror(ctypes.get_errno())


def unmount_under(path: str | os.PathLike[str]) -> list[str]:
    """Unmount everything at or below ``path``, last-mounted first (a bind mount inside a tmpfs goes before the
    tmpfs). Returns the mounts still there afterwards, each with why it would not go ([] when all are gone)."""
    why: dict[str, str] = {}
    # A point can be mounted more than once (stacked); each pass takes off the top one, so go until none is left
    # or a pass makes no progress.
    for _ in range(32):
        points = mounts_under(path)
        if not points:
            return []
        for point in reversed(points):
            err = _umount2(point, 0)
            if err is not None and _umount2(point, MNT_DETACH) is not None:
                why[point] = err
        if mounts_under(path) == points:
            break
    return [f"{p} ({why.get(p, 'still mounted')})" for p in mounts_under(path)]


def remove_tree(path: str | os.PathLike[str]) -> list[str]:
    """Delete directory ``path`` after unmounting everything inside it. When a mount stays, nothing is deleted and
    the mounts that stayed are returned (the caller says so); [] when the directory is gone (or was never there)."""
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        return []
    stuck = unmount_under(p)
    if stuck:
        return stuck
    # Re-check right before deleting (and rmtree never follows symlinks): nothing of another file system is
    # inside, so the delete stays in this one.
    if mounts_under(p):
        return [f"{m} (mounted again)" for m in mounts_under(p)]
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p)
    else:
        p.unlink()
    return []
