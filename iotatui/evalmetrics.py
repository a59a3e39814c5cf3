"""Evaluation metrics, pure and stdlib-only: pass@k, AlphaCode's 10@k, solved problems, compile rate, per-problem
counts, breakdowns, bootstrap intervals over problems and a paired comparison of two runs.

Input is one :class:`SampleResult` per judged sample; everything else is computed from those, so the live metrics of
the eval stage, ``iotatui report RUN`` (from the store) and ``iotatui report --verdicts FILE`` agree by construction.

Definitions (what each number means, so rows stay comparable):

* **solved**: a problem with at least one sample that passes every test (= pass@n with all n samples);
* **pass@k**: the unbiased estimator of Chen et al. 2021, ``1 - C(n-c, k) / C(n, k)`` per problem, averaged over
  problems; only for ``k <= n`` of every problem (a run with fewer samples has no pass@k for that k);
* **10@k** (AlphaCode, arXiv 2203.07814 §4/A.3): from ``k`` samples keep those passing the public tests, group the
  survivors into clusters, submit one sample of each of the 10 largest clusters; solved if any submission passes
  the hidden tests. With ``k`` < the samples drawn, AlphaCode estimates it by subsampling ``k`` of them many times;
  :func:`n_at_k` does that (seeded, so reports are reproducible). With fewer than 10 clusters the submissions wrap
  around (AlphaCode: a second member of the largest cluster, and so on). **Clusters are the samples' behaviour on
  extra inputs** where the eval stage could run them: ``backends._clusters`` runs each public-test survivor on
  mutations of the problem's *public* inputs (never private or ``generated_tests`` inputs, which would leak the
  hidden tests) and keys it by what it prints (``b:`` keys, ``meta.cluster_by = "behaviour"``). Samples it could
  not run, and ``iotatui report --verdicts`` files without clusters, fall back to exact duplicates of the program
  text (:func:`cluster_key`): lower (pessimistic) where distinct programs behave the same;
* **compile rate**: share of samples that compile (C++) / parse (Python), i.e. whose verdict is not COMPILE_ERROR,
  among samples the judge could run (SANDBOX_ERROR is an infrastructure fault, not the model's: left out of both).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

KS: tuple[int, ...] = (1, 10, 100, 1000)
"""The pass@k values Table 1 style reports show (each only where every problem has k samples)."""
SUBMISSIONS = 10
"""The n of AlphaCode's n@k: submissions per problem."""
OK = "OK"
COMPILE_ERROR = "COMPILE_ERROR"
SANDBOX_ERROR = "SANDBOX_ERROR"


@dataclass(frozen=True)
class SampleResult:
    """One judged sample, as the metrics need it."""

    problem: str
    verdict: str
    passed_public: bool | None = None
    """Passed every public test (None: unknown; then 10@k treats an OK sample as passing them)."""
    cluster: str | None = None
    """Cluster key for 10@k (samples with the same key behave the same); None: a cluster of its own."""
    language: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == OK


# ---- estimators ----------------------------------------------------------------------------------------------------
def pass_at_k(n: int, c: int, k: int) -> float | None:
    """Chen et al. 2021's unbiased pass@k from ``n`` samples of which ``c`` are correct; None when ``k > n``.

    Computed as the product ``prod_{i=n-c+1..n} (1 - k/i)`` (their numerically stable form), not with factorials.
    """
    if n < 0 or c < 0 or c > n or k < 1:
        raise ValueError(f"pass_at_k: need 0 <= c <= n and k >= 1 (got n={n}, c={c}, k={k})")
    if k > n:
        return None
    if n - c < k:
        return 1.0
    p = 1.0
    for i in range(n - c + 1, n + 1):
        p *= 1.0 - k / i
    return 1.0 - p


def _ten_once(pool: Sequence[SampleResult], submissions: int, rng: random.Random) -> bool:
    """One AlphaCode submission round on ``pool``: filter on public tests, cluster, submit from the largest."""
    clusters: dict[Any, list[SampleResult]] = defaultdict(list)
    for i, s in enumerate(pool):
        public = s.passed_public if s.passed_public is not None else s.ok
        if public:
            clusters[s.cluster if s.cluster is not None else ("#", i)].append(s)
    if not clusters:
        return False
    groups = list(clusters.values())
    rng.shuffle(groups)  # ties in size are broken at random, not by arrival order
    groups.sort(key=len, reverse=True)
    for g in groups:
        rng.shuffle(g)  # each cluster's submissions in random order: the representative is a random member
    picks = [g[r] for r in range(len(groups[0])) for g in groups if r < len(g)][:submissions]  # wraps around
    return any(s.ok for s in picks)


