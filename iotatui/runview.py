"""How a run reads for a person, shared by ``iotatui runs``/``logs`` and the app (stdlib only: no Textual here).

- :func:`headline_metric`: the ONE rule for the metric a one-line view shows (the CLI's ``latest`` column, the app's
  table and the detail header).
- :class:`RunLog`: a run's log as a person reads it: the store's ``logs`` table (lifecycle events, the backend's
  ``run.log`` lines, failure tracebacks) merged with the process output (``stdout.log``/``stderr.log``), attempts
  separated. ``poll()`` returns only what is new, so ``iotatui logs -f`` and the app's detail follow it alike.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iotatui.store import Store

PRIMARY_METRICS = ("train/loss", "loss", "objective/rlhf_reward", "eval/solved", "reward")
"""The headline metric is the first of these a run has, else its first key alphabetically."""

ATTEMPT_MARK = "── attempt {n} ──"
"""The line the supervisor writes to a run's ``stdout.log`` before each attempt's process output."""
_ATTEMPT_RE = re.compile(r"── attempt (\d+) ──$")  # not anchored: a crashed attempt may end mid-line
_STARTED_RE = re.compile(r"^started \(attempt (\d+)\)")
READ_CHUNK = 1 << 20
"""At most this much process output per poll (a follower catches up over several polls, never one huge read)."""


JUDGED_STAGES = ("eval", "judge")
"""Stages whose runs are judged samples (their verdicts are the point): the app opens them per problem."""


def has_problem_view(run: dict[str, Any], store: Store) -> bool:
    """The run opens in the per-problem screens (eval screen -> problem -> sample): an eval or judge run, or any
    run that stored verdicts (GRPO's judged rollouts, where it stores them)."""
    return run.get("stage") in JUDGED_STAGES or store.count("verdicts", str(run["id"])) > 0


def headline_metric(last: dict[str, Any] | None) -> tuple[str, Any] | None:
    """(key, value) of the metric that stands for the run, or None when it has none."""
    if not last:
        return None
    key = next((k for k in PRIMARY_METRICS if k in last), sorted(last)[0])
    return key, last[key]


def latest_metric(last: dict[str, Any] | None, sep: str = " ") -> str:
    """``train/loss 0.4123``: the headline metric as text ('' when none)."""
    head = headline_metric(last)
    if head is None:
        return ""
    key, v = head
    return f"{key}{sep}{v:.4g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else f"{key}{sep}{v}"


def progress_text(run: dict[str, Any]) -> str:
    done, total = run.get("progress_done"), run.get("progress_total")
    if done is None:
        return ""
    if total:
        return f"{done}/{total} {run.get('progress_unit') or ''} ({100 * done / total:.0f}%)".strip()
    return f"{done} {run.get('progress_unit') or ''}".strip()


class ProgressClock:
    """ETA from the progress this view has watched advance, so a resumed run's earlier progress does not inflate
    the rate (its first estimate, from the attempt's start, read ``~13s`` for 3000 steps). Before it has seen any
    advance: from the run's start, except for a resumed attempt (``resumed``), which gets no estimate until it has
    moved. Progress that goes back (a new attempt restarting from its checkpoint) starts the watch afresh."""

    def __init__(self) -> None:
        self.first: tuple[float, int] | None = None

    def eta_s(self, done: int | None, total: int | None, now: float, started: float | None = None,
              resumed: bool = False) -> float | None:
        if done is None or not total or done >= total:
            return None
        if self.first is None or done < self.first[1]:
            self.first = (now, done)
        t0, d0 = self.first
        if done > d0 and now > t0:
            return (total - done) * (now - t0) / (done - d0)
        if not resumed and started is not None and done > 0 and now > started:
            return (total - done) * (now - started) / done
        return None


def _attempt_header(n: int) -> str:
    return ATTEMPT_MARK.format(n=n)


class RunLog:
    """Incremental reader of one run's log events and process output.

    Store rows are grouped into attempts by the ``started (attempt N)`` row the ingester writes; process output by
    the ``── attempt N ──`` line the supervisor writes before each attempt (output without such a line belongs to
    the latest attempt seen). Within an attempt the output comes first, then the events recorded for it, each
    prefixed with its time and level (events carry times; process output does not).
    """

    def __init__(self, store: Store, run_id: str, run_dir: str | Path, *, events: bool = True,
                 streams: tuple[str, ...] = ("stdout",)) -> None:
        self.store, self.run_id, self.run_dir = store, run_id, Path(run_dir)
        self.events, self.streams = events, streams
        self.after_id = 0
        self.pos = dict.fromkeys(streams, 0)
        self.ev_attempt = 0  # latest attempt started according to the store
        self.out_attempt: int | None = None  # latest attempt marker read from the output (None: no markers)
        self.shown = 0  # the latest attempt whose header was printed
        self.advanced = False

    def output_done(self) -> bool:
        """Every byte of process output written so far has been read."""
        for name in self.streams:
            path = self.run_dir / f"{name}.log"
            if path.exists() and path.stat().st_size > self.pos[name]:
                return False
        return True

    def _read_output(self, final: bool) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        self.advanced = False
        for name in self.streams:
            path = self.run_dir / f"{name}.log"
            if not path.exists():
                continue
            with open(path, "rb") as f:
                f.seek(self.pos[name])
                data = f.read(READ_CHUNK)
            # Whole lines only: a partial last line waits for its newline, unless this is the last read.
            cut = len(data) if final and len(data) < READ_CHUNK else data.rfind(b"\n") + 1
            if not cut:
                continue
            self.pos[name] += cut
            self.advanced = True
            for line in data[:cut].decode(errors="replace").splitlines():
                m = _ATTEMPT_RE.search(line)
                if m:
                    if m.start():  # the previous attempt's unterminated last line
                        out.append((self._out_attempt_now(), line[:m.start()]))
                    self.out_attempt = int(m.group(1))
                    out.append((self.out_attempt, ""))  # an empty attempt still gets its header
                    continue
                out.append((self._out_attempt_now(), line))
        return out

    def _out_attempt_now(self) -> int:
        # Output from before the supervisor wrote markers: the latest attempt the store knows.
        return self.ev_attempt if self.out_attempt is None else self.out_attempt

    def _read_events(self) -> list[tuple[int, str]]:
        if not self.events:
            return []
        rows = self.store.logs_after(self.run_id, self.after_id)
        out: list[tuple[int, str]] = []
        for row_id, t, level, text in rows:
            self.after_id = row_id
            m = _STARTED_RE.match(text)
            if m:
                self.ev_attempt = max(self.ev_attempt, int(m.group(1)))
            attempt = self.ev_attempt
            stamp = time.strftime("%H:%M:%S", time.localtime(t))
            first, *rest = (text.rstrip("\n") or " ").split("\n")
            out.append((attempt, f"[{stamp} {level}] {first}"))
            out.extend((attempt, f"    {ln}") for ln in rest)
        return out

    def poll(self, final: bool = False) -> list[str]:
        """New lines since the last poll, grouped by attempt (headers included). ``final``: the run has ended,
        so a last line without its newline is shown too. ``advanced`` tells whether output was consumed."""
        events = self._read_events()  # first: unmarked output is attributed to the latest attempt started
        output = self._read_output(final)
        lines: list[str] = []
        for attempt in sorted({a for a, _ in output} | {a for a, _ in events}):
            if attempt > self.shown:
                lines.append(_attempt_header(attempt))
                self.shown = attempt
            lines.extend(text for a, text in output if a == attempt and text)
            lines.extend(text for a, text in events if a == attempt)
        return lines
