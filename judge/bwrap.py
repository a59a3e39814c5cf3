"""``--sandbox bwrap``: the same runner and protocol under bubblewrap, for machines without Docker (HPC).

Each worker is one ``bwrap`` process: new user/pid/net/ipc/uts/cgroup namespaces, the judge image's rootfs (the
cached debootstrap tarball, extracted once; or the host's /usr read-only when no tarball exists) mounted read-only,
fresh tmpfs ``/tmp`` and ``/sandbox``, a scrubbed environment, ``--die-with-parent``, ``--new-session`` (no TIOCSTI),
all capabilities dropped. The runner applies the same per-test limits (RLIMIT_CPU/AS/FSIZE, wall guard, output cap)
and ``kill(-1)`` of the sandbox's pid namespace after each test, so verdicts match the Docker sandbox.

What bubblewrap cannot give here (printed when a pool starts, listed in ``UNPROTECTED``):
"""

from __future__ import annotations

import os
import shutil
import sys
import tarfile
import threading
from pathlib import Path

from judge.channel import Channel, ChannelError, PipeChannel, handshake
from judge.image import RUNNER_SRC, base_key, cache_dir

UNPROTECTED = (
    "no pids limit (no cgroups): a fork bomb is stopped by the wall-clock guard and kill(-1), not capped",
    "no container memory/CPU cap: only per-process RLIMIT_AS/RLIMIT_CPU; no CPU pinning",
    "the program runs as the same uid as the runner: it can kill the runner (-> retried, then SANDBOX_ERROR) and "
    "overwrite its own compiled binary for its later tests",
    "tmpfs sizes are not capped by bwrap (RLIMIT_FSIZE still caps each file at 64 MiB)",
    "started as root, the program owns what root owns in the read-only mounts (no capabilities, but it can read "
    "root-only files there): run the bwrap judge as an unprivileged user",
)
__doc__ = (__doc__ or "") + "".join(f"\n- {line}" for line in UNPROTECTED) + "\n"
TMP_MOUNTS = ("/tmp", "/sandbox")


def rootfs_dir() -> Path | None:
    """The judge rootfs extracted for bubblewrap (from the image build's cached tarball), or None."""
    tar = cache_dir() / f"rootfs-{base_key()}.tar"
    target = cache_dir() / f"bwrap-rootfs-{base_key()}"
    if (target / ".ok").exists():
        return target
    if not tar.exists():
        return None
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(tar) as tf:
        members = [m for m in tf.getmembers() if not (m.isdev() or m.ischr() or m.isblk() or m.isfifo())]
        tf.extractall(tmp, members=members, filter="tar")
    (tmp / ".ok").write_text("ok\n")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def bwrap_argv(root: Path | None) -> list[str]:
    """The bubblewrap command line that starts one runner."""
    argv = ["bwrap", "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--hostname", "judge"]
    if root is not None:
        argv += ["--ro-bind", str(root), "/"]
    else:
        # No host /etc (secrets); only what the toolchain resolves through it.
        for d in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/alternatives", "/etc/ld.so.cache"):
            if os.path.lexists(d):
                argv += ["--ro-bind", d, d] if not os.path.islink(d) else ["--symlink", os.readlink(d), d]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    for m in TMP_MOUNTS:
        argv += ["--tmpfs", m]
    # The runner comes from this checkout (no image rebuild after an edit), read-only.
    argv += ["--tmpfs", "/opt", "--ro-bind", str(RUNNER_SRC.parent), "/opt/iotatui", "--remount-ro", "/opt",
             "--chdir", "/tmp", "python3", "-I", "-B", f"/opt/iotatui/{RUNNER_SRC.name}", "--scratch", "/tmp",
             "--sol-dir", "/sandbox/sol", "--kill-all"]
    return argv


class BwrapSlot:
    """One worker's bubblewrap sandbox and runner session."""

    def __init__(self, pool: BwrapPool, index: int) -> None:
        self.pool, self.index = pool, index
        self.channel: Channel | None = None

    def open(self) -> Channel:
        """The live channel, starting bwrap if needed."""
        if self.channel is None:
            if self.pool.closed:
                raise ChannelError("the sandbox pool is closed")
            ch = PipeChannel(self.pool.argv)
            self.channel = handshake(ch)
        return self.channel

    def reset(self) -> None:
        """Drop the session; the next ``open`` starts a fresh sandbox."""
        ch, self.channel = self.channel, None
        if ch is not None:
            ch.close()

    close = reset


class BwrapPool:
    """``workers`` bubblewrap sandboxes."""

    name = "bwrap"
    unprotected = UNPROTECTED

    def __init__(self, workers: int, quiet: bool = False) -> None:
        if not shutil.which("bwrap"):
            raise ChannelError("bubblewrap is not installed (apt-get install bubblewrap)")
        self.argv = bwrap_argv(rootfs_dir())
        self.slots = [BwrapSlot(self, i) for i in range(workers)]
        self._lock = threading.Lock()
        self.closed = False
        if not quiet:
            print("bwrap sandbox: not protected here: " + "; ".join(UNPROTECTED), file=sys.stderr)

    def close(self) -> None:
        """Stop every sandbox (idempotent)."""
        with self._lock:
            self.closed = True
            for s in self.slots:
                s.close()

    def __enter__(self) -> BwrapPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
