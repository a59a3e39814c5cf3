"""Problem loaders: JSONL / gzip / Parquet / Arrow dirs / HF-named dirs / bundled / hub; malformed rows; enums."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from iotatui.data.problems import DataError, load_problems, load_problems_report, summarize, write_jsonl
from iotatui.data.schema import Problem
from tests.data.conftest import hf_row, write_parquet
from tests.data.conftest import write_jsonl as write_rows


def test_jsonl_rows_map_enums_by_name(tmp_path: Path) -> None:
    # HF numbering: ATCODER=5, AIZU=6 (proto: 6, 7); K=17, L=18 (proto: 17, 19). Names work too.
    rows = [hf_row("a", source=5, difficulty=17), hf_row("b", source=6, difficulty=18),
            hf_row("c", source="aizu", difficulty="L"), hf_row("d", time_limit={"seconds": 0, "nanos": 500000000})]
    probs = load_problems(str(write_rows(tmp_path / "p.jsonl", rows)))
    assert [(p.source, p.difficulty) for p in probs[:3]] == [("ATCODER", "K"), ("AIZU", "L"), ("AIZU", "L")]
    assert probs[3].time_limit == 0.5 and probs[0].time_limit == 2.0
    assert probs[0].solutions.of("python3") == [hf_row("x")["solutions"]["solution"][0]]
    # Writing back uses the HF numbering, so a round trip is exact.
    assert probs[1].to_row()["source"] == 6 and probs[1].to_row()["difficulty"] == 18


def test_malformed_rows_are_named_counted_and_skipped(tmp_path: Path) -> None:
    rows = [hf_row("ok1"), {"name": "no description"}, hf_row("bad tests", private_tests={"input": ["1"], "output": []}),
            hf_row("bad enum", source=99), hf_row("ok2"), [1, 2]]
    path = write_rows(tmp_path / "mixed.jsonl", rows, raw_lines={4: "{not json"})
    rep = load_problems_report(str(path))
    assert [p.name for p in rep.problems] == ["ok1", "ok2"]
    assert rep.skipped == 5 and rep.rows_read == 6  # the broken JSON line is skipped before it becomes a row
    text = "\n".join(rep.skip_messages)
    assert f"{path} row 2: description" in text
    assert f"{path} row 3: private_tests" in text
    assert f"{path} row 4: source" in text
    assert f"{path} row 5: invalid JSON" in text
    assert f"{path} row 7: not a JSON object" in text


def test_whole_file_schema_mismatch_is_an_error(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "other.jsonl", [{"text": "hello"}, {"text": "world"}])
    with pytest.raises(DataError, match=r"other\.jsonl: not CodeContests data"):
        load_problems(str(path))
    pq_path = write_parquet(tmp_path / "other.parquet", [{"text": "x", "label": 1}])
    with pytest.raises(DataError, match=r"other\.parquet: not CodeContests data"):
        load_problems(str(pq_path))


def test_gzip_jsonl_and_roundtrip(tmp_path: Path) -> None:
    rows = [hf_row("g1", split="train"), hf_row("g2", split="test", cf_tags=["math"])]
    path = tmp_path / "p.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    probs = load_problems(str(path))
    assert [p.split for p in probs] == ["train", "test"]
    out = tmp_path / "back.jsonl"
    write_jsonl(probs, out)
    assert load_problems(str(out)) == probs
    assert load_problems(str(out), split="test") == [probs[1]]


def test_parquet_dir_named_like_hf_repo_infers_splits(tmp_path: Path) -> None:
    d = tmp_path / "code_contests" / "data"
    d.mkdir(parents=True)
    write_parquet(d / "train-00000-of-00002.parquet", [hf_row("t1"), hf_row("t2")])
    write_parquet(d / "train-00001-of-00002.parquet", [hf_row("t3")])
    write_parquet(d / "valid-00000-of-00001.parquet", [hf_row("v1")])
    write_parquet(d / "test-00000-of-00001.parquet", [hf_row("x1", source=5)])
    probs = load_problems(str(tmp_path / "code_contests"))
    assert sorted((p.split, p.name) for p in probs) == [("test", "x1"), ("train", "t1"), ("train", "t2"),
                                                        ("train", "t3"), ("valid", "v1")]
    rep = load_problems_report(str(tmp_path / "code_contests"), split="validation")
    assert [p.name for p in rep.problems] == ["v1"]
    assert all("valid" in f for f in rep.files)  # other splits' files are not even opened
    assert load_problems(str(tmp_path / "code_contests"), split="test")[0].source == "ATCODER"


def test_parquet_row_errors_name_the_row(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "test.parquet", [hf_row("a"), hf_row("b", memory_limit_bytes=-5)])
    rep = load_problems_report(str(path))
    assert [p.name for p in rep.problems] == ["a"] and rep.skipped == 1
    assert rep.skip_messages == [f"{path} row 2: memory_limit_bytes: expected a non-negative int, got -5"]
    assert rep.problems[0].split == "test"  # from the file name


def test_arrow_save_to_disk_dir(tmp_path: Path) -> None:
    import datasets

    dd = datasets.DatasetDict({
        "train": datasets.Dataset.from_list([hf_row("a1"), hf_row("a2")]),
        "valid": datasets.Dataset.from_list([hf_row("b1")]),
    })
    dd.save_to_disk(str(tmp_path / "arrow"))
    probs = load_problems(str(tmp_path / "arrow"))
    assert sorted((p.split, p.name) for p in probs) == [("train", "a1"), ("train", "a2"), ("valid", "b1")]
    assert [p.name for p in load_problems(str(tmp_path / "arrow"), split="valid")] == ["b1"]
    single = datasets.Dataset.from_list([hf_row("s1")])
    single.save_to_disk(str(tmp_path / "single"))
    assert [p.name for p in load_problems(str(tmp_path / "single"))] == ["s1"]


def test_bundled_set_loads_with_splits() -> None:
    probs = load_problems("bundled")
    assert probs and {p.split for p in probs} <= {"train", "valid", "test"}
    test = load_problems("bundled", split="test")
    assert test and all(p.split == "test" for p in test)
    assert all(isinstance(p, Problem) and p.description for p in probs)


def test_bad_specs_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file or directory"):
        load_problems(str(tmp_path / "missing.jsonl"))
    with pytest.raises(DataError, match="split: unknown value 'dev2'"):
        load_problems("bundled", split="dev2")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no save_to_disk dataset"):
        load_problems(str(tmp_path / "empty"))
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(DataError, match="unsupported file type"):
        load_problems(str(tmp_path / "x.csv"))


def test_hub_name_offline_fails_fast_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(DataError) as e:
        load_problems("nonexistent-org/no-such-dataset", split="test")
    assert "\n" not in str(e.value) and "nonexistent-org/no-such-dataset" in str(e.value)


def test_summary_counts(tmp_path: Path) -> None:
    rows = [hf_row("a", split="train"), hf_row("b", split="test", difficulty=0, cf_rating=1200)]
    s = summarize(load_problems(str(write_rows(tmp_path / "p.jsonl", rows))))
    assert s["problems"] == 2 and s["splits"] == {"test": 1, "train": 1}
    assert s["solutions"] == {"cpp": {"correct": 2, "incorrect": 2}, "python3": {"correct": 2, "incorrect": 2}}
    assert s["tests_per_problem"] == {"public": 1.0, "private": 2.0, "generated": 0.0}
    assert s["difficulty"] == {"A": 1, "cf1200": 1}


def test_a_file_whose_rows_are_all_unusable_is_an_error(tmp_path: Path) -> None:
    from iotatui.data.problems import DataError, load_problems

    bad = tmp_path / "notproblems.jsonl"
    # rows that look like problems (a name) but none is usable
    bad.write_text('{"name": "x"}\n{"name": "z", "description": 5}\nnot json\n')
    with pytest.raises(DataError, match=r"none of its 3 rows is a CodeContests problem \(first: .*row 1"):
        load_problems(str(bad))


@pytest.mark.parametrize("tl", [0, -1, 0.0, {"seconds": -2, "nanos": 0}])
def test_a_time_limit_that_cannot_be_judged_is_refused(tl: object) -> None:
    with pytest.raises(ValueError, match="time_limit"):
        Problem.from_row(hf_row("p", time_limit=tl))


def test_an_all_zero_hf_time_limit_means_none_given() -> None:
    assert Problem.from_row(hf_row("p", time_limit={"seconds": 0, "nanos": 0})).time_limit == 2.0
