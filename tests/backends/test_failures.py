"""Out of memory, the OOM killer and a full disk, end to end through the supervisor with real limits (no test hooks).

* host OOM: a real SFT run on the tiny model; once it trains, the test lowers the backend's address-space limit
  (``prlimit(RLIMIT_AS)``, a kernel limit) below what its next step needs: the run must end ``failed`` with one
  reason line (kind, step, the knobs to turn);
* the OOM killer's SIGKILL: ``crashed`` with the reason the supervisor gives;
* a full disk: the run's ``checkpoints/`` is a small tmpfs (root only) that holds one checkpoint but not two; the
  second save fails, the run ends ``failed`` naming the path, only the complete checkpoint is registered, and
  ``resume`` (after the tmpfs grows) continues from it to the end.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from iotatui import supervisor as sup
from iotatui.store import TERMINAL
from tests.backends.conftest import series
from tests.conftest import Runs, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.torch]

SHORT = ["max_length=640", "batch_size=2", "grad_accum=1", "warmup_steps=0", "logging_steps=1", "lr=1e-3"]
KNOBS = ("lower batch_size (now 2; raise grad_accum (now 1) to keep the effective batch), max_length (now 640), "
         "or set gradient_checkpointing=true or lora_r=16 (LoRA)")


def _sft(runs: Runs, model: Path, data: Path, *sets: str, start: bool = True) -> str:
    return sup.launch(runs.ws, "sft", sets=[*SHORT, f"model={model}", f"dataset={data}", *sets], start=start)


def _training(runs: Runs, run_id: str, step: int = 1) -> dict[str, Any]:
    """Wait until the backend is training (a metric logged at ``step``); torch + trl import takes a while."""
    return runs.wait(run_id, lambda r: r["status"] == "running" and r["pid"] and (r["last_step"] or 0) >= step,
                     timeout=300, what=f"training at step {step}")


def _ended(runs: Runs, run_id: str, timeout: float = 300) -> dict[str, Any]:
    """Wait until the run is terminal and its exit status is recorded (the shim records it after the last event)."""
    return runs.wait(run_id, lambda r: r["status"] in TERMINAL and r["exit_code"] is not None, timeout=timeout,
                     what="the run to end and its exit status")


def _vm_size(pid: int) -> int:
    """The process's current address-space size in bytes (``VmSize`` in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmSize for pid {pid}")


def test_out_of_host_memory_fails_with_one_reason_line(runs: Runs, tiny_model: Path, sft_data: Path) -> None:
    run_id = _sft(runs, tiny_model, sft_data, "max_steps=500", "save_steps=1000")
    r = _training(runs, run_id, step=2)
    pid = r["pid"]
    # Below the size it has now, so the next step (which needs at least as much as any step before) cannot get
    # its tensors; the smallest of a few samples, as the size moves within a step.
    samples: list[int] = []

    def a_step_sampled() -> bool:
        samples.append(_vm_size(pid))
        return len(samples) >= 5 and (runs.get(run_id)["last_step"] or 0) > r["last_step"]

    wait_until(a_step_sampled, timeout=120, interval=0.05, what="VmSize sampled across a whole training step")
    limit = min(samples) - (8 << 20)
    resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
    done = _ended(runs, run_id, timeout=120)
    assert done["status"] == "failed", done["error"]
    line = done["error"]
    assert "\n" not in line, line
    m = re.match(r"out of host memory \(RAM\) at step (\d+): (RuntimeError|MemoryError)(.*) — (.*)$", line)
    assert m, line
    assert r["last_step"] < int(m[1]) <= done["last_step"] + 1, (line, r["last_step"], done["last_step"])
    if m[2] == "RuntimeError":  # torch's allocator, without its "[enforce fail at alloc_cpu.cpp]" prefix
        assert m[3].startswith(": DefaultCPUAllocator: can't allocate memory: you tried to allocate"), line
    assert m[4] == KNOBS, line
    assert done["exit_code"] == 1
    # The log says it too: the store's failure entry (what `iotatui logs` shows) ends with it, and stderr.
    errors = [text for _, _, level, text in runs.ws.store.logs_after(run_id) if level == "error"]
    assert errors and errors[-1].rstrip().splitlines()[-1] == f"run failed: {line}", errors[-1:]
    assert f"run failed: {line}" in (Path(done["run_dir"]) / "stderr.log").read_text()


