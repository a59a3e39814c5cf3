"""Build the judge's sandbox image offline: debootstrap a minimal Debian, add python3 + g++ + a precompiled
``bits/stdc++.h`` + our runner, ``docker import`` it. No registry is needed, only the machine's apt mirror.

Two cached layers, so a runner change rebuilds in seconds:

1. ``~/.cache/iotatui/judge/rootfs-<key>.tar``: debootstrap ``--variant=minbase`` + packages + the PCH, where
   ``key`` hashes (suite, mirror, packages, C++ flags). Imported as ``iotatui-judge-base:<key>``.
2. ``iotatui-judge:<tag>``: the base plus ``/opt/iotatui/runner.py``; ``tag`` hashes the key and the runner source.

``ensure_image()`` is a no-op when the final tag exists. Needs root (debootstrap, chroot) only for layer 1.
Concurrent callers take turns on a lock file in the cache dir and reuse what the first one built; a build killed
mid-way (``kill -9``) leaves nothing that breaks the next (see :func:`build_rootfs_tar`).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from judge import buildlock, mounts
from judge.runner_in_container import CXX_FLAGS

SUITE = os.environ.get("IOTATUI_JUDGE_SUITE", "bookworm")
PACKAGES = ("python3", "g++", "python3-numpy")
"""python3-numpy: some accepted Codeforces Python solutions import it (and it exercises threads under RLIMIT_AS)."""
SANDBOX_UID = 10001
IMAGE_REPO = "iotatui-judge"
BASE_REPO = "iotatui-judge-base"
RUNNER_PATH = "/opt/iotatui/runner.py"
RUNNER_SRC = Path(__file__).with_name("runner_in_container.py")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
BUILD_LOCK = "rootfs.lock"
"""In the cache dir: held while a rootfs is built (debootstrap, PCH, packing)."""
IMAGE_LOCK = "image.lock"
"""In the cache dir: held while the image is imported and its runner layer committed."""


class ImageError(RuntimeError):
    """The image could not be built (no daemon, no root, debootstrap failure); the message says why."""


def cache_dir() -> Path:
    """Where rootfs tarballs are kept (``$IOTATUI_CACHE`` or ``~/.cache/iotatui``)."""
    root = os.environ.get("IOTATUI_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "iotatui")
    return Path(root) / "judge"


def apt_mirror() -> str:
    """The first Debian mirror in the machine's apt sources (deb822 or one-line format)."""
    if env := os.environ.get("IOTATUI_JUDGE_MIRROR"):
        return env
    candidates = sorted(Path("/etc/apt/sources.list.d").glob("*.sources")) + [Path("/etc/apt/sources.list")]
    for path in candidates:
        try:
            text = path.read_text()
        except OSError:
            continue
        for m in re.finditer(r"^\s*(?:URIs:\s*|deb\s+(?:\[[^]]*\]\s+)?)(\S+)", text, re.M):
            url = m.group(1)
            if "/debian" in url and "security" not in url:
                return url
    return DEFAULT_MIRROR


def base_key() -> str:
    """Content hash of what goes into the rootfs layer."""
    h = hashlib.sha256(f"{SUITE}|{apt_mirror()}|{','.join(PACKAGES)}|{' '.join(CXX_FLAGS)}|v1".encode())
    return h.hexdigest()[:12]


def image_tag() -> str:
    """The full image reference the judge runs: base key + runner source."""
    h = hashlib.sha256(base_key().encode() + RUNNER_SRC.read_bytes())
    return f"{IMAGE_REPO}:{h.hexdigest()[:12]}"


DAEMON_HINT = ("start one (as root: `.ci/setup-machine` installs and starts dockerd, or `systemctl start docker`; "
               "`make test` and `make demo` run .ci/setup-machine)")
"""What to run when no daemon answers: the judge never starts a system daemon behind the user's back."""


def ensure_daemon(url: str | None = None, tls: str | None = None, timeout: int = 120, ping_s: float = 15) -> Any:
    """A docker-py client for a daemon that answers: ``url`` (``unix://``, ``tcp://``, ``ssh://``; None: the local
    one from the environment), with verified TLS from the ``ca.pem``/``cert.pem``/``key.pem`` in directory ``tls``.
    ImageError (one line naming the host: why, and what to run) when none answers within ``ping_s`` seconds."""
    where = f"judge host {url}: " if url else ""
    try:
        # Ping on a short-timeout client first: a dead tcp:// host must be one error line now, not a 120 s hang.
        probe = docker_client(url, tls, ping_s)
        try:
            probe.ping()
        finally:
            probe.close()
        return docker_client(url, tls, timeout)
    except Exception as e:
        why = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        hint = "check that its daemon runs and the URL/TLS settings (judge_hosts in settings.toml)" if url \
            else DAEMON_HINT
        raise ImageError(f"{where}no Docker daemon answers ({why}); {hint}") from None


