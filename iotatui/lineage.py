"""The runs screen's logic without Textual (stdlib only): the lineage tree, per-stage headline metrics, progress/ETA,
age, what a queued run waits for and the sort keys (the filter is :mod:`iotatui.runfilter`'s, what tells siblings
apart :mod:`iotatui.siblings`'s). The widget and screen only render what this returns.

Times are always passed in (``now``), so the text is deterministic in tests and snapshots.

Lineage: a run's tree parent is its ``parent``; without one, the upstream runs named by its ``inputs``
(``run:<id>`` config values) and ``after`` list, preferring the one furthest down the pipeline
(data -> SFT -> DPO/ORPO/RM -> PPO/GRPO -> eval): a PPO run fed by an SFT policy and an RM sits under the RM.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iotatui.runview import ProgressClock, headline_metric

if TYPE_CHECKING:
    from iotatui.store import Store

STAGE_RANK: dict[str, int] = {
    "data_sft": 0, "data_pairs": 0, "sft": 1, "dpo": 2, "orpo": 2, "rm": 2, "ppo": 3, "grpo": 3,
    "eval": 4, "judge": 4, "count": 1,
}
"""Where a stage sits in the pipeline; unknown stages sort after the known ones."""

STATUS_GLYPH: dict[str, str] = {
    "queued": "◌", "starting": "◔", "running": "●", "stopping": "◑", "finished": "✓",
    "failed": "✗", "crashed": "✗", "stopped": "■",
}
STATUS_STYLE: dict[str, str] = {
    "queued": "dim", "starting": "yellow", "running": "bold green", "stopping": "yellow", "finished": "cyan",
    "failed": "bold red", "crashed": "bold red", "stopped": "magenta",
}
STATUS_ORDER = ("running", "starting", "stopping", "queued", "failed", "crashed", "stopped", "finished")
"""Sort by status: what needs attention first (live, then waiting, then broken, then done)."""
ACTIVE = ("starting", "running", "stopping")
ENDED = ("finished", "failed", "crashed", "stopped")

SORT_KEYS = ("age", "stage", "status", "metric")
"""The sort keys the screen cycles through; each orders siblings only, so the tree shape stays."""

# (label, keys tried in order in last_metrics, then in summary). Keys checked against the backends' real logs:
# TRL DPO/ORPO log rewards/margins verbatim (backends/_hf.py metric_key), the RM its eval/heldout_pair_accuracy
# (held-out problems; eval/pair_accuracy in runs before the split by problem)
# and TRL's train/accuracy, our PPO reward/mean + ppo/kl, TRL GRPO train/reward + train/kl, eval eval/solved +
# eval/pass@1 while it runs and solved/pass@1 in its summary.
HEADLINE: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "sft": (("loss", ("train/loss", "loss")),),
    "dpo": (("margin", ("rewards/margins", "train/rewards/margins")),),
    "orpo": (("margin", ("rewards/margins", "train/rewards/margins")),),
    "rm": (("acc", ("eval/heldout_pair_accuracy", "heldout_pair_accuracy", "eval/pair_accuracy", "pair_accuracy",
                    "train/accuracy", "eval/accuracy", "accuracy")),),
    "ppo": (("reward", ("reward/mean", "objective/rlhf_reward", "train/reward", "reward")),
            ("kl", ("ppo/kl", "objective/kl", "train/kl", "kl"))),
    "grpo": (("reward", ("train/reward", "reward", "rewards/judge/mean", "reward/mean")),
             ("kl", ("train/kl", "kl", "objective/kl"))),
    "eval": (("solved", ("eval/solved", "solved")), ("p@1", ("eval/pass@1", "pass@1"))),
    "data_sft": (("rows", ("rows",)),),
    "data_pairs": (("pairs", ("rows",)),),
    "judge": (("ok", ("ok_rate",)),),
}


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _fmt(v: Any, digits: int = 3) -> str:
    n = _num(v)
    if n is None:
        return str(v)
    if n == int(n) and abs(n) < 1e6:
        return str(int(n))
    return f"{n:.{digits}g}"


# -- lineage ---------------------------------------------------------------------------------------------------
def upstream(run: Mapping[str, Any]) -> list[str]:
    """Every run this one builds on or waits for: parent, then inputs, then ``after`` (de-duplicated, in order)."""
    ids: list[str] = []
    if run.get("parent"):
        ids.append(str(run["parent"]))
    for ref in (run.get("inputs") or {}).values():
        if isinstance(ref, dict) and ref.get("run"):
            ids.append(str(ref["run"]))
    ids += [str(a) for a in (run.get("after") or [])]
    return list(dict.fromkeys(i for i in ids if i != run.get("id")))


def tree_parent(run: Mapping[str, Any], runs: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The run this one hangs under in the tree (one of ``runs``), or None for a root."""
    if run.get("parent") and run["parent"] in runs and run["parent"] != run.get("id"):
        return str(run["parent"])
    cands = [i for i in upstream(run) if i in runs]
    if not cands:
        return None
    # furthest down the pipeline first; among equals, the first named (max keeps the first of equal keys)
    return max(cands, key=lambda i: STAGE_RANK.get(str(runs[i].get("stage")), 9))


