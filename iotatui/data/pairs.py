"""Preference triplets (prompt, chosen, rejected) from correct and incorrect solutions of the same problem.

For every correct solution (per problem and language): one *random* incorrect solution and the *closest* incorrect
one by Levenshtein distance (IotaCode: both kinds mixed, ~2M triplets). Same language only. When the random draw
is the closest one, the two rows would be the same triplet: only the ``closest`` row is kept, and the report counts
the skipped ones (``counts.duplicates_skipped``), so no pair weighs double. Deterministic under a seed: each
(problem, language) draws from its own ``random.Random(f"{seed}:{name}:{language}")``, so the result does not
depend on processing order.

Every row carries its ``problem`` (the name): the RM holds out whole problems by it (``backends/rm.py``), so no
held-out program or statement is trained on.

Closest negative, defined exactly: the incorrect solution with the smallest distance, ties broken by the smallest
index (in the problem's de-duplicated incorrect list). :func:`closest_naive` is the definition as a double loop;
:func:`closest` computes the same answer fast:

1. A lower bound per pair from character histograms: every edit changes the histogram by at most one +1 and one -1,
   so ``distance >= max(p, q)`` where p/q are the summed positive/negative count differences (stronger than the
   length difference). Characters are folded to 128 buckets (any folding keeps it a bound). Vectorised in numpy.
2. An upper bound per correct solution: the exact distance to its lowest-bound candidate.
3. Exact distances only for candidates whose lower bound does not exceed that upper bound, computed by rapidfuzz
   ``process.cpdist`` on all cores with ``score_cutoff`` (a banded bit-parallel Levenshtein: cheap when the
   cutoff is small). Every candidate that could tie or beat the upper bound is computed exactly, so the argmin and
   its tie-break equal the naive answer; a test checks it and ``iotatui bench pairs`` asserts it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from iotatui.data._io import atomic_dir, check_out, write_json
from iotatui.data.problems import DataError
from iotatui.data.prompt import LANGUAGE_TITLES, render_completion, render_prompt
from iotatui.data.schema import LANGUAGE_CODES, Problem

HIST_BUCKETS = 128
_CHUNK_ELEMS = 1 << 23
"""Max elements of one (rows × candidates × buckets) lower-bound block (16 MB of int16: stays in cache-ish sizes)."""
_CLIP = 16383
"""Histogram counts are clipped here so a difference of two fits int16."""
Progress = Callable[[int, int, str], None]
PAIR_COLUMNS = ("prompt", "chosen", "rejected", "problem")
"""The saved dataset's columns; TRL's preference trainers read the first three (see ``backends/dpo.py``)."""


def closest_naive(correct: Sequence[str], incorrect: Sequence[str]) -> list[tuple[int, int]]:
    """(index, distance) of the closest incorrect solution for each correct one: the reference double loop."""
    import Levenshtein  # python-Levenshtein

    out = []
    for c in correct:
        best_j, best_d = -1, -1
        for j, s in enumerate(incorrect):
            d = Levenshtein.distance(c, s)
            if best_j < 0 or d < best_d:
                best_j, best_d = j, d
        out.append((best_j, best_d))
    return out


def _histograms(texts: Sequence[str]) -> Any:
    import numpy as np

    h = np.zeros((len(texts), HIST_BUCKETS), dtype=np.int32)
    for i, t in enumerate(texts):
        cps = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32) & (HIST_BUCKETS - 1)
        h[i] = np.bincount(cps, minlength=HIST_BUCKETS)
    return h


def lower_bounds(correct: Sequence[str], incorrect: Sequence[str]) -> Any:
    """The histogram lower bound matrix (len(correct) × len(incorrect)); exposed for tests."""
    import numpy as np

    # int16 arithmetic is ~9x faster than int32 here (SIMD width, cache). Clipping counts keeps differences in range
    # and keeps the bound valid: clipping never increases any per-bucket difference.
    hc = np.minimum(_histograms(correct), _CLIP)
    hi = np.minimum(_histograms(incorrect), _CLIP)
    used = np.nonzero(hc.any(0) | hi.any(0))[0]  # buckets empty on both sides contribute 0: skip them
    hc, hi = hc[:, used].astype(np.int16), hi[:, used].astype(np.int16)
    lc = hc.sum(1, dtype=np.int64)
    li = hi.sum(1, dtype=np.int64)
    out = np.empty((len(correct), len(incorrect)), dtype=np.int64)
    rows = max(1, _CHUNK_ELEMS // max(1, len(incorrect) * len(used)))
    for r0 in range(0, len(correct), rows):
        r1 = min(r0 + rows, len(correct))
        l1 = np.abs(hc[r0:r1, None, :] - hi[None, :, :]).sum(-1, dtype=np.int64)
        # max(p, q) = (p + q + |p - q|) / 2 with p + q = L1 and p - q = length difference: always an integer.
        out[r0:r1] = (l1 + np.abs(lc[r0:r1, None] - li[None, :])) // 2
    return out


def closest(correct: Sequence[str], incorrect: Sequence[str], workers: int = -1) -> list[tuple[int, int]]:
    """Same result as :func:`closest_naive` (smallest distance, then smallest index), pruned and multi-core."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    if not correct:
        return []
    if not incorrect:
        return [(-1, -1)] * len(correct)
    cor = list(correct)
    inc = list(incorrect)
    lb = lower_bounds(cor, inc)
    first = lb.argmin(axis=1)  # argmin returns the first minimum
    ub = process.cpdist(cor, [inc[j] for j in first], scorer=Levenshtein.distance, workers=workers).astype(np.int64)
    ri, cj = np.nonzero(lb <= ub[:, None])
    dist = np.empty(len(ri), dtype=np.int64)
    cut = ub[ri]
    # One cpdist call per power-of-two cutoff band: each pair runs with a cutoff at most ~2x its row's bound.
    band = np.floor(np.log2(cut + 1)).astype(np.int64)
    for b in np.unique(band):
        sel = np.nonzero(band == b)[0]
        cutoff = int(cut[sel].max())
        dist[sel] = process.cpdist([cor[i] for i in ri[sel]], [inc[j] for j in cj[sel]],
                                   scorer=Levenshtein.distance, score_cutoff=cutoff, workers=workers)
    order = np.lexsort((cj, dist, ri))  # by row, then distance, then index
    ri, cj, dist = ri[order], cj[order], dist[order]
    starts = np.nonzero(np.r_[True, ri[1:] != ri[:-1]])[0]
    best = [(-1, -1)] * len(cor)
    for s in starts:
        best[int(ri[s])] = (int(cj[s]), int(dist[s]))
    return best