def docker_client(url: str | None, tls: str | None, timeout: float) -> Any:
    """One docker-py client (``DockerClient``); each caller thread needs its own (requests sessions are not
    thread-safe)."""
    import docker

    if url is None:
        return docker.from_env(timeout=timeout)
    tls_config: Any = False
    if tls:
        d = Path(tls).expanduser()
        tls_config = docker.tls.TLSConfig(client_cert=(str(d / "cert.pem"), str(d / "key.pem")),
                                          ca_cert=str(d / "ca.pem"), verify=True)
    # ssh:// through the system ssh client (honours ~/.ssh/config, no paramiko dependency)
    return docker.DockerClient(base_url=url, tls=tls_config, timeout=timeout, use_ssh_client=url.startswith("ssh://"))


def has_image(client: Any, ref: str) -> bool:
    """Does the daemon behind ``client`` have image ``ref``?"""
    import docker

    try:
        client.images.get(ref)
        return True
    except docker.errors.ImageNotFound:
        return False


def copy_image(src: Any, dst: Any, ref: str, label: str = "") -> None:
    """``docker save`` on ``src`` streamed into ``docker load`` on ``dst`` (no registry, no rebuild, no temp file)."""
    _say(f"copying {ref} to {label or 'another host'}")
    chunks = src.images.get(ref).save(named=ref)
    dst.api.load_image(chunks)  # a generator body: requests streams it chunked, never the whole image in memory
    if not has_image(dst, ref):
        raise ImageError(f"{label or 'host'}: docker load did not produce {ref}")


def ensure_image_on(clients: list[tuple[str, Any]], image: str | None = None) -> str:
    """Make sure every ``(label, client)`` host has the judge image (``image`` or :func:`image_tag`): copied from
    the first host that has it, else built on the first host, then copied. Returns the image reference."""
    ref = image or image_tag()
    have = [c for _, c in clients if has_image(c, ref)]
    if not have:
        if image is not None:
            raise ImageError(f"image {image} is on none of the judge hosts ({', '.join(n for n, _ in clients)})")
        ensure_image(clients[0][1])
        have = [clients[0][1]]
    for name, c in clients:
        if not has_image(c, ref):
            copy_image(have[0], c, ref, name)
    return ref


def _say(msg: str) -> None:
    print(f"[judge image] {msg}", file=sys.stderr, flush=True)


def build_rootfs_tar(force: bool = False) -> Path:
    """Debootstrap + PCH into the cached tarball; returns its path.

    One builder at a time (:mod:`judge.buildlock`, held by debootstrap too): a second builder waits, then takes the
    tarball the first one made. Each build runs in a new directory of its own (``rootfs-<key>.<pid>.<random>.d``);
    the tarball is packed under a temporary name and renamed, so it is there complete or not at all. What a killed
    build left (a temp dir with debootstrap's ``/proc`` still mounted in it) is unmounted and removed by the next
    builder, under the lock; a directory whose mounts will not go is left in place, never deleted."""
    key = base_key()
    cache = cache_dir()
    out = cache / f"rootfs-{key}.tar"
    if out.exists() and not force:
        return out
    if os.geteuid() != 0:
        raise ImageError("building the judge rootfs needs root (debootstrap/chroot); run `iotatui judge image` as root")
    if not shutil.which("debootstrap"):
        raise ImageError("debootstrap is not installed (apt-get install debootstrap)")
    before = _mtime(out)
    try:
        with buildlock.held(cache / BUILD_LOCK, "judge rootfs build", _say) as lock_fd:
            if out.exists() and (not force or _mtime(out) != before):
                _say(f"reusing {out.name}: another process built it meanwhile")
                return out
            _remove_stale(cache)
            work = Path(tempfile.mkdtemp(prefix=f"rootfs-{key}.{os.getpid()}.", suffix=".d", dir=cache))
            try:
                os.chmod(work, 0o755)  # the image's /, as the chroot sees it (mkdtemp makes it 0700)
                _debootstrap(work, lock_fd)
                _require_unmounted(work)  # before anything below deletes inside the target, or packs it
                _finish_rootfs(work)
                _pack(work, out)
            finally:
                _remove(work)
    except TimeoutError as e:
        raise ImageError(f"judge rootfs: {e} (kill that build if it hangs)") from None
    return out


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _remove(path: Path) -> bool:
    """Unmount what is mounted inside ``path``, then delete it; when a mount will not go, leave it and say so."""
    try:
        stuck = mounts.remove_tree(path)
    except OSError as e:
        stuck = [f"delete failed: {e}"]
    if stuck:
        _say(f"left {path} in place, not deleted: {'; '.join(stuck)} (unmount with `umount -R {path}`, then "
             f"delete it)")
    return not stuck


