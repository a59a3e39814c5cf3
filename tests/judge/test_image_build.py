"""The judge image build under concurrency and faults, on the real debootstrap and kernel (no mocks).

* a build killed with ``kill -9`` once debootstrap has mounted /proc in its target, then three builders at once:
  exactly one runs debootstrap (and first clears the killed build's directory, unmounting before it deletes), the
  others wait for it and take its tarball; nothing stays mounted, no temp dir is left (one full debootstrap, ~1-2 min);
* a debootstrap that fails says debootstrap's own error (its E: line and its log's), on one line;
* two ``ensure_image`` at once: one ``docker import``, the other waits and finds the image.

The builds go to a temp ``IOTATUI_CACHE`` and name the mirror with an explicit port (same packages, another content
key), so the user's cache and the image the rest of the suite uses are never touched; the test's images are removed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from judge import image
from judge.image import ImageError, apt_mirror, build_rootfs_tar
from judge.mounts import mounts_under, remove_tree
from tests.conftest import ROOT, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("debootstrap"),
                                                   reason="building the judge rootfs needs root and debootstrap")]
BUILD = "from judge.image import build_rootfs_tar; print(build_rootfs_tar())"
IMAGE = "from judge.image import ensure_image; print(ensure_image())"


def _test_mirror() -> str:
    """The machine's mirror with its port spelled out: debootstrap fetches the same files, base_key() differs."""
    u = urlsplit(apt_mirror())
    port = u.port or (443 if u.scheme == "https" else 80)
    return urlunsplit((u.scheme, f"{u.hostname}:{port}", u.path, u.query, u.fragment))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """This module's IOTATUI_CACHE (the judge's files land in ``<cache>/judge``); removed after (a 500 MB tarball),
    nothing left mounted."""
    c = tmp_path_factory.mktemp("cache")
    yield c
    for point in reversed(mounts_under(c)):  # only after a failed test: the passing ones assert there are none
        subprocess.run(["umount", "-l", point], check=False)
    remove_tree(c)


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "IOTATUI_CACHE": str(cache), "IOTATUI_JUDGE_MIRROR": _test_mirror()}


def _start(code: str, cache: Path, err: Path) -> subprocess.Popen[str]:
    with open(err, "w") as f:  # stderr to a file: a builder's progress must never block on a full pipe
        return subprocess.Popen([sys.executable, "-c", code], env=_env(cache), cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=f, start_new_session=True)


def test_a_killed_build_then_three_at_once(cache: Path, tmp_path: Path) -> None:
    judge_dir = cache / "judge"
    killed = _start(BUILD, cache, tmp_path / "killed.err")
    try:
        def proc_mounted() -> Any:
            return killed.poll() is not None or [m for m in mounts_under(judge_dir) if m.endswith("/proc")]

        wait_until(proc_mounted, timeout=600, interval=0.2, what="debootstrap to mount /proc in its target")
        assert killed.poll() is None, (tmp_path / "killed.err").read_text()[-2000:]
    finally:
        os.killpg(killed.pid, signal.SIGKILL)  # the builder and its debootstrap, mid-install
        killed.wait(timeout=60)
    stale = list(judge_dir.glob("rootfs-*.d"))
    assert len(stale) == 1 and mounts_under(stale[0]), "the state that broke every later build"

    errs = [tmp_path / f"builder{i}.err" for i in range(3)]
    builders = [_start(BUILD, cache, e) for e in errs]
    try:
        outs = [b.communicate(timeout=1200)[0].strip() for b in builders]
    finally:
        for b in builders:
            if b.poll() is None:
                os.killpg(b.pid, signal.SIGKILL)
    said = [e.read_text() for e in errs]
    assert [b.returncode for b in builders] == [0, 0, 0], said
    tar = Path(outs[0])
    assert outs == [str(tar)] * 3 and tar.parent == judge_dir and tar.name.endswith(".tar")
    ran = [s for s in said if "] debootstrap " in s]
    assert len(ran) == 1, said  # one debootstrap; the other two waited for it and took its tarball
    assert f"removing {stale[0].name}, left by a build that did not finish" in ran[0] and "in place" not in ran[0]
    others = [s for s in said if s is not ran[0]]
    assert all("waiting for the judge rootfs build" in s and "reusing" in s for s in others), others
    assert mounts_under(cache) == []
    assert list(judge_dir.glob("rootfs-*.d")) == [] and list(judge_dir.glob("*.tmp")) == []
    with tarfile.open(tar) as tf:  # a complete rootfs: _finish_rootfs ran after debootstrap
        passwd = tf.extractfile("etc/passwd")
        assert passwd is not None and f"judge:x:{image.SANDBOX_UID}:" in passwd.read().decode()