def _dedupe(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def triplets_for(problem: Problem, language: str, seed: int, *, kinds: tuple[str, ...] = ("random", "closest"),
                 max_correct: int = 0, max_incorrect: int = 0, naive: bool = False,
                 workers: int = -1) -> tuple[list[dict[str, str]], dict[str, int]]:
    """Triplets of one problem in one language, plus counts (ambiguous = incorrect text equal to a correct one;
    duplicates_skipped = random rows equal to their closest row, left out)."""
    from iotatui.data.sft import normalized_solutions

    code = LANGUAGE_CODES[language]
    cor = _dedupe(normalized_solutions(problem, True, code))
    cset = set(cor)
    inc_all = _dedupe(normalized_solutions(problem, False, code))
    inc = [s for s in inc_all if s not in cset]
    stats = {"correct": len(cor), "incorrect": len(inc), "ambiguous": len(inc_all) - len(inc), "duplicates_skipped": 0}
    if not cor or not inc:
        return [], stats
    rng = random.Random(f"{seed}:{problem.name}:{language}")
    if max_correct and len(cor) > max_correct:
        cor = [cor[i] for i in sorted(rng.sample(range(len(cor)), max_correct))]
    if max_incorrect and len(inc) > max_incorrect:
        inc = [inc[i] for i in sorted(rng.sample(range(len(inc)), max_incorrect))]
    near = (closest_naive if naive else lambda a, b: closest(a, b, workers))(cor, inc) if "closest" in kinds else []
    prompt = render_prompt(problem, language)
    rendered_inc: dict[int, str] = {}

    def rej(j: int) -> str:
        if j not in rendered_inc:
            rendered_inc[j] = render_completion(inc[j], language)
        return rendered_inc[j]

    rows = []
    for k, c in enumerate(cor):
        chosen = render_completion(c, language)
        r = rng.randrange(len(inc))  # drawn even when "random" is off, so both kinds see the same stream
        if "random" in kinds:
            if "closest" in kinds and r == near[k][0]:  # the same triplet as the closest row below: keep one
                stats["duplicates_skipped"] += 1
            else:
                rows.append({"prompt": prompt, "chosen": chosen, "rejected": rej(r), "kind": "random",
                             "problem": problem.name})
        if "closest" in kinds:
            rows.append({"prompt": prompt, "chosen": chosen, "rejected": rej(near[k][0]), "kind": "closest",
                         "problem": problem.name})
    return rows, stats


def build_triplets(problems: Sequence[Problem], languages: tuple[str, ...] = ("python3", "cpp"), seed: int = 0,
                   *, kinds: tuple[str, ...] = ("random", "closest"), max_correct: int = 0, max_incorrect: int = 0,
                   naive: bool = False, workers: int = -1,
                   progress: Progress | None = None) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """All triplets over ``problems`` × ``languages`` (in input order) and summed counts."""
    for lang in languages:
        if lang not in LANGUAGE_TITLES:
            raise DataError(f"languages: unknown value {lang!r} (expected {', '.join(LANGUAGE_TITLES)})")
    for k in kinds:
        if k not in ("random", "closest"):
            raise DataError(f"kinds: unknown value {k!r} (expected random, closest)")
    rows: list[dict[str, str]] = []
    totals: dict[str, Any] = {"correct": 0, "incorrect": 0, "ambiguous": 0, "duplicates_skipped": 0, "groups": 0,
                              "groups_without_pairs": 0}
    for n, p in enumerate(problems, 1):
        for lang in languages:
            got, st = triplets_for(p, lang, seed, kinds=kinds, max_correct=max_correct, max_incorrect=max_incorrect,
                                   naive=naive, workers=workers)
            for key in ("correct", "incorrect", "ambiguous", "duplicates_skipped"):
                totals[key] += st[key]
            if st["correct"] or st["incorrect"]:
                totals["groups"] += 1
                totals["groups_without_pairs"] += 0 if got else 1
            rows.extend(got)
        if progress:
            progress(n, len(problems), "problems")
    return rows, totals


def build_pairs(problems: Sequence[Problem], out: str | Path, *, languages: tuple[str, ...] = ("python3", "cpp"),
                seed: int = 0, kinds: tuple[str, ...] = ("random", "closest"), max_correct: int = 0,
                max_incorrect: int = 0, max_triplets: int = 0, workers: int = -1, overwrite: bool = False,
                progress: Progress | None = None) -> dict[str, Any]:
    """Build triplets and save a shuffled prompt/chosen/rejected/problem Dataset at ``out`` (+ ``report.json``)."""
    check_out(out, overwrite)
    leaked = [p.name for p in problems if p.split == "test"]
    if leaked:
        raise DataError(f"problems: {len(leaked)} test-split problems in pair input (first: {leaked[0]!r})")
    rows, totals = build_triplets(problems, languages, seed, kinds=kinds, max_correct=max_correct,
                                  max_incorrect=max_incorrect, workers=workers, progress=progress)
    if not rows:
        raise DataError("no preference pairs: no problem has both correct and incorrect solutions in "
                        f"{', '.join(languages)}")
    rng = random.Random(seed)
    rng.shuffle(rows)
    if max_triplets and len(rows) > max_triplets:
        rows = rows[:max_triplets]
    import datasets  # heavy: keep out of CLI start-up

    datasets.disable_progress_bars()  # a bar per save is noise in CLI output and run logs
    report = {
        "counts": {**totals, "triplets": len(rows), "problems": len({r["problem"] for r in rows}),
                   "by_kind": {k: sum(1 for r in rows if r["kind"] == k) for k in kinds}},
        "languages": list(languages), "kinds": list(kinds), "seed": seed,
    }
    with atomic_dir(out, overwrite) as tmp:
        ds = datasets.Dataset.from_dict({c: [r[c] for r in rows] for c in PAIR_COLUMNS})
        ds.save_to_disk(str(tmp))
        write_json(tmp / "report.json", report)
    return report
