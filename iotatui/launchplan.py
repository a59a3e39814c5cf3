"""What the launch screen edits, previews and queues: a :class:`LaunchPlan`. Textual-free, stdlib only.

A plan is a stage, an optional parent run, an optional preset and the field values *as text, exactly as typed*
(the text after ``--set key=``). Every value is checked by :func:`iotatui.stages.resolve_config`, the code path of
``iotatui launch --set``, so the form shows the CLI's own error line and no second validator exists.

**Ablation grid.** A value may list alternatives separated by ``|`` (``lr=1e-5 | 3e-5``); the plan is then the
cartesian product of every field's alternatives, one run per point. ``|`` is used rather than ``,`` because commas
already mean something: list fields are comma-separated (``languages=python3,cpp``) and paths may contain commas.
Around ``|`` whitespace is dropped; a literal ``|`` in a value is written ``\\|``. A value without ``|`` is passed on
byte for byte, as the CLI would.

``queue`` launches every point through :func:`iotatui.supervisor.launch` (the real queue, dependencies and
refusals), each followed by an ``eval`` run whose ``--parent`` it is when asked; every point is checked before the
first run is written, so a bad point queues nothing. ``cli_command`` gives the same runs as ``iotatui launch``
command lines, so a grid can be scripted.
"""

from __future__ import annotations

import dataclasses
import itertools
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iotatui.stages import STAGES, ConfigError, available_stages, config_class, resolve_config

if TYPE_CHECKING:
    from iotatui.workspace import Workspace

GRID_SEP = "|"
MAX_GRID = 256
"""More points than this is almost surely a typo (``|`` in the wrong field); refused with one line."""
EVAL_STAGE = "eval"
EMPTY_TEXT = '""'
"""How a form shows an explicitly empty value (``--set key=``): an empty input means "not set" there."""



NEXT_STAGE: dict[str, str] = {
    "data_sft": "sft", "data_pairs": "dpo", "sft": "dpo", "dpo": "eval", "orpo": "eval", "grpo": "eval",
    "ppo": "eval", "rm": "ppo", "count": "count",
}
"""The stage that usually follows a run of each stage (the pipeline's order, ``iotatui/pipeline.py``)."""
CHILD_INPUT: dict[str, str] = {"data_sft": "dataset", "data_pairs": "dataset", "rm": "reward_model", "count": "init"}
"""Parents handed on through a ``run:`` input instead of ``--parent`` (a dataset, a reward model, a curve)."""


@dataclass
class LaunchPlan:
    stage: str
    parent: str | None = None
    preset: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    """field name -> text as typed after ``key=`` (may hold a ``|`` grid); a missing key keeps the preset/default."""
    after: list[str] = field(default_factory=list)
    """Extra runs every point waits for (``--after``)."""


@dataclass(frozen=True)
class Point:
    """One run of the grid: its ``--set`` texts and what it changes against the preset/defaults."""

    sets: dict[str, str]
    diff: dict[str, tuple[Any, Any]]
    """field -> (preset/default value, this run's value), for the fields whose value differs."""


def parent_stages(stage: str) -> tuple[str, ...] | None:
    """Stages whose runs may be this stage's ``--parent`` (None: any): the stage's own declaration,
    ``iotatui.stages.StageInfo.parents``."""
    info = STAGES.get(stage)
    return info.parents if info else None


def check_parent(ws: Workspace, stage: str, parent: str) -> None:
    """ConfigError (one line) when ``parent`` is no live run or of a kind a ``stage`` run cannot start from: what
    ``iotatui launch`` and the launcher refuse at once, before anything is queued (the backend would fail later)."""
    from iotatui.supervisor import _live_dependency

    run = ws.store.get_run(_live_dependency(ws.store, parent, "--parent")) or {}
    err = parent_error(stage, parent, str(run.get("stage")))
    if err:
        raise ConfigError(err)


