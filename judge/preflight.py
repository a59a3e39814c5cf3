"""Is there a sandbox the judge can use here, and if so, make sure what it runs exists (the image, built now, once).

Called before anything that judges is queued (``iotatui pipeline``, ``make demo``): the runs then never race each
other to build the image, and a machine with no sandbox is one line and exit 2 instead of every judging run failing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any

from judge.bwrap import rootfs_dir
from judge.channel import ChannelError
from judge.image import ImageError, ensure_daemon, ensure_image, ensure_image_on


class SandboxError(ImageError):
    """No sandbox of the kind asked for: the message is one line naming what is missing and how to fix it."""

    def __init__(self, message: str, bwrap_works: bool = False) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the cause's message looked like
        self.bwrap_works = bwrap_works
        """Docker is missing but bubblewrap runs here: the caller may name its own way to choose it."""


def bwrap_problem() -> str | None:
    """Why ``--sandbox bwrap`` cannot run here (missing, or the kernel refuses its namespaces), or None when it can."""
    if not shutil.which("bwrap"):
        return "bwrap is not installed (apt-get install bubblewrap)"
    # The namespaces judge.bwrap asks for (a user namespace when unprivileged), around a no-op python3.
    argv = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--die-with-parent",
            *([] if os.geteuid() == 0 else ["--unshare-user"]), "--ro-bind", "/", "/", "--proc", "/proc",
            "--dev", "/dev", "python3", "-c", "pass"]
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap does not run ({e})"
    if r.returncode != 0:
        why = (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1][:200]
        return f"bwrap does not run here ({why})"
    return None


def ensure_sandbox(kind: str = "docker", hosts: Sequence[Any] = (), bwrap_hint: str = "") -> str:
    """Make the judge's sandbox ready: for ``docker``, a daemon answers (every one of ``hosts``, objects with
    ``url`` and ``tls``, when given) and has the judge image, built here when missing; for ``bwrap``, bubblewrap
    runs (on the judge rootfs, extracted now, when one was built). Returns what the judge will use (the image
    reference, or ``bwrap on ...``). SandboxError (one line) otherwise; when Docker is missing but bubblewrap runs,
    the line says so, with ``bwrap_hint`` (how the caller chooses it)."""
    if kind == "bwrap":
        why = bwrap_problem()
        if why:
            raise SandboxError(f"no judge sandbox: {why}")
        try:
            root = rootfs_dir()  # extracted here once, when the image build's tarball exists
        except (ChannelError, OSError) as e:
            raise SandboxError(f"no judge sandbox: bwrap rootfs: {e}") from None
        return f"bwrap on {root}" if root else "bwrap on the host's /usr (no judge rootfs built here)"
    if kind != "docker":
        raise SandboxError(f"unknown judge sandbox {kind!r} (docker or bwrap)")
    try:
        if hosts:
            return ensure_image_on([(h.url, ensure_daemon(h.url, h.tls)) for h in hosts])
        return ensure_image(ensure_daemon())
    except Exception as e:  # ImageError says why; a daemon's API error mid-build is one line too
        why = str(e) if isinstance(e, ImageError) else f"building the judge image failed ({type(e).__name__}: {e})"
        alt = bwrap_problem() is None
        tail = f"; or judge under bubblewrap, which works here: {bwrap_hint or 'sandbox=bwrap'}" if alt else ""
        raise SandboxError(f"no judge sandbox: {why}{tail}", bwrap_works=alt) from None
