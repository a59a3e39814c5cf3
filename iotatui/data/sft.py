"""Build the SFT dataset: prompt = rendered statement, completion = one correct solution in a fenced block.

Steps (IotaCode §SFT): collect correct solutions from CodeContests problems and from the Codeforces dump, normalise
and drop exact duplicates, measure lengths with the *actual* tokenizer, drop samples above the token limit (paper:
4000 ≈ 99th percentile; ``max_tokens=0`` cuts at the measured 99th percentile), mix the two sources in a
``ratio`` (CodeContests : dump, paper ≈ 1:1) by downsampling the larger side, shuffle, and save a
``datasets.Dataset`` with ``prompt``/``completion`` columns. ``report.json`` next to the Arrow files holds the counts,
the length histogram and the cut.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iotatui.data._io import atomic_dir, check_out, write_json
from iotatui.data.problems import DataError
from iotatui.data.prompt import LANGUAGE_TITLES, language_name, normalize_code, render_completion, render_prompt
from iotatui.data.schema import CODE_LANGUAGES, Problem

HIST_EDGES: tuple[int, ...] = (0, 128, 256, 512, 1024, 2048, 4096, 8192, 16384)
"""Token-length histogram bucket edges (the last bucket is open-ended)."""
Progress = Callable[[int, int, str], None]
"""(done, total, label)."""


@dataclass(frozen=True)
class Sample:
    """One candidate SFT example before filtering."""

    source: str
    problem: str
    language: str
    prompt: str
    completion: str


def collect(problems: Iterable[Problem], source: str, languages: tuple[str, ...],
            max_per_problem: int = 0, seed: int = 0) -> list[Sample]:
    """Samples from the correct solutions of ``problems`` in ``languages`` (exact duplicates kept: dedupe later)."""
    out: list[Sample] = []
    codes = {c for c, n in CODE_LANGUAGES.items() if n in languages}
    for p in problems:
        chosen = [(lang, src) for lang, src in zip(p.solutions.language, p.solutions.solution, strict=True)
                  if lang in codes and src.strip()]
        if max_per_problem and len(chosen) > max_per_problem:
            chosen = random.Random(f"{seed}:{p.name}").sample(chosen, max_per_problem)
        prompts: dict[str, str] = {}
        for lang, src in chosen:
            name = language_name(lang)
            if name not in prompts:
                prompts[name] = render_prompt(p, name)
            out.append(Sample(source, p.name, name, prompts[name], render_completion(src, name)))
    return out


def dedupe(samples: list[Sample]) -> list[Sample]:
    """Drop exact duplicates of (prompt, completion), keeping the first (completions are already normalised)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for s in samples:
        k = (s.prompt, s.completion)
        if k not in seen:
            seen.add(k)
            out.append(s)
    return out


def token_lengths(tokenizer: Any, samples: list[Sample], progress: Progress | None = None,
                  batch: int = 512) -> list[int]:
    """Length of prompt+completion in tokens as the trainer sees it (special tokens included, +1 for the EOS)."""
    lengths: list[int] = []
    for i in range(0, len(samples), batch):
        chunk = samples[i:i + batch]
        enc = tokenizer([s.prompt + s.completion for s in chunk], add_special_tokens=True)["input_ids"]
        lengths.extend(len(ids) + 1 for ids in enc)
        if progress:
            progress(min(i + batch, len(samples)), len(samples), "tokenize")
    return lengths


def percentile(sorted_vals: list[int], q: float) -> int:
    """Nearest-rank percentile (q in 0..100) of an ascending list; 0 for an empty list."""
    if not sorted_vals:
        return 0
    rank = max(1, math.ceil(q / 100 * len(sorted_vals)))
    return sorted_vals[min(rank, len(sorted_vals)) - 1]


def histogram(lengths: list[int]) -> list[dict[str, Any]]:
    """Counts per HIST_EDGES bucket: [{"lo": 0, "hi": 128, "count": n}, …, {"lo": 16384, "hi": None, …}]."""
    out = []
    for i, lo in enumerate(HIST_EDGES):
        hi = HIST_EDGES[i + 1] if i + 1 < len(HIST_EDGES) else None
        out.append({"lo": lo, "hi": hi, "count": sum(1 for n in lengths if n >= lo and (hi is None or n < hi))})
    return out


def mix(cc: list[Sample], dump: list[Sample], ratio: float, rng: random.Random) -> tuple[list[Sample], list[Sample]]:
    """Downsample the larger source so that len(cc) : len(dump) ≈ ratio : 1. ratio <= 0 or a missing side: keep all."""
    if ratio <= 0 or not cc or not dump:
        return cc, dump
    if len(cc) > ratio * len(dump):
        return rng.sample(cc, round(ratio * len(dump))), dump
    return cc, rng.sample(dump, min(len(dump), round(len(cc) / ratio)))


