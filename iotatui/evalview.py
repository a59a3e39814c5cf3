"""What the eval screens show, computed without Textual: live per-problem aggregation of verdict rows, the run
summary (solved, pass@k, compile rate with bootstrap intervals), the problems table and heatmap models, a problem's
samples grouped by verdict and error signature, and one sample's detail (per-test outcomes, first failing test with
its input / expected / actual output and the first differing token).

Scale: an eval of 165 problems x 1000 samples is 165k verdict rows. :class:`RunAgg` loads them once with one GROUP BY
and then only adds the rows the follower brings (``id`` > the last one counted), so an update costs the new rows, not
the run. The summary's pass@k and intervals are recomputed at most once per ``min_interval`` seconds and only when
something changed. Metric definitions are :mod:`iotatui.evalmetrics`'s; live pass@k covers only the problems that
already have k samples (the screen says how many), as the eval stage's own live metrics do.
"""

from __future__ import annotations

import functools
import math
import operator
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from iotatui.evalmetrics import COMPILE_ERROR, KS, OK, SANDBOX_ERROR, pass_at_k
from iotatui.evalsample import (  # noqa: F401 - re-exported: the sample half of this module's API
    LETTERS,
    FailCase,
    FirstDiff,
    SampleDetail,
    TestOutcome,
    first_diff,
    load_sample,
    load_source,
    problem_source,
    sample_detail,
)
from iotatui.evalsynth import synthetic_rows, synthetic_store  # noqa: F401 - re-exported: benchmarks and tests
from iotatui.runview import ProgressClock  # noqa: F401 - re-exported: the eval screens' ETA (shared with the runs table)

VERDICTS = ("OK", "WRONG_ANSWER", "TIME_LIMIT", "MEMORY_LIMIT", "RUNTIME_ERROR", "OUTPUT_LIMIT", "COMPILE_ERROR",
            "SANDBOX_ERROR")
SHORT = {"OK": "OK", "WRONG_ANSWER": "WA", "TIME_LIMIT": "TLE", "MEMORY_LIMIT": "MLE", "RUNTIME_ERROR": "RE",
         "OUTPUT_LIMIT": "OLE", "COMPILE_ERROR": "CE", "SANDBOX_ERROR": "SE", "SKIPPED": "-"}
SORTS = ("failing", "solved", "name", "rating", "a_not_b", "b_not_a")
SORT_LABELS = {"failing": "most samples failing", "solved": "solved first", "name": "name", "rating": "hardest first",
               "a_not_b": "solved by A not B", "b_not_a": "solved by B not A"}
CI_ITERS = 200
"""Bootstrap resamples for the live intervals: ~10 ms for 165 problems (the report uses 1000)."""


@functools.lru_cache(maxsize=1 << 16)
def _pass(n: int, c: int, k: int) -> float | None:
    """evalmetrics.pass_at_k, fast for many correct samples: its product has c terms (up to 1000 per problem and k
    on every refresh of a live eval), so past a few dozen the same ratio C(n-c, k) / C(n, k) is taken in log space
    (agrees to ~1e-12, far below what is shown)."""
    if k > n or c < 64 or n - c < k:
        return pass_at_k(n, c, k)
    return 1.0 - math.exp(math.lgamma(n - c + 1) + math.lgamma(n - k + 1) - math.lgamma(n - c - k + 1)
                          - math.lgamma(n + 1))


@functools.lru_cache(maxsize=8)
def _draws(m: int, iters: int, seed: int) -> list[Callable[[Sequence[float]], tuple[float, ...]]]:
    """Bootstrap resamples of m problems as itemgetters, drawn once per (m, iters, seed): every summary reuses them,
    so a refresh pays only the sums (and the intervals stay put while nothing changes)."""
    rng = random.Random(seed)
    return [operator.itemgetter(*rng.choices(range(m), k=m)) if m > 1 else (lambda xs: (xs[0],))
            for _ in range(iters)]


