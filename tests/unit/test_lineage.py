"""The runs screen's core (iotatui/lineage.py): tree by lineage, per-stage headline, progress/ETA, waits-for, filter."""

from __future__ import annotations

from typing import Any

import pytest

from iotatui import lineage
from iotatui.lineage import build_tree, metric_text, progress_text, waits_for

NOW = 1_000_000.0


def run(rid: str, stage: str, status: str = "finished", created: float = 0.0, **kw: Any) -> dict[str, Any]:
    return {"id": rid, "stage": stage, "status": status, "created": NOW - 3600 + created, "parent": None,
            "after": [], "inputs": {}, "config": {}, "last_metrics": {}, "summary": {}, "gpus": 0, **kw}


def pipeline() -> list[dict[str, Any]]:
    """data -> sft -> {dpo, rm}; ppo takes sft (parent) and rm (input); eval after dpo; a second sft, newer."""
    return [
        run("data", "data_sft", created=0),
        run("sft1", "sft", created=10, after=["data"], inputs={"dataset": {"run": "data"}}),
        run("dpo1", "dpo", created=20, parent="sft1", after=["sft1"]),
        run("rm1", "rm", created=30, after=["sft1"], inputs={"model": {"run": "sft1"}}),
        run("ppo1", "ppo", created=40, after=["sft1", "rm1"],
            inputs={"model": {"run": "sft1"}, "reward_model": {"run": "rm1"}}),
        run("eval1", "eval", "queued", created=50, after=["dpo1"]),
        run("sft2", "sft", "running", created=60, after=["data"]),
        run("lone", "count", created=5),
    ]


def test_tree_orders_by_lineage_newest_sibling_first() -> None:
    rows = build_tree(pipeline())
    assert [r.id for r in rows] == ["lone", "data", "sft2", "sft1", "rm1", "ppo1", "dpo1", "eval1"]
    depth = {r.id: r.depth for r in rows}
    assert depth == {"lone": 0, "data": 0, "sft2": 1, "sft1": 1, "rm1": 2, "ppo1": 3, "dpo1": 2, "eval1": 3}
    by = {r.id: r for r in rows}
    # ppo hangs under the RM (furthest down the pipeline of its inputs); its other upstream is kept
    assert by["ppo1"].parent == "rm1" and by["ppo1"].extra_parents == ("sft1",)
    assert by["dpo1"].parent == "sft1"  # explicit parent wins
    # glyphs: last child gets └, earlier siblings ├, a continuing ancestor │
    assert by["sft2"].prefix == "├ " and by["sft1"].prefix == "└ "
    assert by["rm1"].prefix == "  ├ " and by["ppo1"].prefix == "  │ └ " and by["eval1"].prefix == "    └ "
    assert by["data"].prefix == ""


def test_tree_with_parent_missing_is_a_root_and_cycle_is_broken() -> None:
    runs = [run("a", "sft", parent="gone"), run("b", "dpo", parent="c"), run("c", "dpo", parent="b")]
    rows = build_tree(runs)
    assert sorted(r.id for r in rows) == ["a", "b", "c"]  # nobody lost in a cycle
    assert next(r for r in rows if r.id == "a").depth == 0


@pytest.mark.parametrize("key, first", [("stage", "data"), ("status", "lone"), ("age", "sft2")])
def test_sort_keys_order_siblings(key: str, first: str) -> None:
    runs = [r for r in pipeline() if r["id"] in ("data", "sft2", "lone")]
    runs[1].update(after=[], status="queued")  # sft2 a root too, the newest
    runs[2]["status"] = "running"
    assert build_tree(runs, sort=key)[0].id == first


def test_sort_by_metric_largest_first_none_last() -> None:
    runs = [run("a", "sft", last_metrics={"train/loss": 0.5}), run("b", "sft", last_metrics={"train/loss": 2.0}),
            run("c", "sft")]
    assert [r.id for r in build_tree(runs, sort="metric")] == ["b", "a", "c"]
    with pytest.raises(ValueError, match="sort key"):
        build_tree(runs, sort="bogus")


def test_headline_per_stage() -> None:
    assert metric_text(run("s", "sft", last_metrics={"train/grad_norm": 3, "train/loss": 0.41234})) == "loss 0.412"
    assert metric_text(run("d", "dpo", last_metrics={"train/loss": 0.6, "rewards/margins": 0.1234})) == "margin 0.123"
    assert metric_text(run("o", "orpo", last_metrics={"rewards/margins": -0.0006})) == "margin -0.0006"
    assert metric_text(run("r", "rm", last_metrics={"train/accuracy": 0.75, "eval/pair_accuracy": 0.676})) \
        == "acc 0.676"
    assert metric_text(run("p", "ppo", last_metrics={"reward/mean": 0.5, "ppo/kl": 0.2116})) == "reward 0.5 kl 0.212"
    assert metric_text(run("g", "grpo", last_metrics={"train/reward": 0.25, "train/loss": 0})) == "reward 0.25"
    live = run("e", "eval", "running", last_metrics={"eval/solved": 3.0, "eval/pass@1": 0.125})
    assert metric_text(live) == "solved 3 p@1 0.125"
    done = run("e", "eval", summary={"problems": 10, "solved": 4, "pass@1": 0.2})
    assert metric_text(done) == "solved 4/10 p@1 0.2"
    assert metric_text(run("x", "data_sft", summary={"rows": 168})) == "rows 168"
    assert metric_text(run("j", "judge", summary={"ok_rate": 0.25})) == "ok 25%"
    # no stage rule (or nothing of it logged yet): the shared runview rule, with the short key
    assert metric_text(run("c", "count", last_metrics={"train/loss": 1.5, "a": 1})) == "loss 1.5"
    assert metric_text(run("d", "dpo", last_metrics={"train/loss": 0.7})) == "loss 0.7"
    assert metric_text(run("n", "sft")) == ""
    assert lineage.metric_value(run("p", "ppo", last_metrics={"reward/mean": 0.5, "ppo/kl": 2})) == 0.5


