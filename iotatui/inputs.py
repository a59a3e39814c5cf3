"""What a run really starts from, without Textual (stdlib only): the resolved inputs shown as the run's truth by
the launcher's preview, the run detail's and eval screen's Config tabs and ``iotatui show``.

A run's config is what was asked for; its inputs are what it uses. Three kinds differ from the config's text:

* **the parent's model**: a ``--parent`` hands on its ``model`` artifact to every stage that takes one (the rule of
  ``backends/_hf.py:resolve_model_input`` and ``backends/eval.py``); the config's own ``model`` (``tiny`` under the
  smoke preset) is then not used, which the config says nowhere but the run's log;
* **``run:`` references** (``reward_model = run:rm-…``): resolved to the artifact's path when the run starts
  (``iotatui/refs.py``; recorded in the run's ``inputs``);
* **datasets built by the run** (``dataset = ""``): the run builds one from ``source`` and records it as its
  ``dataset`` artifact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iotatui.store import Store

HANDED_ON = ("model",)
"""The config keys a ``--parent`` replaces by its own output."""
TAKES_PARENT_MODEL = ("sft", "dpo", "orpo", "rm", "ppo", "grpo", "eval")
"""Stages that start from the parent's ``model`` artifact (``backends/_hf.py`` + ``backends/eval.py``)."""
DATASET_KEYS = ("dataset",)


@dataclass(frozen=True)
class Resolved:
    """One input as the run uses it."""

    key: str
    value: str
    """What the run uses: a path, or what it will be (``the model of sft-… once it finishes``)."""
    source: str
    """Where it comes from: ``parent sft-…``, ``run:rm-…/model``, ``built by the run from source=bundled``."""
    unused: str | None = None
    """The config's own value when the run does not use it (``tiny``), else None."""

    def line(self) -> str:
        """``model ← parent sft-… (its model): /ws/runs/sft-…/model  [config model=tiny: not used]``"""
        out = f"{self.key} ← {self.source}: {self.value}"
        return out + (f"  [config {self.key}={self.unused}: not used]" if self.unused else "")


def _artifact(store: Store, run_id: str, name: str) -> dict[str, Any] | None:
    arts = [a for a in store.artifacts(run_id) if a["name"] == name]
    return arts[-1] if arts else None


def parent_model(store: Store, stage: str, parent_id: str | None, config: dict[str, Any]) -> Resolved | None:
    """The model a ``stage`` run with ``parent_id`` starts from (None when the stage takes none from a parent)."""
    from iotatui.launchplan import parent_stages  # the one table of which stage may be whose parent

    if not parent_id or stage not in TAKES_PARENT_MODEL:
        return None
    prow = store.get_run(parent_id)
    allowed = parent_stages(stage)
    if prow is not None and allowed is not None and prow.get("stage") not in allowed:
        return None  # no model to hand on (a data run as lineage parent): the config's own model is used
    art = _artifact(store, parent_id, "model")
    if art is not None:
        value = str(art["path"])
        if (art.get("meta") or {}).get("adapter"):
            value += " (a LoRA adapter: merged into its base first" + (", or served as one" if stage == "eval" else "") \
                + ")"
    else:
        status = (prow or {}).get("status", "missing")
        value = f"its model once it finishes (now {status})" if status != "finished" else "no model artifact (!)"
    own = config.get("model")
    return Resolved("model", value, f"parent {parent_id}", unused=str(own) if own not in (None, "") else None)


def resolved_inputs(store: Store, run: dict[str, Any]) -> list[Resolved]:
    """The run's inputs as it uses them: the parent's model, its ``run:`` references, the datasets it built."""
    config = run.get("config") or {}
    out: list[Resolved] = []
    pm = parent_model(store, str(run.get("stage")), run.get("parent"), config)
    if pm is not None:
        out.append(pm)
    for key, ref in (run.get("inputs") or {}).items():
        if key in HANDED_ON and pm is not None:
            continue
        ref = ref if isinstance(ref, dict) else {"ref": ref}
        src = str(ref.get("ref") or f"run:{ref.get('run')}")
        value = str(ref["path"]) if ref.get("path") else "resolved when the run starts"
        out.append(Resolved(key, value, src))
    refs = set(run.get("inputs") or {})
    built = _artifact(store, str(run["id"]), "dataset") if any(
        k in config and not config[k] and k not in refs for k in DATASET_KEYS) else None
    if built is not None:
        meta = built.get("meta") or {}
        how = f"built by the run from source={meta.get('source', config.get('source', '?'))}"
        if meta.get("rows") is not None:
            how += f" ({meta['rows']} rows)"
        out.append(Resolved("dataset", str(built["path"]), how))
    elif any(k in config and not config[k] and k not in refs for k in DATASET_KEYS) and "source" in config:
        out.append(Resolved("dataset", "built when the run starts", f"the run, from source={config['source']}"))
    return out


def handed_on(store: Store, stage: str, parent_id: str | None) -> dict[str, str]:
    """For a launch form: config key -> why the key is not used under this parent (``model`` with ``--parent``)."""
    pm = parent_model(store, stage, parent_id, {})
    if pm is None:
        return {}
    return {"model": f"not used: --parent {parent_id} hands on its model ({pm.value})"}


def config_lines(store: Store, run: dict[str, Any], width: int = 78) -> list[str]:
    """The Config view of a run: lineage, the inputs it really uses, then its config one key a line (values the
    run does not use marked), every line within ``width`` where a key and its value allow it."""
    lines = [f"parent: {run.get('parent') or '-'}"]
    if run.get("after"):
        lines.append("after:  " + ", ".join(run["after"]))
    children = store.children(str(run["id"]))
    if children:
        lines.append("children: " + ", ".join(children))
    resolved = resolved_inputs(store, run)
    if resolved:
        lines += ["", "inputs (what the run really uses):"]
        for r in resolved:
            lines.append(f"  {r.key} ← {r.source}")
            lines.append(f"      {r.value}")
            if r.unused:
                lines.append(f"      (config {r.key}={r.unused} is not used)")
    unused = {r.key for r in resolved if r.unused}
    swapped = {r.key: r for r in resolved}
    lines += ["", "config:"]
    for key, value in (run.get("config") or {}).items():
        text = json.dumps(value, default=str) if not isinstance(value, str) else value
        note = ""
        if key in unused:
            note = "  ← not used: the parent's model"
        elif key in swapped and key not in unused:
            note = f"  → {swapped[key].value}" if swapped[key].value != text else ""
        line = f"  {key} = {text}{note}"
        if len(line) <= width or len(f"  {key} = ") > width // 2:
            lines.append(line)
        else:  # a long value (a path) on a line of its own
            lines += [f"  {key} =", f"      {text}{note}"]
    return lines