# ---- per-run aggregation -------------------------------------------------------------------------------------------
@dataclass
class ProblemCounts:
    """One problem's verdict counts in one run."""

    name: str
    n: int = 0
    correct: int = 0
    compiled: int = 0
    runnable: int = 0
    by_verdict: dict[str, int] = field(default_factory=dict)

    def add(self, verdict: str, count: int = 1) -> None:
        self.n += count
        self.by_verdict[verdict] = self.by_verdict.get(verdict, 0) + count
        if verdict == OK:
            self.correct += count
        if verdict != SANDBOX_ERROR:
            self.runnable += count
            if verdict != COMPILE_ERROR:
                self.compiled += count

    @property
    def solved(self) -> bool:
        return self.correct > 0

    @property
    def failing(self) -> int:
        return self.n - self.correct

    @property
    def share(self) -> float:
        """Share of samples passing every test."""
        return self.correct / self.n if self.n else 0.0


@dataclass(frozen=True)
class Interval:
    value: float
    lo: float
    hi: float
    problems: int
    """Problems the value is over (pass@k: only those with k samples so far)."""


@dataclass(frozen=True)
class Summary:
    problems: int
    samples: int
    solved: Interval
    compile_rate: Interval | None
    pass_at_k: dict[int, Interval]
    verdicts: dict[str, int]


class RunAgg:
    """Verdict counts of one eval run, per problem, kept up to date incrementally."""

    def __init__(self, run_id: str, ci_iters: int = CI_ITERS, min_interval: float = 1.0) -> None:
        self.run_id = run_id
        self.problems: dict[str, ProblemCounts] = {}
        self.max_id = 0
        self.version = 0
        """Bumped on every change: views redraw only when it moved."""
        self.ci_iters = ci_iters
        self.min_interval = min_interval
        self._summary: Summary | None = None
        self._summary_at = (-1, 0.0)  # (version, monotonic time) it was computed at

    def load(self, conn: Any) -> int:
        """Counts of every verdict stored so far, in one aggregated query; returns the last row id covered. The
        follower then brings rows after it (``verdicts_after``)."""
        rows = conn.execute("SELECT problem, verdict, COUNT(*), MAX(id) FROM verdicts WHERE run = ? "
                            "GROUP BY problem, verdict", (self.run_id,)).fetchall()
        for problem, verdict, count, max_id in rows:
            self._get(problem).add(verdict, count)
            self.max_id = max(self.max_id, max_id)
        self.version += 1
        return self.max_id

    def _get(self, problem: str) -> ProblemCounts:
        pc = self.problems.get(problem)
        if pc is None:
            pc = self.problems[problem] = ProblemCounts(problem)
        return pc

    def add_rows(self, rows: Iterable[Mapping[str, Any]]) -> set[str]:
        """Count new verdict rows (``id``, ``problem``, ``verdict``); rows at or below the last id counted are
        skipped (already in :meth:`load`'s counts, or delivered twice). Returns the problems that changed."""
        changed: set[str] = set()
        max_id = self.max_id
        for r in rows:
            rid = r["id"]
            if rid <= max_id:
                continue
            max_id = rid
            self._get(r["problem"]).add(r["verdict"])
            changed.add(r["problem"])
        if changed:
            self.max_id = max_id
            self.version += 1
        return changed

    @property
    def samples(self) -> int:
        return sum(p.n for p in self.problems.values())

    @property
    def summary_version(self) -> int:
        """The counts :attr:`version` the cached summary was computed at (-1: none yet)."""
        return self._summary_at[0]

    def due(self, now: float | None = None) -> bool:
        """The cached summary is out of date and may be recomputed now (counts changed, ``min_interval`` passed)."""
        now = time.monotonic() if now is None else now
        version, at = self._summary_at
        return self._summary is None or (version != self.version and now - at >= self.min_interval)

    def summary(self, now: float | None = None, force: bool = False, compute: bool = True) -> Summary:
        """The run's numbers with 95 % bootstrap intervals over problems; recomputed only when counts changed and
        at most every ``min_interval`` seconds (otherwise the cached one: a refresh never pays for it twice).
        ``compute=False``: the cached one even when due (a UI thread that has :meth:`snapshot` computed elsewhere);
        only a run with no summary yet is computed here."""
        now = time.monotonic() if now is None else now
        if self._summary is not None and not force and (not compute or not self.due(now)):
            return self._summary
        self.set_summary(compute_summary(list(self.problems.values()), self.ci_iters), self.version, now)
        assert self._summary is not None
        return self._summary

    def snapshot(self) -> tuple[int, list[ProblemCounts]]:
        """(version, a copy of the counts): what :func:`compute_summary` needs, safe to use on another thread
        while this one keeps counting."""
        return self.version, [replace(p, by_verdict=dict(p.by_verdict)) for p in self.problems.values()]

    def set_summary(self, summary: Summary, version: int, at: float | None = None) -> None:
        """Store a summary computed from the counts at ``version`` (an older one than the cache is ignored)."""
        if version >= self._summary_at[0]:
            self._summary = summary
            self._summary_at = (version, time.monotonic() if at is None else at)


