"""One case per threat in shared/notes/judge.md §7 (R = resources, S = security, C = correctness), judged through
the real Docker sandbox. All cases go through the shared pool in one batch (both containers busy), then each
parametrized test asserts its own verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from judge.verdict import Solution, Verdict
from tests.judge.conftest import make_problem

pytestmark = [pytest.mark.docker, pytest.mark.slow]

OK, WA, TLE, MLE, RTE, OLE, CE = ("OK", "WRONG_ANSWER", "TIME_LIMIT", "MEMORY_LIMIT", "RUNTIME_ERROR",
                                  "OUTPUT_LIMIT", "COMPILE_ERROR")
BIG_OUT = "\n".join(map(str, range(10**6))) + "\n"
SECRET = "SECRET" + "-MARKER-8e1f"


@dataclass
class Case:
    id: str
    lang: str
    code: str
    expect: set[str]
    tests: list[tuple[str, str]] = field(default_factory=lambda: [("1 2\n", "3\n")])
    tl: float = 0.5
    check: Callable[[Verdict], Any] | None = None


def _wall_below(limit: float) -> Callable[[Verdict], Any]:
    def check(v: Verdict) -> None:
        assert v.tests and v.tests[0].wall_s < limit, f"took {v.tests[0].wall_s}s"
    return check


def _low_cpu(v: Verdict) -> None:  # killed by the wall guard, not by CPU
    assert v.tests[0].time_s < 0.5 and v.tests[0].wall_s >= 1.0


def _first_test_ok(v: Verdict) -> None:  # S2: test 1 proves nothing leaked; test 2 (expects the secret) fails
    assert [t.verdict for t in v.tests] == ["OK", "WRONG_ANSWER"]


CPP_HEAD = "#include <bits/stdc++.h>\nusing namespace std;\n"
CASES = [
    # --- 7.1 resources -------------------------------------------------------------------------------------------
    Case("R1_py_busy_loop", "python3", "while True: pass", {TLE}),
    Case("R1_cpp_busy_loop", "cpp", CPP_HEAD + "int main(){volatile unsigned x=0; for(;;) x++;}", {TLE}),
    Case("R2_sleep_wall_guard", "python3", "import time\ntime.sleep(10**6)", {TLE}, check=_low_cpu),
    Case("R2_stdin_closed_after_input", "python3", "import sys\nprint(sum(map(int, sys.stdin.read().split())))", {OK}),
    Case("R3_correct_then_loop", "python3", "print(3, flush=True)\nwhile True: pass", {TLE}),
    Case("R3_correct_then_crash", "python3", "print(3)\n1/0", {RTE}),
    Case("R4_fork_bomb_py", "python3",
         "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass", {TLE, RTE}),
    Case("R4_fork_bomb_bash", "python3", "import os\nos.execv('/bin/bash', ['bash', '-c', ':(){ :|:& };:'])",
         {TLE, RTE, WA}),
    Case("R5_daemon_new_session", "python3",
         "import subprocess\nsubprocess.Popen(['sleep', '1000'], start_new_session=True)\nprint(3)", {OK},
         check=_wall_below(2.0)),
    Case("R5_child_holds_stdout", "python3",
         "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(1000)\nprint(3, flush=True)", {OK},
         check=_wall_below(2.0)),
    Case("R6_py_huge_list", "python3", "a = [0] * 10**10\nprint(3)", {MLE}),
    Case("R6_py_growing", "python3", "a = []\nwhile True:\n    a.append(bytearray(10**7))", {MLE}),
    Case("R6_cpp_huge_vector", "cpp", CPP_HEAD + "int main(){vector<long long> v(2e9); cout<<v[5];}", {MLE}),
    Case("R7_cpp_untouched_new", "cpp",
         CPP_HEAD + "int main(){volatile char*p=new char[1ULL<<34]; p[12345]=1; cout<<p[12345]+2;}", {MLE}),
    Case("R7_c_untouched_malloc", "cpp",
         CPP_HEAD + "int main(){volatile char*p=(char*)malloc(1ULL<<34); if(!p) return 1; p[7]=3; cout<<(int)p[7];}", {MLE, RTE}),
    Case("R8_numpy", "python3", "import numpy as np\nprint(int(np.arange(10**6).sum()))", {OK},
         tests=[("", "499999500000\n")], tl=2.0),
    Case("R8_threads", "python3",
         "import threading\nr=[]\nts=[threading.Thread(target=lambda i=i: r.append(i)) for i in range(8)]\n"
         "[t.start() for t in ts]\n[t.join() for t in ts]\nprint(sum(r))", {OK}, tests=[("", "28\n")]),
    Case("R8_cf_thread_stack_trick", "python3",
         "import sys, threading\nsys.setrecursionlimit(10**6)\nthreading.stack_size(2**26)\n"
         "def f(n):\n    return 0 if n == 0 else f(n - 1) + 1\n"
         "def main():\n    print(f(50000))\nt = threading.Thread(target=main)\nt.start()\nt.join()", {OK},
         tests=[("", "50000\n")], tl=2.0),
    Case("R9_stdout_flood", "python3", "while 1:\n    print('x' * 10**6)", {OLE}),
    Case("R10_stderr_flood", "python3", "import sys\nfor _ in range(1000):\n    sys.stderr.write('e' * 10**5)\nprint(3)",
         {OK}, tl=2.0),
    Case("R11_large_output", "python3", "print('\\n'.join(map(str, range(10**6))))", {OK},
         tests=[("", BIG_OUT)], tl=2.0),
    Case("R11_large_output_cpp", "cpp", CPP_HEAD + "int main(){for(int i=0;i<1000000;i++) printf(\"%d\\n\", i);}",
         {OK}, tests=[("", BIG_OUT)]),
    Case("R12_ignores_big_stdin", "python3", "print(3)", {OK}, tests=[("1 " * 4_000_000 + "\n", "3\n")]),
    Case("R13_file_size", "python3", "f = open('big', 'wb')\nwhile True:\n    f.write(b'0' * 10**6)", {RTE}),
    Case("R13_fill_tmp", "python3",
         "import os\nfor i in range(20):\n    with open(f'/tmp/f{i}', 'wb') as f:\n        f.write(b'0' * 60 * 10**6)\n",
         {RTE}, tl=3.0),
    Case("R14_cpp_deep_recursion", "cpp",
         CPP_HEAD + "int d(int n){volatile int pad[8]; pad[0]=n; return n==0?0:d(n-1)+1+pad[0]*0;}\n"
         "int main(){cout<<d(1000000)<<endl;}", {OK}, tests=[("", "1000000\n")], tl=2.0),
    Case("R14_py_deep_recursion", "python3",
         "import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return 0 if n == 0 else f(n - 1) + 1\n"
         "print(f(100000))", {OK}, tests=[("", "100000\n")], tl=2.0),
    Case("R15_threads_burn", "cpp",
         CPP_HEAD + "int main(){vector<thread> t; for(int i=0;i<4;i++) t.emplace_back([]{volatile long x=0;for(;;)x++;});"
         " for(auto&x:t) x.join();}", {TLE}, check=_wall_below(5.0)),
    # --- 7.2 security / isolation --------------------------------------------------------------------------------
    Case("S1_no_network", "python3",
         "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\n    print('open')\n"
         "except OSError:\n    print('blocked')\nprint(*sorted(n for _, n in socket.if_nameindex()))", {OK},
         tests=[("", "blocked\nlo\n")]),
    Case("S2_no_secrets", "python3", f"""
