"""The Docker sandbox: a pool of long-lived, locked-down containers, one per worker, each serving one runner session.

What is protected (each line is a test in ``tests/judge``):
- **Network**: ``network_mode=none``; no Docker socket or host path is mounted.
- **Filesystem**: read-only image rootfs; the only writable places are tmpfs mounts (``/tmp`` 512 MiB for the program,
  ``/sandbox`` for the runner's copy of the solution, ``/dev/shm``), wiped after every test; RLIMIT_FSIZE 64 MiB.
- **Identity**: the untrusted program (and the compiler) run as uid 10001 with *no* capabilities, in their own session.
  The runner runs as uid 0 of the container with only CAP_SETUID/SETGID (to drop to 10001) and CAP_KILL (to kill the
  whole sandbox after each test); every other capability is dropped, ``no-new-privileges`` is set, the container is
  not privileged. The runner is non-dumpable, so the program cannot ptrace it or reach its fds through /proc.
- **Syscalls**: our own seccomp profile (``judge/seccomp.json``, reasons inline), not whatever the daemon ships: no
  mount/namespaces, ptrace, keyrings, bpf/perf/userfaultfd/io_uring, SysV IPC or POSIX mqueues, and sockets only
  AF_UNIX/AF_INET/AF_INET6/NETLINK_ROUTE (no AF_VSOCK: on a VM ``network_mode=none`` does not close vsock).
- **Results channel**: the runner's own stdin/stdout, i.e. the ``docker exec`` stream; programs get fresh pipes, so
  they cannot forge results by printing protocol lines. Expected outputs never enter the container (compared here).
- **Resources**: per test CPU and peak memory of the whole process tree (rusage of everything reaped, the cgroup's
  rss, enforced on the total while it runs) and wall clock, RLIMIT_AS per process, output caps; per container
  ``pids_limit``, a memory+swap cap (host backstop), one CPU (``nano_cpus``) pinned to a core (``cpuset``).
- **Processes**: after each test ``kill(-1)`` in the container's pid namespace ends every descendant (daemons,
  fork bombs); the runner is a child subreaper and reaps them (no zombies).
- **State between tests**: ``/tmp`` and ``/dev/shm`` are wiped as the program's uid after every test and checked
  empty (a container that cannot be emptied is replaced); SysV IPC and mqueues are denied, so nothing else persists.
- **Lifecycle**: containers are labelled ``iotatui.judge=1`` plus the owner's pid and start time, removed on close and
  at exit, and any whose owner is dead are reaped when a pool starts (also after ``kill -9`` of the judge).
- **Logs**: log driver ``none``; a stdout flood cannot fill ``/var/lib/docker``.

Several hosts: ``DockerPool(workers, hosts=[JudgeHost(url, workers, tls), ...])`` spreads its slots over several
Docker daemons (``judge_hosts`` in ``settings.toml``), each slot with its own client for its host. The image is copied
(``docker save``/``load``) to hosts that lack it; stale containers are reaped on every host; a host that does not
answer at start is one error line naming it. The hardening above is the same on every host.

Not protected: kernel exploits through allowed syscalls (runc shares the host kernel; use gVisor ``runtime=runsc``
where that matters), CPU side channels, timing noise from other host load, memory a program stores in files under
``/tmp`` (capped by the tmpfs size, not counted as memory), and a program reading test inputs it was given.
"""

from __future__ import annotations

import atexit
import os
import socket
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from iotatui import procinfo
from judge import seccomp
from judge.channel import Channel, ChannelError, DockerExecChannel, handshake
from judge.image import RUNNER_PATH, SANDBOX_UID, docker_client, ensure_daemon, ensure_image, ensure_image_on

if TYPE_CHECKING:
    from iotatui.config import JudgeHost

LABEL = "iotatui.judge"
OWNER_LABEL = "iotatui.judge.owner"
HOST_LABEL = "iotatui.judge.host"
TMP_SIZE = "512m"
PIDS_LIMIT = 256
DEFAULT_CONTAINER_MEMORY = 3 << 30
RUNNER_CMD = ["python3", "-I", "-B", RUNNER_PATH, "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
              "--scratch", "/tmp", "--sol-dir", "/sandbox/sol", "--kill-all"]


def owner_id(pid: int | None = None) -> str:
    """``pid:starttime`` of a process, robust to pid reuse."""
    pid = pid or os.getpid()
    return f"{pid}:{procinfo.start_time(pid)}"


def owner_alive(owner: str) -> bool:
    """Is the process that created a container still the same live process?"""
    try:
        pid_s, start = owner.split(":", 1)
        current = procinfo.start_time(int(pid_s))
    except ValueError:
        return False
    return current is not None and str(current) == start


def reap_stale(client: Any) -> int:
    """Remove judge containers on this host whose owner process is gone. Returns how many were removed."""
    n = 0
    # The low-level list: containers.list() inspects each one and races with other judges removing theirs.
    for c in client.api.containers(all=True, filters={"label": f"{LABEL}=1"}):
        labels = c.get("Labels") or {}
        if labels.get(HOST_LABEL) != socket.gethostname() or owner_alive(labels.get(OWNER_LABEL, "")):
            continue
        try:
            client.api.remove_container(c["Id"], force=True)
            n += 1
        except Exception:
            pass
    return n