def n_at_k(samples: Sequence[SampleResult], k: int | None = None, submissions: int = SUBMISSIONS, draws: int = 64,
           seed: int = 0) -> float | None:
    """AlphaCode's n@k for one problem: the chance that ``submissions`` picks from ``k`` samples solve it.

    ``k`` defaults to all samples. With ``k`` < len(samples) it is estimated by drawing ``k`` of them without
    replacement ``draws`` times (AlphaCode's subsampling estimator); with ``k`` == len(samples) only the random
    tie-breaks and cluster representatives vary between draws. None when ``k`` > len(samples).
    """
    n = len(samples)
    k = n if k is None else k
    if k < 1:
        raise ValueError(f"n_at_k: k must be >= 1 (got {k})")
    if k > n:
        return None
    if not any(s.ok for s in samples):
        return 0.0  # nothing can solve it: skip the draws
    rng = random.Random(seed)
    hits = sum(_ten_once(rng.sample(samples, k) if k < n else samples, submissions, rng) for _ in range(draws))
    return hits / draws


# ---- per problem and per run ---------------------------------------------------------------------------------------
@dataclass
class ProblemStats:
    """One problem's samples and what they score."""

    problem: str
    samples: int = 0
    correct: int = 0
    compiled: int = 0
    runnable: int = 0
    """Samples the judge could run (not SANDBOX_ERROR): the compile rate's denominator."""
    verdicts: dict[str, int] = field(default_factory=dict)
    difficulty: str | None = None
    cf_rating: int | None = None

    @property
    def solved(self) -> bool:
        return self.correct > 0

    def to_dict(self, ks: Sequence[int] = KS, ten: float | None = None) -> dict[str, Any]:
        return {"problem": self.problem, "samples": self.samples, "correct": self.correct, "solved": self.solved,
                "compiled": self.compiled, "runnable": self.runnable, "verdicts": dict(sorted(self.verdicts.items())),
                "difficulty": self.difficulty, "cf_rating": self.cf_rating,
                "pass_at_k": {str(k): pass_at_k(self.samples, self.correct, k) for k in ks if k <= self.samples},
                "ten_at_k": ten}


def per_problem(results: Iterable[SampleResult],
                info: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, ProblemStats]:
    """Counts per problem; ``info`` (problem -> {difficulty, cf_rating}) fills the breakdown fields."""
    out: dict[str, ProblemStats] = {}
    for r in results:
        st = out.get(r.problem)
        if st is None:
            meta = (info or {}).get(r.problem) or {}
            st = out[r.problem] = ProblemStats(r.problem, difficulty=meta.get("difficulty"),
                                               cf_rating=meta.get("cf_rating") or None)
        st.samples += 1
        st.correct += r.ok
        st.verdicts[r.verdict] = st.verdicts.get(r.verdict, 0) + 1
        if r.verdict != SANDBOX_ERROR:
            st.runnable += 1
            st.compiled += r.verdict != COMPILE_ERROR
    return out


def usable_ks(stats: Iterable[ProblemStats], ks: Sequence[int] = KS) -> list[int]:
    """The ``ks`` every problem has enough samples for."""
    least = min((s.samples for s in stats), default=0)
    return [k for k in ks if k <= least]


