"""CPU threads per run: a run's torch/OpenMP threads are the cores divided by the runs active when it starts, and
idle OpenMP threads sleep (``OMP_WAIT_POLICY=PASSIVE``), read from the real spawned backend's environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from iotatui import supervisor as sup
from iotatui.config import Settings, run_threads
from tests.conftest import Runs, wait_until

pytestmark = pytest.mark.slow


def test_run_threads_divides_the_cores_by_the_active_runs() -> None:
    s = Settings()
    assert [run_threads(s, n, cores=2) for n in (1, 2, 3)] == [2, 1, 1]
    assert [run_threads(s, n, cores=16) for n in (1, 2, 4, 9)] == [16, 8, 4, 4]  # at most max_concurrent_runs share
    assert run_threads(Settings(cpu_threads=3), 5, cores=2) == 3  # the setting wins


def _backend_env(runs: Runs, run_id: str) -> dict[str, str]:
    """The environment of the run's backend process (the store's ``pid``: the shim's child), once it runs."""
    def env() -> dict[str, str] | None:
        pid = runs.get(run_id).get("pid")
        if not pid or "backends.count" not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return None
        raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
        return dict(kv.split("=", 1) for kv in raw.split("\0") if "=" in kv)

    return wait_until(env, timeout=30, what=f"{run_id}'s backend process")  # type: ignore[no-any-return]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_spawned_runs_get_their_share_of_the_cores_and_passive_waits(runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    cores = len(os.sched_getaffinity(0))
    first = sup.launch(runs.ws, "count", sets=["steps=100000", "interval=0.05"])
    second = sup.launch(runs.ws, "count", sets=["steps=100000", "interval=0.05"])
    try:
        a, b = _backend_env(runs, first), _backend_env(runs, second)
        assert a["OMP_NUM_THREADS"] == str(cores) and b["OMP_NUM_THREADS"] == str(max(1, cores // 2))
        assert a["OMP_WAIT_POLICY"] == b["OMP_WAIT_POLICY"] == "PASSIVE"
        assert a["MKL_NUM_THREADS"] == a["OMP_NUM_THREADS"]
    finally:
        for r in (first, second):
            sup.stop(runs.ws, r)
