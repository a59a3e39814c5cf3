"""Sharing the CPU between vLLM-CPU and the judge while an eval pipelines the two.

vLLM-CPU runs its model in a worker process that, after every message from the engine core (each step, and the last
one of a ``generate`` call), busy-waits on its shared-memory queue with ``sched_yield`` for a second
(``vllm.distributed.device_communicators.shm_broadcast.SpinCondition``, not configurable). On a few cores that spin
takes a core's share from the judge's sandboxes even while generation is waiting for the judge, so judging during and
right after generation ran several times slower than alone, and the overlap cost more than the two in sequence.
Giving the engine's processes the lowest priority makes its spinning (and its compute) use what the judge leaves:
the judge, which is latency-bound (a process per test), never waits behind it.
"""

from __future__ import annotations

import os

ENGINE_NICE = 19


def child_threads() -> list[int]:
    """Thread ids of every child process of this one (recursively); best effort (a vanished process is skipped)."""
    import psutil

    tids: list[int] = []
    for child in psutil.Process().children(recursive=True):
        try:
            tids += [t.id for t in child.threads()]
        except (psutil.Error, OSError):
            continue
    return tids


def lower_children_priority(nice: int = ENGINE_NICE) -> int:
    """Set ``nice`` on every thread of this process's child processes (call it right after starting a vLLM-CPU engine
    and before anything else is spawned: its engine-core and worker processes are then the only children). Threads
    they start later inherit it. Returns how many threads were changed; best effort (a vanished thread is skipped)."""
    changed = 0
    for tid in child_threads():
        try:
            os.setpriority(os.PRIO_PROCESS, tid, max(nice, os.getpriority(os.PRIO_PROCESS, tid)))
            changed += 1
        except OSError:
            pass
    return changed


def pin_engine(cores: list[int]) -> int:
    """Bind every thread of this process and of its child processes (a vLLM engine's, started just before) to
    ``cores``. ``VLLM_CPU_OMP_THREADS_BIND`` binds only the model's compute threads: the engine-core process's busy
    scheduling loop (more than half a core) and the front end's helper threads would otherwise run anywhere. Threads
    started later inherit the binding of the thread that starts them. Returns how many threads were bound."""
    bound = 0
    for tid in [int(t) for t in os.listdir("/proc/self/task")] + child_threads():
        try:
            os.sched_setaffinity(tid, cores)
            bound += 1
        except OSError:
            pass
    return bound
