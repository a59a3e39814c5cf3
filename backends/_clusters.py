"""10@k's behaviour clusters (AlphaCode §4.6): run the samples that pass the public tests on extra inputs and group
them by what they print.

**Where the extra inputs come from: mutations of the public test inputs only.** AlphaCode generated them with a
trained test-input model; we have none, and CodeContests' ``generated_tests`` are mutations of the *hidden* tests, so
using them (or the private tests) would leak hidden information into the choice of submissions. :func:`extra_inputs`
makes ``n`` inputs per problem from its public inputs, deterministically (``random.Random`` seeded with the problem
name's CRC32):

* the first line (counts: ``n``, ``t``, ``n m``) of a multi-line input is kept verbatim, and so is any integer that
  looks like a count (it equals the token count of a later line or the number of lines after its own), so the input
  keeps its shape;
* every other integer is jittered by up to a quarter of its size (at least 1), keeping its sign and digit count, and
  (non-negative ones) clipped to the range of integers the public inputs show;
* other tokens longer than one character (words, grid rows, digit strings with a leading zero) have their characters
  shuffled (same length, same alphabet).

Mutations equal to any public, private or generated input are dropped (never a hidden test). An invalid input (an
out-of-range value the statement forbids) is tolerated, as in AlphaCode: every program sees the same one.

A sample's behaviour signature is the digest, per extra input, of its stdout's whitespace-separated tokens
(``Verdict.output_digests``), or the failure kind (TIME_LIMIT, RUNTIME_ERROR, ...) where it did not finish cleanly;
the cluster key is ``b:`` + a hash of those. Samples that could not be run (no public inputs, a sandbox fault,
HumanEval, more than ``MAX_SURVIVORS`` survivors) keep the program-text key (:func:`iotatui.evalmetrics.cluster_key`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iotatui.data.schema import Problem, Tests

EXTRA_INPUTS = 8
"""Extra inputs per problem (AlphaCode used 50 model-generated ones)."""
MAX_SURVIVORS = 4096
"""Survivors per problem run on the extra inputs at most (AlphaCode: up to 8192); the rest keep the text key."""
BEHAVIOUR = "behaviour"
_INT = re.compile(r"-?\d+")


def _counts(lines: list[list[str]], i: int) -> set[int]:
    """Values on line ``i`` that look like counts: a later line's token count, or how many lines follow it."""
    later = [toks for toks in lines[i + 1:] if toks]
    return {len(toks) for toks in later} | {len(later)}


