"""What a failed run tells its user: out-of-memory and full-disk failures as one reason line each.

:func:`describe` is called in one place, where ``backends._runtime.run_stage`` turns an exception into the
``failed`` event, so every stage reports these the same way. Stdlib only: torch's errors are recognised by class
name and message (``torch.OutOfMemoryError`` / "CUDA out of memory"; the CPU allocator's ``RuntimeError``
"DefaultCPUAllocator: can't allocate memory"), never by importing torch.

A full disk rarely arrives as a plain ``OSError(ENOSPC)``: safetensors reports ``IoError(... StorageFull ...)`` and
torch's zip writer "file write failed" without an errno. :func:`save_guard` wraps a save (a checkpoint, the final
model): when the save failed and the disk is (nearly) full, it removes the half-written directory and raises
:class:`DiskFull` naming it, so no partial checkpoint is ever left for ``resume`` to pick up.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
_DISK_TEXT = ("no space left on device", "storagefull", "disk quota exceeded", "quotaexceeded", "filesystemquota")
_WRITE_FAILED = ("file write failed", "unexpected pos", "pytorchstreamwriter failed")
"""torch's zip writer loses the errno; these count as a full disk only when the disk really is (nearly) full."""
_CUDA_TEXT = ("cuda out of memory", "cuda error: out of memory", "cublas_status_alloc_failed", "hip out of memory")
_HOST_TEXT = ("defaultcpuallocator: can't allocate memory", "defaultcpuallocator: not enough memory",
              "std::bad_alloc", "cannot allocate memory")


class DiskFull(OSError):
    """A save failed because the disk is full; ``filename`` is what was being written (its partial copy removed)."""


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what caused it (``raise ... from``, or raised while handling), without looping."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__


def _oom_one(e: BaseException) -> str | None:
    text = str(e).lower()
    if type(e).__name__ == "OutOfMemoryError" or any(t in text for t in _CUDA_TEXT):
        return "cuda"
    if isinstance(e, MemoryError) or any(t in text for t in _HOST_TEXT) or (
            isinstance(e, OSError) and e.errno == errno.ENOMEM):
        return "host"
    return None


def oom_kind(exc: BaseException) -> str | None:
    """``"cuda"``, ``"host"`` or None: whether ``exc`` (or its cause) is an out-of-memory error, and of which memory."""
    return next((k for k in map(_oom_one, _chain(exc)) if k), None)


def _nearly_full(path: Path) -> bool:
    """Less than 1% (at least 256 MiB) free on the filesystem holding ``path`` (or its nearest existing parent)."""
    p = path
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        usage = shutil.disk_usage(p)
    except OSError:
        return False
    return usage.free < max(256 << 20, usage.total // 100)


def disk_full(exc: BaseException, path: str | os.PathLike[str] | None = None) -> bool:
    """Whether ``exc`` (or its cause) means the disk is full (ENOSPC/EDQUOT, or the text safetensors and torch use).
    torch's errno-less "file write failed" counts only when ``path``'s filesystem is nearly full now."""
    for e in _chain(exc):
        if isinstance(e, DiskFull) or (isinstance(e, OSError) and e.errno in _DISK_ERRNOS):
            return True
        text = str(e).lower()
        if any(t in text for t in _DISK_TEXT):
            return True
        if path is not None and any(t in text for t in _WRITE_FAILED) and _nearly_full(Path(path)):
            return True
    return False


@contextmanager
def save_guard(path: str | os.PathLike[str], what: str) -> Iterator[None]:
    """Around a save into the directory ``path``: on a full disk, remove the half-written ``path`` (only when this
    save created it) and raise :class:`DiskFull` ("disk full while saving WHAT PATH") from the original error."""
    target = Path(path)
    existed = target.exists()
    try:
        yield
    except BaseException as e:
        if not isinstance(e, Exception) or not disk_full(e, target):
            raise
        quota = any(isinstance(x, OSError) and x.errno == errno.EDQUOT for x in _chain(e))
        if not existed:  # an older complete copy (a resumed run re-saving a step) is not ours to delete
            shutil.rmtree(target, ignore_errors=True)
        reason = "disk quota exceeded" if quota else "no space left on device"
        raise DiskFull(errno.EDQUOT if quota else errno.ENOSPC, f"{reason} while saving {what}",
                       str(target)) from e


def _knobs(cfg: Any) -> str:
    """The settings that cut training memory, with their current values, for the stages that have them."""
    parts: list[str] = []
    if getattr(cfg, "batch_size", None) is not None:
        if getattr(cfg, "effective_batch", 0):
            accum = f"; effective_batch {cfg.effective_batch} keeps the effective batch"
        elif hasattr(cfg, "grad_accum"):
            accum = f"; raise grad_accum (now {cfg.grad_accum}) to keep the effective batch"
        else:
            accum = ""
        parts.append(f"lower batch_size (now {cfg.batch_size}{accum})")
    if getattr(cfg, "max_length", None) is not None:
        parts.append(f"max_length (now {cfg.max_length})")
    extra = []
    if getattr(cfg, "gradient_checkpointing", None) is False:
        extra.append("gradient_checkpointing=true")
    if getattr(cfg, "lora_r", None) == 0:
        extra.append("lora_r=16 (LoRA)")
    if extra:
        parts.append("or set " + " or ".join(extra))
    return ", ".join(parts) if parts else "use a smaller model or batch"


def _first_line(e: BaseException, limit: int = 200) -> str:
    text = " ".join(str(e).split())
    if "DefaultCPUAllocator" in text:  # drop torch's "[enforce fail at alloc_cpu.cpp:127] err == 0." prefix
        text = text[text.index("DefaultCPUAllocator"):]
    for cut in (" Including non-PyTorch memory", " If reserved but unallocated"):  # CUDA's long advice: we give ours
        text = text.split(cut)[0]
    return text[:limit] + ("…" if len(text) > limit else "")


def describe(exc: BaseException, step: int | None = None, cfg: Any = None,
             last_step: int | None = None) -> str | None:
    """One line for an out-of-memory or full-disk failure (which kind, at which step, what to change); None for
    any other exception (the caller keeps ``Type: message``). ``step`` is the step being worked on (a trainer
    callback sets it); without one, ``last_step`` is the last step the stage reported."""
    at = (f"at step {step}" if step is not None else f"after step {last_step}" if last_step is not None
          else "before the first step")
    cause = next((e for e in _chain(exc) if _oom_one(e)), None)
    if cause is not None:
        kind = _oom_one(cause)
        detail = f"{type(cause).__name__}: {_first_line(cause)}".rstrip(": ")
        what = "out of GPU memory (CUDA)" if kind == "cuda" else "out of host memory (RAM)"
        return f"{what} {at}: {detail} — {_knobs(cfg)}"
    if disk_full(exc):
        # Ours (it names the checkpoint dir) before the errno'd original, before anything else in the chain.
        e = (next((x for x in _chain(exc) if isinstance(x, DiskFull)), None)
             or next((x for x in _chain(exc) if isinstance(x, OSError) and x.errno in _DISK_ERRNOS), exc))
        where = getattr(e, "filename", None)
        reason = e.strerror if isinstance(e, OSError) and e.strerror else _first_line(e)
        return (f"disk full {at}: {reason}" + (f": {where} — free space there" if where else " — free disk space")
                + " (or lower save_total_limit), then `iotatui resume` continues from the last complete checkpoint")
    return None