def parent_error(stage: str, parent: str, parent_stage: str) -> str | None:
    """Why a ``parent_stage`` run cannot be the ``--parent`` of a ``stage`` run (one line), or None."""
    allowed = parent_stages(stage)
    if allowed is None or parent_stage in allowed:
        return None
    return (f"--parent {parent}: a {parent_stage} run cannot be the parent of a {stage} run "
            f"(expected {', '.join(allowed)})")


def fields(stage: str) -> list[dataclasses.Field[Any]]:
    return list(dataclasses.fields(config_class(stage)))


def split_grid(text: str) -> list[str]:
    """A value's alternatives: ``"1e-5 | 3e-5"`` -> ``["1e-5", "3e-5"]``; ``\\|`` is a literal ``|``; text without an
    unescaped ``|`` is returned unchanged (not even stripped)."""
    parts, cur, i = [], [], 0
    while i < len(text):
        if text.startswith("\\" + GRID_SEP, i):
            cur.append(GRID_SEP)
            i += 2
        elif text[i] == GRID_SEP:
            parts.append("".join(cur))
            cur = []
            i += 1
        else:
            cur.append(text[i])
            i += 1
    parts.append("".join(cur))
    return parts if len(parts) == 1 else [p.strip() for p in parts]


def escape(text: str) -> str:
    """A literal value as plan text (its ``|`` escaped)."""
    return text.replace(GRID_SEP, "\\" + GRID_SEP)


def to_text(value: Any) -> str:
    """A config value as ``--set`` text that coerces back to it (lists comma-separated, None as ``none``)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(to_text(v) for v in value)
    return str(value)


def base_config(stage: str, preset: str | None) -> dict[str, Any]:
    """The values a plan starts from: the Config's defaults <- the preset."""
    return resolve_config(stage, preset=preset, check=False)


def field_error(stage: str, key: str, text: str, preset: str | None = None) -> str | None:
    """The CLI's error (``--set: lr: 'x' is not a float``) for one field's text, each grid alternative checked;
    None when it is valid. Only type and range: the checks that need the whole config run in :func:`validate`."""
    if GRID_SEP in text and not [a for a in split_grid(text) if a]:
        return f"--set: {key}: empty grid"
    for alt in split_grid(text):
        try:
            resolve_config(stage, sets=[f"{key}={alt}"], preset=preset, check=False)
        except ConfigError as e:
            return str(e)
    return None


def points(plan: LaunchPlan) -> list[Point]:
    """The runs the plan creates (the cartesian product of every field's alternatives, fields in Config order),
    each with its diff against the preset/defaults. ConfigError (one line) for a bad value or too big a grid."""
    order = [f.name for f in fields(plan.stage)]
    unknown = [k for k in plan.values if k not in order]
    if unknown:
        raise ConfigError(f"--set: unknown config key {unknown[0]!r} for stage {plan.stage} (known: {', '.join(order)})")
    keys = [k for k in order if k in plan.values]
    axes = [split_grid(plan.values[k]) for k in keys]
    size = 1
    for a in axes:
        size *= len(a)
    if size > MAX_GRID:
        raise ConfigError(f"grid of {size} runs: at most {MAX_GRID} at once")
    base = base_config(plan.stage, plan.preset)
    out = []
    for combo in itertools.product(*axes):
        sets = dict(zip(keys, combo, strict=True))
        resolved = resolve_config(plan.stage, sets=_set_args(sets), preset=plan.preset, check=False)
        diff = {k: (base.get(k), v) for k, v in resolved.items() if base.get(k) != v}
        out.append(Point(sets, diff))
    return out


def _set_args(sets: dict[str, str]) -> list[str]:
    return [f"{k}={v}" for k, v in sets.items()]


def eval_preset(preset: str | None) -> str | None:
    """The eval run after each point uses the plan's preset where it covers eval (like ``iotatui pipeline``)."""
    from iotatui.presets import PRESETS

    return preset if preset and EVAL_STAGE in PRESETS.get(preset, {}) else None


