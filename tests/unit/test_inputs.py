"""What a run really uses (iotatui/inputs.py): the parent's model, run: references and datasets it built."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from iotatui.inputs import config_lines, handed_on, resolved_inputs
from iotatui.store import Store


def add(store: Store, rid: str, stage: str, status: str = "finished", **kw: Any) -> dict[str, Any]:
    for k in ("config", "inputs"):
        if k in kw:
            kw[k] = json.dumps(kw[k])
    store.insert_run({"id": rid, "stage": stage, "status": status, "run_dir": f"/ws/runs/{rid}", **kw})
    return store.get_run(rid) or {}


def artifact(store: Store, rid: str, name: str, path: str, **meta: Any) -> None:
    with store.write() as c:
        c.execute("INSERT INTO artifacts (run, name, path, kind, meta, t) VALUES (?, ?, ?, ?, ?, ?)",
                  (rid, name, path, name, json.dumps(meta), time.time()))


def test_a_child_uses_its_parents_model_not_its_config(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    add(store, "sft-1", "sft", config={"model": "tiny"})
    artifact(store, "sft-1", "model", "/ws/runs/sft-1/model", adapter=True)
    add(store, "rm-1", "rm")
    dpo = add(store, "dpo-1", "dpo", "running", parent="sft-1", config={"model": "tiny", "beta": 0.5, "dataset": "",
                                                                         "source": "bundled"})
    artifact(store, "dpo-1", "dataset", "/ws/runs/dpo-1/data_pairs", kind="pairs", source="bundled", rows=42)
    got = {r.key: r for r in resolved_inputs(store, dpo)}
    assert got["model"].source == "parent sft-1" and got["model"].unused == "tiny"
    assert got["model"].value.startswith("/ws/runs/sft-1/model (a LoRA adapter: merged into its base first")
    assert got["dataset"].value == "/ws/runs/dpo-1/data_pairs"
    assert got["dataset"].source == "built by the run from source=bundled (42 rows)"
    lines = "\n".join(config_lines(store, dpo))
    assert "  model = tiny  ← not used: the parent's model" in lines and "  beta = 0.5" in lines
    assert "(config model=tiny is not used)" in lines
    assert handed_on(store, "dpo", "sft-1") == {
        "model": "not used: --parent sft-1 hands on its model (/ws/runs/sft-1/model (a LoRA adapter: merged into its "
                 "base first))"}
    # a ppo run whose reward model is a run: reference, resolved at spawn
    ppo = add(store, "ppo-1", "ppo", "queued", parent="sft-1", config={"reward_model": "run:rm-1"},
              inputs={"reward_model": {"ref": "run:rm-1", "run": "rm-1", "artifact": None}})
    got = {r.key: r for r in resolved_inputs(store, ppo)}
    assert got["reward_model"].source == "run:rm-1" and got["reward_model"].value == "resolved when the run starts"
    assert got["model"].unused is None  # its config sets no model of its own
    store.close()


def test_parents_that_hand_on_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    add(store, "data-1", "data_sft")
    add(store, "sft-2", "sft", "running", config={"model": "tiny"})
    sft = add(store, "sft-1", "sft", parent="data-1", config={"model": "tiny"})
    assert resolved_inputs(store, sft) == []  # a data run is lineage only: the config's model is used
    assert handed_on(store, "sft", "data-1") == {}
    assert handed_on(store, "eval", "sft-2") == {
        "model": "not used: --parent sft-2 hands on its model (its model once it finishes (now running))"}
    assert handed_on(store, "sft", None) == {}
    store.close()