@dataclass(frozen=True)
class TreeRow:
    """One line of the runs tree: the run, its depth and the indentation glyphs that go before its id."""

    run: dict[str, Any]
    depth: int
    prefix: str
    parent: str | None
    extra_parents: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return str(self.run["id"])


def sort_value(run: Mapping[str, Any], key: str) -> tuple[Any, ...]:
    """Sort key for siblings (ascending = shown first). ``age``: newest first; ``stage``: pipeline order;
    ``status``: :data:`STATUS_ORDER`; ``metric``: the headline value, largest first, runs without one last."""
    created = -(run.get("created") or 0.0)
    if key == "age":
        return (created, run["id"])
    if key == "stage":
        return (STAGE_RANK.get(str(run.get("stage")), 9), str(run.get("stage")), created, run["id"])
    if key == "status":
        st = str(run.get("status"))
        return (STATUS_ORDER.index(st) if st in STATUS_ORDER else 99, created, run["id"])
    if key == "metric":
        v = metric_value(run)
        return (v is None, -(v or 0.0), created, run["id"])
    raise ValueError(f"sort key {key!r}: expected one of {', '.join(SORT_KEYS)}")


def build_tree(runs: Iterable[Mapping[str, Any]], sort: str = "age") -> list[TreeRow]:
    """The runs in tree order (depth first, siblings by ``sort``; newest first by default). A run whose parent is
    not among ``runs`` (filtered out, deleted) is a root. Cycles (impossible through launch) are broken."""
    by_id = {str(r["id"]): dict(r) for r in runs}
    children: dict[str | None, list[str]] = {}
    parent_of: dict[str, str | None] = {}
    for rid, run in by_id.items():
        p = tree_parent(run, by_id)
        # a cycle would hide its members: walk up and cut the edge that closes it
        seen, q = {rid}, p
        while q is not None and q not in seen:
            seen.add(q)
            q = parent_of.get(q) if q in parent_of else tree_parent(by_id[q], by_id)
        if q is not None:
            p = None
        parent_of[rid] = p
        children.setdefault(p, []).append(rid)
    for kids in children.values():
        kids.sort(key=lambda i: sort_value(by_id[i], sort))
    out: list[TreeRow] = []

    def walk(rid: str, depth: int, lead: str, last: bool) -> None:
        run = by_id[rid]
        prefix = "" if depth == 0 else lead + ("└ " if last else "├ ")
        extra = tuple(i for i in upstream(run) if i != parent_of[rid])
        out.append(TreeRow(run, depth, prefix, parent_of[rid], extra))
        kids = children.get(rid, [])
        sub = "" if depth == 0 else lead + ("  " if last else "│ ")
        for n, kid in enumerate(kids):
            walk(kid, depth + 1, sub, n == len(kids) - 1)

    for root in children.get(None, []):
        walk(root, 0, "", True)
    return out