def test_a_backend_killed_by_sigkill_is_crashed_as_the_oom_killer_would_leave_it(
        runs: Runs, tiny_model: Path, sft_data: Path) -> None:
    run_id = _sft(runs, tiny_model, sft_data, "max_steps=500", "save_steps=1000")
    r = _training(runs, run_id)
    os.kill(r["pid"], signal.SIGKILL)  # what the kernel's OOM killer sends: nothing to catch, no final event
    done = _ended(runs, run_id, timeout=120)
    assert done["status"] == "crashed", done["error"]
    assert done["exit_code"] == -signal.SIGKILL
    assert done["error"].splitlines()[0] == (
        "process died without a final event (killed by SIGKILL — likely out of memory (host OOM killer), unless "
        "killed by hand; `dmesg` tells which)")


def _checkpoint_bytes(model: Path) -> int:
    """About what one checkpoint of a full fine-tune takes: weights + two AdamW moments + tokenizer + small files."""
    weights = sum(f.stat().st_size for f in model.glob("*.safetensors"))
    other = sum(f.stat().st_size for f in model.iterdir() if f.is_file() and f.suffix != ".safetensors")
    return 3 * weights + other + (256 << 10)


def _mount_tmpfs(where: Path, size: int, remount: bool = False) -> None:
    opts = f"{'remount,' if remount else ''}size={size // 1024}k"
    subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], check=True, capture_output=True,
                   text=True)


