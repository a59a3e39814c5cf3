"""The judge cache's safety parts on the real kernel, milliseconds each: judge.mounts (tmpfs mounts inside a
directory, as debootstrap leaves /proc in its target; a mount that cannot be unmounted, locked in a user namespace),
judge.buildlock (an flock inherited by a child that outlives its killed parent), the stale-build sweep, and the
bubblewrap rootfs extracted once by pools that start together. The mount tests need root."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from judge.mounts import mounts_under, remove_tree
from tests.conftest import ROOT, wait_until

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")


def _mount_tmpfs(point: Path) -> None:
    point.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "iotatui-test", str(point)], check=True)


@pytest.fixture
def target(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A build-target-like dir; whatever a failed test leaves mounted in it is unmounted afterwards."""
    t = tmp_path / "rootfs-key.123.d"
    t.mkdir()
    yield t
    for point in reversed(mounts_under(tmp_path)):
        subprocess.run(["umount", "-l", point], check=False)


@needs_root
def test_remove_tree_unmounts_everything_inside_then_deletes(target: Path) -> None:
    (target / "etc").mkdir()
    (target / "etc" / "passwd").write_text("root:x:0:0::/root:/bin/sh\n")
    _mount_tmpfs(target / "proc")
    _mount_tmpfs(target / "dev")
    _mount_tmpfs(target / "dev" / "pts")  # inside another mount: must go first
    (target / "dev" / "pts" / "0").write_text("a file on the inner mount")
    _mount_tmpfs(target / "proc")  # stacked twice on one point
    assert len(mounts_under(target)) == 4

    assert remove_tree(target) == []
    assert not target.exists() and mounts_under(target.parent) == []


@needs_root
@pytest.mark.skipif(not shutil.which("unshare"), reason="util-linux unshare not installed")
def test_a_mount_that_will_not_go_is_never_deleted(target: Path) -> None:
    """In a user namespace the mounts copied from the parent are locked: umount fails for real (EINVAL, even with
    MNT_DETACH). remove_tree there must report the mount and delete nothing, neither around nor through it."""
    _mount_tmpfs(target / "proc")
    (target / "proc" / "inside").write_text("on the mount")
    (target / "beside").write_text("next to the mount")
    code = f"from judge.mounts import remove_tree; print(remove_tree({str(target)!r}))"
    r = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-c", code],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert str(target / "proc") in r.stdout, r.stdout
    assert (target / "proc" / "inside").read_text() == "on the mount"
    assert (target / "beside").read_text() == "next to the mount"
    assert remove_tree(target) == [] and not target.exists()  # here (not locked) it unmounts, then deletes


