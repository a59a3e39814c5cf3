"""Build the judge's sandbox image offline: debootstrap a minimal Debian, add python3 + g++ + a precompiled
``bits/stdc++.h`` + our runner, ``docker import`` it. No registry is needed, only the machine's apt mirror.

Two cached layers, so a runner change rebuilds in seconds:

1. ``~/.cache/iotatui/judge/rootfs-<key>.tar``: debootstrap ``--variant=minbase`` + packages + the PCH, where
   ``key`` hashes (suite, mirror, packages, C++ flags). Imported as ``iotatui-judge-base:<key>``.
2. ``iotatui-judge:<tag>``: the base plus ``/opt/iotatui/runner.py``; ``tag`` hashes the key and the runner source.

``ensure_image()`` is a no-op when the final tag exists. Needs root (debootstrap, chroot) only for layer 1.
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
from pathlib import Path
from typing import Any

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


DAEMON_HINT = "start one (as root: `dockerd &` or `systemctl start docker`; `make test` runs .ci/setup-machine)"
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
    """Debootstrap + PCH into a cached tarball; returns its path."""
    key = base_key()
    out = cache_dir() / f"rootfs-{key}.tar"
    if out.exists() and not force:
        return out
    if os.geteuid() != 0:
        raise ImageError("building the judge rootfs needs root (debootstrap/chroot); run `iotatui judge image` as root")
    if not shutil.which("debootstrap"):
        raise ImageError("debootstrap is not installed (apt-get install debootstrap)")
    work = cache_dir() / f"rootfs-{key}.d"
    work.parent.mkdir(parents=True, exist_ok=True)
    marker = work / ".debootstrap-ok"
    if not marker.exists():
        shutil.rmtree(work, ignore_errors=True)
        _say(f"debootstrap {SUITE} from {apt_mirror()} (a few minutes, once)")
        cmd = ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE, str(work), apt_mirror()]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise ImageError(f"debootstrap failed ({r.returncode}): {(r.stdout + r.stderr)[-2000:]}")
        marker.write_text("ok\n")
    _finish_rootfs(work)
    tmp = out.with_suffix(".tar.tmp")
    _say(f"packing {out.name}")
    with tarfile.open(tmp, "w") as tf:
        for entry in sorted(os.listdir(work)):
            if entry != ".debootstrap-ok":
                tf.add(work / entry, arcname=entry)
    tmp.replace(out)
    shutil.rmtree(work, ignore_errors=True)
    return out


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
    """Make sure the judge image exists; build what is missing. Returns the image reference."""
    import docker

    client = client or ensure_daemon()
    tag = image_tag()
    if not force:
        try:
            client.images.get(tag)
            return tag
        except docker.errors.ImageNotFound:
            pass
    if not quiet:
        _say(f"building {tag}")
    base = f"{BASE_REPO}:{base_key()}"
    try:
        if force:
            raise docker.errors.ImageNotFound("forced")
        client.images.get(base)
    except docker.errors.ImageNotFound:
        tar = build_rootfs_tar(force=force)
        _say(f"docker import {tar.name} as {base}")
        client.api.import_image_from_file(str(tar), repository=base.split(":")[0], tag=base.split(":")[1],
                                          changes=["LABEL iotatui.judge.image=1"])
    # Runner layer: create (never start) a container, copy the runner in, commit.
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
    return tag


def main() -> None:  # pragma: no cover - manual use: python -m judge.image
    """Build (or confirm) the image and print its reference."""
    print(ensure_image())


if __name__ == "__main__":  # pragma: no cover
    main()
