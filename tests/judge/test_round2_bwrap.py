"""Judge round 2, class 6: ``--sandbox bwrap`` is not a root hole. Started as root (as here), programs run as uid
10001 with no capabilities, ``/proc/sys`` is read-only, nested user namespaces and the seccomp-denied calls fail; the
tree accounting, scratch wipe and regular-file stdin behave as under Docker."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from judge.engine import judge_solutions
from judge.verdict import Solution
from tests.judge.conftest import make_problem

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("bwrap"), reason="bubblewrap not installed")]
PROBE = """import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
bad = []
for path, value in (('/proc/sys/kernel/core_pattern', '|/tmp/x'), ('/proc/sys/vm/drop_caches', '3'),
                    ('/proc/sys/kernel/hostname', 'x'), ('/proc/sysrq-trigger', 'h')):
    try:
        with open(path, 'w') as f:
            f.write(value)
        bad.append(path)
    except OSError:
        pass
for name, nr, args in (('unshare_user', 272, (0x10000000,)), ('io_uring_setup', 425, (8, ctypes.create_string_buffer(120))),
                       ('keyctl', 250, (0, -3, 1)), ('perf_event_open', 298, (ctypes.create_string_buffer(128), 0, -1, -1, 0)),
                       ('shmget', 29, (0, 4096, 0o1000 | 0o600)), ('mount', 165, (b'none', b'/tmp', b'tmpfs', 0, 0))):
    if libc.syscall(nr, *args) >= 0:
        bad.append(name)
for fam in (40, 38):
    try:
        socket.socket(fam, socket.SOCK_STREAM if fam == 40 else socket.SOCK_SEQPACKET).close()
        bad.append(f'socket{fam}')
    except OSError:
        pass
if os.getuid() == 0 or os.geteuid() == 0:
    bad.append('root')
print('clean' if not bad else ' '.join(bad))
"""
CASES = {
    "hardening_probe": ("python3", PROBE, [("", "clean\n")], "OK", 1.0),
    "tree_cpu": ("python3", "import os, time\npids = []\nfor _ in range(2):\n    p = os.fork()\n    if p == 0:\n"
                            "        t = time.process_time()\n        while time.process_time() - t < 0.8:\n"
                            "            pass\n        os._exit(0)\n    pids.append(p)\nfor p in pids:\n"
                            "    os.waitid(os.P_PID, p, os.WEXITED | os.WNOWAIT)\nprint(3)",
                 [("", "3\n")], "TIME_LIMIT", 1.0),
    "wipe_mode000": ("python3", "import os\nleft = os.listdir('/tmp')\nprint('clean' if not left else left)\n"
                                "os.makedirs('/tmp/d/e')\nos.chmod('/tmp/d', 0)\nos.chdir('/tmp')\nfor _ in range(1200):\n"
                                "    os.mkdir('a')\n    os.chdir('a')",
                     [("", "clean\n"), ("", "clean\n")], "OK", 1.0),
    "stdin_regular_file": ("python3", "import os\nprint(sum(map(int, os.read(0, os.fstat(0).st_size).split())))",
                           [("1 2\n", "3\n")], "OK", 1.0),
    "fake_memoryerror": ("python3", "import sys\nsys.stderr.write('MemoryError\\n')\nsys.exit(1)", [("", "3\n")],
                         "RUNTIME_ERROR", 1.0),
    "real_memoryerror": ("python3", "a = [0] * 10**10", [("", "3\n")], "MEMORY_LIMIT", 1.0),
}


@pytest.fixture(scope="module")
def bwrap_pool() -> Iterator[Any]:
    from judge.bwrap import BwrapPool

    with BwrapPool(2, quiet=True) as p:
        yield p


@pytest.mark.skipif(os.geteuid() != 0, reason="the uid drop applies when the judge is started as root")
def test_bwrap_round2(bwrap_pool: Any) -> None:
    probs = {k: make_problem(k, tests, time_limit=tl / 2) for k, (_, _, tests, _, tl) in CASES.items()}
    sols = [Solution(k, k, lang, code) for k, (lang, code, _, _, _) in CASES.items()]
    got = {v.id: v for v in judge_solutions(probs, sols, pool=bwrap_pool, all_tests=True)}
    detail = {k: (v.verdict, [t.to_dict() for t in v.tests], v.error) for k, v in got.items()}
    assert {k: v.verdict for k, v in got.items()} == {k: c[3] for k, c in CASES.items()}, detail


def test_bwrap_argv_hardening() -> None:
    from judge.bwrap import bwrap_argv

    root = bwrap_argv(None, as_root=True)
    user = bwrap_argv(None, as_root=False)
    assert "--unshare-user" not in root and root[root.index("--uid") + 1] == "10001"
    assert "--disable-userns" in user and "--unshare-user" in user and "--uid" not in user
    for argv in (root, user):
        i = argv.index("/proc/sys")
        assert argv[i - 1] == "--ro-bind" and argv[i + 1] == "/proc/sys"
        assert "--seccomp" in argv and argv[:2] == ["/bin/sh", "-c"]


def test_bwrap_prints_what_it_cannot_protect(capsys: pytest.CaptureFixture[str]) -> None:
    from judge.bwrap import BwrapPool, unprotected

    BwrapPool(1).close()
    err = capsys.readouterr().err
    assert "not protected" in err and all(u in err for u in unprotected())
    assert ("same uid as the runner" in err) == (os.geteuid() != 0)
