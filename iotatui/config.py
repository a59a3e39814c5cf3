"""Workspace settings: ``<home>/settings.toml``, typed, every field documented. Stdlib only.

Example::

    max_concurrent_runs = 2
    gpus = 1
    stop_grace_s = 10
    judge_hosts = ["unix:///var/run/docker.sock=2", "ssh://judge@box2=16",
                   {url = "tcp://box3:2376", workers = 32, tls = "/etc/iotatui/box3-certs"}]

Values go through the same coercer and range check as stage configs (:func:`iotatui.stages.coerce_field`), so a
setting declares its range once, in its field's ``metadata``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

HOME_ENV = "IOTATUI_HOME"
DEFAULT_HOME = ".iotatui"


@dataclass(frozen=True)
class Settings:
    max_concurrent_runs: int = field(default=4, metadata={"min": 1})
    """Runs that may be active at once; queued runs wait for a free slot (0 would queue them forever)."""
    gpus: int = field(default=-1, metadata={"min": -1})
    """GPUs the queue may hand out (CUDA_VISIBLE_DEVICES per run). -1: count them with nvidia-smi (0 without it)."""
    stop_grace_s: float = field(default=10.0, metadata={"min": 0})
    """Seconds between SIGTERM and SIGKILL when stopping a run."""
    cpu_threads: int = field(default=0, metadata={"min": 0})
    """CPU threads each run's torch/OpenMP may use (``OMP_NUM_THREADS``, unless the environment sets it). 0: the
    machine's cores divided by the runs active when it starts (itself included; at least 1). Why not all cores
    each: OpenMP threads that outnumber the cores spin at every barrier while the others wait for a core; measured on
    2 cores with a second process busy, an SFT step of the learn model took 2455 ms with 2 threads and 513 ms
    with 1. A run that started alone keeps its threads when others start later, so every run also gets
    ``OMP_WAIT_POLICY=PASSIVE`` (idle threads sleep instead of spinning): under the same load, 2 threads took
    4032 ms a step with OpenMP's default policy, 761 ms with PASSIVE."""
    refresh_s: float = field(default=1.0, metadata={"min": 0.05, "max": 60})
    """How often the app polls the store for new rows (0 would make the idle app spin)."""
    judge_hosts: tuple[str | dict[str, Any], ...] = ()
    """Docker daemons the judge's sandbox pool spreads over (empty: the local one, ``$DOCKER_HOST`` or the default
    socket). Each entry is ``"URL"`` or ``"URL=WORKERS"`` (``unix://``, ``tcp://``, ``ssh://``), or a table
    ``{url = "tcp://h:2376", workers = 8, tls = "CERT_DIR"}`` where ``CERT_DIR`` holds ``ca.pem``/``cert.pem``/
    ``key.pem`` (as ``$DOCKER_CERT_PATH``) and turns on verified TLS. A host without a worker count gets the stage's
    ``workers``. Only the ``docker`` sandbox uses it (``bwrap`` is local)."""

    keys: dict[str, str] = field(default_factory=dict)
    """The app's key bindings remapped by binding id (shown in the footer and by ``?``), e.g. ``[keys]`` then
    ``"runs.stop" = "x"`` or ``"quit" = "q,ctrl+q"`` (several keys: comma-separated). Ids: ``?`` in the app lists
    every binding with its id; an unknown id is refused when the app starts."""

    def __post_init__(self) -> None:
        parse_judge_hosts(self.judge_hosts)  # bad entries fail at load time, one line naming the entry
        check_keys(self.keys)


_BINDING_ID = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_-]*)*$")