def _percentiles(vals: list[float], level: float = 0.95) -> tuple[float, float]:
    # The same percentile convention as evalmetrics.bootstrap_ci.
    vals.sort()
    n = len(vals)
    return vals[int(math.floor((1 - level) / 2 * (n - 1)))], vals[int(math.ceil((1 + level) / 2 * (n - 1)))]


def compute_summary(rows: Sequence[ProblemCounts], iters: int = CI_ITERS, seed: int = 0) -> Summary:
    """Solved, compile rate and pass@k (each k over the problems with >= k samples) with percentile bootstrap
    intervals over problems. Cheap: every statistic is a sum of per-problem numbers, and all of them share the same
    resamples (pass@k's over the covered problems within each resample)."""
    m = len(rows)
    verdicts: dict[str, int] = {}
    for p in rows:
        for v, c in p.by_verdict.items():
            verdicts[v] = verdicts.get(v, 0) + c
    samples = sum(p.n for p in rows)
    if m == 0:
        return Summary(0, 0, Interval(0.0, 0.0, 0.0, 0), None, {}, verdicts)
    draws = _draws(m, iters, seed)
    solved = [float(p.solved) for p in rows]
    out_solved = Interval(sum(solved), *_percentiles([sum(g(solved)) for g in draws]), m)
    comp, run = [float(p.compiled) for p in rows], [float(p.runnable) for p in rows]
    compile_rate: Interval | None = None
    if sum(run):
        boots = [_ratio(sum(g(comp)), sum(g(run))) for g in draws]
        compile_rate = Interval(sum(comp) / sum(run), *_percentiles(boots), m)
    pk: dict[int, Interval] = {}
    most = max(p.n for p in rows)
    for k in KS:
        if k > most:
            break
        vals = [_pass(p.n, p.correct, k) or 0.0 if p.n >= k else 0.0 for p in rows]
        cov = [1.0 if p.n >= k else 0.0 for p in rows]
        mk = int(sum(cov))
        if mk == m:
            boot = [sum(g(vals)) / m for g in draws]
        else:
            boot = [_ratio(sum(g(vals)), sum(g(cov))) for g in draws]
        pk[k] = Interval(sum(vals) / mk, *_percentiles(boot), mk)
    return Summary(m, samples, out_solved, compile_rate, pk, verdicts)


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


# ---- problems table and heatmap ------------------------------------------------------------------------------------
def problem_info(conn: Any, problem_set: str | None = None) -> dict[str, dict[str, Any]]:
    """name -> {difficulty, cf_rating, n_public} from the ``problems`` table; ``problem_set``'s rows win."""
    info: dict[str, dict[str, Any]] = {}
    for name, pset, diff, rating, n_public in conn.execute(
            "SELECT name, problem_set, difficulty, cf_rating, n_public FROM problems").fetchall():
        if name not in info or pset == problem_set:
            info[name] = {"difficulty": diff, "cf_rating": rating, "n_public": n_public}
    return info


