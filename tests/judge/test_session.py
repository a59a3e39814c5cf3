"""``JudgeSession``: verdicts stream out while solutions still stream in, both queues are bounded, one pool serves
many rounds, and the first failing test's output and stderr are kept. Real containers (the shared 2-slot pool)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from judge.session import JudgeSession
from judge.verdict import Solution, Verdict
from tests.judge.conftest import make_problem

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ADD = make_problem("add", [("1 2\n", "3\n")], private=[("5 5\n", "10\n"), ("2 2\n", "4\n")], time_limit=10.0)
PROBLEMS = {"add": ADD}
GOOD = "print(sum(map(int, input().split())))"


def sol(sid: str, code: str = GOOD, language: str = "python3") -> Solution:
    return Solution(sid, "add", language, code)


def sleepy(sid: str, seconds: float) -> Solution:
    return sol(sid, f"import time\ntime.sleep({seconds})\n{GOOD}")


def test_results_stream_before_everything_is_submitted(pool: Any) -> None:
    """The consumer gets the first verdict while the producer still holds back the last solution; the round ends
    when the producer says so, even after the last verdict is already out."""
    first_seen, all_seen = threading.Event(), threading.Event()
    submitted_at_first: list[int] = []
    errors: list[BaseException] = []
    with JudgeSession(PROBLEMS, pool=pool) as session:
        def produce() -> None:
            try:
                session.submit(sol("a"))
                session.submit(sol("b"))
                if not first_seen.wait(timeout=120):  # streaming: a verdict must come before we go on
                    raise AssertionError("no verdict came while submission was still open")
                session.submit(sol("c"))
                all_seen.wait(timeout=120)
            except BaseException as e:
                errors.append(e)
            finally:
                session.finish()

        producer = threading.Thread(target=produce)
        producer.start()
        got: list[Verdict] = []
        t_last = 0.0
        for v in session.results(timeout=120):
            if not got:
                submitted_at_first.append(session.submitted)
                first_seen.set()
            got.append(v)
            if len(got) == 3:
                t_last = time.monotonic()
                all_seen.set()
        ended_after = time.monotonic() - t_last
        producer.join(timeout=60)
        # The next round on the same session.
        session.submit(sol("d"))
        session.finish()
        assert [v.id for v in session.results(timeout=120)] == ["d"]
    assert not errors, errors
    assert submitted_at_first == [2]
    assert sorted(v.id for v in got) == ["a", "b", "c"] and all(v.verdict == "OK" for v in got)
    assert ended_after < 10  # finish() after the last verdict ends the round promptly (no hang, no timeout)


def test_input_queue_is_bounded_and_a_bad_solution_leaves_the_session_usable(pool: Any) -> None:
    with JudgeSession(PROBLEMS, pool=pool, queue_size=1) as session:
        assert len(pool.slots) == 2
        for sid in ("s1", "s2", "s3"):  # two keep the workers busy for seconds, one waits in the queue
            session.submit(sleepy(sid, 4))
        t0 = time.monotonic()
        with pytest.raises(TimeoutError, match="input queue"):
            session.submit(sol("late"), timeout=0.5)
        assert 0.4 < time.monotonic() - t0 < 3.0
        assert session.submitted == 3
        with pytest.raises(ValueError, match="unknown problem 'nope'"):
            session.submit(Solution("x", "nope", "python3", "print(1)"))
        with pytest.raises(ValueError, match="language: unknown 'cobol'"):
            session.submit(Solution("y", "add", "cobol", "print(1)"))
        session.finish()
        first = {v.id: v.verdict for v in session.results(timeout=120)}
        assert first == {"s1": "OK", "s2": "OK", "s3": "OK"}
        # The round is over; the next one runs on the same session.
        session.submit(sol("again"))
        session.finish()
        assert [(v.id, v.verdict) for v in session.results(timeout=120)] == [("again", "OK")]
        assert session.pending == 0


def test_results_queue_is_bounded(pool: Any) -> None:
    """Nobody reads: the workers stop after filling the results queue instead of buffering every verdict."""
    with JudgeSession(PROBLEMS, pool=pool, queue_size=2, results_size=1) as session:
        for i in range(5):  # room for 5: 1 unread verdict, 2 finished ones the workers hold, 2 queued solutions
            session.submit(sol(f"q{i}"), timeout=60)
        with pytest.raises(TimeoutError):
            session.submit(sol("over"), timeout=5)
        assert session._done.qsize() == 1
        session.finish()
        assert sorted(v.id for v in session.results(timeout=120)) == [f"q{i}" for i in range(5)]


def test_one_pool_for_many_batches_in_input_order(pool: Any) -> None:
    bad = "print(0)"
    with JudgeSession(PROBLEMS, pool=pool) as session:
        batch = [sol("b0"), sol("b1", bad), sol("b2"), sol("b3", bad), sol("b4")]
        first = session.judge_batch(batch)
        containers = [s.container.id for s in pool.slots if s.container is not None]
        second = session.judge_batch(batch[::-1])
        assert [s.container.id for s in pool.slots if s.container is not None] == containers
    assert len(containers) == 2
    assert [(v.id, v.verdict) for v in first] == [("b0", "OK"), ("b1", "WRONG_ANSWER"), ("b2", "OK"),
                                                 ("b3", "WRONG_ANSWER"), ("b4", "OK")]
    assert [v.id for v in second] == ["b4", "b3", "b2", "b1", "b0"]
    with JudgeSession(PROBLEMS, pool=pool) as session, pytest.raises(ValueError, match="unknown problem"):
        session.judge_batch([sol("ok"), Solution("z", "nope", "python3", "")])  # validated before any work
    assert session.submitted == 0


def test_first_failing_test_output_and_stderr_are_kept(judge: Any) -> None:
    wrong_on_third = ("import sys\na, b = map(int, input().split())\nprint(a + b if a != 2 else 'not four')\n"
                      "sys.stderr.write('noise\\n' * 2000 + 'LAST WORDS')\n")
    crash = "import sys\nsys.stderr.write('x' * 5000)\nraise ValueError('kaboom')\n"
    got = judge([ADD], [sol("wa", wrong_on_third), sol("rte", crash),
                        sol("ce", "int main( {", "cpp"), sol("ok")], all_tests=True)
    wa = got["wa"]
    assert wa.verdict == "WRONG_ANSWER" and wa.n_tests == 3 and wa.fail_test == 2
    assert wa.fail_output == "not four\n"
    assert wa.fail_stderr.endswith("LAST WORDS") and len(wa.fail_stderr.encode()) <= 2048
    rte = got["rte"]
    assert rte.verdict == "RUNTIME_ERROR" and rte.fail_test == 0 and rte.fail_output == ""
    assert rte.fail_stderr.rstrip().endswith("ValueError: kaboom") and len(rte.fail_stderr.encode()) <= 2048
    ce = got["ce"]
    assert ce.verdict == "COMPILE_ERROR" and ce.fail_test is None and "main" in ce.fail_stderr
    ok = got["ok"]
    assert ok.fail_test is None and ok.fail_output == ok.fail_stderr == ""
    d = wa.to_dict()
    assert (d["fail_test"], d["fail_output"]) == (2, "not four\n") and d["fail_stderr"].endswith("LAST WORDS")
    assert "fail_test" not in ok.to_dict()