_LEGACY = re.compile(r"rootfs-[0-9a-f]+\.(d|tar\.tmp)")
"""The fixed names of builds before the lock (one per key): an older iotatui may be writing one without the lock."""
LEGACY_QUIET_S = 600


def _remove_stale(cache: Path) -> None:
    """Under the build lock nobody else builds: every temp dir or half-packed tarball here is a dead build's, except
    a pre-lock ``rootfs-<key>.d`` that changed in the last ten minutes (an older iotatui may be building there)."""
    for p in sorted(cache.glob("rootfs-*.d")) + sorted(cache.glob("rootfs-*.tmp")):
        if _LEGACY.fullmatch(p.name) and time.time() - _newest_mtime(p) < LEGACY_QUIET_S:
            _say(f"leaving {p.name}: a build without the lock (an older iotatui) may be writing it")
            continue
        _say(f"removing {p.name}, left by a build that did not finish")
        _remove(p)


def _newest_mtime(p: Path) -> float:
    """Of ``p`` and, for a target, the debootstrap log it appends to while it runs."""
    return max((m for m in (_mtime(p), _mtime(p / "debootstrap" / "debootstrap.log")) if m is not None), default=0.0)


def _debootstrap(work: Path, lock_fd: int) -> None:
    mirror = apt_mirror()
    _say(f"debootstrap {SUITE} from {mirror} into {work.name} (about a minute, once)")
    # --cache-dir: the .debs outlive the target (debootstrap checks each one's checksum before it reuses it), so the
    # build after a failed or killed one does not download them again.
    debs = work.parent / "debs"
    debs.mkdir(exist_ok=True)
    cmd = ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", f"--cache-dir={debs}", SUITE,
           str(work), mirror]
    # pass_fds: debootstrap and its children hold the build lock too (see judge.buildlock)
    r = subprocess.run(cmd, capture_output=True, text=True, pass_fds=(lock_fd,))
    if r.returncode != 0:
        raise ImageError(f"debootstrap {SUITE} from {mirror} failed ({r.returncode}): "
                         f"{debootstrap_error(work, r.stdout + r.stderr)}")


_ERROR_LINE = re.compile(r"^E: |error|fail|unable|invalid|cannot|can't|couldn't|not found|denied|refused", re.I)
"""What debootstrap (E:, W: Failure), wget, gpgv and dpkg write when something went wrong; not its I: progress."""


def debootstrap_error(target: Path, output: str) -> str:
    """debootstrap's own error on one line: its ``E:`` lines and the last errors of ``debootstrap/debootstrap.log``
    in the target (where it writes what wget, gpgv and dpkg said), not its progress. The log is kept next to the
    cache as ``debootstrap-failed.log`` (the target is deleted)."""
    said = [ln.strip() for ln in output.splitlines() if _ERROR_LINE.search(ln.strip())]
    log = target / "debootstrap" / "debootstrap.log"
    where = ""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        text = ""
    else:
        kept = target.parent / "debootstrap-failed.log"
        kept.write_text(text)
        where = f" (log: {kept})"
    logged = [ln.strip() for ln in text.splitlines() if _ERROR_LINE.search(ln.strip())]
    lines = list(dict.fromkeys(said + logged[-3:]))  # in order, once each
    if not lines:  # nothing looks like an error: the last lines it wrote
        lines = [ln.strip() for ln in (text or output).splitlines() if ln.strip()][-3:]
    return (" | ".join(lines)[-800:] or "no output") + where