def test_a_child_that_inherits_the_lock_holds_it_after_its_parent_is_killed(tmp_path: Path) -> None:
    """flock semantics the build relies on: debootstrap, given the lock's fd, keeps the lock after kill -9 of the
    builder; the next builder gets in only when the last process of that build is gone."""
    lock = tmp_path / "rootfs.lock"
    pidfile = tmp_path / "child.pid"
    code = ("import subprocess, sys, signal\n"
            "from judge.buildlock import held\n"
            "with held(__import__('pathlib').Path(sys.argv[1]), 'test build', print) as fd:\n"
            "    c = subprocess.Popen([sys.executable, '-c', 'import signal; signal.pause()'], pass_fds=(fd,))\n"
            "    open(sys.argv[2], 'w').write(str(c.pid))\n"
            "    signal.pause()\n")
    parent = subprocess.Popen([sys.executable, "-c", code, str(lock), str(pidfile)], cwd=ROOT)
    child_pid = 0
    try:
        child_pid = int(wait_until(lambda: pidfile.exists() and pidfile.read_text(), timeout=30, what="the child"))
        parent.kill()
        parent.wait(timeout=30)

        fd = os.open(lock, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):  # the parent is dead; its child still holds the lock
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.kill(child_pid, signal.SIGKILL)

            def free() -> bool:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    return False

            wait_until(free, timeout=30, what="the lock to be free once the child is gone")
        finally:
            os.close(fd)
    finally:
        parent.kill()
        if child_pid:
            try:
                os.kill(child_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@needs_root
def test_stale_build_dirs_are_cleared_but_a_live_pre_lock_one_is_left(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """What the next builder clears under the lock: a dead build's temp dir (unmounted, then deleted) and an old
    pre-lock ``rootfs-<key>.d``; a pre-lock one that changed in the last minutes may be an older iotatui's live build."""
    from judge.image import _remove_stale

    dead = tmp_path / "rootfs-0123456789ab.4242.x1y2z3.d"
    old_fixed = tmp_path / "rootfs-0123456789ab.d"
    live_fixed = tmp_path / "rootfs-ba9876543210.d"
    for d in (dead, old_fixed, live_fixed):
        _mount_tmpfs(d / "proc")
    (tmp_path / "rootfs-0123456789ab.tar.4242.tmp").write_text("half a tarball")
    an_hour_ago = os.stat(old_fixed).st_mtime - 3600
    os.utime(old_fixed, (an_hour_ago, an_hour_ago))
    try:
        _remove_stale(tmp_path)
        assert not dead.exists() and not old_fixed.exists()
        assert not (tmp_path / "rootfs-0123456789ab.tar.4242.tmp").exists()
        assert mounts_under(live_fixed) == [str(live_fixed / "proc")]
        assert "leaving rootfs-ba9876543210.d" in capsys.readouterr().err
    finally:
        for point in reversed(mounts_under(tmp_path)):
            subprocess.run(["umount", "-l", point], check=False)


def test_bwrap_rootfs_is_extracted_once_by_pools_that_start_together(tmp_path: Path) -> None:
    """Three processes want the bubblewrap rootfs while the lock is held (as by a slow first extraction): all wait,
    then exactly one extracts, the others use its copy; a killed extraction's temp dir is gone."""
    from judge.buildlock import held
    from judge.image import base_key

    env = {**os.environ, "IOTATUI_CACHE": str(tmp_path)}
    key = base_key()
    judge_dir = tmp_path / "judge"
    judge_dir.mkdir()
    src = tmp_path / "src"
    (src / "usr" / "bin").mkdir(parents=True)
    (src / "usr" / "bin" / "python3").write_text("#!/bin/sh\n")
    with tarfile.open(judge_dir / f"rootfs-{key}.tar", "w") as tf:
        tf.add(src / "usr", arcname="usr")
    killed = judge_dir / f"bwrap-rootfs-{key}.4242.abc.tmp"
    (killed / "usr").mkdir(parents=True)

    errs = [tmp_path / f"pool{i}.err" for i in range(3)]
    with held(judge_dir / "bwrap.lock", "test", print):
        procs = []
        for e in errs:
            with open(e, "w") as f:
                procs.append(subprocess.Popen([sys.executable, "-c", "from judge.bwrap import rootfs_dir; "
                                               "print(rootfs_dir())"], env=env, cwd=ROOT, text=True,
                                              stdout=subprocess.PIPE, stderr=f))
        wait_until(lambda: all("waiting for the bwrap rootfs extraction" in e.read_text() for e in errs),
                   timeout=60, what="all three to wait on the lock")
    outs = [p.communicate(timeout=60)[0].strip() for p in procs]
    said = [e.read_text() for e in errs]
    target = judge_dir / f"bwrap-rootfs-{key}"
    assert [p.returncode for p in procs] == [0, 0, 0] and outs == [str(target)] * 3, said
    assert sum("extracting" in s for s in said) == 1, said
    assert (target / ".ok").exists() and (target / "usr" / "bin" / "python3").read_text() == "#!/bin/sh\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755  # the sandbox's /: the program's uid must get through it
    assert list(judge_dir.glob("*.tmp")) == []
