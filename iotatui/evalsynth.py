"""Synthetic eval workspaces for benchmarks and tests: ``problems`` x ``samples`` verdicts (and samples) written
straight into a real store in a few transactions, and the next batch of rows a live eval's follower would post.
Deterministic (seeded). Re-exported by :mod:`iotatui.evalview`."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from iotatui.evalmetrics import COMPILE_ERROR, OK


def synthetic_store(home: Path, problems: int = 165, samples: int = 1000, runs: int = 1, seed: int = 0,
                    with_samples: bool = True, run_prefix: str = "eval-synth") -> list[str]:
    """A workspace at ``home`` holding ``runs`` finished eval runs of ``problems`` x ``samples`` verdicts (and their
    samples), written straight into the store in a few transactions (seconds for 165k rows). Deterministic."""
    from iotatui.store import Store

    rng = random.Random(seed)
    home = Path(home)
    (home / "runs").mkdir(parents=True, exist_ok=True)
    store = Store(home / "iotatui.db")
    ids = []
    try:
        names = [f"P{i:03d}" for i in range(problems)]
        with store.write() as c:
            c.executemany("INSERT OR REPLACE INTO problems (name, problem_set, split, difficulty, cf_rating, n_public, "
                          "n_private, n_generated) VALUES (?, 'synthetic', 'test', ?, ?, 2, 10, 0)",
                          [(n, ("EASY", "MEDIUM", "HARD")[i % 3], 800 + (i * 100) % 2800) for i, n in enumerate(names)])
        for r in range(runs):
            run_id = f"{run_prefix}-{r}"
            ids.append(run_id)
            store.insert_run({"id": run_id, "stage": "eval", "status": "finished", "run_dir": str(home / "runs" / run_id),
                              "config": json.dumps({"problems": "synthetic", "n_samples": samples,
                                                    "languages": ["python3"]}),
                              "progress_done": problems * samples, "progress_total": problems * samples,
                              "progress_unit": "samples", "created": 1_764_000_000.0 + r, "started": 1_764_000_000.0})
            vrows, srows = [], []
            for pi, name in enumerate(names):
                p_ok = (0.0, 0.0, 0.02, 0.2, 0.6)[(pi + r) % 5]
                for j in range(samples):
                    sid = f"{name}|python3|{j}"
                    x = rng.random()
                    verdict = (OK if x < p_ok else "WRONG_ANSWER" if x < 0.6 else "COMPILE_ERROR" if x < 0.8
                               else "RUNTIME_ERROR" if x < 0.9 else "TIME_LIMIT")
                    fail = None if verdict == OK else 0 if verdict == COMPILE_ERROR else rng.randrange(12)
                    tests = "C" + "-" * 11 if verdict == COMPILE_ERROR else ("A" * 12 if fail is None else
                                                                           "A" * fail + "W" + "-" * (11 - fail))
                    err = ("sol.py:3:1: SyntaxError: invalid syntax" if verdict == COMPILE_ERROR else
                           f"Traceback (most recent call last):\nIndexError: list index out of range {j % 7}"
                           if verdict == "RUNTIME_ERROR" else "")
                    vrows.append((run_id, sid, name, verdict, tests, 12, fail, "1\n", err, 1_764_000_000.0 + j))
                    if with_samples:
                        srows.append((run_id, sid, name, "python3", f"print(sum(map(int, input().split())) + {j})\n",
                                      1_764_000_000.0))
            with store.write() as c:
                c.executemany("INSERT INTO verdicts (run, sample_id, problem, verdict, tests, n_tests, fail_test, "
                              "fail_output, fail_stderr, t) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vrows)
                c.executemany("INSERT INTO samples (run, sample_id, problem, language, code, t) VALUES (?, ?, ?, ?, ?, ?)",
                              srows)
    finally:
        store.close()
    return ids


def synthetic_rows(names: Sequence[str], count: int, start_id: int, seed: int = 1) -> list[dict[str, Any]]:
    """``count`` verdict rows as the follower posts them (ids from ``start_id`` + 1): a live eval's next batch."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        v = OK if rng.random() < 0.2 else "WRONG_ANSWER"
        out.append({"id": start_id + 1 + i, "sample_id": f"new|{start_id + i}", "problem": names[rng.randrange(len(names))],
                    "verdict": v, "n_tests": 12, "fail_test": None if v == OK else 3, "t": 0.0})
    return out