def _require_unmounted(work: Path) -> None:
    """debootstrap unmounts what it mounted when it exits; make sure (and unmount a leftover) before going on."""
    left = mounts.unmount_under(work)
    if left:
        raise ImageError(f"judge rootfs: still mounted in {work}: {'; '.join(left)}")


def _pack(work: Path, out: Path) -> None:
    """Tar ``work`` as ``out``: written under a temporary name, then renamed (readers never see half a tarball)."""
    _require_unmounted(work)  # never pack a live /proc or /sys into the image
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    _say(f"packing {out.name}")
    try:
        with tarfile.open(tmp, "w") as tf:
            for entry in sorted(os.listdir(work)):
                tf.add(work / entry, arcname=entry)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _finish_rootfs(root: Path) -> None:
    """PCH with the exact compile flags, the sandbox user, mount points; drop caches to keep the image small."""
    headers = sorted(root.glob("usr/include/x86_64-linux-gnu/c++/*/bits/stdc++.h")) or sorted(
        root.glob("usr/include/*/c++/*/bits/stdc++.h"))
    if not headers:
        raise ImageError("bits/stdc++.h not found in the rootfs")
    hdr = "/" + str(headers[-1].relative_to(root))
    _say(f"precompiling {hdr} with {' '.join(CXX_FLAGS)}")
    chroot = shutil.which("chroot") or "/usr/sbin/chroot"
    r = subprocess.run([chroot, str(root), "g++", *CXX_FLAGS, "-x", "c++-header", hdr, "-o", hdr + ".gch"],
                       capture_output=True, text=True, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"})
    if r.returncode != 0:
        raise ImageError(f"PCH build failed: {r.stderr[-2000:]}")
    with open(root / "etc/passwd", "a") as f:
        f.write(f"judge:x:{SANDBOX_UID}:{SANDBOX_UID}:sandboxed program:/tmp:/usr/sbin/nologin\n")
    with open(root / "etc/group", "a") as f:
        f.write(f"judge:x:{SANDBOX_UID}:\n")
    for d in ("sandbox", "opt/iotatui"):
        (root / d).mkdir(parents=True, exist_ok=True)
    for d in ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/locale"):
        p = root / d
        if p.is_dir():
            for child in p.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)


def ensure_image(client: Any = None, force: bool = False, quiet: bool = False) -> str:
    """Make sure the judge image exists; build what is missing. Returns the image reference. Processes that reach
    the build at once take turns (a lock in the cache dir); the ones that waited find the image made and stop."""
    client = client or ensure_daemon()
    tag = image_tag()
    if not force and has_image(client, tag):
        return tag
    try:
        with buildlock.held(cache_dir() / IMAGE_LOCK, "judge image build", _say):
            if not force and has_image(client, tag):  # checked again under the lock: built while we waited
                return tag
            if not quiet:
                _say(f"building {tag}")
            base = f"{BASE_REPO}:{base_key()}"
            if force or not has_image(client, base):
                tar = build_rootfs_tar(force=force)
                _say(f"docker import {tar.name} as {base}")
                client.api.import_image_from_file(str(tar), repository=base.split(":")[0], tag=base.split(":")[1],
                                                  changes=["LABEL iotatui.judge.image=1"])
            _commit_runner(client, base, tag)
    except TimeoutError as e:
        raise ImageError(f"judge image: {e} (kill that build if it hangs)") from None
    return tag


def _commit_runner(client: Any, base: str, tag: str) -> None:
    """Runner layer: create (never start) a container of ``base``, copy the runner in, commit it as ``tag``."""
    c = client.containers.create(base, command=["true"], labels={"iotatui.judge.build": "1"})
    try:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tf:
            data = RUNNER_SRC.read_bytes()
            info = tarfile.TarInfo("runner.py")
            info.size, info.mode, info.uid, info.gid, info.mtime = len(data), 0o644, 0, 0, 0
            tf.addfile(info, io.BytesIO(data))
        c.put_archive(os.path.dirname(RUNNER_PATH), buf.getvalue())
        repo, _, t = tag.partition(":")
        c.commit(repository=repo, tag=t, changes=["LABEL iotatui.judge.image=1", "WORKDIR /tmp",
                                                  'CMD ["sleep", "infinity"]'])
    finally:
        c.remove(force=True)


def main() -> None:  # pragma: no cover - manual use: python -m judge.image
    """Build (or confirm) the image and print its reference."""
    print(ensure_image())


if __name__ == "__main__":  # pragma: no cover
    main()