# -- per-stage headline ----------------------------------------------------------------------------------------
def stage_metrics(run: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) pairs that stand for the run at its stage: loss for SFT, margin for DPO/ORPO, accuracy for
    the RM, reward and KL for PPO/GRPO, solved and pass@1 for eval; else :func:`runview.headline_metric`."""
    last = run.get("last_metrics") or {}
    summary = run.get("summary") or {}
    out: list[tuple[str, Any]] = []
    for label, keys in HEADLINE.get(str(run.get("stage")), ()):
        v = next((last[k] for k in keys if last.get(k) is not None), None)
        if v is None:
            v = next((summary[k] for k in keys if summary.get(k) is not None), None)
        if v is not None:
            out.append((label, v))
    if out:
        return out
    head = headline_metric(last)
    if head is None:
        return []
    key, v = head
    return [(key.rsplit("/", 1)[-1], v)]


SHORT_LABELS = {"reward": "rwd", "solved": "sol", "margin": "mrg"}
"""Labels where the terminal is narrow (``metric_text(short=True)``)."""


def metric_text(run: Mapping[str, Any], short: bool = False, digits: int = 3) -> str:
    """``loss 0.412`` / ``reward 0.31 kl 0.02`` / ``solved 3/10 p@1 0.12`` ('' when the run has no metric yet);
    ``short``: shorter labels (``rwd 0.31 kl 0.02``); ``digits``: significant digits."""
    parts = []
    problems = _num((run.get("summary") or {}).get("problems"))
    for label, v in stage_metrics(run):
        label = SHORT_LABELS.get(label, label) if short else label
        text = _fmt(v, digits)
        if label in ("solved", "sol") and problems:
            text += f"/{_fmt(problems)}"
        if label == "ok":
            text = f"{100 * (_num(v) or 0):.0f}%"
        parts.append(f"{label} {text}")
    return " ".join(parts)


def metric_value(run: Mapping[str, Any]) -> float | None:
    """The first headline number (what ``sort metric`` orders by)."""
    pairs = stage_metrics(run)
    return _num(pairs[0][1]) if pairs else None


# -- time, progress, waiting -----------------------------------------------------------------------------------
def duration_text(seconds: float | None) -> str:
    """``45s``, ``12m``, ``3h05``, ``2d4h``: at most 5 characters."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h{s % 3600 // 60:02d}"
    return f"{s // 86400}d{s % 86400 // 3600}h" if s < 10 * 86400 else f"{s // 86400}d"


def age_text(run: Mapping[str, Any], now: float) -> str:
    """How long ago the run was created."""
    return duration_text(now - run["created"]) if run.get("created") else ""


def resumed(run: Mapping[str, Any]) -> bool:
    """The run is in a later attempt (resumed): its progress so far includes the attempts before."""
    return int(run.get("attempt") or 1) > 1


def eta_seconds(run: Mapping[str, Any], now: float, clock: ProgressClock | None = None) -> float | None:
    """Seconds left (None without a total or any progress yet). With a ``clock`` (what a view keeps per run), at the
    rate it has watched the progress advance; before that, and without one, at the current attempt's rate since it
    started -- except for a resumed attempt, whose progress includes the attempts before: no estimate until the
    clock has seen it move (a first estimate from the checkpoint's step read ``~13s`` for 3000 steps)."""
    done, total, started = run.get("progress_done"), run.get("progress_total"), run.get("started")
    if clock is not None:
        return clock.eta_s(done, total, now, started, resumed=resumed(run))
    if resumed(run) or not done or not total or not started or now <= started or done >= total:
        return None
    return float((total - done) * (now - started) / done)


def progress_text(run: Mapping[str, Any], now: float, clock: ProgressClock | None = None) -> str:
    """Active: ``37% ~2m`` (share done, time left) or ``120 steps``; finished: ``in 12m``; ended otherwise: where it
    stopped (``at 37%``, ``at step 3``: never a bare share that reads as still going); queued: ''."""
    status = run.get("status")
    done, total, unit = run.get("progress_done"), run.get("progress_total"), run.get("progress_unit") or ""
    if status == "queued":
        return ""
    if status == "finished" and run.get("started") and run.get("finished"):
        return "in " + duration_text(run["finished"] - run["started"])
    ended = status in ENDED
    if done is None:
        step = run.get("last_step")
        return "" if step is None else f"at step {step}" if ended else f"step {step}"
    if total:
        text = f"{min(100, 100 * done // total)}%"
        if ended:
            return f"at {text}"
        eta = eta_seconds(run, now, clock) if status in ACTIVE else None
        return f"{text} ~{duration_text(eta)}" if eta is not None else text
    return ("at " if ended else "") + f"{done} {unit}".strip()