def test_a_full_disk_fails_the_save_keeps_the_complete_checkpoint_and_resume_goes_on(
        runs: Runs, tiny_model: Path, sft_data: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root and mount(8): the full disk is a real, small tmpfs")
    # Not started yet (nobody else ticks this workspace): the tmpfs goes under the run dir before it spawns.
    run_id = _sft(runs, tiny_model, sft_data, "max_steps=6", "save_steps=2", start=False)
    run_dir = Path(runs.ws.store.get_run(run_id)["run_dir"])
    ckpts = run_dir / "checkpoints"
    ckpts.mkdir()
    one = _checkpoint_bytes(tiny_model)
    try:
        _mount_tmpfs(ckpts, one * 3 // 2)  # one checkpoint fits, two do not
    except subprocess.CalledProcessError as e:
        pytest.skip(f"mount -t tmpfs not permitted here: {e.stderr.strip()}")
    try:
        sup.tick(runs.ws)
        done = _ended(runs, run_id)
        assert done["status"] == "failed", done["error"]
        line = done["error"]
        assert line == (f"disk full at step 4: no space left on device while saving checkpoint 4: "
                        f"{ckpts / 'checkpoint-4'} — free space there (or lower save_total_limit), then "
                        "`iotatui resume` continues from the last complete checkpoint"), line
        assert done["exit_code"] == 1
        assert [c["step"] for c in done["checkpoints"]] == [2]  # the failed save never became a checkpoint
        assert (ckpts / "checkpoint-2" / "trainer_state.json").exists()
        assert not (ckpts / "checkpoint-4").exists()  # the half-written one was removed
        assert not any(a["name"] == "model" for a in done["artifacts"])

        _mount_tmpfs(ckpts, 64 << 20, remount=True)  # space freed: the same files, a bigger filesystem
        resumed = sup.resume(runs.ws, run_id)
        assert resumed["resume_from"] == str(ckpts / "checkpoint-2")
        end = runs.wait(run_id, TERMINAL, timeout=300, what="the resumed run to end")
        assert end["status"] == "finished", end["error"]
        assert end["last_step"] == 6 and [c["step"] for c in end["checkpoints"]] == [2, 4, 6]
        assert [s for s, _ in series(runs, run_id, "train/loss")] == [1, 2, 3, 4, 5, 6]  # one step axis
    finally:
        if (runs.ws.store.get_run(run_id) or {}).get("status") in sup.ACTIVE:
            sup.stop(runs.ws, run_id, grace_s=5)  # the tmpfs must not be busy when it goes
        subprocess.run(["umount", "-l", str(ckpts)], capture_output=True)


# ---------------------------------------------------------------------------------------------------------------
# The classifier on the errors the real writers and allocators raise (in-process, no run)


def test_out_of_memory_errors_are_told_apart_and_others_left_alone() -> None:
    import torch

    from backends import sft
    from backends._failures import describe, oom_kind

    cfg = sft.Config(batch_size=4, grad_accum=2, max_length=2048)
    with pytest.raises(RuntimeError) as host:
        torch.empty(1 << 50, dtype=torch.uint8)  # a real allocator failure (1 PiB)
    assert describe(host.value, 7, cfg) == (
        "out of host memory (RAM) at step 7: RuntimeError: DefaultCPUAllocator: can't allocate memory: you tried to "
        "allocate 1125899906842624 bytes. Error code 12 (Cannot allocate memory) — lower batch_size (now 4; raise "
        "grad_accum (now 2) to keep the effective batch), max_length (now 2048), or set gradient_checkpointing=true "
        "or lora_r=16 (LoRA)")
    with pytest.raises(MemoryError) as py:
        bytearray(1 << 62)
    lora = sft.Config(lora_r=8, gradient_checkpointing=True)
    assert describe(py.value, None, lora, last_step=3) == (
        "out of host memory (RAM) after step 3: MemoryError — lower batch_size (now 1; raise grad_accum (now 4) to "
        "keep the effective batch), max_length (now 4000)")
    # CUDA's message as torch 2.x words it (no GPU here to raise one); wrapped by a library, it is still found.
    cuda = torch.OutOfMemoryError(
        "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 139.72 GiB of which 1.06 GiB "
        "is free. Including non-PyTorch memory, this process has 138.6 GiB memory in use. If reserved but "
        "unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True")
    try:
        raise RuntimeError("generation failed") from cuda
    except RuntimeError as wrapped:
        assert oom_kind(wrapped) == "cuda"
        assert describe(wrapped, 12, None) == (
            "out of GPU memory (CUDA) at step 12: OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. "
            "GPU 0 has a total capacity of 139.72 GiB of which 1.06 GiB is free. — use a smaller model or batch")
    assert describe(ValueError("lr: must be > 0"), 1, cfg) is None and oom_kind(KeyError("x")) is None


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Any:
    """A 64 KiB tmpfs (root only): a disk that really fills."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root and mount(8): the full disk is a real, small tmpfs")
    where = tmp_path / "disk"
    where.mkdir()
    try:
        _mount_tmpfs(where, 64 << 10)
    except subprocess.CalledProcessError as e:
        pytest.skip(f"mount -t tmpfs not permitted here: {e.stderr.strip()}")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_full_disk_is_recognised_from_every_writer_and_the_partial_save_removed(tiny_disk: Path) -> None:
    import torch
    from safetensors.torch import save_file

    from backends._failures import DiskFull, describe, disk_full, save_guard

    big = torch.zeros(1 << 18)  # 1 MiB
    with pytest.raises(OSError) as plain:
        with open(tiny_disk / "plain.bin", "wb") as f:
            f.write(bytes(1 << 20))
    # A failed write() carries no file name (an open() would): the line names a path only when it knows one.
    assert describe(plain.value, 2) == ("disk full at step 2: No space left on device — free disk space (or lower "
                                        "save_total_limit), then `iotatui resume` continues from the last complete "
                                        "checkpoint")
    assert describe(OSError(errno.EDQUOT, os.strerror(errno.EDQUOT), "/data/x"), None) == (
        "disk full before the first step: Disk quota exceeded: /data/x — free space there (or lower "
        "save_total_limit), then `iotatui resume` continues from the last complete checkpoint")
    (tiny_disk / "plain.bin").unlink()
    with pytest.raises(Exception) as st:  # safetensors' own error type: IoError(... StorageFull ...)
        save_file({"w": big}, str(tiny_disk / "w.safetensors"))
    assert disk_full(st.value), st.value
    (tiny_disk / "w.safetensors").unlink(missing_ok=True)
    # torch's zip writer loses the errno; the guard recognises it by the (nearly) full disk and cleans up.
    ckpt = tiny_disk / "checkpoint-4"
    with pytest.raises(DiskFull) as guarded:
        with save_guard(ckpt, "checkpoint 4"):
            ckpt.mkdir()
            torch.save({"w": big}, ckpt / "optimizer.pt")
    assert not ckpt.exists() and guarded.value.filename == str(ckpt)
    assert "no space left on device while saving checkpoint 4" in str(guarded.value)
    # A directory that was there before is not the guard's to delete; other errors pass through untouched.
    keep = tiny_disk / "model"
    keep.mkdir()
    with pytest.raises(DiskFull):
        with save_guard(keep, "the final model"):
            save_file({"w": big}, str(keep / "model.safetensors"))
    assert keep.is_dir()
    with pytest.raises(ValueError, match="not a disk problem"):
        with save_guard(tiny_disk / "other", "x"):
            raise ValueError("not a disk problem")


def test_our_ppo_checkpoint_on_a_full_disk_leaves_no_partial_copy(tiny_disk: Path, tiny_model: Path) -> None:
    """PPO saves its own checkpoints (adapter, value head, optimizer) through the same guard as the TRL stages."""
    import torch

    from backends import ppo
    from backends._failures import DiskFull

    cfg = ppo.Config(lora_r=64)  # an adapter well over the 64 KiB disk
    model = ppo.build_policy(cfg, str(tiny_model), gpu=False, resume=None)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _: 1.0)
    path = tiny_disk / "checkpoint-3"
    with pytest.raises(DiskFull) as full:
        ppo.save_checkpoint(path, model, optimizer, scheduler, 3)
    assert "no space left on device while saving checkpoint 3" in str(full.value)
    assert not path.exists() and not path.with_name("checkpoint-3.tmp").exists(), list(tiny_disk.iterdir())
