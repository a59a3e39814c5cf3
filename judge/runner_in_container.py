"""The in-sandbox runner: compiles one solution once, then runs its tests one at a time on the host's request.

Stdlib only; it runs inside the judge container (``/opt/iotatui/runner.py``) or under bubblewrap. One runner process
serves many solutions in turn over one byte channel (its own stdin/stdout, never handed to a program):

    host -> runner  {"op": "hello"}                                         (once; the runner never speaks first)
    runner -> host  {"op": "hello", "pid"}
    host -> runner  {"op": "job", "language": "cpp"|"python3", "time_s", "wall_s", "memory_bytes", "len"} + code
    runner -> host  {"op": "compiled", "ok", "time_s", "output"}
    host -> runner  {"op": "test", "out_cap", "len"} + stdin bytes          (repeated; the host compares outputs)
    runner -> host  {"op": "result", "exit_code", "signal", "cpu_s", "wall_s", "max_rss", "timeout",
                     "output_limit", "mem_error", "stderr", "len"} + the program's stdout (at most out_cap bytes)

Each message is one JSON line, followed by ``len`` raw bytes when ``len`` is present. Expected outputs never enter the
sandbox: the host decides pass/fail and whether to send the next test (fail-fast lives on the host).

Programs run as an unprivileged uid (``--uid``) with no capabilities, in a fresh session, with:
- CPU time of the whole process tree: the sum of the rusage of every process of the test (the runner is a child
  subreaper and reaps every orphan with ``wait4``), polled live from /proc and enforced on the total; RLIMIT_CPU
  (soft = ceil(limit)) still stops each single process. TIME_LIMIT only when the measured total reached the limit: a
  program that raises SIGXCPU itself early is a runtime error;
- wall clock: a guard at ``wall_s`` that kills the whole tree (catches sleeps and blocked reads);
- memory: RLIMIT_AS = limit + ``AS_SLACK`` per process (a *virtual* memory policy, like code_contests:
  ``malloc(huge)`` counts even untouched), plus the peak memory of the whole tree (the container's cgroup v1
  ``memory.stat`` rss + shmem less files in the scratch tmpfs when readable, else the sum of ``RssAnon`` +
  ``RssShmem`` over the sandbox's processes), polled and enforced on the total. An allocation failure counts as
  MEMORY_LIMIT only when it really happened: the Python bootstrap and a ``new_handler`` linked into C++ programs report
  it with a per-test nonce the program never sees (text the program prints, such as "MemoryError", decides nothing).
  RLIMIT_STACK is unlimited so deep recursion works (Codeforces gives 256 MB) and so glibc gives new threads small
  2 MiB stacks that fit under RLIMIT_AS (numpy/OpenBLAS threads keep working);
- file size: RLIMIT_FSIZE; output: stdout capped at ``out_cap`` (over it: killed, ``output_limit``), stderr drained
  concurrently and only its tail kept; stdin is a sealed read-only regular file (memfd), so ``os.fstat(0).st_size``
  and ``mmap`` work as on Codeforces;
- Python runs isolated (``-I``: no script dir, cwd, ``$HOME`` user site or ``PYTHON*`` variables on ``sys.path``),
  in the compile check too, so nothing planted in the scratch space is imported implicitly;
- at the end of every test every process of the sandbox is SIGKILLed (``kill(-1)`` inside the pid namespace is atomic
  against fork, so it also ends fork bombs and ``setsid`` daemons), reaped (this runner is a child subreaper) and the
  scratch space is wiped.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import math
import os
import resource
import secrets
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import time

AS_SLACK = 64 * 1024 * 1024
"""Added to the problem's memory limit for RLIMIT_AS: interpreter and libc mappings that are not the program's data."""
FSIZE_LIMIT = 64 * 1024 * 1024
STDERR_KEEP = 8192
COMPILE_CPU_S = 20
COMPILE_WALL_S = 40
COMPILE_AS = 2 << 30
COMPILE_OUT_CAP = 65536
POLL_S = 0.03
"""How often the whole tree's CPU and memory are sampled while a program runs (each sample costs ~0.1 ms)."""
CPU_SLACK_S = 0.02
"""Sampling granularity of the live CPU check (clock ticks); the final verdict uses exact rusage totals."""
CXX_FLAGS = ("-std=gnu++17", "-O2", "-pipe", "-DONLINE_JUDGE")
"""Exactly the flags the image's precompiled bits/stdc++.h was built with (a PCH is only used under the same flags)."""
PYTHON = ("python3", "-I", "-B", "-X", "int_max_str_digits=0")
"""-I: no script directory, cwd, user site-packages or PYTHON* variables (so the digit limit is set with -X)."""
NONCE_VAR = "IOTATUI_MEM_NONCE"
ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "TMPDIR": "/tmp",
    "PYTHONINTMAXSTRDIGITS": "0",  # for Python subprocesses a program starts without -I
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
PY_CHECK = """import sys, traceback
try:
    compile(open(sys.argv[1], 'rb').read(), 'main.py', 'exec')
except (SyntaxError, ValueError) as e:
    sys.stderr.write(''.join(traceback.format_exception_only(e)))
    sys.exit(1)
"""
"""Python's compile step: a syntax error (or NUL bytes) is COMPILE_ERROR, reported without the checker's frames."""
PY_BOOT = """def _iotatui_boot():
    import os, sys
    nonce = os.environ.pop('@NONCE@', '').encode()
    path = sys.argv[1]
    del sys.argv[0]
    with open(path, 'rb') as f:
        code = compile(f.read(), path, 'exec')
    import __main__
    g = __main__.__dict__
    for k in [k for k in g if k not in ('__name__', '__doc__', '__builtins__', '__spec__', '__loader__')]:
        del g[k]
    g['__file__'] = path
    try:
        exec(code, g)
    except MemoryError as e:
        tb = e.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        try:
            import opcode
            raised = tb is not None and opcode.opname[tb.tb_frame.f_code.co_code[tb.tb_lasti]] == 'RAISE_VARARGS'
        except Exception:
            raised = False
        if not raised and nonce:
            os.write(2, b'\\n' + nonce + b'\\n')
        raise
_iotatui_boot()
""".replace("@NONCE@", NONCE_VAR)
"""Runs main.py as ``__main__``; a MemoryError the interpreter raised (not a ``raise MemoryError`` statement) is
reported with the per-test nonce, which the program's own code never sees (popped before it starts)."""
CXX_GUARD = r"""#include <new>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
static char iotatui_nonce[80];
static size_t iotatui_len;
static void iotatui_oom() {
    if (iotatui_len) { ssize_t r = write(2, iotatui_nonce, iotatui_len); (void)r; }
    std::set_new_handler(nullptr);  // operator new retries once more, then throws std::bad_alloc as usual
}
__attribute__((constructor(101))) static void iotatui_guard() {
    const char* n = getenv("@NONCE@");
    if (n) {
        size_t l = strnlen(n, 64);
        iotatui_nonce[0] = '\n'; memcpy(iotatui_nonce + 1, n, l); iotatui_nonce[l + 1] = '\n'; iotatui_len = l + 2;
        unsetenv("@NONCE@");
    }
    std::set_new_handler(iotatui_oom);
}
""".replace("@NONCE@", NONCE_VAR)
"""Linked into every C++ program: a failed ``operator new`` is reported with the per-test nonce."""
GUARD_OBJ = "/sandbox/iotatui_guard.o"
PR_SET_CHILD_SUBREAPER = 36
PR_SET_DUMPABLE = 4
CGROUP_MEMORY_STAT = "/sys/fs/cgroup/memory/memory.stat"
CLK_TCK = os.sysconf("SC_CLK_TCK")
SCRATCH_EXTRA = ("/dev/shm",)