def sort_problems(aggs: Sequence[RunAgg], sort: str = "failing", info: Mapping[str, Mapping[str, Any]] | None = None,
                  reverse: bool = False) -> list[str]:
    """Problem names (of every run) in table order. ``failing``: most failing samples first; ``solved``: solved in
    the most runs, then highest share passing; ``name``; ``rating``: highest Codeforces rating first (unrated last);
    ``a_not_b`` / ``b_not_a``: problems the first run solves and the second does not (or the reverse) first."""
    if sort not in SORTS:
        raise ValueError(f"sort: unknown {sort!r} (choose from {', '.join(SORTS)})")
    names = sorted({n for a in aggs for n in a.problems})
    info = info or {}

    def counts(name: str) -> list[ProblemCounts]:
        return [a.problems.get(name) or ProblemCounts(name) for a in aggs]

    key: Any
    if sort == "name":
        key = None
    elif sort == "failing":
        def key(n: str) -> Any:
            return -sum(c.failing for c in counts(n))
    elif sort == "solved":
        def key(n: str) -> Any:
            cs = counts(n)
            return (-sum(c.solved for c in cs), -sum(c.share for c in cs))
    elif sort == "rating":
        def key(n: str) -> Any:
            r = (info.get(n) or {}).get("cf_rating") or 0
            return (r == 0, -r)
    else:
        a, b = (0, 1) if sort == "a_not_b" else (1, 0)

        def key(n: str) -> Any:
            cs = counts(n)
            if len(cs) < 2:
                return 0
            return (not (cs[a].solved and not cs[b].solved), -cs[a].share)
    ordered = sorted(names, key=key) if key else names
    return ordered[::-1] if reverse else ordered


def heat_level(share: float | None, levels: int = 5) -> int:
    """0..levels-1 bucket of a share passing (-1: no samples); 0 only for exactly none passing."""
    if share is None:
        return -1
    if share <= 0:
        return 0
    return min(levels - 1, 1 + int(share * (levels - 1)))


def heatmap(aggs: Sequence[RunAgg], names: Sequence[str]) -> list[list[float | None]]:
    """problems x runs: the share of samples passing per cell (None: the run has no sample of that problem)."""
    return [[(a.problems[n].share if n in a.problems else None) for a in aggs] for n in names]


