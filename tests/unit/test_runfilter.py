"""The runs table's filter (iotatui/runfilter.py): fields, config comparisons, words over what a row shows, and the
one-line errors for what cannot apply."""

from __future__ import annotations

from typing import Any

import pytest

from iotatui import runfilter
from iotatui.runfilter import FilterError, filter_runs, parse

NOW = 1_000_000.0


def run(rid: str, stage: str, status: str = "finished", **kw: Any) -> dict[str, Any]:
    return {"id": rid, "stage": stage, "status": status, "created": NOW - 60, "started": NOW - 50,
            "finished": NOW - 10, "config": {}, "last_metrics": {}, "summary": {}, **kw}


def runs() -> list[dict[str, Any]]:
    return [
        run("count-a", "count", config={"steps": 30, "fail_at": -1, "lr": 0.05}),
        run("count-b", "count", "failed", config={"steps": 30, "fail_at": 2, "lr": 0.05}, error="boom",
            progress_done=1, progress_total=30),
        run("sft-c", "sft", config={"lr": 1e-05, "model": "tiny", "lora": {"r": 8}}),
        run("dpo-d", "dpo", "running", config={"beta": 0.1, "lr": 1e-6}, last_metrics={"rewards/margins": 0.196}),
        run("dpo-e", "dpo", config={"beta": 0.5, "lr": 1e-6}, last_metrics={"rewards/margins": 0.0359}),
    ]


def ids(text: str) -> list[str]:
    return [r["id"] for r in filter_runs(runs(), text, NOW)]


def test_fields_and_groups() -> None:
    assert ids("stage:dpo") == ["dpo-d", "dpo-e"]
    assert ids("stage:sft,dpo status:finished") == ["sft-c", "dpo-e"]
    assert ids("status:active") == ["dpo-d"] and ids("status:broken") == ["count-b"]
    assert ids("") == [r["id"] for r in runs()] and not parse("  ")


def test_config_comparisons() -> None:
    assert ids("beta=0.5") == ["dpo-e"]
    assert ids("lr=0.00001") == ["sft-c"]  # numbers compare as numbers: 1e-05
    assert ids("beta>0.2") == ["dpo-e"] and ids("lr<1e-5") == ["dpo-d", "dpo-e"]
    assert ids("lr<=1e-5") == ["sft-c", "dpo-d", "dpo-e"]
    assert ids("model!=tiny") == [] and ids("model=TINY") == ["sft-c"]  # text: case-insensitive; no key: no match
    assert ids("lora.r=8") == ["sft-c"]  # nested configs by dotted key
    assert ids("stage:dpo beta>=0.1") == ["dpo-d", "dpo-e"]
    assert ids("lr>") == [r["id"] for r in runs()]  # still being typed: constrains nothing yet


def test_words_match_what_the_row_shows_not_the_config() -> None:
    # every count run has fail_at in its config; only the failed one shows "fail" (its status)
    assert ids("fail") == ["count-b"]
    assert ids("margin 0.196") == ["dpo-d"]  # the metric as the row writes it
    assert ids("at 3%") == ["count-b"]  # where the failed run ended
    assert ids("tiny") == []  # in the config only: not shown, not matched (model=tiny does that)
    extra = runfilter.shown_text(runs()[3], NOW, ["0.1"])  # a config column the table shows is matched too
    assert parse("0.1").matches(runs()[3], extra)


@pytest.mark.parametrize("text, message", [
    ("foo:bar", "foo:bar: unknown field 'foo'"),
    ("lr>1 bogus>2", "bogus>2: no run has a config key 'bogus'"),
    ("beta>high", "beta>high: 'high' is not a number"),
])
def test_what_cannot_apply_is_one_line(text: str, message: str) -> None:
    with pytest.raises(FilterError) as e:
        filter_runs(runs(), text, NOW)
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_unknown_key_hint_names_close_keys() -> None:
    with pytest.raises(FilterError, match=r"like lora\.r"):
        parse("lora=8", runfilter.config_keys(runs()))
