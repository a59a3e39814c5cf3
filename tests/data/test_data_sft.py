"""SFT dataset build: dedupe, token-limit drop with a real tokenizer, source mix ratio, atomic output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iotatui.data.problems import DataError, load_problems
from iotatui.data.schema import Problem, Solutions
from iotatui.data.sft import build_sft, percentile

pytestmark = pytest.mark.torch  # a real tokenizer (transformers) in every test


def _prob(name: str, sols: list[tuple[int, str]], split: str = "train") -> Problem:
    return Problem(name=name, description=f"Problem {name}: read n, print n.", split=split,
                   solutions=Solutions(tuple(lang for lang, _ in sols), tuple(s for _, s in sols)))


def _progs(prefix: str, n: int) -> list[tuple[int, str]]:
    return [(3, f"n = int(input())\n{prefix}_{i} = n + {i}\nprint({prefix}_{i})\n") for i in range(n)]


def _load(out: Path) -> Any:
    import datasets

    return datasets.load_from_disk(str(out))


def test_dedupe_and_token_limit(tmp_path: Path, tiny_tokenizer: Any) -> None:
    long_code = "x = 1\n" * 3000
    sols = [(3, "print(input())\n"), (3, "print(input())\r\n\r\n"), (3, "print(input())   \n"),  # 3 -> 1 after normalise
            (2, "int main(){}\n"), (3, long_code), (4, "class Main {}\n")]
    report = build_sft([_prob("a", sols)], tmp_path / "sft", tiny_tokenizer, max_tokens=1000,
                       languages=("python3", "cpp"))
    c = report["counts"]
    assert c["candidates"]["codecontests"] == 5  # java excluded by languages
    assert c["duplicates_dropped"] == 2 and c["too_long_dropped"] == 1 and c["kept"]["total"] == 2
    ds = _load(tmp_path / "sft")
    assert ds.column_names == ["prompt", "completion"] and len(ds) == 2
    assert sorted(r["completion"] for r in ds) == ["```cpp\nint main(){}\n```", "```python\nprint(input())\n```"]
    # The limit is measured with the real tokenizer: the kept samples really are within it.
    for r in ds:
        assert len(tiny_tokenizer(r["prompt"] + r["completion"])["input_ids"]) + 1 <= 1000
    saved = json.loads((tmp_path / "sft" / "report.json").read_text())
    assert saved["counts"] == c and sum(b["count"] for b in saved["length_histogram"]) == 3
    assert saved["cut_percentile"] == pytest.approx(66.67)


def test_ratio_mixes_sources(tmp_path: Path, tiny_tokenizer: Any) -> None:
    cc = [_prob(f"cc{i}", _progs(f"c{i}", 10)) for i in range(3)]  # 30 samples
    dump = [_prob(f"d{i}", _progs(f"d{i}", 5)) for i in range(2)]  # 10 samples
    r1 = build_sft(cc, tmp_path / "r1", tiny_tokenizer, dump_problems=dump, ratio=1.0)
    assert r1["counts"]["kept"] == {"codecontests": 10, "dump": 10, "total": 20}
    r2 = build_sft(cc, tmp_path / "r2", tiny_tokenizer, dump_problems=dump, ratio=2.0)
    assert r2["counts"]["kept"] == {"codecontests": 20, "dump": 10, "total": 30}
    r3 = build_sft(cc, tmp_path / "r3", tiny_tokenizer, dump_problems=dump, ratio=0.5)
    assert r3["counts"]["kept"] == {"codecontests": 5, "dump": 10, "total": 15}
    r0 = build_sft(cc, tmp_path / "r0", tiny_tokenizer, dump_problems=dump, ratio=0)
    assert r0["counts"]["kept"]["total"] == 40
    # Deterministic under the seed, different under another seed.
    build_sft(cc, tmp_path / "again", tiny_tokenizer, dump_problems=dump, ratio=1.0)
    assert _load(tmp_path / "r1")[:] == _load(tmp_path / "again")[:]
    other = build_sft(cc, tmp_path / "other", tiny_tokenizer, dump_problems=dump, ratio=1.0, seed=7)
    assert other["counts"]["kept"] == r1["counts"]["kept"] and _load(tmp_path / "other")[:] != _load(tmp_path / "r1")[:]


def test_auto_cut_at_99th_percentile(tmp_path: Path, tiny_tokenizer: Any) -> None:
    sols = _progs("v", 199) + [(3, "y = 2\n" * 2000)]
    rep = build_sft([_prob("p", sols)], tmp_path / "auto", tiny_tokenizer, max_tokens=0)
    assert rep["max_tokens_auto"] and rep["counts"]["too_long_dropped"] == 1
    assert rep["max_tokens"] == rep["length_percentiles"]["p99"] < rep["length_percentiles"]["p100"]
    assert percentile([1, 2, 3, 4], 50) == 2 and percentile([], 99) == 0


def test_bad_input_writes_nothing(tmp_path: Path, tiny_tokenizer: Any) -> None:
    with pytest.raises(DataError, match="test-split problems"):
        build_sft([_prob("t", _progs("t", 2), split="test")], tmp_path / "x", tiny_tokenizer)
    with pytest.raises(DataError, match="languages: unknown value 'rust'"):
        build_sft([_prob("t", _progs("t", 2))], tmp_path / "x", tiny_tokenizer, languages=("rust",))
    with pytest.raises(DataError, match="no SFT samples"):
        build_sft([_prob("t", [])], tmp_path / "x", tiny_tokenizer)
    with pytest.raises(DataError, match="tokenizer|model"):
        build_sft([_prob("t", _progs("t", 2))], tmp_path / "x", str(tmp_path / "no-tokenizer"))
    assert list(tmp_path.iterdir()) == []  # no output, no temp dirs left behind
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    with pytest.raises(DataError, match="already exists"):
        build_sft([_prob("t", _progs("t", 2))], tmp_path / "busy", tiny_tokenizer)
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["keep.txt"]
    build_sft([_prob("t", _progs("t", 2))], tmp_path / "busy", tiny_tokenizer, overwrite=True)
    assert not (tmp_path / "busy" / "keep.txt").exists() and len(_load(tmp_path / "busy")) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]


def test_builds_from_bundled_with_tokenizer_path(tmp_path: Path, tiny_model: Path) -> None:
    from iotatui.data.sources import gather

    inp = gather("bundled", "train")
    rep = build_sft(inp.problems, tmp_path / "b", str(tiny_model))
    assert rep["counts"]["kept"]["total"] > 0 and rep["tokenizer"] == str(tiny_model)
    names = {p.name for p in inp.problems}
    test_names = {p.name for p in load_problems("bundled", "test")}
    assert names and not names & test_names