def run_threads(settings: Settings, active: int, cores: int | None = None) -> int:
    """The ``OMP_NUM_THREADS`` a run gets when it starts with ``active`` runs active, itself included (see
    ``cpu_threads``)."""
    if settings.cpu_threads:
        return settings.cpu_threads
    n = cores if cores is not None else len(os.sched_getaffinity(0))
    return max(1, n // max(1, min(active, settings.max_concurrent_runs)))


def check_keys(keys: dict[str, Any]) -> None:
    """The ``[keys]`` table's shape (binding id -> non-empty comma-separated keys); ValueError naming the entry.
    Whether an id names a real binding is checked by the app, which knows its screens (this module is stdlib-only)."""
    for bid, key in keys.items():
        if not isinstance(bid, str) or not _BINDING_ID.match(bid):
            raise ValueError(f"keys: {bid!r} is not a binding id (like \"runs.stop\"; `?` in the app lists them)")
        if not isinstance(key, str) or not [k for k in key.split(",") if k.strip()]:
            raise ValueError(f"keys: {bid}: {key!r} is not a key (like \"x\", \"ctrl+s\" or \"x,ctrl+s\")")
        if any(not k.strip() for k in key.split(",")):
            raise ValueError(f"keys: {bid}: {key!r} has an empty key between commas")


@dataclass(frozen=True)
class JudgeHost:
    """One Docker daemon of the judge pool."""

    url: str
    workers: int | None = None
    """Sandboxes on this host; None: the stage's ``workers``."""
    tls: str | None = None
    """Directory with ``ca.pem``, ``cert.pem``, ``key.pem`` (verified TLS); None: no TLS."""


_HOST_SCHEMES = ("unix://", "tcp://", "ssh://", "http://", "https://", "npipe://")
_HOST_KEYS = ("url", "workers", "tls")


def parse_judge_hosts(entries: Any) -> list[JudgeHost]:
    """``judge_hosts`` entries (strings or tables, see :attr:`Settings.judge_hosts`) -> hosts; ValueError naming a
    bad entry. Duplicate URLs are an error: two pools on one daemon would fight over its cores' pinning."""
    out: list[JudgeHost] = []
    for e in entries or ():
        if isinstance(e, str):
            url, sep, n = e.rpartition("=")
            url = url if sep else e
            try:
                workers = int(n) if sep else None
            except ValueError:
                raise ValueError(f"judge_hosts: {e!r}: worker count {n!r} is not an int (use URL=WORKERS)") from None
            host = JudgeHost(url.strip(), workers)
        elif isinstance(e, dict):
            unknown = [k for k in e if k not in _HOST_KEYS]
            if unknown:
                raise ValueError(f"judge_hosts: {e!r}: unknown key {unknown[0]!r} (known: {', '.join(_HOST_KEYS)})")
            w, tls = e.get("workers"), e.get("tls")
            if not isinstance(e.get("url"), str):
                raise ValueError(f"judge_hosts: {e!r}: needs url = \"unix://...|tcp://...|ssh://...\"")
            if w is not None and (not isinstance(w, int) or isinstance(w, bool)):
                raise ValueError(f"judge_hosts: {e!r}: workers must be an int")
            if tls is not None and not isinstance(tls, str):
                raise ValueError(f"judge_hosts: {e!r}: tls must be a directory path")
            host = JudgeHost(e["url"].strip(), w, tls)
        else:
            raise ValueError(f"judge_hosts: {e!r}: expected \"URL[=WORKERS]\" or a table {{url, workers, tls}}")
        if not host.url.startswith(_HOST_SCHEMES):
            raise ValueError(f"judge_hosts: {host.url!r}: expected a unix://, tcp:// or ssh:// URL")
        if host.workers is not None and host.workers < 1:
            raise ValueError(f"judge_hosts: {host.url}: workers must be >= 1 (got {host.workers})")
        if any(h.url == host.url for h in out):
            raise ValueError(f"judge_hosts: {host.url} is listed twice")
        out.append(host)
    return out


def workspace_judge_hosts() -> list[JudgeHost]:
    """The judge hosts of the workspace named by ``$IOTATUI_HOME`` (set for a run by the supervisor); [] when unset
    or none are configured, i.e. the local daemon."""
    home = os.environ.get(HOME_ENV)
    if not home:
        return []
    return parse_judge_hosts(load_settings(Path(home)).judge_hosts)


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """``--home`` wins, then ``$IOTATUI_HOME``, then ``./.iotatui``."""
    return Path(home or os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser().absolute()


def check_home(home: Path, create: bool = True) -> None:
    """Can ``home`` be the workspace (an existing directory, or one we may create)? ValueError naming it if not:
    checked before anything is opened, so a typo'd ``--home`` pointing at a file is one line, not a traceback.
    ``create=False`` (commands that only read: runs, show, logs, stop, resume, metrics, report): the workspace must
    exist already, so a typo'd ``--home`` is an error instead of a new empty workspace."""
    if home.exists():
        if not home.is_dir():
            raise ValueError(f"workspace {home}: not a directory (--home/${HOME_ENV} names the workspace directory)")
        if not os.access(home, os.W_OK | os.X_OK):
            raise ValueError(f"workspace {home}: not writable")
    if not create and not home.exists():
        raise ValueError(f"no workspace at {home} (create one with `iotatui init` or by launching a run; "
                         f"or point --home/${HOME_ENV} at an existing one)")
    if home.exists():
        return
    parent = home.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ValueError(f"workspace {home}: cannot be created ({parent} is not a directory)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"workspace {home}: cannot be created ({parent} is not writable)")


def load_settings(home: Path) -> Settings:
    """``<home>/settings.toml`` (defaults when absent). Raises ConfigError (a ValueError): one line naming the file."""
    from iotatui.stages import ConfigError, build_config, read_toml  # stdlib-only module

    path = home / "settings.toml"
    if not path.exists() and not path.is_symlink():
        return Settings()
    data = read_toml(path)
    known = [f.name for f in fields(Settings)]
    for k in data:
        if k not in known:
            raise ConfigError(f"{path}: unknown setting {k!r} (known: {', '.join(known)})")
    settings: Settings = build_config(Settings, data, origin=str(path), label=str(path))
    return settings
