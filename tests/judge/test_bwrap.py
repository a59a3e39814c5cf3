"""``--sandbox bwrap``: a smaller set of threats through bubblewrap, with the same verdicts as Docker."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from judge.engine import judge_solutions
from judge.verdict import Solution
from tests.judge.conftest import make_problem

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("bwrap"), reason="bubblewrap not installed")]
CPP = "#include <bits/stdc++.h>\nusing namespace std;\n"
CASES = {
    "ok_py": ("python3", "a, b = map(int, input().split())\nprint(a + b)", "OK"),
    "ok_cpp": ("cpp", CPP + "int main(){int a,b;cin>>a>>b;cout<<a+b;}", "OK"),
    "wa": ("python3", "print(4)", "WRONG_ANSWER"),
    "ce": ("cpp", "int main( {", "COMPILE_ERROR"),
    "tle": ("python3", "while True: pass", "TIME_LIMIT"),
    "sleep": ("python3", "import time\ntime.sleep(100)", "TIME_LIMIT"),
    "mle": ("python3", "a = [0] * 10**10", "MEMORY_LIMIT"),
    "rte": ("cpp", CPP + "int main(){cout<<3<<endl; abort();}", "RUNTIME_ERROR"),
    "ole": ("python3", "while 1:\n    print('x' * 10**6)", "OUTPUT_LIMIT"),
    "daemon": ("python3", "import subprocess\nsubprocess.Popen(['sleep', '1000'], start_new_session=True)\nprint(3)",
               "OK"),
    "net": ("python3", "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\n"
                       "    print(0)\nexcept OSError:\n    print(3)", "OK"),
    "ro_root": ("python3", "try:\n    open('/usr/bin/x', 'w')\n    print(0)\nexcept OSError:\n    print(3)", "OK"),
    "clean": ("python3", "import os\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]))", "OK"),
}


@pytest.fixture(scope="module")
def bwrap_pool() -> Iterator[Any]:
    from judge.bwrap import BwrapPool

    with BwrapPool(2, quiet=True) as p:
        yield p


def test_bwrap_verdicts(bwrap_pool: Any) -> None:
    probs = {k: make_problem(k, [("1 2\n", "3\n")]) for k in CASES}
    sols = [Solution(k, k, lang, code) for k, (lang, code, _) in CASES.items() if k != "clean"]
    got = {v.id: v.verdict for v in judge_solutions(probs, sols, pool=bwrap_pool)}
    assert got == {k: want for k, (_, _, want) in CASES.items() if k != "clean"}
    # After daemons, bombs and floods: only bwrap's pid 1, the runner and the probe are left.
    probe = [Solution(f"clean{i}", "clean", "python3", CASES["clean"][1]) for i in range(4)]
    probs["clean"] = make_problem("clean", [("", "3\n")])
    assert [v.verdict for v in judge_solutions(probs, probe, pool=bwrap_pool)] == ["OK"] * 4


def test_bwrap_states_what_it_cannot_protect(capsys: pytest.CaptureFixture[str]) -> None:
    from judge.bwrap import UNPROTECTED, BwrapPool

    BwrapPool(1).close()
    err = capsys.readouterr().err
    assert "not protected" in err and all(u.split(":")[0] in err for u in UNPROTECTED)
    assert "pids limit" in err