# ---- one problem: samples grouped by verdict and error signature ---------------------------------------------------
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\w.\-~]*/)+[\w.\-]+")
_ADDR = re.compile(r"0x[0-9a-fA-F]+")
_NUM = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def error_signature(text: str, width: int = 100) -> str:
    """A group key for compile/runtime error text: the line that names the error (a traceback's last line, else
    the first ``error`` line, else the first line) with paths, addresses and numbers blanked, so the same mistake
    on another line or in another sandbox groups together."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if not lines:
        return "(no error text)"
    if any(ln.startswith("Traceback") for ln in lines):
        pick = lines[-1]
    else:
        pick = next((ln for ln in lines if "error" in ln.lower()), lines[0])
    s = _PATH.sub("<path>", pick)
    s = _ADDR.sub("<addr>", s)
    s = _NUM.sub("N", s)
    s = _SPACE.sub(" ", s).strip()
    return s[:width]


@dataclass(frozen=True)
class SampleBrief:
    sample_id: str
    verdict: str
    fail_test: int | None
    n_tests: int | None
    language: str | None
    signature: str


@dataclass
class SampleGroup:
    verdict: str
    signature: str
    samples: list[SampleBrief] = field(default_factory=list)


def signature_of(verdict: str, fail_test: int | None, fail_stderr: str | None, detail: str | None) -> str:
    """What groups a sample within its verdict: the normalised error for compile/runtime errors, the first failing
    test for the others."""
    if verdict in (COMPILE_ERROR, "RUNTIME_ERROR", SANDBOX_ERROR):
        return error_signature(fail_stderr or detail or "")
    if verdict == OK:
        return "passes every test"
    return f"first fails test {fail_test}" if fail_test is not None else "(no failing test recorded)"


def problem_samples(conn: Any, run_id: str, problem: str) -> list[SampleGroup]:
    """One problem's samples in ``run_id`` grouped by (verdict, signature): failing verdicts first (in
    :data:`VERDICTS` order from WRONG_ANSWER on, OK last), biggest group first within a verdict."""
    rows = conn.execute(
        "SELECT v.sample_id, v.verdict, v.fail_test, v.n_tests, v.fail_stderr, v.detail, s.language FROM verdicts v "
        "LEFT JOIN samples s ON s.run = COALESCE(v.sample_run, v.run) AND s.sample_id = v.sample_id "
        "WHERE v.run = ? AND v.problem = ? ORDER BY v.id", (run_id, problem)).fetchall()
    groups: dict[tuple[str, str], SampleGroup] = {}
    for sid, verdict, fail_test, n_tests, stderr, detail, lang in rows:
        sig = signature_of(verdict, fail_test, stderr, detail)
        g = groups.get((verdict, sig))
        if g is None:
            g = groups[(verdict, sig)] = SampleGroup(verdict, sig)
        g.samples.append(SampleBrief(sid, verdict, fail_test, n_tests, lang, sig))
    order = {v: i for i, v in enumerate((*VERDICTS[1:], OK))}
    return sorted(groups.values(), key=lambda g: (order.get(g.verdict, len(order)), -len(g.samples), g.signature))


# ---- progress line -------------------------------------------------------------------------------------------------
def duration(s: float | None) -> str:
    """``1h02m`` / ``5m12s`` / ``42s``."""
    if s is None:
        return "?"
    s = int(round(s))
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


def progress_text(run: Mapping[str, Any], tokens_per_s: float | None, clock: ProgressClock,
                  now: float | None = None, roofline_fraction: float | None = None) -> str:
    """``judged 1,200/165,000 samples (0.7 %) · 830 tok/s (48 % of roofline) · ETA 5m12s`` (no ETA once the run
    has ended; the roofline share where the sampler measured it: ``eval/roofline_fraction``)."""
    done, total = run.get("progress_done"), run.get("progress_total")
    unit = run.get("progress_unit") or "samples"
    parts = []
    if done is not None and total:
        parts.append(f"judged {done:,}/{total:,} {unit} ({100 * done / total:.1f} %)")
    elif done is not None:
        parts.append(f"judged {done:,} {unit}")
    if tokens_per_s:
        share = f" ({100 * roofline_fraction:.0f} % of roofline)" if roofline_fraction else ""
        parts.append(f"{tokens_per_s:,.0f} tok/s{share}")
    if run.get("status") in ("running", "starting", "stopping"):
        eta = clock.eta_s(done, total, time.time() if now is None else now, run.get("started"),
                          resumed=(run.get("attempt") or 1) > 1)
        if eta is not None:
            parts.append(f"ETA {duration(eta)}")
    return " · ".join(parts) if parts else "no progress yet"


def expected_problems(run: Mapping[str, Any]) -> int | None:
    """How many problems the eval covers when it is done: total samples / (samples per problem x languages)."""
    cfg = run.get("config") or {}
    per = int(cfg.get("n_samples") or 0) * max(1, len(cfg.get("languages") or ["python3"]))
    total = run.get("progress_total")
    return round(total / per) if per and total else None


def solved_by(a: RunAgg, b: RunAgg) -> tuple[int, int]:
    """(problems a solves and b does not, the reverse), over problems both attempted."""
    common = set(a.problems) & set(b.problems)
    only_a = sum(a.problems[p].solved and not b.problems[p].solved for p in common)
    only_b = sum(b.problems[p].solved and not a.problems[p].solved for p in common)
    return only_a, only_b
