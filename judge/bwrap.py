"""``--sandbox bwrap``: the same runner and protocol under bubblewrap, for machines without Docker (HPC).

Each worker is one ``bwrap`` process: new pid/net/ipc/uts/cgroup namespaces, the judge image's rootfs (the cached
debootstrap tarball, extracted once; or the host's /usr read-only when no tarball exists) mounted read-only, fresh
tmpfs ``/tmp`` and ``/sandbox``, ``/proc/sys`` read-only, a scrubbed environment, ``--die-with-parent``,
``--new-session`` (no TIOCSTI), the judge's seccomp profile (``judge/seccomp.json`` compiled to BPF: no nested
namespaces, mount, ptrace, keyrings, bpf/perf/userfaultfd/io_uring, SysV IPC/mqueues, vsock) and:

- started as root: no user namespace; the runner keeps only CAP_SETUID/SETGID/KILL (like the Docker sandbox) and runs
  every program (and the compiler) as uid/gid 10001 with no capabilities, so the program cannot write root-owned
  files or sysctls, nor signal the runner;
- started unprivileged: a user namespace with further user namespaces disabled (``--disable-userns``), all
  capabilities dropped; runner and program share the caller's uid.

The runner applies the same per-test limits (tree CPU/memory, RLIMIT_AS/FSIZE, wall guard, output cap) and
``kill(-1)`` of the sandbox's pid namespace after each test, so verdicts match the Docker sandbox.

What bubblewrap cannot give here (printed when a pool starts, listed in ``UNPROTECTED``):
"""

from __future__ import annotations

import os
import shutil
import sys
import tarfile
import tempfile
import threading
from pathlib import Path

from judge import buildlock, mounts, seccomp
from judge.channel import Channel, ChannelError, PipeChannel, handshake
from judge.image import RUNNER_SRC, SANDBOX_UID, base_key, cache_dir

UNPROTECTED = (
    "no pids limit (no cgroups): a fork bomb is stopped by the wall-clock guard and kill(-1), not capped",
    "no container memory/CPU cap: per-test tree CPU/memory limits are enforced by the runner's polling, with no "
    "hard cgroup backstop between polls; no CPU pinning",
    "tmpfs sizes are not capped by bwrap (RLIMIT_FSIZE still caps each file at 64 MiB)",
    "kernel exploits through the syscalls the profile allows (bwrap shares the host kernel)",
)
UNPROTECTED_UNPRIVILEGED = (
    "the program runs as the same uid as the runner: it can kill the runner (-> retried, then SANDBOX_ERROR) and "
    "overwrite its own compiled binary for its later tests (start the bwrap judge as root to separate them)",
)
UNPROTECTED_NO_SECCOMP = ("no seccomp filter on this architecture (the BPF compiler is x86_64 only)",)
__doc__ = (__doc__ or "") + "".join(f"\n- {line}" for line in UNPROTECTED + UNPROTECTED_UNPRIVILEGED
                                                        + UNPROTECTED_NO_SECCOMP) + "\n"
TMP_MOUNTS = ("/tmp", "/sandbox")
SECCOMP_FD = 9


def rootfs_dir() -> Path | None:
    """The judge rootfs extracted for bubblewrap (from the image build's cached tarball), or None. Extracted once:
    pools that start together take turns on a lock and the later ones use the first one's copy; each extraction
    goes to a directory of its own, renamed into place when complete (a killed one is removed by the next)."""
    tar = cache_dir() / f"rootfs-{base_key()}.tar"
    target = cache_dir() / f"bwrap-rootfs-{base_key()}"
    if (target / ".ok").exists():
        return target
    if not tar.exists():
        return None
    try:
        return _extract(tar, target)
    except TimeoutError as e:
        raise ChannelError(f"bwrap rootfs: {e}") from None


