"""The app's one store follower against a real store and real detached runs, driven pass by pass (no app)."""

from __future__ import annotations

from typing import Any

import pytest

from iotatui.follower import Follower
from iotatui.messages import LogReceived, MetricsReceived, RunsChanged, RunsRemoved, VerdictsReceived
from iotatui.supervisor import Workspace, launch
from tests.conftest import wait_until

pytestmark = pytest.mark.slow


class Inbox:
    """A watch target: keeps what it is sent; ``closed`` makes it refuse like an unmounted widget."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.closed = False

    def post_message(self, message: Any) -> bool:
        if self.closed:
            return False
        self.messages.append(message)
        return True

    def of(self, kind: type) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]


def test_each_watch_gets_history_then_only_new_rows(ws: Workspace) -> None:
    done = launch(ws, "count", sets=["steps=6", "interval=0.01"])
    f = Follower(ws.home, refresh_s=0.1)
    reader = Workspace(ws.home)  # the follower's own connection, as in the app's thread
    try:
        table, detail = Inbox(), Inbox()
        f.watch(table)
        f.watch(detail, run_id=done, kinds=("runs", "metrics", "log"))
        wait_until(lambda: f.poll_once(reader) is not None and any(
            r["status"] == "finished" for m in detail.of(RunsChanged) for r in m.runs), timeout=60,
            what="the run finishes, seen through the follower")
        f.poll_once(reader)  # the pass after the end: the final log lines
        steps = sorted({step for m in detail.of(MetricsReceived) for _, step, key, _ in m.rows if key == "train/loss"})
        assert steps == list(range(1, 7)), "every metric row arrives exactly once, in order"
        ids = [row[0] for m in detail.of(MetricsReceived) for row in m.rows]
        assert ids == sorted(ids) and len(ids) == len(set(ids))
        log = "".join(m.text for m in detail.of(LogReceived))
        assert "── attempt 1 ──" in log and "finished" in log
        assert {r["id"] for m in table.of(RunsChanged) for r in m.runs} == {done}

        # An unchanged store posts nothing more to anyone.
        before = len(table.messages) + len(detail.messages)
        assert f.poll_once(reader) == 0 and len(table.messages) + len(detail.messages) == before

        # A screen opened late gets the history first; one that loaded history itself starts after it.
        late, after = Inbox(), Inbox()
        last_id = max(ids)
        f.watch(late, run_id=done, kinds=("metrics",))
        f.watch(after, run_id=done, kinds=("metrics",), metrics_after=last_id - 2)
        f.poll_once(reader)
        assert sum(len(m.rows) for m in late.of(MetricsReceived)) == len(ids)
        assert [r[0] for m in after.of(MetricsReceived) for r in m.rows] == [last_id - 1, last_id]

        # A new run elsewhere reaches the runs watch; a deleted one is announced as removed.
        other = launch(ws, "count", sets=["steps=2", "interval=0.01"])
        wait_until(lambda: f.poll_once(reader) is not None and other in
                   {r["id"] for m in table.of(RunsChanged) for r in m.runs}, timeout=30, what="new run seen")
        with ws.store.write() as conn:
            conn.execute("DELETE FROM runs WHERE id = ?", (done,))
        f.poll_once(reader)
        assert [m.run_ids for m in table.of(RunsRemoved)] == [[done]]

        # A target that went away is dropped instead of being posted to forever.
        detail.closed = True
        launch(ws, "count", sets=["steps=1", "interval=0.01"])
        gone = f.watch(detail, run_id=other, kinds=("runs",))
        assert gone in f.watches
        f.poll_once(reader)
        assert gone not in f.watches
    finally:
        reader.close()


def test_verdicts_stream_in_chunks_with_their_fields(ws: Workspace) -> None:
    run_id = launch(ws, "count", sets=["steps=1", "interval=0.01"])
    with ws.store.write() as conn:
        conn.executemany(
            "INSERT INTO verdicts (run, sample_id, problem, verdict, tests, n_tests, fail_test, t) "
            "VALUES (?, ?, ?, ?, '', ?, ?, 0)",
            [(run_id, f"s{i}", f"p{i % 3}", "AC" if i % 2 else "WA", 5, None if i % 2 else 2) for i in range(7)])
    f = Follower(ws.home, refresh_s=0.1)
    inbox = Inbox()
    f.watch(inbox, run_id=run_id, kinds=("verdicts",))
    reader = Workspace(ws.home)
    try:
        f.poll_once(reader)
        rows = [r for m in inbox.of(VerdictsReceived) for r in m.rows]
        assert [r["sample_id"] for r in rows] == [f"s{i}" for i in range(7)]
        assert rows[2] == {**rows[2], "problem": "p2", "verdict": "WA", "n_tests": 5, "fail_test": 2}
        f.poll_once(reader)
        assert sum(len(m.rows) for m in inbox.of(VerdictsReceived)) == 7, "no verdict posted twice"
    finally:
        reader.close()


def test_bad_watch_is_refused_with_its_reason(ws: Workspace) -> None:
    f = Follower(ws.home, refresh_s=1)
    with pytest.raises(ValueError, match="unknown watch kind"):
        f.watch(Inbox(), run_id="x", kinds=("metric",))
    with pytest.raises(ValueError, match="give run_id"):
        f.watch(Inbox(), kinds=("metrics",))


def test_an_idle_workspace_is_polled_less_and_less_until_woken(ws: Workspace) -> None:
    """Nothing running, nothing new: the waits double (up to IDLE_MAX_S) whatever refresh_s says; wake() polls now."""
    import threading
    import time

    from iotatui.follower import IDLE_MAX_S

    f = Follower(ws.home, refresh_s=0.05)
    f.watch(Inbox())
    worker = threading.Thread(target=f.run, daemon=True)
    t0 = time.monotonic()
    worker.start()
    try:
        wait_until(lambda: f.passes >= 6, timeout=30, interval=0.02, what="six passes")
        # 0.05 s apart, six passes take 0.25 s. Backing off: the first posts (the empty runs list), so 0.05, then
        # nothing new: 0.1, 0.2, 0.4, 0.8 -- at least 1.55 s.
        assert time.monotonic() - t0 >= 1.5 and not f.active
        assert IDLE_MAX_S >= 1
        before = f.passes
        t1 = time.monotonic()
        f.wake()
        wait_until(lambda: f.passes > before, timeout=30, interval=0.01, what="a pass right after wake()")
        assert time.monotonic() - t1 < IDLE_MAX_S  # woken, not waiting out the idle backoff
    finally:
        f.stop()
        worker.join(30)
    assert not worker.is_alive()


def test_a_failing_pass_does_not_end_the_follower(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass that raises (a locked or damaged read, a run dir removed mid-read) is kept as ``error`` and the next
    pass goes on: a follower thread that died left the table unchanged until the app restarted."""
    import threading

    from iotatui import supervisor

    real = supervisor.reconcile
    calls = [0]

    def flaky(w: Workspace) -> None:
        calls[0] += 1
        if calls[0] == 1:
            raise OSError("simulated: run dir vanished mid-read")
        real(w)

    monkeypatch.setattr(supervisor, "reconcile", flaky)
    f = Follower(ws.home, refresh_s=0.05)
    table = Inbox()
    f.watch(table)
    worker = threading.Thread(target=f.run, daemon=True)
    worker.start()
    try:
        wait_until(lambda: f.errors == 1, timeout=30, what="the failed pass")
        wait_until(lambda: table.of(RunsChanged), timeout=30, what="the next pass posts")
        assert f.error is None  # the pass after it succeeded
        rid = launch(ws, "count", sets=["steps=1", "interval=0"])
        wait_until(lambda: rid in {r["id"] for m in table.of(RunsChanged) for r in m.runs}, timeout=30,
                   what="a new run still reaches the watch")
    finally:
        f.stop()
        worker.join(30)