def validate(ws: Workspace, plan: LaunchPlan, eval_after: bool = False) -> list[Point]:
    """Everything :func:`iotatui.supervisor.launch` would refuse, for every point, before anything is written:
    values, the Config's own and launch checks, ``run:`` references, the parent (and its kind) and ``after``."""
    from iotatui import refs
    from iotatui.supervisor import _live_dependency

    if plan.stage not in available_stages():
        raise ConfigError(f"unknown stage {plan.stage!r} (available: {', '.join(available_stages())})")
    if eval_after and EVAL_STAGE not in available_stages():
        raise ConfigError("eval after each run: the eval stage is not installed")
    if eval_after and parent_error(EVAL_STAGE, plan.stage, plan.stage):  # the eval would fail when it started
        raise ConfigError(f"eval after each run: a {plan.stage} run has no model an eval samples "
                          f"(an eval's parent is a {', '.join(parent_stages(EVAL_STAGE) or ())} run)")
    pts = points(plan)
    if plan.parent:
        check_parent(ws, plan.stage, plan.parent)
    for a in plan.after:
        _live_dependency(ws.store, a, "--after")
    for p in pts:
        refs.bind(ws.store, resolve_config(plan.stage, sets=_set_args(p.sets), preset=plan.preset))
    if eval_after:
        resolve_config(EVAL_STAGE, preset=eval_preset(plan.preset))
    return pts


def queue(ws: Workspace, plan: LaunchPlan, eval_after: bool = False, start: bool = True) -> list[str]:
    """Launch every point (then its eval, whose parent it is, when ``eval_after``); the run ids in launch order
    (point, its eval, next point, ...). All or nothing: every point is checked first; should a launch still be
    refused midway (the store changed meanwhile), the runs already queued are deleted again (stopped where this
    install has no ``supervisor.delete``), newest first so no dependent is left behind, and the error is raised."""
    from iotatui import supervisor

    pts = validate(ws, plan, eval_after)
    ids: list[str] = []
    try:
        for p in pts:
            run_id = supervisor.launch(ws, plan.stage, sets=_set_args(p.sets), parent=plan.parent,
                                       after=list(plan.after), preset=plan.preset, start=start)
            ids.append(run_id)
            if eval_after:
                ids.append(supervisor.launch(ws, EVAL_STAGE, parent=run_id, preset=eval_preset(plan.preset),
                                             start=start))
    except Exception:
        undo = getattr(supervisor, "delete", None)
        for run_id in reversed(ids):
            try:
                if undo is not None:
                    undo(ws, run_id)
                else:
                    supervisor.stop(ws, run_id, wait=False)
            except Exception:  # noqa: BLE001 - best effort: the original error is the one to report
                pass
        raise
    return ids


def cli_command(plan: LaunchPlan, eval_after: bool = False) -> list[str]:
    """One shell line per point: ``iotatui launch STAGE [--preset P] [--parent R] [--after A] --set k=v ...``;
    with ``eval_after``, the line also launches the eval of the run it created (POSIX sh)."""
    lines = []
    for p in points(plan):
        args = ["iotatui", "launch", plan.stage]
        if plan.preset:
            args += ["--preset", plan.preset]
        if plan.parent:
            args += ["--parent", plan.parent]
        for a in plan.after:
            args += ["--after", a]
        for s in _set_args(p.sets):
            args += ["--set", s]
        line = shlex.join(args)
        if eval_after:
            ev = ["iotatui", "launch", EVAL_STAGE]
            if eval_preset(plan.preset):
                ev += ["--preset", str(eval_preset(plan.preset))]
            # `iotatui launch` prints "<run id>  <status>"; `x=$(cmd) && ...` stops when the launch is refused.
            line = f'run=$({line}) && {shlex.join(ev)} --parent "${{run%% *}}"'
        lines.append(line)
    return lines