def _granule(seconds: float) -> float:
    """How long :func:`duration_text` of a duration this long keeps the same text (at most)."""
    if seconds < 60:
        return 1.0
    if seconds < 86400:
        return 60.0
    return 3600.0 if seconds < 10 * 86400 else 86400.0


ETA_RECHECK_S = 1.0
"""An active run's ETA moves with the clock and the rate: re-derived at least this often."""


def next_change(run: Mapping[str, Any], now: float) -> float:
    """When the run's time-dependent text (its age, an active run's ETA) next changes, at the latest; the table
    re-derives it then, so none of it is wrong for longer than a second (an age of ``30s`` froze for 15 s)."""
    out = float("inf")
    if run.get("created"):
        age = max(0.0, now - run["created"])
        g = _granule(age)
        out = run["created"] + (age // g + 1) * g
    if run.get("status") in ACTIVE and run.get("progress_total"):
        out = min(out, now + ETA_RECHECK_S)
    return out


def waits_for(run: Mapping[str, Any], runs: Mapping[str, Mapping[str, Any]], *, max_concurrent: int | None = None,
              total_gpus: int | None = None) -> str:
    """Why a queued run has not started: its unfinished ``after`` runs, else a free slot, else GPUs ('' when it
    is not queued). Mirrors :func:`iotatui.scheduler.claim`."""
    if run.get("status") != "queued":
        return ""
    deps = [d for d in (run.get("after") or []) if (runs.get(d) or {}).get("status") != "finished"]
    if deps:
        dead = [d for d in deps if d not in runs or runs[d].get("status") in ("failed", "crashed", "stopped")]
        if dead:
            return f"never starts: {dead[0]} {(runs.get(dead[0]) or {}).get('status', 'is missing')}"
        return "waits for " + ", ".join(deps)
    active = [r for r in runs.values() if r.get("status") in ACTIVE]
    if max_concurrent is not None and len(active) >= max_concurrent:
        return f"waits for a free slot ({len(active)}/{max_concurrent} runs active)"
    need = int(run.get("gpus") or 0)
    if total_gpus is not None and need:
        used = {g for r in active for g in str(r.get("gpu_ids") or "").split(",") if g}
        free = total_gpus - len(used)
        if need > free:
            return f"waits for GPUs (needs {need}, {max(free, 0)} of {total_gpus} free)"
    return "waits for the next queue pass"


# -- the panel under the table -----------------------------------------------------------------------------------
TAIL_BYTES = 16384
"""How much of stderr.log the panel reads (bounded: a multi-GB log costs the same as a small one)."""


def file_tail(path: str | Path, n: int) -> list[str]:
    """The last ``n`` non-empty lines of a file ('' lines dropped; [] when it cannot be read)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - TAIL_BYTES))
            lines = f.read().decode(errors="replace").splitlines()
    except OSError:
        return []
    return [ln for ln in lines if ln.strip()][-n:]


def recent_logs(store: Store, run_id: str, n: int) -> list[str]:
    """The last ``n`` lines of the run's log events (lifecycle, run.log lines, tracebacks), oldest first; an
    event's first line carries its level."""
    rows = store.conn.execute("SELECT level, text FROM logs WHERE run = ? ORDER BY id DESC LIMIT ?",
                              (run_id, n)).fetchall()
    out: list[str] = []
    for level, text in reversed(rows):
        first, *rest = (text.rstrip() or " ").splitlines()
        out.append(f"[{level}] {first}")
        out += [f"  {ln}" for ln in rest if ln.strip()]
    return out[-n:]


def failure_lines(run: Mapping[str, Any], logs: list[str], stderr: list[str], n: int = 6) -> list[str]:
    """Why a failed/crashed run ended, then its last ``n`` log lines: the store's log events, then the error's
    own detail (a crash's error carries the stderr tail: supervisor.finalize) or else the stderr tail."""
    lines = (run.get("error") or "").strip().splitlines()
    out = [f"reason: {lines[0] if lines else 'none recorded'}"]
    tail = [ln for ln in (*logs, *(lines[1:] or stderr)) if ln.strip()]
    if tail:
        out.append("last log lines:")
        out += ["  " + ln for ln in tail[-n:]]
    return out
