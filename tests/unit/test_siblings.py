"""What tells siblings apart (iotatui/siblings.py): varying config keys per sibling group, and lineage labels."""

from __future__ import annotations

from typing import Any

from iotatui.lineage import build_tree
from iotatui.siblings import cell_text, lineage_labels, value_text, varying_keys


def run(rid: str, stage: str, parent: str | None = None, **config: Any) -> dict[str, Any]:
    return {"id": rid, "stage": stage, "status": "finished", "created": float(len(rid)), "parent": parent,
            "after": [parent] if parent else [], "config": config}


def grid() -> list[dict[str, Any]]:
    """sft -> dpo beta 0.1 | 0.5 (same lr) -> an eval of each; a second sft with another lr."""
    return [
        run("sft-1", "sft", lr=1e-4, max_length=1024),
        run("sft-2", "sft", lr=3e-4, max_length=1024),
        run("dpo-a", "dpo", "sft-1", beta=0.1, lr=1e-3, lora={"r": 8}),
        run("dpo-b", "dpo", "sft-1", beta=0.5, lr=1e-3, lora={"r": 8}),
        run("eval-a", "eval", "dpo-a", n_samples=4),
        run("eval-b", "eval", "dpo-b", n_samples=4),
    ]


def test_varying_keys_within_sibling_groups() -> None:
    rows = build_tree(grid())
    # sft-1 vs sft-2 differ in lr; the dpo siblings in beta (their lr is the same); evals: nothing
    assert varying_keys(rows) == ["lr", "beta"]
    only_dpo = build_tree([r for r in grid() if r["stage"] == "dpo"])
    assert varying_keys(only_dpo) == ["beta"]
    # a key some siblings lack does not vary by being absent
    rows = build_tree([run("x", "count", steps=3), run("y", "count", steps=3, extra=1)])
    assert varying_keys(rows) == []


def test_lineage_labels_tell_evals_of_ablations_apart() -> None:
    runs = {r["id"]: r for r in grid()}
    assert lineage_labels([runs["eval-a"], runs["eval-b"]], runs) == \
        ["sft → dpo[beta=0.1] → eval", "sft → dpo[beta=0.5] → eval"]
    # different parents with the same config: the run id's tail tells them apart
    runs["dpo-b"] = {**runs["dpo-b"], "config": runs["dpo-a"]["config"]}
    a, b = lineage_labels([runs["eval-a"], runs["eval-b"]], runs)
    assert a.endswith("dpo…po-a → eval") and b.endswith("dpo…po-b → eval")
    assert lineage_labels([runs["sft-1"]], runs) == ["sft"]


def test_cells() -> None:
    assert [value_text(v) for v in (0.1, 1e-05, True, None, ["python3", "cpp"])] == \
        ["0.1", "1e-05", "true", "none", "python3,cpp"]
    assert cell_text("/very/long/path/to/a/model") == "/very/long/…"
    assert cell_text("run:sft-1207-141440-f465") == "run:…0-f465"