def plan_from_run(run: dict[str, Any], preset: str | None = None) -> LaunchPlan:
    """A run (a ``Store.get_run`` row) as a plan to edit: its stage, parent and the values of its config that
    differ from the preset/defaults. ``preset`` None: the preset (or none) that leaves the fewest values to set."""
    from iotatui.presets import PRESETS

    stage = run["stage"]
    config = dict(run.get("config") or {})
    known = [f.name for f in fields(stage)]
    candidates = [preset] if preset else [None, *(p for p in PRESETS if stage in PRESETS[p])]
    best: tuple[int, str | None, dict[str, str]] | None = None
    for cand in candidates:
        base = base_config(stage, cand)
        values = {k: escape(to_text(config[k])) for k in known if k in config and config[k] != base.get(k)}
        if best is None or len(values) < best[0]:
            best = (len(values), cand, values)
    assert best is not None
    return LaunchPlan(stage=stage, parent=run.get("parent"), preset=best[1], values=best[2])


def launched_with(run: dict[str, Any]) -> str | None:
    """The preset a run was most likely launched with: of the presets covering its stage, the one whose every value
    its config holds (the most such values when several do); None when none fits. Runs do not record it."""
    from iotatui.presets import PRESETS

    config = run.get("config") or {}
    fits = [(len(v), name) for name, stages in PRESETS.items() if (v := stages.get(str(run.get("stage")))) and
            all(config.get(k) == val for k, val in v.items())]
    return max(fits)[1] if fits else None


def child_plan(parent: dict[str, Any], runs: dict[str, dict[str, Any]] | None = None,
               stages: list[str] | None = None) -> LaunchPlan:
    """A plan for the run that builds on ``parent``: the stage that usually follows it (:data:`NEXT_STAGE`; else
    the first installed stage that takes it), the preset the parent was launched with where it covers that stage
    (a smoke SFT's child is a smoke DPO, not the paper's ``max_length 4000``), and the parent wired in: ``--parent``
    for a model, a ``run:`` input for a dataset, a reward model or a curve (an RM's child is a PPO run of the RM's
    own parent, rewarded by it). ``runs``: the workspace's runs by id (the RM's parent)."""
    from iotatui.presets import PRESETS

    avail = list(stages if stages is not None else available_stages())
    pstage, pid = str(parent["stage"]), str(parent["id"])
    stage = NEXT_STAGE.get(pstage)
    if stage not in avail:
        takes = [s for s in avail if pstage in (parent_stages(s) or ())]  # made for it before "any parent"
        stage = next(iter(takes), next((s for s in avail if parent_error(s, pid, pstage) is None),
                                       avail[0] if avail else pstage))
    preset = launched_with(parent)
    if preset and stage not in PRESETS.get(preset, {}):
        preset = None
    known = {f.name for f in fields(stage)} if stage in avail else set()
    values: dict[str, str] = {}
    key = CHILD_INPUT.get(pstage)
    plan_parent: str | None = pid
    if key and key in known:
        values[key] = f"run:{pid}"
        plan_parent = None if pstage != "count" else pid  # a count run takes any parent; data and an RM are inputs
        if pstage == "rm":
            values["reward"] = "rm"
            grand = (runs or {}).get(str(parent.get("parent") or ""))
            plan_parent = str(grand["id"]) if grand and parent_error(stage, str(grand["id"]),
                                                                     str(grand["stage"])) is None else None
    elif parent_error(stage, pid, pstage) is not None:
        plan_parent = None
    return LaunchPlan(stage=stage, parent=plan_parent, preset=preset, values=values)


def form_text(plan_text: str) -> str:
    """A plan value as a form shows it: an explicitly empty value as ``""`` (an empty input means "not set")."""
    return EMPTY_TEXT if plan_text == "" else plan_text


def from_form(text: str) -> str | None:
    """A form input as a plan value: None for an empty input (keep the preset/default), ``""`` for ``""``."""
    if text == "":
        return None
    return "" if text == EMPTY_TEXT else text
