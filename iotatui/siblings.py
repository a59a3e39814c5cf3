"""What tells sibling runs apart, without Textual (stdlib only): the config keys that vary among them (the runs
table's toggleable config columns, k9s-style) and labels by lineage (``sft → dpo[beta=0.5] → eval``) for compare
screens and rows whose parent a filter hides.

Siblings are runs of one stage under one tree parent: an ablation grid's runs, or the evals of several models.
A key varies when two of them that have it hold different values (a key only some stages have does not vary by being
absent). Configs are compared flattened (``{"a": {"b": 1}}`` -> ``a.b``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from iotatui.lineage import TreeRow

MAX_CELL = 12
"""A config cell is cut to this many characters (an ellipsis shows it was): a path must not take the row."""
NOISE_KEYS = frozenset({"seed"})
"""Keys left out of lineage labels (a repeat with another seed reads as the same ablation there); the runs table
still shows them as a column when they vary."""


def flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted keys: {"a": {"b": 1}} -> {"a.b": 1}."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        name = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            out.update(flatten(v, name + "."))
        else:
            out[name] = v
    return out


def value_text(value: Any) -> str:
    """A config value as ``--set`` writes it: ``true``, ``none``, lists comma-separated, numbers as typed."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(value_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def cell_text(value: Any, width: int = MAX_CELL) -> str:
    text = value_text(value)
    if text.startswith("run:"):  # a reference: its id's tail tells runs apart, the prefix does not
        text = "run:…" + text[-6:] if len(text) > width else text
    return text if len(text) <= width else text[: width - 1] + "…"


class Configs:
    """Flattened configs, kept per run until its row changes (the table recomputes its columns on every update)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Any, dict[str, Any]]] = {}

    def of(self, run: Mapping[str, Any]) -> dict[str, Any]:
        rid = str(run["id"])
        stamp = (run.get("updated"), id(run.get("config")))
        hit = self._cache.get(rid)
        if hit is None or hit[0] != stamp:
            hit = self._cache[rid] = (stamp, flatten(run.get("config") or {}))
        return hit[1]

    def forget(self, run_ids: Iterable[str]) -> None:
        for rid in run_ids:
            self._cache.pop(rid, None)


def sibling_groups(rows: Sequence[TreeRow]) -> list[list[TreeRow]]:
    """The rows grouped by (tree parent, stage), in tree order of each group's first row."""
    groups: dict[tuple[str | None, str], list[TreeRow]] = {}
    for row in rows:
        groups.setdefault((row.parent, str(row.run.get("stage"))), []).append(row)
    return list(groups.values())


def varying_keys(rows: Sequence[TreeRow], configs: Configs | None = None) -> list[str]:
    """The config keys whose values differ within some group of sibling rows, most groups first, then in the order
    the configs list them."""
    configs = configs or Configs()
    score: dict[str, int] = {}
    order: dict[str, int] = {}
    for group in sibling_groups(rows):
        if len(group) < 2:
            continue
        flat = [configs.of(r.run) for r in group]
        for cfg in flat:
            for k in cfg:
                order.setdefault(k, len(order))
        keys = {k for cfg in flat for k in cfg}
        for k in keys:
            values = {value_text(cfg[k]) for cfg in flat if k in cfg}
            if len(values) > 1:
                score[k] = score.get(k, 0) + 1
    return sorted(score, key=lambda k: (-score[k], order.get(k, 0)))


def chain(run: Mapping[str, Any], runs: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The run's ancestors by ``parent`` (root first) and the run itself; a parent that is gone ends it."""
    out: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    cur: Mapping[str, Any] | None = run
    while cur is not None and str(cur["id"]) not in seen:
        seen.add(str(cur["id"]))
        out.append(cur)
        parent = cur.get("parent")
        cur = runs.get(str(parent)) if parent else None
    return out[::-1]


def lineage_labels(targets: Sequence[Mapping[str, Any]], runs: Mapping[str, Mapping[str, Any]],
                   sep: str = " → ", max_keys: int = 2) -> list[str]:
    """One label per target run: its lineage (root first) with, at each level, what differs among the targets'
    runs at that level (``sft → dpo[beta=0.5] → eval``), so evals of two ablations read apart. A level whose runs
    differ in no config key but are different runs shows the run id's tail (``dpo…9242``)."""
    chains = [chain(t, runs) for t in targets]
    depth = max((len(c) for c in chains), default=0)
    # levels counted from the target upwards: an eval is aligned with an eval, its parent with its parent
    parts: list[list[str]] = [[] for _ in targets]
    for up in range(depth - 1, -1, -1):
        level = [c[len(c) - 1 - up] if len(c) > up else None for c in chains]
        present = [r for r in level if r is not None]
        flat = [flatten(r.get("config") or {}) for r in present]
        keys = [k for k in dict.fromkeys(k for cfg in flat for k in cfg)
                if len({value_text(cfg[k]) for cfg in flat if k in cfg}) > 1 and k not in NOISE_KEYS]
        distinct = len({str(r["id"]) for r in present}) > 1
        for i, r in enumerate(level):
            if r is None:
                continue
            cfg = flatten(r.get("config") or {})
            label = str(r.get("stage"))
            shown = [f"{k}={cell_text(cfg[k], 8)}" for k in keys[:max_keys] if k in cfg]
            if shown:
                label += "[" + ",".join(shown) + ("…" if len(keys) > max_keys else "") + "]"
            elif distinct and up > 0:
                label += "…" + str(r["id"])[-4:]
            parts[i].append(label)
    return [sep.join(p) for p in parts]


def with_ancestors(targets: Sequence[Mapping[str, Any]], get_run: Callable[[str], Mapping[str, Any] | None]
                   ) -> dict[str, Mapping[str, Any]]:
    """The targets and every ancestor of theirs by ``parent``, by id (``get_run``: a store's, one row each)."""
    out: dict[str, Mapping[str, Any]] = {str(t["id"]): t for t in targets}
    todo = [t.get("parent") for t in targets]
    while todo:
        rid = todo.pop()
        if not rid or str(rid) in out:
            continue
        row = get_run(str(rid))
        if row is not None:
            out[str(rid)] = row
            todo.append(row.get("parent"))
    return out


def compare_labels(targets: Sequence[Mapping[str, Any]], get_run: Callable[[str], Mapping[str, Any] | None],
                   sep: str = "→") -> list[str]:
    """:func:`lineage_labels` of compared runs, their ancestors read through ``get_run`` (compact separators)."""
    return lineage_labels(targets, with_ancestors(targets, get_run), sep=sep)


def from_labels(rows: Sequence[TreeRow], runs: Mapping[str, Mapping[str, Any]], width: int = 24) -> dict[str, str]:
    """Rows whose parent is not shown (a filter hides it) where siblings of theirs come from different parents: each
    one's lineage (``sft → dpo[beta=0.5]``, its tail when longer than ``width``), so a ``stage:eval`` filter does not
    leave identical rows. Row id -> label."""
    groups: dict[str, list[TreeRow]] = {}
    for row in rows:
        parent = row.run.get("parent")
        if row.parent is None and parent and parent in runs:
            groups.setdefault(str(row.run.get("stage")), []).append(row)
    out: dict[str, str] = {}
    for group in groups.values():
        labels = lineage_labels([runs[str(r.run["parent"])] for r in group], runs)
        if len(group) > 1 and len(set(labels)) > 1:
            for r, label in zip(group, labels, strict=True):
                out[r.id] = label if len(label) <= width else "…" + label[-(width - 1):]
    return out