def _extract(tar: Path, target: Path) -> Path:
    with buildlock.held(cache_dir() / "bwrap.lock", "bwrap rootfs extraction", _say):
        if (target / ".ok").exists():  # extracted while we waited
            return target
        for stale in [*target.parent.glob(f"{target.name}.*tmp"), target]:  # dead extractions, or no .ok
            if stale.exists() and mounts.remove_tree(stale):
                raise ChannelError(f"{stale} has something mounted in it: unmount it (`umount -R {stale}`)")
        tmp = Path(tempfile.mkdtemp(prefix=f"{target.name}.", suffix=".tmp", dir=target.parent))
        try:
            os.chmod(tmp, 0o755)  # it becomes the sandbox's /: mkdtemp's 0700 would shut the program's uid out
            _say(f"extracting {tar.name} for bubblewrap")
            with tarfile.open(tar) as tf:
                members = [m for m in tf.getmembers() if not (m.isdev() or m.ischr() or m.isblk() or m.isfifo())]
                tf.extractall(tmp, members=members, filter="tar")
            (tmp / ".ok").write_text("ok\n")
            tmp.rename(target)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
    return target


def _say(msg: str) -> None:
    print(f"[judge bwrap] {msg}", file=sys.stderr, flush=True)


def privileged() -> bool:
    """Started as root: no user namespace, and programs run as an unprivileged uid."""
    return os.geteuid() == 0


def unprotected() -> tuple[str, ...]:
    """What this bwrap sandbox cannot protect on this machine, as started by this user."""
    extra = () if privileged() else UNPROTECTED_UNPRIVILEGED
    return UNPROTECTED + extra + (() if seccomp.bpf_supported() else UNPROTECTED_NO_SECCOMP)


def bwrap_argv(root: Path | None, as_root: bool | None = None) -> list[str]:
    """The command line that starts one runner (bwrap, wrapped so the seccomp filter arrives on ``SECCOMP_FD``)."""
    as_root = privileged() if as_root is None else as_root
    argv = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin",
            "--hostname", "judge", "--cap-drop", "ALL"]
    if as_root:  # the runner keeps what it needs to drop programs to SANDBOX_UID and to kill them all
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]
    else:
        argv += ["--unshare-user", "--disable-userns"]
    if root is not None:
        argv += ["--ro-bind", str(root), "/"]
    else:
        # No host /etc (secrets); only what the toolchain resolves through it.
        for d in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/alternatives", "/etc/ld.so.cache"):
            if os.path.lexists(d):
                argv += ["--ro-bind", d, d] if not os.path.islink(d) else ["--symlink", os.readlink(d), d]
    argv += ["--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys", "--dev", "/dev"]
    for m in TMP_MOUNTS:
        argv += (["--perms", "1777"] if m == "/tmp" else []) + ["--tmpfs", m]
    argv += ["--perms", "1777", "--tmpfs", "/dev/shm"]
    # The runner comes from this checkout (no image rebuild after an edit), read-only.
    argv += ["--tmpfs", "/opt", "--ro-bind", str(RUNNER_SRC.parent), "/opt/iotatui", "--remount-ro", "/opt",
             "--chdir", "/tmp"]
    if seccomp.bpf_supported():
        argv += ["--seccomp", str(SECCOMP_FD)]
    argv += ["python3", "-I", "-B", f"/opt/iotatui/{RUNNER_SRC.name}", "--scratch", "/tmp", "--sol-dir",
             "/sandbox/sol", "--kill-all"]
    if as_root:
        argv += ["--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    if seccomp.bpf_supported():  # PipeChannel closes inherited fds: a shell opens the filter file on fd 9 for bwrap
        argv = ["/bin/sh", "-c", f'exec {SECCOMP_FD}<"$0" && exec "$@"', seccomp.bpf_file(), *argv]
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
    def __init__(self, workers: int, quiet: bool = False) -> None:
        if not shutil.which("bwrap"):
            raise ChannelError("bubblewrap is not installed (apt-get install bubblewrap)")
        self.argv = bwrap_argv(rootfs_dir())
        self.unprotected = unprotected()
        self.slots = [BwrapSlot(self, i) for i in range(workers)]
        self._lock = threading.Lock()
        self.closed = False
        if not quiet:
            print("bwrap sandbox: not protected here: " + "; ".join(self.unprotected), file=sys.stderr)

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
