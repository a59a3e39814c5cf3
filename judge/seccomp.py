"""The judge's syscall policy (``judge/seccomp.json``) for Docker and, compiled to classic BPF, for bubblewrap.

The JSON is Docker's profile format: Docker gets it as is (``security_opt=["seccomp=<json>"]``). bubblewrap's
``--seccomp FD`` wants a compiled ``sock_filter`` array; libseccomp's Python bindings are not pip-installable, so the
small subset the profile uses (names, ``SCMP_ACT_ERRNO``, argument tests ``EQ``/``NE``/``GE``/``MASKED_EQ`` on the low
32 bits, which is all the int and flag arguments we test) is compiled here, for x86_64 only (other ABIs are killed).
"""

from __future__ import annotations

import json
import os
import platform
import struct
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

PROFILE_PATH = Path(__file__).with_name("seccomp.json")
AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
RET_KILL_PROCESS = 0x80000000
LD_ABS_W, JEQ, JGE, AND_K, RET_K = 0x20, 0x15, 0x35, 0x54, 0x06
SYSCALLS_X86_64 = {
    "shmget": 29, "shmat": 30, "shmctl": 31, "socket": 41, "socketpair": 53, "clone": 56, "semget": 64, "semop": 65,
    "semctl": 66, "shmdt": 67, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "ptrace": 101, "syslog": 103,
    "uselib": 134, "ustat": 136, "sysfs": 139, "vhangup": 153, "modify_ldt": 154, "pivot_root": 155, "_sysctl": 156,
    "adjtimex": 159, "chroot": 161, "acct": 163, "settimeofday": 164, "mount": 165, "umount2": 166, "swapon": 167,
    "swapoff": 168, "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172, "ioperm": 173,
    "create_module": 174, "init_module": 175, "delete_module": 176, "get_kernel_syms": 177, "query_module": 178,
    "quotactl": 179, "nfsservctl": 180, "afs_syscall": 183, "tuxcall": 184, "security": 185, "lookup_dcookie": 212,
    "semtimedop": 220, "clock_settime": 227, "mq_open": 240, "mq_unlink": 241, "mq_timedsend": 242,
    "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245, "kexec_load": 246, "add_key": 248,
    "request_key": 249, "keyctl": 250, "unshare": 272, "perf_event_open": 298, "fanotify_init": 300,
    "name_to_handle_at": 303, "open_by_handle_at": 304, "clock_adjtime": 305, "setns": 308, "process_vm_readv": 310,
    "process_vm_writev": 311, "kcmp": 312, "finit_module": 313, "kexec_file_load": 320, "bpf": 321,
    "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "clone3": 435,
    "pidfd_getfd": 438, "mount_setattr": 442, "quotactl_fd": 443,
}
"""From ``asm/unistd_64.h``: the calls the profile names (a test checks every name is here)."""


def profile() -> dict[str, Any]:
    """The profile as a dict."""
    prof: dict[str, Any] = json.loads(PROFILE_PATH.read_text())
    return prof


def docker_security_opt() -> str:
    """``seccomp=<json>`` for docker-py's ``security_opt`` (the API takes the profile's content, not a path)."""
    return "seccomp=" + json.dumps(profile(), separators=(",", ":"))


def denied_names() -> list[str]:
    """Every syscall name the profile restricts (some only for some arguments)."""
    return sorted({n for rule in profile()["syscalls"] for n in rule["names"]})


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k & 0xFFFFFFFF)


def _rule_block(nr: int, args: list[dict[str, Any]], ret: int) -> list[tuple[int, int, int, int]]:
    """Instructions for one rule: if nr matches and every argument test holds, return ``ret``; else fall through.

    Jumps that fail a test are written as ``-1`` and patched to land just after the block's return.
    """
    out: list[tuple[int, int, int, int]] = [(LD_ABS_W, 0, 0, 0), (JEQ, nr, 0, -1)]
    for a in args:
        off = 16 + 8 * int(a["index"])  # seccomp_data.args[i], low 32 bits (little endian)
        op, value, value2 = a["op"], int(a["value"]), int(a.get("valueTwo", 0))
        out.append((LD_ABS_W, off, 0, 0))
        if op == "SCMP_CMP_EQ":
            out.append((JEQ, value, 0, -1))
        elif op == "SCMP_CMP_NE":
            out.append((JEQ, value, -1, 0))
        elif op == "SCMP_CMP_GE":
            out.append((JGE, value, 0, -1))
        elif op == "SCMP_CMP_MASKED_EQ":
            out += [(AND_K, value, 0, 0), (JEQ, value2, 0, -1)]
        else:
            raise ValueError(f"seccomp.json: operator {op} is not supported by the BPF compiler")
    out.append((RET_K, ret, 0, 0))
    end = len(out)
    return [(c, k, end - i - 1 if jt == -1 else jt, end - i - 1 if jf == -1 else jf)
            for i, (c, k, jt, jf) in enumerate(out)]


def compile_bpf(prof: dict[str, Any] | None = None) -> bytes:
    """The profile as a classic BPF ``sock_filter`` array for x86_64 (what bubblewrap's ``--seccomp`` reads)."""
    prof = prof or profile()
    if prof.get("defaultAction") != "SCMP_ACT_ALLOW":
        raise ValueError("seccomp.json: only defaultAction SCMP_ACT_ALLOW is supported by the BPF compiler")
    prog: list[tuple[int, int, int, int]] = [
        (LD_ABS_W, 4, 0, 0), (JEQ, AUDIT_ARCH_X86_64, 1, 0), (RET_K, RET_KILL_PROCESS, 0, 0),  # other ABIs: killed
        (LD_ABS_W, 0, 0, 0), (JGE, X32_SYSCALL_BIT, 0, 1), (RET_K, RET_KILL_PROCESS, 0, 0),   # x32 numbers: killed
    ]
    for rule in prof["syscalls"]:
        if rule["action"] != "SCMP_ACT_ERRNO":
            raise ValueError(f"seccomp.json: action {rule['action']} is not supported by the BPF compiler")
        ret = RET_ERRNO | int(rule.get("errnoRet", 1))
        for name in rule["names"]:
            prog += _rule_block(SYSCALLS_X86_64[name], rule.get("args", []), ret)
    prog.append((RET_K, RET_ALLOW, 0, 0))
    if len(prog) > 4096:
        raise ValueError("seccomp program too long")
    return b"".join(_insn(c, k, jt, jf) for c, k, jt, jf in prog)


def bpf_supported() -> bool:
    """Whether ``compile_bpf`` matches this machine (x86_64 only)."""
    return platform.machine() in ("x86_64", "AMD64")


@lru_cache(maxsize=1)
def bpf_file() -> str:
    """A file holding the compiled filter (bubblewrap reads it from an fd the caller opens)."""
    data = compile_bpf()
    fd, path = tempfile.mkstemp(prefix="iotatui-seccomp-", suffix=".bpf")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path
