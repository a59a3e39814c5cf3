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
- CPU time: RLIMIT_CPU (soft = ceil(limit) + 1 s) and the measured rusage CPU time against the exact limit;
- wall clock: a guard at ``wall_s`` that kills the whole tree (catches sleeps and blocked reads);
- memory: RLIMIT_AS = limit + ``AS_SLACK`` (a *virtual* memory policy, like code_contests: ``malloc(huge)`` counts
  even untouched; chosen over cgroups because it is per process, needs no cgroup delegation and gives the same verdict
  under Docker and bubblewrap). RLIMIT_STACK is unlimited so deep recursion works (Codeforces gives 256 MB) and so
  glibc gives new threads small 2 MiB stacks that fit under RLIMIT_AS (numpy/OpenBLAS threads keep working);
- file size: RLIMIT_FSIZE; output: stdout capped at ``out_cap`` (over it: killed, ``output_limit``), stderr drained
  concurrently and only its tail kept; stdin written then closed, EPIPE ignored;
- at the end of every test every process of the sandbox is SIGKILLed (``kill(-1)`` inside the pid namespace is atomic
  against fork, so it also ends fork bombs and ``setsid`` daemons), reaped (this runner is a child subreaper) and the
  scratch space is wiped.
"""

from __future__ import annotations

import ctypes
import json
import math
import os
import resource
import selectors
import shutil
import signal
import stat
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
CXX_FLAGS = ("-std=gnu++17", "-O2", "-pipe", "-DONLINE_JUDGE")
"""Exactly the flags the image's precompiled bits/stdc++.h was built with (a PCH is only used under the same flags)."""
ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "TMPDIR": "/tmp",
    "PYTHONINTMAXSTRDIGITS": "0",  # Python >= 3.11 refuses to print ints over 4300 digits otherwise (false RTE)
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
MEM_ERROR_MARKS = (b"MemoryError", b"std::bad_alloc", b"Cannot allocate memory", b"out of memory")
PR_SET_CHILD_SUBREAPER = 36
PR_SET_DUMPABLE = 4


