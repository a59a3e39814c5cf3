"""A learned model's eval against the eval of its SFT ancestor, without Textual (stdlib only): the headline the runs
tree, the eval screen and ``iotatui report`` show for the learn rows, e.g. ``eval(ppo) pass@1 0.31 vs sft 0.22
(+0.09, p=0.01)``.

The eval of a model trained from SFT (DPO, ORPO, PPO, GRPO -> eval) is paired with an eval of the SFT run it descends
from (by ``parent``), on the problems both judged: pass@1 per problem (the unbiased estimator with k = 1: the share
of its samples that pass), the mean difference, and a paired sign-flip test's p-value
(:func:`iotatui.evalmetrics.sign_flip_p`). Of several SFT evals, one on the same problem set is preferred (same
``problems``, ``split``, ``languages``, ``limit``), the newest among equals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iotatui.evalmetrics import pass_at_k, sign_flip_p

if TYPE_CHECKING:
    from iotatui.store import Store

LEARNED = ("dpo", "orpo", "ppo", "grpo")
"""Stages whose model is learned on top of an SFT one."""
SAME_PROBLEMS = ("problems", "split", "languages", "limit")
"""Eval config keys that say which problems it judges."""
MAX_DEPTH = 16


@dataclass(frozen=True)
class VersusSft:
    run: str
    """The eval of the learned model."""
    stage: str
    """The learned model's stage (``ppo``)."""
    sft_eval: str
    sft_run: str
    ours: float
    """pass@1 of ``run`` over the common problems."""
    sft: float
    diff: float
    p: float
    problems: int
    """Problems both evals judged (the pairs)."""
    solved: tuple[int, int]
    """(ours, the SFT eval's) solved problems among them."""

    def text(self) -> str:
        """``eval(ppo) pass@1 0.31 vs sft 0.22 (+0.09, p=0.01)``"""
        return f"eval({self.stage}) pass@1 {self.ours:.2f} vs sft {self.sft:.2f} ({self.diff:+.2f}, p={_p(self.p)})"

    def short(self) -> str:
        """What fits a runs-table cell at 80 columns, SFT's then ours: ``p@1 .22→.31 p=.01``."""
        return f"p@1 {_f(self.sft)}→{_f(self.ours)} p={_p(self.p).lstrip('0')}"

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run, "stage": self.stage, "sft_eval": self.sft_eval, "sft_run": self.sft_run,
                "metric": "pass@1", "ours": self.ours, "sft": self.sft, "diff": self.diff, "p": self.p,
                "problems": self.problems, "solved": list(self.solved), "text": self.text()}


def _f(v: float, sign: bool = False) -> str:
    text = f"{v:+.2f}" if sign else f"{v:.2f}"
    return text.replace("0.", ".", 1)


def _p(p: float) -> str:
    return f"{p:.2g}" if p >= 0.001 else "<0.001"


def lineage_up(store: Store, run: dict[str, Any]) -> list[dict[str, Any]]:
    """The run's ancestors by ``parent``, nearest first."""
    out: list[dict[str, Any]] = []
    seen = {run["id"]}
    cur = run
    while cur.get("parent") and len(out) < MAX_DEPTH:
        nxt = store.get_run(str(cur["parent"]))
        if nxt is None or nxt["id"] in seen:
            break
        seen.add(nxt["id"])
        out.append(nxt)
        cur = nxt
    return out


def sft_eval_for(store: Store, eval_run: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None:
    """(the learned model's run, its SFT ancestor, an eval of that SFT run) for an eval of a learned model; None
    for an eval of an SFT model, of a base model, or when the SFT run has no finished eval."""
    if eval_run.get("stage") != "eval":
        return None
    up = lineage_up(store, eval_run)
    if not up or up[0].get("stage") not in LEARNED:
        return None
    sft = next((r for r in up[1:] if r.get("stage") == "sft"), None)
    if sft is None:
        return None
    evals = [r for r in (store.get_run(c) for c in store.children(str(sft["id"])))
             if r is not None and r.get("stage") == "eval" and r.get("status") == "finished"]
    if not evals:
        return None
    cfg = eval_run.get("config") or {}

    def same(r: dict[str, Any]) -> int:
        other = r.get("config") or {}
        return sum(other.get(k) == cfg.get(k) for k in SAME_PROBLEMS)

    best = max(evals, key=lambda r: (same(r), r.get("created") or 0))
    return up[0], sft, best


def pass1(counts: dict[str, tuple[int, int]]) -> dict[str, float]:
    return {p: pass_at_k(n, c, 1) or 0.0 for p, (n, c) in counts.items() if n > 0}


def versus_sft(store: Store, eval_run: dict[str, Any]) -> VersusSft | None:
    """The learned model's eval against its SFT ancestor's (None when there is no such pair or no common problem)."""
    found = sft_eval_for(store, eval_run)
    if found is None:
        return None
    model, sft, base = found
    ours_c, base_c = store.problem_counts(str(eval_run["id"])), store.problem_counts(str(base["id"]))
    a, b = pass1(ours_c), pass1(base_c)
    common = sorted(set(a) & set(b))
    if not common:
        return None
    ours = sum(a[p] for p in common) / len(common)
    theirs = sum(b[p] for p in common) / len(common)
    diffs = [a[p] - b[p] for p in common]
    solved = (sum(ours_c[p][1] > 0 for p in common), sum(base_c[p][1] > 0 for p in common))
    return VersusSft(str(eval_run["id"]), str(model["stage"]), str(base["id"]), str(sft["id"]), ours, theirs,
                     ours - theirs, sign_flip_p(diffs), len(common), solved)
