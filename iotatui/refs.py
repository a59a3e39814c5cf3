"""Inputs from upstream runs: a config value ``run:<id>`` or ``run:<id>/<artifact>``. Stdlib only.

Any top-level string value of a stage config may be a reference (lists and tables are not searched); it becomes the
artifact's path before the backend reads ``config.json``, so stages need no code for it.

``run:<id>`` names that run's *main artifact*, ``run:<id>/<name>`` its artifact called ``name``. The rule for the
main artifact, in order:

1. the artifact named by the upstream stage's ``StageInfo.output`` (``data_sft`` -> ``sft``, ``sft`` -> ``model``);
   when the stage declares one, only that name counts;
2. otherwise the artifact the run emitted last.

When a run emits the same name more than once (a resumed run), the last one wins.

Two moments:

* at launch, :func:`bind` resolves each id (a unique prefix or suffix, like ``--parent``), refuses one that is
  unknown or already failed, crashed or stopped, rewrites the value to the full id, and returns the references
  (the launcher adds those runs to ``after``, so the run waits for them);
* at spawn (every dependency has finished), :func:`resolve` turns each reference into the artifact's path; the
  supervisor writes those into ``config.json`` and records them in ``launch.json`` and the run's ``inputs``.
"""

from __future__ import annotations

from typing import Any

from iotatui.store import CRASHED, FAILED, FINISHED, STOPPED, Store, StoreError

PREFIX = "run:"


class RefError(StoreError):
    """A reference that cannot be resolved: one line naming it."""


def parse(value: Any) -> tuple[str, str | None] | None:
    """``"run:ID"`` -> (ID, None); ``"run:ID/NAME"`` -> (ID, NAME); anything else -> None."""
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return None
    body = value[len(PREFIX):]
    run_ref, _, artifact = body.partition("/")
    if not run_ref.strip() or ("/" in body and not artifact.strip()):
        raise RefError(f"{value!r}: expected run:<id> or run:<id>/<artifact>")
    return run_ref.strip(), (artifact.strip() or None)


def bind(store: Store, config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Resolve the run ids of every ``run:`` value in ``config`` (top-level values), in place.

    Returns ``{key: {"ref": original value, "run": full id, "artifact": name or None}}``. Raises RefError when a
    run is unknown, ambiguous, or can never produce the output (failed, crashed or stopped), or when it has already
    finished without the artifact asked for.
    """
    inputs: dict[str, dict[str, Any]] = {}
    for key, value in config.items():
        parsed = parse(value)
        if parsed is None:
            continue
        run_ref, artifact = parsed
        try:
            run = store.resolve_run(run_ref)
        except StoreError as e:
            raise RefError(f"{key} = {value}: {e}") from None
        if run["status"] in (FAILED, CRASHED, STOPPED):
            raise RefError(f"{key} = {value}: run {run['id']} {run['status']}; it will produce no output")
        if run["status"] == FINISHED and find_artifact(store, run, artifact) is None:
            raise RefError(f"{key} = {value}: {_missing(store, run, artifact)}")
        config[key] = PREFIX + run["id"] + (f"/{artifact}" if artifact else "")
        inputs[key] = {"ref": value, "run": run["id"], "artifact": artifact}
    return inputs


def resolve(store: Store, inputs: dict[str, dict[str, Any]]) -> dict[str, str]:
    """``{key: path}`` for the references recorded by :func:`bind`; RefError naming the first that fails."""
    out: dict[str, str] = {}
    for key, ref in inputs.items():
        run = store.get_run(ref["run"])
        if run is None:
            raise RefError(f"{key} = {ref['ref']}: run {ref['run']} no longer exists")
        if run["status"] != FINISHED:
            raise RefError(f"{key} = {ref['ref']}: run {run['id']} is {run['status']}, not finished")
        art = find_artifact(store, run, ref.get("artifact"))
        if art is None:
            raise RefError(f"{key} = {ref['ref']}: {_missing(store, run, ref.get('artifact'))}")
        out[key] = art["path"]
    return out


def main_artifact_name(stage: str) -> str:
    """The upstream stage's declared main artifact ('' when it declares none)."""
    from iotatui.stages import STAGES  # stdlib-only module; imported here so store users do not pay for it

    info = STAGES.get(stage)
    return info.output if info else ""


def find_artifact(store: Store, run: dict[str, Any], name: str | None) -> dict[str, Any] | None:
    """The artifact ``name`` of ``run`` (its main artifact when ``name`` is None), or None."""
    arts = store.artifacts(run["id"])
    want = name or main_artifact_name(run["stage"])
    if want:
        return next((a for a in reversed(arts) if a["name"] == want), None)
    return arts[-1] if arts else None


def _missing(store: Store, run: dict[str, Any], name: str | None) -> str:
    names = sorted({a["name"] for a in store.artifacts(run["id"])})
    what = f"no artifact {name!r}" if name else (
        f"no main artifact {main_artifact_name(run['stage'])!r}" if main_artifact_name(run["stage"]) else "no artifacts")
    return f"run {run['id']} has {what}" + (f" (it has: {', '.join(names)})" if names else "")
