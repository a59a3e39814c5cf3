"""Real rows in a real store for ``iotatui bench app`` (and its test): runs, a 1M-point SFT run, a 165 x 1000 eval.
No Textual here; fixed times, so the data is the same on every run."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

T0 = 1_764_000_000.0  # fixed times: the data is the same on every run
STAGES = ("data_sft", "sft", "dpo", "rm", "ppo", "eval")
SFT_KEYS = ("train/loss", "train/learning_rate", "train/grad_norm", "eval/loss")
VERDICTS = ("OK", "WRONG_ANSWER", "TIME_LIMIT", "RUNTIME_ERROR", "COMPILE_ERROR")


def _live(home: Path, run_id: str) -> dict[str, Any]:
    """Fields that make a run "running" and alive to reconcile: this process stands in for its backend."""
    from iotatui import procinfo

    pid = os.getpid()
    return {"id": run_id, "status": "running", "run_dir": str(home / "runs" / run_id), "pid": pid,
            "proc_start": procinfo.start_time(pid), "started": T0, "created": T0 + 10_000, "attempt": 1}


def add_runs(store: Any, home: Path, n: int) -> list[str]:
    """``n`` ended runs (lineage chains of stages, mixed statuses and headline metrics), oldest first."""
    ids: list[str] = []
    statuses = ("finished", "finished", "failed", "stopped", "crashed")
    for i in range(n):
        stage = STAGES[i % len(STAGES)]
        run_id = f"{stage}-bench-{i:03d}"
        parent = ids[-1] if i % len(STAGES) else None
        status = statuses[i % len(statuses)]
        metrics = {"train/loss": 2.0 / (1 + i), "rewards/margins": 0.1 * i, "eval/accuracy": 0.5} if stage != "eval" \
            else {"eval/solved": 12.0, "eval/pass@1": 0.031}
        store.insert_run({"id": run_id, "stage": stage, "status": status, "parent": parent,
                          "run_dir": str(home / "runs" / run_id), "config": json.dumps({"seed": i}),
                          "created": T0 + i, "started": T0 + i, "finished": T0 + i + 600, "attempt": 1,
                          "last_step": 100 * i, "last_metrics": json.dumps(metrics), "progress_done": 100,
                          "progress_total": 100, "error": "simulated failure\nTraceback: ..." if status == "failed"
                          else None})
        ids.append(run_id)
    return ids


def add_metrics(store: Any, run_id: str, first_step: int, steps: int, keys: tuple[str, ...] = SFT_KEYS) -> int:
    """``steps`` x ``len(keys)`` metric rows from ``first_step`` in one transaction; returns the last row id."""
    rows = [(run_id, s, k, 2.0 / (1 + s * 1e-3) + 0.01 * j + 0.001 * (s % 7), T0 + s * 0.1)
            for s in range(first_step, first_step + steps) for j, k in enumerate(keys)]
    with store.write() as c:
        c.executemany("INSERT INTO metrics (run, step, key, value, wall) VALUES (?, ?, ?, ?, ?)", rows)
        last = c.execute("SELECT MAX(id) FROM metrics").fetchone()[0]
    store.update_run(run_id, last_step=first_step + steps - 1,
                     last_metrics=json.dumps({k: rows[-len(keys) + j][3] for j, k in enumerate(keys)}))
    return int(last)


def add_sft_run(store: Any, home: Path, points: int) -> str:
    """A live SFT run with ``points`` metric rows (4 keys)."""
    run = {**_live(home, "sft-bench-live"), "stage": "sft", "config": json.dumps({"max_steps": points})}
    store.insert_run(run)
    add_metrics(store, run["id"], 1, max(1, points // len(SFT_KEYS)))
    return str(run["id"])


def add_verdicts(store: Any, run_id: str, problems: int, start: int, count: int, seed: int = 0) -> int:
    """``count`` verdicts (and their samples) from sample index ``start``, spread over ``problems``; last id."""
    rng = random.Random(seed + start)
    vrows, srows = [], []
    for j in range(start, start + count):
        p, n = j % problems, j // problems
        name, sid = f"P{p:03d}", f"P{p:03d}|python3|{n}"
        x = rng.random()
        verdict = VERDICTS[0] if x < (0.0, 0.02, 0.2, 0.6)[p % 4] else VERDICTS[1 + int(x * 10) % 4]
        fail = None if verdict == "OK" else 0 if verdict == "COMPILE_ERROR" else rng.randrange(12)
        tests = "A" * 12 if fail is None else "A" * fail + "W" + "-" * (11 - fail)
        vrows.append((run_id, sid, name, verdict, tests, 12, fail, "", "", T0 + j))
        srows.append((run_id, sid, name, "python3", f"print({j})\n", T0 + j))
    with store.write() as c:
        c.executemany("INSERT INTO verdicts (run, sample_id, problem, verdict, tests, n_tests, fail_test, "
                      "fail_output, fail_stderr, t) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vrows)
        c.executemany("INSERT INTO samples (run, sample_id, problem, language, code, t) VALUES (?, ?, ?, ?, ?, ?)",
                      srows)
        last = c.execute("SELECT MAX(id) FROM verdicts").fetchone()[0]
    store.update_run(run_id, progress_done=start + count)
    return int(last)


def add_eval_run(store: Any, home: Path, problems: int, samples: int, held_back: int) -> str:
    """A live eval of ``problems`` x ``samples`` with all but ``held_back`` verdicts already judged."""
    with store.write() as c:
        c.executemany("INSERT OR REPLACE INTO problems (name, problem_set, split, difficulty, cf_rating, n_public, "
                      "n_private, n_generated) VALUES (?, 'bench', 'test', ?, ?, 2, 10, 0)",
                      [(f"P{p:03d}", ("EASY", "MEDIUM", "HARD")[p % 3], 800 + 100 * (p % 28)) for p in range(problems)])
    run = {**_live(home, "eval-bench-live"), "stage": "eval", "progress_total": problems * samples,
           "progress_unit": "samples", "config": json.dumps({"n_samples": samples, "problems": "bench"})}
    store.insert_run(run)
    done = problems * samples - held_back
    for start in range(0, done, 50_000):  # a few transactions: 165k rows in seconds
        add_verdicts(store, run["id"], problems, start, min(50_000, done - start))
    return str(run["id"])


GRID_KEYS = 10
"""Config keys that vary among the sibling runs of the runs-table refresh workspace (its 10 config columns)."""


def add_grid_runs(store: Any, home: Path, n: int = 500, keys: int = GRID_KEYS) -> str:
    """``n`` runs as ablation grids: SFT runs, each with 9 DPO children whose configs differ in ``keys`` keys (so
    the runs table shows ``keys`` config columns), one of them live (this process stands in for it); its id."""
    rows: list[dict[str, Any]] = []
    live = ""
    per = 10  # an SFT and its 9 DPO children
    for g in range(max(1, n // per)):
        sft = f"sft-grid-{g:03d}"
        rows.append({"id": sft, "stage": "sft", "status": "finished", "run_dir": str(home / "runs" / sft),
                     "config": json.dumps({"lr": 1e-4, "max_length": 1024, "seed": 0}), "created": T0 + g * per,
                     "started": T0 + g * per, "finished": T0 + g * per + 600, "attempt": 1,
                     "last_metrics": json.dumps({"train/loss": 0.4 + 0.01 * g})})
        for c in range(per - 1):
            rid = f"dpo-grid-{g:03d}-{c}"
            config: dict[str, Any] = {f"k{k}": round(0.1 * (c + 1) * (k + 1), 3) for k in range(keys)}
            config.update(model="tiny", dataset="", lora_r=8)  # the same in every sibling: no column
            row = {"id": rid, "stage": "dpo", "status": "finished", "parent": sft, "after": json.dumps([sft]),
                   "run_dir": str(home / "runs" / rid), "config": json.dumps(config), "created": T0 + g * per + c + 1,
                   "started": T0 + g * per + c + 1, "finished": T0 + g * per + c + 300, "attempt": 1,
                   "last_step": 100, "progress_done": 100, "progress_total": 100,
                   "last_metrics": json.dumps({"rewards/margins": 0.01 * c, "train/loss": 0.7})}
            if not live:
                live = rid
                row.update(_live(home, rid), stage="dpo", created=T0 + g * per + c + 1, progress_done=1)
            rows.append(row)
    for row in rows[:n]:
        store.insert_run(row)
    return live


def bump_run(store: Any, run_id: str, step: int) -> None:
    """One follower-visible change of a live run: a step further (progress, last metrics)."""
    store.update_run(run_id, last_step=step, progress_done=min(step, 99),
                     last_metrics=json.dumps({"rewards/margins": 0.001 * step, "train/loss": 0.7 - 1e-4 * step}))
