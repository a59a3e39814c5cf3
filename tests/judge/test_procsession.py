"""``ProcessJudgeSession``: the judge in a process of its own gives the in-process session's verdicts, in its rounds
and order; it bounds what is in flight in the caller; it outlives a stop signal, never outlives its parent (its
containers go with it, even after a SIGKILL of the parent), and its death is an error for the reader, not a hang.
Real child processes, real containers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from iotatui.procinfo import is_alive
from judge.procsession import ProcessJudgeSession
from judge.sandbox import OWNER_LABEL
from judge.session import JudgeSession, SessionClosed
from judge.verdict import Solution
from tests.conftest import wait_until
from tests.judge.conftest import judge_containers
from tests.judge.test_session import GOOD, PROBLEMS, sleepy, sol

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    return is_alive(pid, None)


def owned_by(client: Any, pid: int) -> list[str]:
    return [c.id for c in judge_containers(client) if c.labels.get(OWNER_LABEL, "").startswith(f"{pid}:")]


def test_same_verdicts_as_in_process_in_rounds_and_input_order(pool: Any, judge_image: str) -> None:
    batch = [sol("b0"), sol("b1", "print(0)"), sol("b2", "int main( {", "cpp"), sol("b3", "raise SystemExit(3)"),
             sol("b4")]
    with JudgeSession(PROBLEMS, pool=pool) as local:
        expected = [(v.id, v.verdict, v.fail_test) for v in local.judge_batch(batch)]
    with ProcessJudgeSession(PROBLEMS, workers=2) as remote:
        assert remote.process.pid != os.getpid() and remote.workers == 2
        assert [(v.id, v.verdict, v.fail_test) for v in remote.judge_batch(batch)] == expected
        # A streaming round: submitted from one thread, read in completion order from another; then a next round.
        def produce() -> None:
            for s in batch[::-1]:
                remote.submit(s)
            remote.finish()

        producer = threading.Thread(target=produce)
        producer.start()
        streamed = {v.id: (v.id, v.verdict, v.fail_test) for v in remote.results(timeout=120)}
        producer.join(timeout=60)
        assert sorted(streamed.values()) == sorted(expected)
        assert [v.id for v in remote.stream(batch[:2])] != [] and remote.pending == 0
        with pytest.raises(ValueError, match="unknown problem"):  # checked in the caller, before it is sent
            remote.submit(Solution("z", "nope", "python3", GOOD))
        assert remote.submitted == 5 + 5 + 2


def test_in_flight_is_bounded_in_the_caller(judge_image: str) -> None:
    """1 worker, queue 1, no extra room: 2 in flight (one judged, one queued); a third waits until one is read."""
    with ProcessJudgeSession(PROBLEMS, workers=1, queue_size=1) as session:
        assert session.limit == 2
        session.submit(sleepy("s1", 3))
        session.submit(sleepy("s2", 0))
        with pytest.raises(TimeoutError, match="stayed full"):
            session.submit(sol("s3"), timeout=2)
        assert session.submitted == 2  # the refused one is not counted
        got = []
        reader = threading.Thread(target=lambda: got.extend(v.id for v in session.results(timeout=120)))
        reader.start()
        session.submit(sol("s3"), timeout=60)  # room again once the reader takes a verdict
        session.finish()
        reader.join(timeout=120)
        assert sorted(got) == ["s1", "s2", "s3"]


def test_a_stop_signal_does_not_end_it_and_close_removes_its_containers(docker_client: Any,
                                                                       judge_image: str) -> None:
    with ProcessJudgeSession(PROBLEMS, workers=1) as session:
        pid = session.process.pid
        assert [v.verdict for v in session.judge_batch([sol("a")])] == ["OK"]
        assert len(owned_by(docker_client, pid)) == 1
        os.kill(pid, signal.SIGTERM)  # a run's stop signals the whole group: the parent decides when judging ends
        os.kill(pid, signal.SIGINT)
        assert [v.verdict for v in session.judge_batch([sol("b")])] == ["OK"]
        assert alive(pid)
    assert session.process.exitcode == 0
    assert owned_by(docker_client, pid) == []


def test_a_killed_judge_is_an_error_for_reader_and_submitter(judge_image: str) -> None:
    with ProcessJudgeSession(PROBLEMS, workers=1) as session:
        session.submit(sleepy("slow", 30))
        os.kill(session.process.pid, signal.SIGKILL)
        with pytest.raises(SessionClosed, match="SIGKILL"):  # no finish(): a reader would otherwise wait for more
            list(session.results(timeout=120))
        with pytest.raises(SessionClosed, match="gone"):
            session.submit(sol("after"))


def test_it_dies_with_its_parent_and_takes_its_containers(docker_client: Any, judge_image: str,
                                                          tmp_path: Path) -> None:
    """The parent is SIGKILLed (no close, no atexit): the child sees its pipe close, closes its pool, exits."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys\n"
        "from judge.procsession import ProcessJudgeSession\n"
        "from tests.judge.test_session import PROBLEMS, sol, sleepy\n"
        "if __name__ == '__main__':\n"
        "    s = ProcessJudgeSession(PROBLEMS, workers=1)\n"
        "    s.judge_batch([sol('warm')])\n"
        "    s.submit(sleepy('busy', 60))\n"
        "    print(s.process.pid, flush=True)\n"
        "    sys.stdin.read()\n")  # holds until the test kills it
    parent = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        wait_until(lambda: owned_by(docker_client, child), timeout=60, what="the child's container")
        parent.kill()
        parent.wait(timeout=30)
        wait_until(lambda: not alive(child), timeout=90, what="the judge process to exit after its parent")
        assert owned_by(docker_client, child) == []
    finally:
        parent.kill()
        parent.wait(timeout=30)


def test_a_failed_start_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="sandbox: unknown 'nosuch'"):
        ProcessJudgeSession(PROBLEMS, sandbox="nosuch")