class Host:
    """One Docker daemon of a pool: its client, its cores, how many sandboxes it runs and how much it served."""

    def __init__(self, url: str | None, tls: str | None, workers: int) -> None:
        self.url, self.tls, self.workers = url, tls, workers
        self.name = url or "local"
        self.client = ensure_daemon(url, tls)  # ImageError naming the host when it does not answer
        if url is None or url.startswith("unix://"):
            self.cpus = sorted(os.sched_getaffinity(0))  # this machine: respect our own affinity (taskset)
        else:  # another machine: its own cores
            self.cpus = list(range(int(self.client.info().get("NCPU") or 1)))
        self.served = 0
        """Solutions handed to a sandbox on this host (retries count again)."""

    def new_api(self) -> Any:
        """A fresh low-level client for one worker thread."""
        return docker_client(self.url, self.tls, 120).api


class Slot:
    """One worker's container plus its runner session."""

    def __init__(self, pool: DockerPool, index: int, host: Host | None = None, host_index: int | None = None) -> None:
        self.pool, self.index = pool, index
        self.host = host or pool.hosts[0]
        self.host_index = index if host_index is None else host_index
        """Position among its host's slots: picks the core it is pinned to."""
        self.container: Any = None
        self.channel: Channel | None = None
        self.api: Any = None

    def open(self) -> Channel:
        """The live channel, starting the container and runner if needed."""
        if self.channel is None:
            if self.container is None:
                with self.pool._lock:  # never start a container after (or while) the pool closes: it would leak
                    if self.pool.closed:
                        raise ChannelError("the sandbox pool is closed")
                    self.container = self.pool.create_container(self.index)
            if self.api is None:  # one HTTP client per worker thread: requests sessions are not thread-safe
                self.api = self.host.new_api()
            ch = DockerExecChannel(self.api, self.container.id, RUNNER_CMD)
            self.channel = handshake(ch)
        with self.pool._count_lock:
            self.host.served += 1
        return self.channel

    def reset(self) -> None:
        """After an infrastructure fault: drop the session and the container; the next ``open`` starts fresh."""
        # Swap out first: the pool may close a slot while its worker thread is resetting it after the fault that
        # closing caused.
        ch, self.channel = self.channel, None
        container, self.container = self.container, None
        if container is not None:
            try:
                container.remove(force=True)  # also ends the exec, which unblocks a worker waiting on the channel
            except Exception:
                pass
        if ch is not None:
            ch.close()

    def close(self) -> None:
        """Remove this slot's container."""
        self.reset()


class DockerPool:
    """``workers`` long-lived sandbox containers. Use as a context manager."""

    name = "docker"
    unprotected: tuple[str, ...] = ()

    def __init__(self, workers: int, memory_bytes: int = DEFAULT_CONTAINER_MEMORY, image: str | None = None,
                 hosts: Sequence[JudgeHost] | None = None) -> None:
        """``workers`` sandboxes on the local daemon; or, with ``hosts``, each host's ``workers`` (``workers`` for a
        host that names none) on that host's daemon. ImageError (one line naming the host) if a host does not answer."""
        if hosts:
            self.hosts = [Host(h.url, h.tls, h.workers or workers) for h in hosts]
        else:
            self.hosts = [Host(None, None, workers)]
        self.client = self.hosts[0].client
        self.api = self.client.api
        if len(self.hosts) == 1:
            self.image = image or ensure_image(self.client)
        else:
            self.image = ensure_image_on([(h.name, h.client) for h in self.hosts], image)
        self.memory_bytes = memory_bytes
        self.cpus = self.hosts[0].cpus
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()  # not _lock: close() holds that while slots shut down
        self.closed = False
        for h in self.hosts:
            reap_stale(h.client)
        places = [(h, j) for h in self.hosts for j in range(h.workers)]
        self.slots = [Slot(self, i, h, j) for i, (h, j) in enumerate(places)]
        self.workers = len(self.slots)
        atexit.register(self.close)

    def served(self) -> dict[str, int]:
        """Solutions handed to a sandbox so far, per host name (its URL, or ``local``)."""
        with self._count_lock:
            return {h.name: h.served for h in self.hosts}

    def create_container(self, index: int) -> Any:
        """Start one sandbox container (idle ``sleep`` as pid 1; the runner is exec'd into it) on slot ``index``'s
        host, pinned to one of that host's cores."""
        import docker

        slot = self.slots[index]
        cpu = slot.host.cpus[slot.host_index % len(slot.host.cpus)]
        try:
            return slot.host.client.containers.run(
                self.image, command=["sleep", "infinity"], detach=True, user="0", hostname="judge",
                network_mode="none", read_only=True,
                tmpfs={"/tmp": f"rw,exec,nosuid,nodev,size={TMP_SIZE},mode=1777",
                       "/sandbox": "rw,exec,nosuid,nodev,size=128m,mode=755"},
                cap_drop=["ALL"], cap_add=["SETUID", "SETGID", "KILL"],
                security_opt=["no-new-privileges", seccomp.docker_security_opt()],
                pids_limit=PIDS_LIMIT, mem_limit=self.memory_bytes, memswap_limit=self.memory_bytes,
                nano_cpus=1_000_000_000, cpuset_cpus=str(cpu), shm_size="64m", ipc_mode="private",
                log_config=docker.types.LogConfig(type="none"), environment={"PATH": "/usr/bin:/bin"},
                labels={LABEL: "1", OWNER_LABEL: owner_id(), HOST_LABEL: socket.gethostname()},
            )
        except Exception as e:
            where = f" on {slot.host.name}" if len(self.hosts) > 1 else ""
            raise ChannelError(f"cannot start a sandbox container{where}: {e}") from e

    def close(self) -> None:
        """Remove every container of this pool (idempotent)."""
        with self._lock:
            self.closed = True
            for s in self.slots:
                s.close()

    def __enter__(self) -> DockerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
