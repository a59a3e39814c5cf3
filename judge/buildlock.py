"""One builder at a time: an exclusive ``flock`` on a file in the cache directory. Stdlib only.

``flock`` and not ``lockf``/``fcntl(F_SETLK)``: an flock belongs to the open file, so children that inherit the
descriptor (``subprocess.run(..., pass_fds=(fd,))``) hold it too, until the last of them exits. A builder killed
with ``kill -9`` while its debootstrap runs on therefore does not let the next builder in to delete a target that is
still being written; once every process of that build is gone, the kernel drops the lock by itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

POLL_S = 0.5


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip() or "?"
    except OSError:
        return "?"


@contextlib.contextmanager
def held(path: Path, what: str, say: Callable[[str], None], timeout_s: float = 3600.0) -> Iterator[int]:
    """Hold the lock on ``path`` (created when missing) for the ``with`` block; yields its descriptor (hand it to
    the build's children to keep the lock theirs as well). When another process holds it: one line through
    ``say`` naming it, then wait; TimeoutError after ``timeout_s`` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for the {what} of pid {_holder(fd)} (lock {path})")
            deadline = time.monotonic() + timeout_s
            while True:
                # Polled, not a blocking flock: a blocking one cannot be given a deadline without signals.
                time.sleep(POLL_S)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"the {what} of pid {_holder(fd)} still holds {path} after "
                                           f"{timeout_s:.0f} s") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)  # the lock goes with the last descriptor of this open file