def build_sft(problems: Sequence[Problem], out: str | Path, tokenizer: Any, *, dump_problems: Sequence[Problem] = (),
              ratio: float = 1.0, max_tokens: int = 4000, languages: tuple[str, ...] = ("python3", "cpp"),
              max_per_problem: int = 0, seed: int = 0, overwrite: bool = False,
              progress: Progress | None = None) -> dict[str, Any]:
    """Build and save the SFT dataset at ``out``; returns the report (also written to ``out/report.json``).

    ``problems`` must not contain test problems (the caller picks the split); ``tokenizer`` is a loaded HF tokenizer
    or a path to one.
    """
    for lang in languages:
        if lang not in LANGUAGE_TITLES:
            raise DataError(f"languages: unknown value {lang!r} (expected {', '.join(LANGUAGE_TITLES)})")
    if max_tokens < 0:
        raise DataError(f"max_tokens: must be >= 0 (0 = cut at the 99th percentile), got {max_tokens}")
    check_out(out, overwrite)
    leaked = [p.name for p in list(problems) + list(dump_problems) if p.split == "test"]
    if leaked:
        raise DataError(f"problems: {len(leaked)} test-split problems in SFT input (first: {leaked[0]!r})")
    tok = load_tokenizer(tokenizer)

    raw_cc = collect(problems, "codecontests", languages, max_per_problem, seed)
    raw_dump = collect(dump_problems, "dump", languages, max_per_problem, seed)
    samples = dedupe(raw_cc + raw_dump)
    lengths = token_lengths(tok, samples, progress)
    ordered = sorted(lengths)
    cut = max_tokens or percentile(ordered, 99)
    kept = [s for s, n in zip(samples, lengths, strict=True) if n <= cut]
    rng = random.Random(seed)
    cc, dm = mix([s for s in kept if s.source == "codecontests"], [s for s in kept if s.source == "dump"], ratio, rng)
    final = cc + dm
    rng.shuffle(final)
    if not final:
        raise DataError("no SFT samples left (no correct solutions in the chosen languages, or all too long)")

    import datasets  # heavy: keep out of CLI start-up

    datasets.disable_progress_bars()  # a bar per save is noise in CLI output and run logs
    report = {
        "counts": {
            "candidates": {"codecontests": len(raw_cc), "dump": len(raw_dump)},
            "duplicates_dropped": len(raw_cc) + len(raw_dump) - len(samples),
            "too_long_dropped": len(samples) - len(kept),
            "mix_dropped": len(kept) - len(final),
            "kept": {"codecontests": len(cc), "dump": len(dm), "total": len(final)},
            "languages": {lang: sum(1 for s in final if s.language == lang) for lang in languages},
            "problems": len({(s.source, s.problem) for s in final}),
        },
        "max_tokens": cut,
        "max_tokens_auto": max_tokens == 0,
        "cut_percentile": round(100.0 * sum(1 for n in lengths if n <= cut) / max(len(lengths), 1), 2),
        "length_percentiles": {f"p{q}": percentile(ordered, q) for q in (50, 90, 95, 99, 100)},
        "length_histogram": histogram(lengths),
        "ratio": ratio,
        "seed": seed,
        "tokenizer": str(getattr(tok, "name_or_path", "")),
    }
    with atomic_dir(out, overwrite) as tmp:
        ds = datasets.Dataset.from_dict({"prompt": [s.prompt for s in final],
                                         "completion": [s.completion for s in final]})
        ds.save_to_disk(str(tmp))
        write_json(tmp / "report.json", report)
    return report


def load_tokenizer(tokenizer: Any) -> Any:
    """A loaded tokenizer passes through; a path or hub id is loaded with AutoTokenizer (offline-friendly error)."""
    if not isinstance(tokenizer, (str, Path)):
        return tokenizer
    from iotatui.data.models import resolve_model

    path = resolve_model(str(tokenizer))
    from transformers import AutoTokenizer  # heavy: keep out of CLI start-up

    try:
        return AutoTokenizer.from_pretrained(path)
    except (OSError, ValueError) as e:
        raise DataError(f"tokenizer {tokenizer}: cannot load ({str(e).splitlines()[0] if str(e) else e!r})") from e


def normalized_solutions(problem: Problem, correct: bool, language_code: int) -> list[str]:
    """Normalised sources of one language (helper shared with the pair builder)."""
    sols = problem.solutions if correct else problem.incorrect_solutions
    return [normalize_code(s) for lang, s in zip(sols.language, sols.solution, strict=True)
            if lang == language_code and s.strip()]