def test_a_failed_debootstrap_says_its_own_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mirror that cannot be reached: the line quotes debootstrap's E: and what its log says wget met (the
    log is the only place that reason is written), and the failed build leaves nothing behind."""
    monkeypatch.setenv("IOTATUI_CACHE", str(tmp_path))
    monkeypatch.setenv("IOTATUI_JUDGE_MIRROR", "http://mirror.invalid/debian")
    with pytest.raises(ImageError) as e:
        build_rootfs_tar()
    msg = str(e.value)
    assert "\n" not in msg and "E: Failed getting release file http://mirror.invalid/debian" in msg, msg
    kept = tmp_path / "judge" / "debootstrap-failed.log"
    logged = [ln.strip() for ln in kept.read_text().splitlines() if "mirror.invalid" in ln and "wget" in ln]
    assert logged and logged[-1] in msg and str(kept) in msg, (msg, kept.read_text())
    assert list((tmp_path / "judge").glob("rootfs-*")) == [] and mounts_under(tmp_path) == []


def test_an_unknown_suite_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOTATUI_CACHE", str(tmp_path))
    monkeypatch.setattr(image, "SUITE", "nosuchsuite")
    with pytest.raises(ImageError, match=r"debootstrap nosuchsuite .* failed \(1\): E: No such script"):
        build_rootfs_tar()
    assert list((tmp_path / "judge").glob("rootfs-*")) == []


@pytest.mark.docker
def test_two_image_builds_at_once_import_once(cache: Path, tmp_path: Path, docker_client: Any) -> None:
    """With this module's rootfs (built above, else built here), two ensure_image at once: one imports and commits
    the runner layer, the other waits on the lock and finds the image. The test's own tags are removed after."""
    env = _env(cache)
    tags = subprocess.run([sys.executable, "-c", "from judge.image import BASE_REPO, base_key, image_tag; "
                           "print(f'{BASE_REPO}:{base_key()}'); print(image_tag())"],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert tags[0].split(":")[1] != image.base_key()  # never the image the rest of the suite judges with
    for t in reversed(tags):
        if image.has_image(docker_client, t):
            docker_client.images.remove(t)
    try:
        errs = [tmp_path / f"image{i}.err" for i in range(2)]
        procs = [_start(IMAGE, cache, e) for e in errs]
        try:
            outs = [p.communicate(timeout=1200)[0].strip() for p in procs]
        finally:
            for p in procs:
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGKILL)
        said = [e.read_text() for e in errs]
        assert [p.returncode for p in procs] == [0, 0] and outs == [tags[1]] * 2, said
        imported = [s for s in said if "docker import" in s]
        assert len(imported) == 1, said
        other = said[1 - said.index(imported[0])]
        assert "waiting for the judge image build" in other and "docker import" not in other, other
        assert image.has_image(docker_client, tags[1])
        assert docker_client.containers.list(all=True, filters={"label": "iotatui.judge.build=1",
                                                                 "ancestor": tags[0]}) == []
    finally:
        for t in reversed(tags):
            if image.has_image(docker_client, t):
                docker_client.images.remove(t, force=True)