def mutate(text: str, rng: random.Random, lo: int, hi: int) -> str:
    """One structure-keeping mutation of ``text`` (see the module docstring)."""
    lines = [line.split() for line in text.split("\n")]
    multi = sum(bool(toks) for toks in lines) > 1
    out: list[str] = []
    for i, toks in enumerate(lines):
        if i == 0 and multi:  # a one-line input has no counts line: mutate it
            out.append(" ".join(toks))
            continue
        new = []
        counts = _counts(lines, i)
        for tok in toks:
            if _INT.fullmatch(tok) and not (tok.lstrip("-").startswith("0") and len(tok.lstrip("-")) > 1):
                x = int(tok)
                if x in counts:
                    new.append(tok)
                    continue
                digits = len(tok.lstrip("-"))  # same digit count: a grid row of digits keeps its width
                a, b = (10 ** (digits - 1) if digits > 1 else 0), 10 ** digits - 1
                d = max(1, abs(x) // 4)
                y = min(max(abs(x) + rng.randint(-d, d), a, lo if x >= 0 else a), b, hi if x >= 0 else b)
                new.append(str(y if x >= 0 else -y))
            elif len(tok) > 1:
                chars = list(tok)
                rng.shuffle(chars)
                new.append("".join(chars))
            else:
                new.append(tok)
        out.append(" ".join(new))
    return "\n".join(out)


def extra_inputs(problem: Problem, n: int = EXTRA_INPUTS) -> list[str]:
    """Up to ``n`` mutated public inputs of ``problem``, never equal to any of its tests' inputs (deterministic)."""
    public = list(problem.public_tests.input)
    if not public or n <= 0:
        return []
    forbidden = set(public) | set(problem.private_tests.input) | set(problem.generated_tests.input)
    norm_forbidden = {" ".join(x.split()) for x in forbidden}
    ints = [int(t) for x in public for t in x.split() if _INT.fullmatch(t)]
    lo, hi = (min(ints), max(ints)) if ints else (0, 0)
    rng = random.Random(zlib.crc32(problem.name.encode("utf-8", "surrogateescape")))
    out: list[str] = []
    seen: set[str] = set()
    for attempt in range(8 * n):
        cand = mutate(public[attempt % len(public)], rng, lo, hi)
        cand = cand if cand.endswith("\n") else cand + "\n"
        key = " ".join(cand.split())
        if key in norm_forbidden or key in seen:  # a hidden (or public) test, or a repeat: not an extra input
            continue
        seen.add(key)
        out.append(cand)
        if len(out) == n:
            break
    return out


def probe_problem(problem: Problem, inputs: list[str]) -> Problem:
    """``problem`` with the extra inputs as its only tests (expected output empty: only the stdout digests count)."""
    return dataclasses.replace(problem, public_tests=Tests(tuple(inputs), ("",) * len(inputs)), private_tests=Tests(),
                               generated_tests=Tests())


def signature(verdict: Any) -> str | None:
    """The behaviour cluster key of one probe verdict; None when it could not be run (sandbox fault, no tests)."""
    if verdict.verdict in ("SANDBOX_ERROR", "COMPILE_ERROR") or not verdict.tests:
        return None
    parts = [d if t.verdict in ("OK", "WRONG_ANSWER") else t.verdict
             for t, d in zip(verdict.tests, verdict.output_digests, strict=False)]
    if len(parts) != verdict.n_tests:
        return None
    return "b:" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def behaviour_clusters(problems: Mapping[str, Problem], survivors: Iterable[Any], *, sandbox: str = "docker",
                       workers: int | None = None, n_inputs: int = EXTRA_INPUTS,
                       max_survivors: int = MAX_SURVIVORS, hosts: Sequence[Any] | None = None) -> dict[str, str]:
    """{sample id: behaviour key} for ``survivors`` (objects with ``sample_id``, ``problem``, ``language``, ``code``:
    programs that passed the public tests), run on each problem's extra inputs in the judge sandbox. Samples left out
    (see the module docstring) are missing from the result."""
    from judge.engine import make_pool
    from judge.session import JudgeSession
    from judge.verdict import Solution

    inputs = {name: extra_inputs(p, n_inputs) for name, p in problems.items()}
    probes = {name: probe_problem(problems[name], ins) for name, ins in inputs.items() if ins}
    per: dict[str, int] = {}
    todo = []
    for s in survivors:
        if s.problem not in probes or per.get(s.problem, 0) >= max_survivors:
            continue
        per[s.problem] = per.get(s.problem, 0) + 1
        todo.append(Solution(s.sample_id, s.problem, s.language, s.code))
    if not todo:
        return {}
    out: dict[str, str] = {}
    n_workers = max(1, min(workers or len(os.sched_getaffinity(0)), len(todo)))
    # The same Docker hosts as the eval's own pool (settings.toml judge_hosts).
    with (make_pool(sandbox, n_workers, probes, hosts or None) as pool,
          JudgeSession(probes, pool=pool, all_tests=True) as session):
        for v in session.stream(todo):
            key = signature(v)
            if key is not None:
                out[v.id] = key
    return out


def assign(run: Any, problems: Mapping[str, Problem], *, sandbox: str = "docker", workers: int | None = None,
           n_inputs: int = EXTRA_INPUTS, hosts: Sequence[Any] | None = None) -> int:
    """Give the eval run's public-test survivors their behaviour cluster: each is re-emitted as a ``sample`` event
    with ``meta.cluster`` = its behaviour key and ``meta.cluster_by`` = ``behaviour`` (the store replaces the row by
    (run, sample_id), so the store stays what ``iotatui report`` reads). Samples already keyed by behaviour (a resumed
    run) are skipped. Returns how many were re-keyed."""
    from backends.eval import previous
    from backends.events import EVENTS_FILE
    from iotatui.evalmetrics import passed_public

    samples, verdicts = previous(run.dir / EVENTS_FILE)
    survivors = [s for sid, s in samples.items() if sid in verdicts and s.problem in problems
                 and (s.meta or {}).get("cluster_by") != BEHAVIOUR
                 and passed_public(verdicts[sid].verdict, verdicts[sid].fail_test,
                                   len(problems[s.problem].public_tests))]
    keys = behaviour_clusters(problems, survivors, sandbox=sandbox, workers=workers, n_inputs=n_inputs, hosts=hosts)
    with run.samples() as out:
        for s in survivors:
            if s.sample_id in keys:
                out.add(dataclasses.replace(s, meta={**(s.meta or {}), "cluster": keys[s.sample_id],
                                                     "cluster_by": BEHAVIOUR}))
    run.log(f"10@k clusters: {len(keys)} of {len(survivors)} public-test survivors keyed by behaviour on "
            f"{n_inputs} mutated public inputs per problem (never hidden tests); the rest keep the program-text key")
    return len(keys)