class TreeMeter:
    """CPU time and memory of every process of one test (the sandbox's processes but pid 1 and us).

    CPU: the final figure is exact, the rusage of every process the runner reaped (each includes whatever it reaped
    itself); live, /proc ``stat`` of the running processes is added to it. Memory: the container's cgroup v1
    rss + shmem (each physical page once; shmem covers MAP_SHARED anonymous memory) minus the growth of files in the
    tmpfs scratch dirs and of this runner's own memory; without a readable cgroup, the sum of ``RssAnon`` +
    ``RssShmem`` over the processes.
    """

    def __init__(self, enabled: bool, tmpfs: tuple[str, ...] = ()) -> None:
        self.enabled = enabled
        self.me = os.getpid()
        self.reaped_cpu = 0.0
        self.peak = 0
        self.tmpfs = tmpfs
        self.cgroup = enabled and _cgroup_memory() is not None
        self.base = self._container_memory() if self.cgroup else 0

    def _container_memory(self) -> int:
        files = 0
        for d in self.tmpfs:
            try:
                st = os.statvfs(d)
                files += (st.f_blocks - st.f_bfree) * st.f_frsize
            except OSError:
                pass
        return (_cgroup_memory() or 0) - files - _self_anon()

    def add_reaped(self, ru: resource.struct_rusage) -> None:
        """Account one process the runner reaped."""
        self.reaped_cpu += ru.ru_utime + ru.ru_stime
        self.peak = max(self.peak, ru.ru_maxrss * 1024)

    def sample(self) -> float:
        """Update the memory peak; return the tree's CPU so far (live processes + reaped ones)."""
        if not self.enabled:
            return self.reaped_cpu
        ticks, mem = 0, 0
        try:
            pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        except OSError:
            pids = []
        for pid in pids:
            if pid in (1, self.me):
                continue
            try:
                with open(f"/proc/{pid}/stat", "rb") as f:
                    fields = f.read().rpartition(b")")[2].split()
                ticks += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
                if not self.cgroup:
                    mem += _status_kb(f"/proc/{pid}/status", (b"RssAnon:", b"RssShmem:")) * 1024
            except (OSError, ValueError, IndexError):
                continue
        if self.cgroup:
            mem = self._container_memory() - self.base
        self.peak = max(self.peak, mem)
        return self.reaped_cpu + ticks / CLK_TCK