class Runner:
    """State of one runner process: where the solution lives and how programs are confined."""

    def __init__(self, uid: int | None, gid: int | None, scratch: str, sol_dir: str, kill_all: bool) -> None:
        self.uid, self.gid = uid, gid
        self.scratch, self.sol_dir = scratch, sol_dir
        self.kill_all_ok = kill_all
        self.binary: list[str] = []
        self.limits: dict[str, float] = {}

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
        if self.gid is not None:
            os.setgroups([])
            os.setresgid(self.gid, self.gid, self.gid)
        if self.uid is not None:
            os.setresuid(self.uid, self.uid, self.uid)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    def kill_everything(self) -> None:
        """SIGKILL every process in the sandbox except this runner (and pid 1), then reap them all."""
        if self.kill_all_ok:
            deadline = time.monotonic() + 5.0
            while True:
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.0005)
        else:
            while True:
                try:
                    if os.waitpid(-1, os.WNOHANG)[0] == 0:
                        break
                except ChildProcessError:
                    break

    def wipe_scratch(self) -> None:
        """Remove everything the program may have written (as the program's uid when it differs from ours)."""
        targets = [d for d in (self.scratch, "/dev/shm") if _nonempty(d)]
        if not targets:  # the common case: the program wrote nothing, so skip the helper fork
            return
        if self.uid is None or self.uid == os.getuid():
            _empty_dirs(targets)
            return
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                os.setgroups([])
                os.setresgid(self.gid or self.uid, self.gid or self.uid, self.gid or self.uid)
                os.setresuid(self.uid, self.uid, self.uid)
                _empty_dirs(targets)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)

    def run(self, argv: list[str], stdin: bytes, cpu_s: float, wall_s: float, as_bytes: int, out_cap: int,
            cwd: str, err_cap: int | None = None) -> tuple[dict[str, object], bytes]:
        """Run one program to completion or limit; return (result header fields, stdout bytes)."""
        import subprocess

        cpu_rl = max(1, math.ceil(cpu_s))  # SIGXCPU right at the limit: TLE costs no more CPU than needed
        start = time.monotonic()
        try:
            p = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=ENV,
                close_fds=True, start_new_session=True,
                preexec_fn=lambda: self._preexec(cpu_rl, as_bytes, FSIZE_LIMIT),
            )
        except OSError as e:  # fork failed (pids limit reached by a leftover?): an infrastructure fault
            raise RuntimeError(f"spawn failed: {e}") from e
        out = bytearray()
        err = bytearray()
        err_total = 0
        timeout: str | None = None
        output_limit = False
        sel = selectors.DefaultSelector()
        pidfd = os.pidfd_open(p.pid)
        sel.register(pidfd, selectors.EVENT_READ, "exit")
        assert p.stdin is not None and p.stdout is not None and p.stderr is not None
        for f in (p.stdin, p.stdout, p.stderr):
            os.set_blocking(f.fileno(), False)
        view = memoryview(stdin)
        if view:
            sel.register(p.stdin.fileno(), selectors.EVENT_WRITE, "in")
        else:
            p.stdin.close()
        sel.register(p.stdout.fileno(), selectors.EVENT_READ, "out")
        sel.register(p.stderr.fileno(), selectors.EVENT_READ, "err")
        exited = False
        deadline = start + wall_s
        while not exited:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timeout = "wall"
                break
            for key, _ in sel.select(remaining):
                tag = key.data
                if tag == "exit":
                    exited = True
                elif tag == "in":
                    try:
                        n = os.write(key.fd, view[:65536])
                        view = view[n:]
                    except BlockingIOError:
                        continue
                    except (BrokenPipeError, OSError):
                        view = view[:0]  # the program stopped reading: fine (R12)
                    if not view:
                        sel.unregister(key.fd)
                        p.stdin.close()
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
        wall = time.monotonic() - start
        status, rusage = self._wait_main(p.pid, kill=not exited)
        self.kill_everything()
        sel.close()
        os.close(pidfd)
        for f in (p.stdin, p.stdout, p.stderr):
            try:
                f.close()
            except OSError:
                pass
        p.returncode = 0  # reaped by us via wait4; keep Popen from waiting again
        cpu = rusage.ru_utime + rusage.ru_stime
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        if timeout is None and (cpu > cpu_s or sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= cpu_rl)):
            timeout = "cpu"
        tail = bytes(err[-STDERR_KEEP:])
        header: dict[str, object] = {
            "exit_code": code, "signal": sig, "cpu_s": round(cpu, 4), "wall_s": round(wall, 4),
            "max_rss": rusage.ru_maxrss * 1024, "timeout": timeout, "output_limit": output_limit,
            "mem_error": any(m in tail for m in MEM_ERROR_MARKS), "stderr": tail.decode("utf-8", "replace"),
            "stderr_bytes": err_total,
        }
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
            argv = ["python3", "-B", "-c", PY_CHECK, src]
            self.binary = ["python3", "-B", src]
        elif language == "cpp":
            argv = ["g++", *CXX_FLAGS, "-o", os.path.join(self.scratch, "a.out"), src]
        else:
            return {"op": "compiled", "ok": False, "time_s": 0.0, "output": f"unsupported language {language!r}"}
        head, out = self.run(argv, b"", COMPILE_CPU_S, COMPILE_WALL_S, COMPILE_AS, COMPILE_OUT_CAP, self.scratch,
                             err_cap=4 * COMPILE_OUT_CAP)
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
        head, out = self.run(self.binary, stdin, self.limits["time_s"], self.limits["wall_s"],
                             int(self.limits["memory_bytes"]) + AS_SLACK, out_cap, self.scratch)
        self.wipe_scratch()
        head["op"] = "result"
        return head, out


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


def _empty_dirs(dirs: list[str]) -> None:
    for d in dirs:
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for name in names:
            path = os.path.join(d, name)
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, onerror=_force)
                else:
                    os.unlink(path)
            except OSError:
                pass  # not ours to remove (e.g. the runner's own directory)


def _force(func: object, path: str, _exc: object) -> None:
    # The program may have chmod-ed its own directories to 000 to resist cleanup; as their owner we can undo that.
    try:
        os.chmod(os.path.dirname(path), 0o700)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


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
        try:
            if head["op"] == "job":
                runner.limits = {k: float(head[k]) for k in ("time_s", "wall_s", "memory_bytes")}  # type: ignore
                _send(out, runner.prepare(str(head["language"]), payload))
            elif head["op"] == "test":
                res, stdout = runner.test(payload, int(str(head["out_cap"])))
                _send(out, res, stdout)
            elif head["op"] == "hello":
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