def test_progress_eta_age() -> None:
    r = run("a", "sft", "running", started=NOW - 120, progress_done=25, progress_total=100, progress_unit="steps")
    assert progress_text(r, NOW) == "25% ~6m"  # 25 in 2 minutes: 75 more take 6
    assert lineage.eta_seconds(r, NOW) == pytest.approx(360)
    assert progress_text({**r, "status": "stopped"}, NOW) == "at 25%"  # where it ended, not a share still going
    assert progress_text({**r, "status": "failed", "progress_done": None, "last_step": 3}, NOW) == "at step 3"
    assert progress_text({**r, "status": "finished", "finished": NOW - 60}, NOW) == "in 1m"
    assert progress_text({**r, "progress_total": None}, NOW) == "25 steps"
    assert progress_text({**r, "progress_done": None, "last_step": 7}, NOW) == "step 7"
    assert progress_text({**r, "status": "queued"}, NOW) == ""
    assert lineage.age_text(r, NOW) == "1h00"
    assert [lineage.duration_text(s) for s in (5, 125, 3 * 3600 + 300, 2 * 86400 + 7200, 30 * 86400)] == \
        ["5s", "2m", "3h05", "2d2h", "30d"]


def test_a_resumed_run_gets_its_eta_from_its_own_rate() -> None:
    # attempt 2 resumed at step 2900 of 3000, 10 s ago: the old estimate from the start read ~0s ("~13s")
    r = run("a", "count", "running", started=NOW - 10, progress_done=2910, progress_total=3000, attempt=2)
    assert lineage.eta_seconds(r, NOW) is None and progress_text(r, NOW) == "97%"
    clock = lineage.ProgressClock()
    assert progress_text(r, NOW, clock) == "97%"  # first look: no rate seen yet
    later = {**r, "progress_done": 2920}
    assert lineage.eta_seconds(later, NOW + 10, clock) == pytest.approx(80 * 10 / 10)  # 10 steps per 10 s
    assert progress_text(later, NOW + 10, clock) == "97% ~1m"
    # progress that goes back (a new attempt from its checkpoint) starts the watch again
    assert lineage.eta_seconds({**r, "progress_done": 2900}, NOW + 20, clock) is None
    # attempt 1: from its start until the clock has seen it move
    first = {**r, "attempt": 1, "started": NOW - 100, "progress_done": 100}
    assert lineage.eta_seconds(first, NOW, lineage.ProgressClock()) == pytest.approx(2900.0)


def test_next_change_of_the_time_text() -> None:
    r = run("a", "sft", "finished", created=3600 - 30.5)  # 30.5 s old: "30s" until it is 31
    assert lineage.age_text(r, NOW) == "30s" and lineage.next_change(r, NOW) == pytest.approx(NOW + 0.5)
    old = run("b", "sft", "finished", created=3600 - 125)  # "2m" until 3 minutes
    assert lineage.next_change(old, NOW) == pytest.approx(NOW + 55)
    live = run("c", "sft", "running", created=0, started=NOW - 60, progress_done=5, progress_total=100)
    assert lineage.next_change(live, NOW) == pytest.approx(NOW + lineage.ETA_RECHECK_S)  # its ETA moves


def test_waits_for() -> None:
    runs = {r["id"]: r for r in pipeline()}
    runs["dpo1"]["status"] = "running"
    assert waits_for(runs["eval1"], runs) == "waits for dpo1"
    assert waits_for(runs["sft1"], runs) == ""  # not queued
    runs["dpo1"]["status"] = "failed"
    assert waits_for(runs["eval1"], runs) == "never starts: dpo1 failed"
    runs["dpo1"]["status"] = "finished"
    runs["sft2"]["gpu_ids"] = "0"
    assert waits_for(runs["eval1"], runs, max_concurrent=1) == "waits for a free slot (1/1 runs active)"
    gpu = {**runs["eval1"], "gpus": 1}
    assert waits_for(gpu, runs, max_concurrent=4, total_gpus=1) == "waits for GPUs (needs 1, 0 of 1 free)"
    assert waits_for(gpu, runs, max_concurrent=4, total_gpus=2) == "waits for the next queue pass"