def rating_bucket(rating: int | None, width: int = 400) -> str:
    """``1200-1599`` style Codeforces rating band; ``unrated`` for none."""
    if not rating:
        return "unrated"
    lo = (int(rating) // width) * width
    return f"{lo}-{lo + width - 1}"


def _aggregate(stats: Sequence[ProblemStats], ks: Sequence[int]) -> dict[str, Any]:
    runnable = sum(s.runnable for s in stats)
    return {
        "problems": len(stats),
        "samples": sum(s.samples for s in stats),
        "solved": sum(s.solved for s in stats),
        "compile_rate": (sum(s.compiled for s in stats) / runnable) if runnable else None,
        "pass_at_k": {str(k): _mean([pass_at_k(s.samples, s.correct, k) for s in stats]) for k in ks},
    }


def _mean(values: Sequence[float | None]) -> float:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else 0.0


def summarize(results: Iterable[SampleResult], info: Mapping[str, Mapping[str, Any]] | None = None,
              ks: Sequence[int] = KS, ten_k: int | None = None, draws: int = 64, ci_iters: int = 0,
              seed: int = 0, problems: bool = False) -> dict[str, Any]:
    """Every run-level number: problems, samples, solved, compile_rate, pass_at_k (k up to the smallest per-problem
    sample count), ten_at_k (AlphaCode 10@k, k = ``ten_k`` or the smallest sample count), verdict counts,
    compile rate per language, breakdowns by difficulty and rating band; with ``ci_iters`` > 0, 95 % bootstrap
    intervals over problems (``ci``); with ``problems``, the per-problem rows."""
    results = list(results)
    stats = per_problem(results, info)
    rows = sorted(stats.values(), key=lambda s: s.problem)
    ks = usable_ks(rows, ks)
    out = _aggregate(rows, ks)
    least = min((s.samples for s in rows), default=0)
    k10 = min(ten_k or least, least)
    by_problem: dict[str, list[SampleResult]] = defaultdict(list)
    for r in results:
        by_problem[r.problem].append(r)
    ten = {s.problem: (n_at_k(by_problem[s.problem], k10, draws=draws, seed=seed) if k10 else None) for s in rows}
    out["ten_at_k"] = {"k": k10, "value": _mean(list(ten.values())) if k10 else None,
                       "solved": sum(v or 0.0 for v in ten.values()) if k10 else None}
    out["verdicts"] = dict(sorted(Counter(r.verdict for r in results).items()))
    langs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        if r.language and r.verdict != SANDBOX_ERROR:
            langs[r.language][0] += r.verdict != COMPILE_ERROR
            langs[r.language][1] += 1
    out["compile_rate_by_language"] = {lang: c / n for lang, (c, n) in sorted(langs.items())}
    out["by_difficulty"] = _breakdown(rows, lambda s: s.difficulty or "unknown", ks)
    out["by_rating"] = _breakdown(rows, lambda s: rating_bucket(s.cf_rating), ks)
    if ci_iters > 0 and rows:
        out["ci"] = {
            "solved": bootstrap_ci(rows, lambda xs: float(sum(s.solved for s in xs)), ci_iters, seed),
            "compile_rate": bootstrap_ci(rows, lambda xs: _aggregate(xs, [])["compile_rate"] or 0.0, ci_iters, seed),
            **{f"pass@{k}": bootstrap_ci(rows, _pass_stat(k), ci_iters, seed) for k in ks},
        }
        if k10:
            tens = [ten[s.problem] or 0.0 for s in rows]
            out["ci"]["ten_at_k"] = bootstrap_ci(tens, lambda xs: _mean(xs), ci_iters, seed)
    if problems:
        out["per_problem"] = [s.to_dict(ks, ten[s.problem]) for s in rows]
    return out


def _pass_stat(k: int) -> Callable[[Sequence[ProblemStats]], float]:
    return lambda xs: _mean([pass_at_k(s.samples, s.correct, k) for s in xs])


def _breakdown(rows: Sequence[ProblemStats], key: Callable[[ProblemStats], str], ks: Sequence[int]) -> dict[str, Any]:
    groups: dict[str, list[ProblemStats]] = defaultdict(list)
    for s in rows:
        groups[key(s)].append(s)
    return {name: _aggregate(g, ks) for name, g in sorted(groups.items())}


# ---- uncertainty ---------------------------------------------------------------------------------------------------
def bootstrap_ci(items: Sequence[T], stat: Callable[[Sequence[T]], float], iters: int = 1000, seed: int = 0,
                 level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ``stat`` over ``items`` (problems) resampled with replacement."""
    if not items:
        raise ValueError("bootstrap_ci: no items")
    if not 0 < level < 1 or iters < 1:
        raise ValueError(f"bootstrap_ci: need 0 < level < 1 and iters >= 1 (got {level}, {iters})")
    rng = random.Random(seed)
    n = len(items)
    vals = sorted(stat([items[rng.randrange(n)] for _ in range(n)]) for _ in range(iters))
    lo_i = int(math.floor((1 - level) / 2 * (iters - 1)))
    hi_i = int(math.ceil((1 + level) / 2 * (iters - 1)))
    return vals[lo_i], vals[hi_i]


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value: discordant pairs against a fair coin."""
    n = only_a + only_b
    if n == 0:
        return 1.0
    tail: float = sum(math.comb(n, i) for i in range(min(only_a, only_b) + 1)) / 2 ** n
    return min(1.0, 2.0 * tail)


EXACT_FLIPS = 16
"""Up to this many non-zero differences the sign-flip test enumerates every assignment (2**16); beyond, it samples."""


def sign_flip_p(diffs: Sequence[float], iters: int = 10_000, seed: int = 0) -> float:
    """Two-sided p-value of a paired sign-flip (permutation) test that the mean of ``diffs`` (one per problem: run
    a's pass@1 minus run b's) is 0: under the null each difference is as likely negative as positive. Exact up to
    :data:`EXACT_FLIPS` non-zero differences, else ``iters`` seeded random flips (with the +1 correction)."""
    d = [x for x in diffs if x != 0]
    if not d:
        return 1.0
    observed = abs(sum(d)) - 1e-12
    n = len(d)
    if n <= EXACT_FLIPS:
        hits = 0
        for mask in range(1 << n):
            total = sum(x if mask >> i & 1 else -x for i, x in enumerate(d))
            hits += abs(total) >= observed
        return hits / (1 << n)
    rng = random.Random(seed)
    hits = sum(abs(sum(x if rng.random() < 0.5 else -x for x in d)) >= observed for _ in range(iters))
    return (hits + 1) / (iters + 1)


def paired(a: Sequence[SampleResult], b: Sequence[SampleResult], k: int = 1, iters: int = 1000, seed: int = 0,
           alpha: float = 0.05) -> dict[str, Any]:
    """Compare two runs on the problems both attempted: which each solves alone, the exact McNemar test on solved,
    and the pass@k difference (a minus b) with a paired bootstrap interval over the common problems."""
    sa, sb = per_problem(a), per_problem(b)
    common = sorted(set(sa) & set(sb))
    only_a = [p for p in common if sa[p].solved and not sb[p].solved]
    only_b = [p for p in common if sb[p].solved and not sa[p].solved]
    p_value = mcnemar_exact(len(only_a), len(only_b))
    kk = min([k, *(sa[p].samples for p in common), *(sb[p].samples for p in common)]) if common else k
    diffs = [(pass_at_k(sa[p].samples, sa[p].correct, kk) or 0.0) - (pass_at_k(sb[p].samples, sb[p].correct, kk) or 0.0)
             for p in common]
    return {
        "problems": len(common),
        "both": sum(sa[p].solved and sb[p].solved for p in common),
        "neither": sum(not sa[p].solved and not sb[p].solved for p in common),
        "only_a": only_a, "only_b": only_b,
        "solved_a": sum(sa[p].solved for p in common), "solved_b": sum(sb[p].solved for p in common),
        "mcnemar_p": p_value, "significant": p_value < alpha,
        "k": kk, "pass_at_k_diff": _mean(diffs) if diffs else None,
        "pass_at_k_diff_ci": bootstrap_ci(diffs, _mean, iters, seed) if diffs else None,
        "only_in_a": sorted(set(sa) - set(sb)), "only_in_b": sorted(set(sb) - set(sa)),
    }


# ---- inputs --------------------------------------------------------------------------------------------------------
def passed_public(verdict: str, fail_test: int | None, n_public: int | None) -> bool | None:
    """Whether a sample passed every public test, from its verdict: the judge runs public tests first and stops at the
    first failure, so a failure at position >= n_public means the public ones passed. None when unknown."""
    if verdict == OK:
        return True
    if verdict in (COMPILE_ERROR, SANDBOX_ERROR) or fail_test is None or n_public is None:
        return False if verdict == COMPILE_ERROR else None
    return fail_test >= n_public


def cluster_key(code: str) -> str:
    """10@k's cluster when no behavioural signature is known: the program text up to line ends and trailing spaces
    (exact duplicates cluster together)."""
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def from_verdict_rows(rows: Iterable[Mapping[str, Any]], n_public: Mapping[str, int] | None = None
                      ) -> list[SampleResult]:
    """SampleResults from VERDICTS.jsonl objects (``iotatui judge``) or store rows: ``problem``, ``verdict`` and
    optionally ``fail_test``, ``language``, ``cluster``."""
    out = []
    for r in rows:
        np = (n_public or {}).get(r["problem"])
        out.append(SampleResult(problem=str(r["problem"]), verdict=str(r["verdict"]),
                                passed_public=passed_public(str(r["verdict"]), r.get("fail_test"), np),
                                cluster=r.get("cluster"), language=r.get("language")))
    return out