def _cgroup_memory() -> int | None:
    """rss + shmem of this container's memory cgroup (v1), or None when not readable."""
    try:
        with open(CGROUP_MEMORY_STAT, "rb") as f:
            total, seen = 0, 0
            for line in f:
                if line.startswith((b"rss ", b"shmem ")):
                    total += int(line.split()[1])
                    seen += 1
                    if seen == 2:
                        return total
    except (OSError, ValueError):
        return None
    return None


def _status_kb(path: str, keys: tuple[bytes, ...]) -> int:
    total = 0
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(keys):
                total += int(line.split()[1])
    return total


def _self_anon() -> int:
    try:
        return _status_kb("/proc/self/status", (b"RssAnon:",)) * 1024
    except (OSError, ValueError):
        return 0


class Runner:
    """State of one runner process: where the solution lives and how programs are confined."""

    def __init__(self, uid: int | None, gid: int | None, scratch: str, sol_dir: str, kill_all: bool) -> None:
        self.uid, self.gid = uid, gid
        self.scratch, self.sol_dir = scratch, sol_dir
        self.kill_all_ok = kill_all
        self.binary: list[str] = []
        self.limits: dict[str, float] = {}
        self.poisoned = ""
        """Why this sandbox can no longer be trusted (scratch not wiped); the runner exits before the next job."""
        self.meter = TreeMeter(False)

    # ---- process control -------------------------------------------------------------------------------------
    def _preexec(self, cpu_s: int, as_bytes: int, fsize: int) -> None:
        # Runs in the child between fork and exec. Order matters: rlimits and oom score before dropping the uid
        # (after setuid /proc/self is no longer writable by us), parent-death signal after (setuid clears it).
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (as_bytes, as_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_STACK, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        try:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")  # if the container's memory backstop fires, the program dies, not the runner
        except OSError:
            pass
        self._drop_identity()
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    def _drop_identity(self) -> None:
        if self.gid is not None:
            os.setgroups([])
            os.setresgid(self.gid, self.gid, self.gid)
        if self.uid is not None:
            os.setresuid(self.uid, self.uid, self.uid)

    def kill_everything(self) -> None:
        """SIGKILL every process in the sandbox except this runner (and pid 1), then reap them all (accounting each
        one's CPU and memory to the current test)."""
        if self.kill_all_ok:
            deadline = time.monotonic() + 5.0
            while True:
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    pid, _, ru = os.wait4(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.0005)
                else:
                    self.meter.add_reaped(ru)
        else:
            while True:
                try:
                    pid, _, ru = os.wait4(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                self.meter.add_reaped(ru)

    def wipe_scratch(self) -> None:
        """Remove everything the program may have written (as the program's uid when it differs from ours), then
        check that it is gone; if not, the sandbox is poisoned."""
        targets = [d for d in (self.scratch, *SCRATCH_EXTRA) if _nonempty(d)]
        if not targets:  # the common case: the program wrote nothing, so skip the helper fork
            return
        if self.uid is None or self.uid == os.getuid():
            for d in targets:
                wipe_tree(d)
        else:
            pid = os.fork()
            if pid == 0:  # pragma: no cover - child
                try:
                    self._drop_identity()
                    for d in targets:
                        wipe_tree(d)
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
        left = [d for d in targets if _nonempty(d)]
        if left:
            self.poisoned = f"scratch not empty after the wipe: {', '.join(left)}"

    def run(self, argv: list[str], stdin: bytes, cpu_s: float, wall_s: float, as_bytes: int, out_cap: int,
            cwd: str, err_cap: int | None = None, mem_limit: int | None = None,
            env: dict[str, str] | None = None, stdin_file: bool = True) -> tuple[dict[str, object], bytes]:
        """Run one program to completion or limit; return (result header fields, stdout bytes)."""
        cpu_rl = max(1, math.ceil(cpu_s))  # SIGXCPU right at the limit: TLE costs no more CPU than needed
        if stdin_file:
            stdin_fd = _sealed_file(stdin)
        else:  # an empty pipe we own (mode 0600): `#include </dev/stdin>` cannot reopen it (S7)
            stdin_fd, w = os.pipe()
            os.close(w)
        self.kill_everything()  # nothing of an earlier run may be billed to this one
        self.meter = meter = TreeMeter(self.kill_all_ok, (self.scratch, *SCRATCH_EXTRA))
        start = time.monotonic()
        try:
            p = subprocess.Popen(
                argv, stdin=stdin_fd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env or ENV,
                close_fds=True, start_new_session=True,
                preexec_fn=lambda: self._preexec(cpu_rl, as_bytes, FSIZE_LIMIT),
            )
        except OSError as e:  # fork failed (pids limit reached by a leftover?): an infrastructure fault
            raise RuntimeError(f"spawn failed: {e}") from e
        finally:
            os.close(stdin_fd)
        out = bytearray()
        err = bytearray()
        err_total = 0
        timeout: str | None = None
        output_limit = mem_exceeded = False
        sel = selectors.DefaultSelector()
        pidfd = os.pidfd_open(p.pid)
        sel.register(pidfd, selectors.EVENT_READ, "exit")
        assert p.stdout is not None and p.stderr is not None
        for f in (p.stdout, p.stderr):
            os.set_blocking(f.fileno(), False)
        sel.register(p.stdout.fileno(), selectors.EVENT_READ, "out")
        sel.register(p.stderr.fileno(), selectors.EVENT_READ, "err")
        exited = False
        deadline = start + wall_s
        next_poll = start + POLL_S
        while not exited:
            now = time.monotonic()
            if now >= next_poll:
                next_poll = now + POLL_S
                if meter.sample() > cpu_s + CPU_SLACK_S:
                    timeout = "cpu"  # the tree's total, e.g. children that are never reaped
                    break
                if mem_limit is not None and meter.peak > mem_limit:
                    mem_exceeded = True
                    break
            remaining = deadline - now
            if remaining <= 0:
                timeout = "wall"
                break
            for key, _ in sel.select(min(remaining, max(0.0, next_poll - now))):
                tag = key.data
                if tag == "exit":
                    exited = True
                elif tag == "out":
                    chunk = _read(key.fd)
                    if chunk is None:
                        continue
                    if not chunk:
                        sel.unregister(key.fd)
                        continue
                    out += chunk
                    if len(out) > out_cap:
                        output_limit = True
                        break
                elif tag == "err":
                    chunk = _read(key.fd)
                    if chunk is None:
                        continue
                    if not chunk:
                        sel.unregister(key.fd)
                        continue
                    err_total += len(chunk)
                    err += chunk
                    if err_cap is not None and err_total > err_cap:  # compiler error floods end the compile (S7)
                        output_limit = True
                        break
                    if len(err) > 4 * STDERR_KEEP:
                        del err[: len(err) - STDERR_KEEP]
            if output_limit:
                break
        if exited:  # collect what the program wrote before exiting; descendants holding the pipe are not awaited
            for fd, buf, cap in ((p.stdout.fileno(), out, out_cap), (p.stderr.fileno(), err, STDERR_KEEP)):
                while len(buf) <= cap:
                    chunk = _read(fd)
                    if not chunk:
                        break
                    buf += chunk
            if len(out) > out_cap:
                output_limit = True
        meter.sample()  # children still alive (holding memory) when the main process ended
        wall = time.monotonic() - start
        status, rusage = self._wait_main(p.pid, kill=not exited)
        meter.add_reaped(rusage)
        self.kill_everything()
        sel.close()
        os.close(pidfd)
        for f in (p.stdout, p.stderr):
            try:
                f.close()
            except OSError:
                pass
        p.returncode = 0  # reaped by us via wait4; keep Popen from waiting again
        cpu = meter.reaped_cpu  # exact: every process of the tree has been reaped by now
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        # TIME_LIMIT only from what was measured: a program that raises SIGXCPU itself early is a runtime error. The
        # kernel's RLIMIT_CPU clock and rusage disagree by up to ~10% on a loaded VM, hence the margin.
        if timeout is None and (cpu > cpu_s or (sig in (signal.SIGXCPU, signal.SIGKILL) and cpu >= 0.5 * cpu_rl)):
            timeout = "cpu"
        tail = bytes(err[-STDERR_KEEP:])
        nonce = (env or {}).get(NONCE_VAR, "")
        mem_error = mem_exceeded or bool(nonce and ("\n" + nonce + "\n").encode() in err)
        if nonce:
            tail = tail.replace(("\n" + nonce + "\n").encode(), b"\n")
        header: dict[str, object] = {
            "exit_code": code, "signal": sig, "cpu_s": round(cpu, 4), "wall_s": round(wall, 4),
            "max_rss": meter.peak, "timeout": timeout, "output_limit": output_limit,
            "mem_error": mem_error, "stderr": tail.decode("utf-8", "replace"), "stderr_bytes": err_total,
        }
        if mem_exceeded and code == 0 and sig is None:
            header["signal"] = signal.SIGKILL  # killed by us for its memory: never a clean exit
        return header, bytes(out[: out_cap + 1])

    def _wait_main(self, pid: int, kill: bool) -> tuple[int, resource.struct_rusage]:
        if kill:
            if self.kill_all_ok:
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            else:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        _, status, rusage = os.wait4(pid, 0)
        return status, rusage

    # ---- jobs ------------------------------------------------------------------------------------------------
    def prepare(self, language: str, code: bytes) -> dict[str, object]:
        """Start a solution: clean the sandbox, write the code, compile it once."""
        self.kill_everything()
        self.wipe_scratch()
        shutil.rmtree(self.sol_dir, ignore_errors=True)
        os.mkdir(self.sol_dir, 0o755)
        src = os.path.join(self.sol_dir, "main.py" if language == "python3" else "main.cpp")
        _write_new(src, code, 0o644)
        t0 = time.monotonic()
        if language == "python3":
            argv = [*PYTHON, "-c", PY_CHECK, src]
            self.binary = [*PYTHON, "-c", PY_BOOT, src]
        elif language == "cpp":
            argv = ["g++", *CXX_FLAGS, "-o", os.path.join(self.scratch, "a.out"), src, *self._guard()]
        else:
            return {"op": "compiled", "ok": False, "time_s": 0.0, "output": f"unsupported language {language!r}"}
        head, out = self.run(argv, b"", COMPILE_CPU_S, COMPILE_WALL_S, COMPILE_AS, COMPILE_OUT_CAP, self.scratch,
                             err_cap=4 * COMPILE_OUT_CAP, stdin_file=False)
        ok = head["exit_code"] == 0 and not head["timeout"] and not head["output_limit"]
        output = (out[:COMPILE_OUT_CAP].decode("utf-8", "replace") + str(head["stderr"]))[-COMPILE_OUT_CAP:]
        if head["timeout"]:
            output += f"\n[compilation exceeded its {head['timeout']} time limit]"
        if head["output_limit"]:
            output += "\n[compiler output exceeded its limit]"
        if ok and language == "cpp":
            ok = self._adopt_binary(os.path.join(self.scratch, "a.out"))
            self.binary = [os.path.join(self.sol_dir, "a.out")]
            if not ok:
                output += "\n[no usable executable produced]"
        self.wipe_scratch()
        return {"op": "compiled", "ok": ok, "time_s": round(time.monotonic() - t0, 4), "output": output}

    def _guard(self) -> list[str]:
        """The C++ allocation-failure reporter as an object file (built once per runner, outside the program's
        reach); empty when it cannot be built (then allocation failures are plain runtime errors)."""
        guard = os.path.join(os.path.dirname(self.sol_dir), os.path.basename(GUARD_OBJ))
        if not os.path.exists(guard):
            src = guard[:-2] + ".cpp"
            try:
                with open(src, "w") as f:
                    f.write(CXX_GUARD)
                subprocess.run(["g++", *CXX_FLAGS, "-c", "-o", guard, src], env=ENV, capture_output=True,
                               timeout=60, check=True)
                os.chmod(guard, 0o644)
            except (OSError, subprocess.SubprocessError):
                return []
        return [guard]

    def _adopt_binary(self, built: str) -> bool:
        # The compiler ran as the program's uid, so the file is untrusted: refuse symlinks and odd files (S5), then
        # copy it where the program cannot modify it.
        try:
            fd = os.open(built, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return False
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > FSIZE_LIMIT:
                return False
            with os.fdopen(os.dup(fd), "rb") as f:
                data = f.read()
        finally:
            os.close(fd)
        _write_new(os.path.join(self.sol_dir, "a.out"), data, 0o755)
        return True

    def test(self, stdin: bytes, out_cap: int) -> tuple[dict[str, object], bytes]:
        """Run the compiled solution on one input."""
        env = {**ENV, NONCE_VAR: secrets.token_hex(16)}
        mem = int(self.limits["memory_bytes"])
        head, out = self.run(self.binary, stdin, self.limits["time_s"], self.limits["wall_s"], mem + AS_SLACK,
                             out_cap, self.scratch, mem_limit=mem, env=env)
        self.wipe_scratch()
        head["op"] = "result"
        if self.poisoned:
            head["sandbox_dirty"] = self.poisoned
        return head, out


def _sealed_file(data: bytes) -> int:
    """A read-only fd on a sealed in-memory regular file holding ``data`` (the program's stdin)."""
    fd = os.memfd_create("stdin", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK
                    | fcntl.F_SEAL_SEAL)
        ro = os.open(f"/proc/self/fd/{fd}", os.O_RDONLY | os.O_CLOEXEC)
    finally:
        os.close(fd)
    return ro


def _nonempty(d: str) -> bool:
    try:
        with os.scandir(d) as it:
            return any(True for _ in it)
    except OSError:
        return False


def _read(fd: int) -> bytes | None:
    try:
        return os.read(fd, 1 << 20)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _write_new(path: str, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def wipe_tree(top: str) -> None:
    """Empty directory ``top`` (kept) with no recursion, no long paths and at most two open directories.

    Entries are handled relative to their parent's fd; a directory is emptied by unlinking its files and renaming
    its subdirectories up into ``top`` (chmod-ed first: mode 000 directories, and moving a directory needs write
    permission on it), then removed. Every directory is visited once, so any depth costs linear time. Stops when a
    pass makes no progress (what is left then is not ours to remove; the caller checks).
    """
    try:
        top_fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    counter = 0
    try:
        progress = True
        while progress:
            progress = False
            for name in os.listdir(top_fd):
                if not _is_dir(name, top_fd):
                    progress |= _unlink(name, top_fd)
                    continue
                _chmod_dir(name, top_fd)
                try:
                    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top_fd)
                except OSError:
                    continue
                try:
                    for sub in os.listdir(fd):
                        if not _is_dir(sub, fd):
                            progress |= _unlink(sub, fd)
                            continue
                        _chmod_dir(sub, fd)
                        for _ in range(1000):
                            counter += 1
                            try:
                                os.rename(sub, f".wipe{counter}", src_dir_fd=fd, dst_dir_fd=top_fd)
                                progress = True
                                break
                            except FileExistsError:
                                continue
                            except OSError as e:
                                if e.errno in (39, 20):  # ENOTEMPTY / ENOTDIR: the name is taken, try another
                                    continue
                                break
                finally:
                    os.close(fd)
                try:
                    os.rmdir(name, dir_fd=top_fd)
                    progress = True
                except OSError:
                    pass
    finally:
        os.close(top_fd)


def _is_dir(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISDIR(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _chmod_dir(name: str, dir_fd: int) -> None:
    # chmod follows symlinks, but _is_dir just saw a real directory and every program process is dead by now.
    try:
        os.chmod(name, 0o700, dir_fd=dir_fd)
    except OSError:
        pass


def _unlink(name: str, dir_fd: int) -> bool:
    try:
        os.unlink(name, dir_fd=dir_fd)
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _send(out: object, head: dict[str, object], payload: bytes = b"") -> None:
    if payload:
        head["len"] = len(payload)
    out.write(json.dumps(head).encode() + b"\n")  # type: ignore[attr-defined]
    if payload:
        out.write(payload)  # type: ignore[attr-defined]
    out.flush()  # type: ignore[attr-defined]


def _recv(inp: object) -> tuple[dict[str, object], bytes] | None:
    line = inp.readline()  # type: ignore[attr-defined]
    if not line:
        return None
    head = json.loads(line)
    n = int(head.get("len", 0))
    payload = inp.read(n) if n else b""  # type: ignore[attr-defined]
    if len(payload) != n:
        return None
    return head, payload


def _pid1_is_sandbox_init() -> bool:
    # kill(-1) outside a pid namespace would hit every process of this user on the host: only allow it when pid 1 is
    # one of the inits the sandboxes use.
    try:
        with open("/proc/1/comm") as f:
            return f.read().strip() in {"sleep", "bwrap", "docker-init", "tini"}
    except OSError:
        return False


def main(argv: list[str]) -> int:
    """Serve jobs on stdin/stdout until EOF."""
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--uid", type=int)
    ap.add_argument("--gid", type=int)
    ap.add_argument("--scratch", default="/tmp")
    ap.add_argument("--sol-dir", default="/sandbox/sol")
    ap.add_argument("--kill-all", action="store_true", help="SIGKILL the whole pid namespace after each test")
    args = ap.parse_args(argv)
    if args.kill_all and not _pid1_is_sandbox_init():
        print("runner: refusing --kill-all outside a sandbox pid namespace", file=sys.stderr)
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans (daemons) come back to us to be reaped (S9)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # no /proc/<runner>/fd access or ptrace from the program
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    runner = Runner(args.uid, args.gid if args.gid is not None else args.uid, args.scratch, args.sol_dir, args.kill_all)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    # Nothing is written before the host speaks: with docker exec, bytes sent before the host has parsed the HTTP
    # upgrade response could be swallowed by its header buffer.
    while True:
        msg = _recv(inp)
        if msg is None:
            break
        head, payload = msg
        if runner.poisoned and head["op"] == "job":
            # A fresh sandbox for the next solution: closing the channel makes the host retry on a new one.
            print(f"runner: {runner.poisoned}; exiting so the host recycles this sandbox", file=sys.stderr)
            return 3
        try:
            if head["op"] == "job":
                runner.limits = {k: float(head[k]) for k in ("time_s", "wall_s", "memory_bytes")}  # type: ignore
                _send(out, runner.prepare(str(head["language"]), payload))
            elif head["op"] == "test":
                res, stdout = runner.test(payload, int(str(head["out_cap"])))
                _send(out, res, stdout)
            elif head["op"] == "hello":
                if shutil.which("g++", path=ENV["PATH"]):
                    runner._guard()  # built once per sandbox at start-up, not on the first C++ solution's clock
                _send(out, {"op": "hello", "pid": os.getpid()})
            else:
                _send(out, {"op": "error", "error": f"unknown op {head['op']!r}"})
        except Exception as e:  # an infrastructure fault: report it, the host retries elsewhere
            _send(out, {"op": "error", "error": f"{type(e).__name__}: {e}"})
    runner.kill_everything()
    runner.wipe_scratch()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