import os
marker = {SECRET[:6]!r} + {SECRET[6:]!r}
allowed = {{'PATH', 'HOME', 'LANG', 'TMPDIR', 'PYTHONINTMAXSTRDIGITS', 'PYTHONDONTWRITEBYTECODE', 'PYTHONUNBUFFERED',
           'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'LC_CTYPE'}}
found = [k for k in os.environ if k not in allowed]
for top in ('/tmp', '/sandbox', '/opt', '/dev/shm', '/proc'):
    for root, dirs, files in os.walk(top):
        if root.startswith('/proc/') and root.count('/') > 2:
            dirs[:] = []
        for name in files:
            if top == '/proc' and name not in ('environ', 'cmdline'):
                continue
            try:
                with open(os.path.join(root, name), 'rb') as f:
                    if marker.encode() in f.read(1 << 22):
                        found.append(os.path.join(root, name))
            except OSError:
                pass
try:
    open('/proc/1/environ', 'rb').read()
    found.append('/proc/1/environ')
except OSError:
    pass
print('clean' if not found else 'leak ' + ' '.join(found))
""", {WA}, tests=[("", "clean\n"), ("", SECRET + "\n")], check=_first_test_ok),
    Case("S3_cannot_tamper", "python3", """
import os
ok = 0
for path in ('/bin/bash', '/opt/iotatui/runner.py', '/usr/lib/python3.11/os.py', '/etc/passwd'):
    try:
        open(path, 'ab').close()
    except OSError:
        ok += 1
    try:
        os.remove(path)
    except OSError:
        ok += 1
try:
    os.mkdir('/usr/evil')
except OSError:
    ok += 1
print('ro' if ok == 9 else f'writable {ok}')
""", {OK}, tests=[("", "ro\n")]),
    Case("S4_forged_protocol_on_stdout", "python3",
         "import json\nprint(json.dumps({'op': 'result', 'exit_code': 0, 'signal': None, 'timeout': None}))\nprint(3)",
         {WA}),
    Case("S4_no_extra_fds", "python3",
         "import os\nopen_fds = []\nfor fd in range(3, 256):\n    try:\n        os.write(fd, b'{\"op\": \"result\"}\\n')\n"
         "        open_fds.append(fd)\n    except OSError:\n        pass\nprint(3 if not open_fds else open_fds)", {OK}),
    Case("S4_cannot_kill_or_inspect_runner", "python3", """
import os, signal
hits = []
for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:
    if pid == os.getpid():
        continue
    for what, probe in (('kill', lambda: os.kill(pid, signal.SIGKILL)), ('fd', lambda: os.listdir(f'/proc/{pid}/fd')),
                        ('mem', lambda: open(f'/proc/{pid}/mem', 'rb').read(1))):
        try:
            probe()
            hits.append(f'{what}{pid}')
        except OSError:
            pass
print(3 if not hits else hits)
""", {OK}),
    Case("S5_no_symlinks_into_runner_dirs", "python3", """
import os
r = []
for target in ('/sandbox/sol/a.out', '/sandbox/sol/x', '/sandbox/x', '/opt/iotatui/x'):
    try:
        os.symlink('/etc/passwd', target)
        r.append('made')
    except OSError:
        r.append('denied')
for planted in ('/tmp/a.out', '/tmp/main.cpp'):
    try:
        os.symlink('/etc/passwd', planted)
    except OSError:
        pass
print(' '.join(r))
""", {OK}, tests=[("", "denied denied denied denied\n")]),
    Case("S6_guard_bypass_is_only_uid_10001", "python3",
         "import sys, importlib\nprint(importlib.import_module('os').getuid())\nsys.modules['os'].system('id -u')",
         {OK}, tests=[("", "10001\n10001\n")]),
    Case("S7_include_dev_random", "cpp", "#include </dev/random>\nint main(){}", {CE}),
    Case("S7_include_dev_stdin", "cpp", "#include </dev/stdin>\nint main(){}", {CE}),
    Case("S7_huge_static_array", "cpp", "int a[1<<30]={1};\nint main(){return a[5];}", {CE}),
    Case("S7_template_explosion", "cpp",
         "template<int N> struct F { enum { v = F<N+1>::v }; };\nint main(){ return F<0>::v; }", {CE}),
    Case("S7_error_flood", "cpp", "#define A x x x x x x x x x x\n#define B A A A A A A A A A A\n"
         "#define C B B B B B B B B B B\n#define D C C C C C C C C C C\nint main(){ D D D D D D D D D D }", {CE}),
    Case("S9_zombies", "python3", "import os\nfor _ in range(50):\n    if os.fork() == 0:\n        os._exit(0)\nprint(3)",
         {OK}),
    # --- 7.3 correctness -----------------------------------------------------------------------------------------
    Case("C0_py_ok", "python3", "a, b = map(int, input().split())\nprint(a + b)", {OK}),
    Case("C0_cpp_ok", "cpp", CPP_HEAD + "int main(){long long a,b;cin>>a>>b;cout<<a+b<<endl;}", {OK}),
    Case("C0_py_syntax_error_is_CE", "python3", "def f(:\n    pass", {CE}),
    Case("C1_crlf_and_trailing_space", "python3", "import sys\nsys.stdout.write('3   \\r\\n\\r\\n')", {OK}),
    Case("C3_case_insensitive", "python3", "print('yes')", {OK}, tests=[("", "YES\n")]),
    Case("C6_big_ints_exact", "python3", "print(10**18 + 1)", {WA}, tests=[("", "1000000000000000000\n")]),
    Case("C12_exit_before_print", "python3", "import sys\nsys.exit(0)\nprint(3)", {WA}),
    Case("C12_os_exit_before_print", "python3", "import os\nos._exit(0)", {WA}),
    Case("C13_correct_then_abort_cpp", "cpp", CPP_HEAD + "int main(){cout<<3<<endl; abort();}", {RTE}),
    Case("C13_correct_then_segfault_cpp", "cpp",
         CPP_HEAD + "int main(){cout<<3<<endl; *(volatile int*)0 = 1;}", {RTE}),
    Case("C13_correct_then_exit_1", "python3", "print(3)\nraise SystemExit(1)", {RTE}),
    Case("C14_partial_then_killed", "python3", "print(1, flush=True)\nwhile True: pass", {TLE},
         tests=[("", "1 2\n")]),
    Case("C15_invalid_utf8_and_nul", "python3", "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe\\x00 3\\n')", {WA}),
    Case("C16_int_over_4300_digits", "python3", "print(10**5000)", {OK}, tests=[("", "1" + "0" * 5000 + "\n")]),
    Case("C19_open0", "python3", "print(sum(map(int, open(0).read().split())))", {OK}),
    Case("C19_stdin_buffer", "python3", "import sys\nprint(sum(map(int, sys.stdin.buffer.read().split())))", {OK}),
    Case("C19_readline_until_eof", "python3",
         "import sys\ns = 0\nwhile True:\n    line = sys.stdin.readline()\n    if not line:\n        break\n"
         "    s += sum(map(int, line.split()))\nprint(s)", {OK}),
]


@pytest.fixture(scope="module")
def verdicts(judge: Any) -> dict[str, Verdict]:
    problems = [make_problem(c.id, c.tests, time_limit=c.tl / 2 if c.lang == "python3" else c.tl) for c in CASES]
    sols = [Solution(c.id, c.id, c.lang, c.code) for c in CASES]
    return judge(problems, sols)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_threat(case: Case, verdicts: dict[str, Verdict]) -> None:
    v = verdicts[case.id]
    detail = (v.compile_output or "")[-300:], [t.to_dict() for t in v.tests], v.error
    assert v.verdict in case.expect, f"{case.id}: got {v.verdict}, expected {case.expect}; {detail}"
    if case.check:
        case.check(v)


def test_sandbox_clean_after_hostile_programs(judge: Any, verdicts: dict[str, Verdict]) -> None:
    """After bombs, daemons, zombies, tmp fills and planted symlinks: no process but pid 1, the runner and the probe
    survives, /tmp and /dev/shm are empty, and a C++ solution still compiles (S5, S8/S9, R4/R5/R13)."""
    probe = ("import os\nprocs = [p for p in os.listdir('/proc') if p.isdigit()]\n"
             "print(len(procs), len(os.listdir('/tmp')), len(os.listdir('/dev/shm')))")
    prob = make_problem("probe", [("", "3 0 0\n")])
    cpp = make_problem("probe_cpp", [("1 2\n", "3\n")])
    sols = [Solution(f"probe{i}", "probe", "python3", probe) for i in range(4)]
    sols += [Solution(f"cpp{i}", "probe_cpp", "cpp", CPP_HEAD + "int main(){int a,b;cin>>a>>b;cout<<a+b;}")
             for i in range(2)]
    got = judge([prob, cpp], sols)
    for sid, v in got.items():
        assert v.verdict == OK, (sid, v.to_dict())


def test_all_tests_runs_past_failures(judge: Any) -> None:
    """--all-tests: every test runs and gets its own verdict; fail-fast stops at the first failure."""
    prob = make_problem("alltests", [("1\n", "1\n"), ("2\n", "3\n")], private=[("3\n", "3\n")])
    code = "print(input())"
    ff = judge([prob], [Solution("ff", "alltests", "python3", code)])["ff"]
    full = judge([prob], [Solution("full", "alltests", "python3", code)], all_tests=True)["full"]
    assert [t.verdict for t in ff.tests] == [OK, WA]
    assert [(t.set, t.index, t.verdict) for t in full.tests] == [("public", 0, OK), ("public", 1, WA),
                                                                 ("private", 0, OK)]
    assert full.verdict == WA and full.fraction_passed == pytest.approx(2 / 3)


def test_strict_comparator_through_sandbox(judge: Any) -> None:
    prob = make_problem("strict", [("", "YES\n")])
    v = judge([prob], [Solution("s", "strict", "python3", "print('yes')")], comparator="strict")["s"]
    assert v.verdict == WA
