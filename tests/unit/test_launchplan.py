"""The launch plan (iotatui.launchplan): grid syntax, the CLI's own errors, preview diffs, queueing through the real
supervisor (all or nothing) and the equivalent ``iotatui launch`` command lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from iotatui.launchplan import (
    LaunchPlan,
    cli_command,
    escape,
    field_error,
    form_text,
    from_form,
    plan_from_run,
    points,
    queue,
    split_grid,
    to_text,
    validate,
)
from iotatui.stages import ConfigError, resolve_config
from iotatui.store import QUEUED

ROOT = Path(__file__).resolve().parents[2]


def test_split_grid_keeps_single_values_verbatim_and_splits_on_unescaped_bars() -> None:
    assert split_grid(" 1e-5 ") == [" 1e-5 "]  # no grid: exactly the typed text, like --set
    assert split_grid("1e-5 | 3e-5") == ["1e-5", "3e-5"]
    assert split_grid("python3,cpp|python3") == ["python3,cpp", "python3"]  # commas stay list separators
    assert split_grid(r"a\|b") == ["a|b"]
    assert split_grid(r"a\|b | c") == ["a|b", "c"]
    assert split_grid(escape("x|y")) == ["x|y"]


def test_field_error_is_the_cli_line_for_every_alternative() -> None:
    assert field_error("count", "lr", "0.1") is None
    assert field_error("count", "lr", "abc") == "--set: lr: 'abc' is not a float"
    assert field_error("count", "steps", "5 | 0") == "--set: steps: 0 is out of range (>= 1)"
    assert field_error("count", "steps", "5 | x") == "--set: steps: 'x' is not an int"
    assert field_error("count", "steps", "|") == "--set: steps: empty grid"
    assert field_error("count", "metrics_per_step", "9") == "--set: metrics_per_step: 9 is out of range (1..8)"


def test_field_error_matches_what_iotatui_launch_prints(tmp_path: Path) -> None:
    env = {**os.environ, "IOTATUI_HOME": str(tmp_path / "ws")}
    p = subprocess.run([sys.executable, "-m", "iotatui", "launch", "count", "--set", "lr=abc"], capture_output=True,
                       text=True, env=env, cwd=str(ROOT), timeout=120)
    assert p.returncode == 2
    assert p.stderr.strip() == f"error: {field_error('count', 'lr', 'abc')}"


def test_points_are_the_cartesian_product_with_diffs_against_the_preset() -> None:
    plan = LaunchPlan("count", values={"lr": "0.1 | 0.2", "steps": "5|6", "seed": "0"})
    pts = points(plan)
    assert [p.sets for p in pts] == [
        {"steps": "5", "seed": "0", "lr": "0.1"}, {"steps": "5", "seed": "0", "lr": "0.2"},
        {"steps": "6", "seed": "0", "lr": "0.1"}, {"steps": "6", "seed": "0", "lr": "0.2"}]
    # seed=0 is the default: not part of the diff
    assert pts[1].diff == {"steps": (100, 5), "lr": (0.05, 0.2)}
    smoke = points(LaunchPlan("sft", preset="smoke", values={"lr": "1e-3 | 3e-3"}))
    assert [p.diff for p in smoke] == [{}, {"lr": (1e-3, 3e-3)}]  # smoke's own lr is 1e-3


def test_points_refuse_bad_values_unknown_keys_and_huge_grids() -> None:
    with pytest.raises(ConfigError, match=r"^--set: lr: 'x' is not a float$"):
        points(LaunchPlan("count", values={"lr": "0.1 | x"}))
    with pytest.raises(ConfigError, match="unknown config key 'nope'"):
        points(LaunchPlan("count", values={"nope": "1"}))
    big = "|".join(str(i) for i in range(1, 20))
    with pytest.raises(ConfigError, match=r"^grid of 361 runs: at most 256 at once$"):
        points(LaunchPlan("count", values={"steps": big, "seed": big}))


def test_list_values_keep_commas_and_grid_over_lists() -> None:
    pts = points(LaunchPlan("eval", values={"languages": "python3,cpp | python3"}))
    assert [p.diff.get("languages") for p in pts] == [(["python3"], ["python3", "cpp"]), None]


def test_to_text_round_trips_through_the_cli_coercer() -> None:
    cfg = resolve_config("eval", sets=["languages=python3,cpp", "workers=3", "top_p=1e-05"], check=False)
    for key in ("languages", "workers", "top_p", "seed", "engine"):
        again = resolve_config("eval", sets=[f"{key}={to_text(cfg[key])}"], check=False)
        assert again[key] == cfg[key], key
    assert to_text(None) == "none" and to_text(True) == "true" and to_text(["a", "b"]) == "a,b"


def test_form_text_marks_an_explicit_empty_value() -> None:
    assert form_text("") == '""' and from_form('""') == ""
    assert from_form("") is None and from_form("x") == "x" and form_text("x") == "x"


def test_plan_from_run_keeps_only_what_differs_and_finds_the_preset() -> None:
    cfg = resolve_config("sft", preset="smoke", sets=["lr=0.5", "seed=3"], check=False)
    plan = plan_from_run({"stage": "sft", "parent": "sft__p", "config": cfg})
    assert (plan.stage, plan.parent, plan.preset) == ("sft", "sft__p", "smoke")
    assert plan.values == {"lr": "0.5", "seed": "3"}
    plain = plan_from_run({"stage": "count", "parent": None, "config": resolve_config("count", sets=["steps=7"])})
    assert (plain.preset, plain.values) == (None, {"steps": "7"})
    # a value with a literal '|' is escaped, so the plan is one run, not a grid
    piped = plan_from_run({"stage": "count", "config": {**resolve_config("count"), "init": "a|b"}})
    assert [p.sets for p in points(piped)] == [{"init": "a|b"}]


def test_cli_command_quotes_and_chains_the_eval() -> None:
    plan = LaunchPlan("count", parent="count__abc", values={"lr": "0.1 | 0.2", "init": "my file"})
    assert cli_command(plan) == [
        "iotatui launch count --parent count__abc --set lr=0.1 --set 'init=my file'",
        "iotatui launch count --parent count__abc --set lr=0.2 --set 'init=my file'"]
    (line,) = cli_command(LaunchPlan("sft", preset="smoke"), eval_after=True)
    assert line == 'run=$(iotatui launch sft --preset smoke) && iotatui launch eval --preset smoke --parent "${run%% *}"'


def test_validate_refuses_a_wrong_parent_kind_and_queues_nothing(ws: Any) -> None:
    from iotatui.supervisor import launch

    data = launch(ws, "data_pairs", sets=["out=" + str(ws.home / "pairs")], start=False)
    before = len(ws.store.list_runs())
    with pytest.raises(ConfigError, match="a data_pairs run cannot be the parent of a dpo run"):
        queue(ws, LaunchPlan("dpo", parent=data), start=False)
    with pytest.raises(ConfigError, match="lr: 'x' is not a float"):
        queue(ws, LaunchPlan("count", values={"lr": "0.1 | x"}), start=False)
    assert len(ws.store.list_runs()) == before


def test_queue_launches_each_point_then_its_eval(ws: Any) -> None:
    plan = LaunchPlan("sft", preset="smoke", values={"lr": "0.1 | 0.2", "max_steps": "3"})
    ids = queue(ws, plan, eval_after=True, start=False)  # start=False: rows only, nothing spawns
    rows = [ws.store.get_run(i) for i in ids]
    assert [r["stage"] for r in rows] == ["sft", "eval", "sft", "eval"]
    assert all(r["status"] == QUEUED for r in rows)
    assert [r["config"]["lr"] for r in rows[0::2]] == [0.1, 0.2]
    assert rows[1]["parent"] == ids[0] and rows[1]["after"] == [ids[0]]
    assert rows[3]["parent"] == ids[2] and rows[3]["after"] == [ids[2]]
    assert rows[1]["config"] == resolve_config("eval", preset="smoke")
    assert validate(ws, plan, eval_after=True)  # still valid: nothing it depends on has changed


def test_an_eval_after_a_run_without_a_model_is_refused(ws: Any) -> None:
    # A count run's output is a curve: the eval queued after it failed when it started. Refused before anything.
    with pytest.raises(ConfigError, match="eval after each run: a count run has no model an eval samples"):
        queue(ws, LaunchPlan("count", values={"steps": "3"}), eval_after=True, start=False)
    assert ws.store.list_runs() == []


@pytest.mark.slow
def test_cli_command_when_run_produces_the_same_configs(ws: Any, tmp_path: Path) -> None:
    """The printed lines, run by a shell, queue runs with the very configs ``queue`` gives, with the same deps."""
    from iotatui.supervisor import launch, stop

    blocker = launch(ws, "count", sets=["steps=100000", "interval=1"])  # keeps every run below queued
    try:
        plan = LaunchPlan("sft", preset="smoke", after=[blocker], values={"lr": "0.1 | 0.2"})
        ours = queue(ws, plan, eval_after=True)
        before = {r["id"] for r in ws.store.list_runs()}
        env = {**os.environ, "IOTATUI_HOME": str(ws.home), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        for line in cli_command(plan, eval_after=True):
            subprocess.run(["bash", "-c", line], check=True, env=env, cwd=str(tmp_path), capture_output=True,
                           timeout=120)
        theirs = sorted((r for r in ws.store.list_runs() if r["id"] not in before), key=lambda r: r["created"])
        mine = [ws.store.get_run(i) for i in ours]

        def shape(rows: list[Any]) -> list[Any]:
            by_id = {r["id"]: n for n, r in enumerate(rows)}
            return [(r["stage"], r["config"], by_id.get(r["parent"], r["parent"]),
                     [by_id.get(a, a) for a in r["after"]]) for r in rows]

        assert len(theirs) == 4
        assert shape(theirs) == shape(mine)
    finally:
        stop(ws, blocker, grace_s=1)


def test_child_plan_follows_the_pipeline_with_the_parents_preset() -> None:
    from iotatui import launchplan as lp
    from iotatui.presets import PRESETS

    smoke_sft = {"id": "sft-1", "stage": "sft", "config": lp.base_config("sft", "smoke")}
    assert lp.child_plan(smoke_sft) == lp.LaunchPlan("dpo", parent="sft-1", preset="smoke")
    paper_dpo = {"id": "dpo-1", "stage": "dpo", "parent": "sft-1", "config": lp.base_config("dpo", "paper")}
    assert lp.child_plan(paper_dpo) == lp.LaunchPlan("eval", parent="dpo-1", preset="paper")
    assert "eval" in PRESETS["paper"]
    # an RM: a PPO run of the RM's own parent, rewarded by it
    rm = {"id": "rm-1", "stage": "rm", "parent": "sft-1", "config": {}}
    assert lp.child_plan(rm, {"sft-1": smoke_sft}) == lp.LaunchPlan(
        "ppo", parent="sft-1", values={"reward_model": "run:rm-1", "reward": "rm"})
    # data runs are inputs, not parents (an sft run takes no data run as --parent)
    assert lp.child_plan({"id": "d-1", "stage": "data_sft", "config": {}}) == lp.LaunchPlan(
        "sft", values={"dataset": "run:d-1"})
    assert lp.child_plan({"id": "c-1", "stage": "count", "config": {}}) == lp.LaunchPlan(
        "count", parent="c-1", values={"init": "run:c-1"})
    # without the usual next stage installed: the first installed one that takes it
    assert lp.child_plan(smoke_sft, stages=["count", "eval"]).stage == "eval"
