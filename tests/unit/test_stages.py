from __future__ import annotations

from pathlib import Path

import pytest

from iotatui.stages import ConfigError, resolve_config


def test_defaults_file_and_sets_layer(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("steps = 7\ninterval = 1\n")
    cfg = resolve_config("count", f, ["interval=0.5", "seed=3"])
    assert cfg["steps"] == 7 and cfg["interval"] == 0.5 and cfg["seed"] == 3 and cfg["lr"] == 0.05
    f.write_text("[count]\nsteps = 9\n")  # a table named after the stage works too
    assert resolve_config("count", f)["steps"] == 9


@pytest.mark.parametrize(("sets", "msg"), [
    (["nope=1"], "unknown config key 'nope'"),
    (["steps=1.5"], "steps: '1.5' is not an int"),
    (["interval=fast"], "interval: 'fast' is not a float"),
    (["steps"], "expected key=value"),
])
def test_bad_sets(sets: list[str], msg: str) -> None:
    with pytest.raises(ConfigError, match=msg):
        resolve_config("count", None, sets)


def test_bad_file(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("steps = 'many'\n")
    with pytest.raises(ConfigError, match=r"c.toml: steps: 'many' is not an int"):
        resolve_config("count", f)
    f.write_text("steps = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        resolve_config("count", f)
    with pytest.raises(ConfigError, match="no such file"):
        resolve_config("count", tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="unknown stage 'sftt'"):
        resolve_config("sftt")


def test_relative_paths_become_absolute_at_launch(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tok").mkdir()
    (tmp_path / "tok" / "tokenizer.json").write_text("{}")
    (tmp_path / "ds").mkdir()
    cfg = resolve_config("data_sft", None, ["tokenizer=tok", "out=ds/sft", "source=bundled"])
    assert cfg["tokenizer"] == str(tmp_path / "tok")  # exists: a path
    assert cfg["out"] == str(tmp_path / "ds" / "sft")  # outputs always
    assert cfg["source"] == "bundled"  # not a path on disk: a set name stays as it is
    assert resolve_config("data_sft", None, ["tokenizer=org/model"])["tokenizer"] == "org/model"


@pytest.mark.parametrize(("stage", "sets", "msg"), [
    ("count", ["metrics_per_step=99"], r"--set: metrics_per_step: 99 is out of range \(1\.\.8\)"),
    ("count", ["steps=0"], r"steps: 0 is out of range \(>= 1\)"),
    ("count", ["fail_at=-2"], r"fail_at: -2 is out of range \(>= -1\)"),
    ("data_pairs", ["kinds=random,nearest"], r"kinds: unknown value 'nearest' \(expected random, closest\)"),
    ("data_pairs", ["max_triplets=-1"], r"max_triplets: -1 is out of range"),
    ("data_sft", ["tokenizer=org/m", "languages=cobol"], r"languages: unknown value 'cobol'"),
    ("judge", ["solutions=s.jsonl", "sandbox=podman"], r"sandbox: unknown value 'podman' \(expected docker, bwrap\)"),
    ("judge", ["solutions=s.jsonl", "workers=0"], r"workers: 0 is out of range \(>= 1\)"),
])
def test_declared_ranges_and_choices_are_checked(stage: str, sets: list[str], msg: str) -> None:
    with pytest.raises(ConfigError, match=msg):
        resolve_config(stage, None, sets)
    lo_hi = resolve_config("count", None, ["metrics_per_step=8", "steps=1", "fail_at=-1"])  # the bounds themselves pass
    assert (lo_hi["metrics_per_step"], lo_hi["steps"]) == (8, 1)


def test_range_is_checked_for_file_values_too(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("metrics_per_step = 0\n")
    with pytest.raises(ConfigError, match=r"c.toml: metrics_per_step: 0 is out of range \(1\.\.8\)"):
        resolve_config("count", f)


def test_unreadable_config_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        resolve_config("count", tmp_path)
    f = tmp_path / "latin1.toml"
    f.write_bytes(b"# caf\xe9\nsteps = 3\n")
    with pytest.raises(ConfigError, match=r"latin1.toml: not UTF-8"):
        resolve_config("count", f)


def test_launch_checks_refuse_missing_inputs_and_full_outputs(tmp_path: Path) -> None:
    """The same Config.check() that `iotatui data sft|pairs` runs refuses these at `iotatui launch`."""
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x")
    cases = [
        ("data_sft", [f"tokenizer={tmp_path / 'nope'}"], "tokenizer: model .*nope: no such directory"),
        ("data_pairs", [f"out={full}"], "out: .*full already exists and is not empty"),
        ("data_pairs", [f"dump={tmp_path / 'd.jsonl'}"], "dump: .*d.jsonl: no such file"),
        ("data_pairs", [f"source={tmp_path / 'p.jsonl'}"], "problem source .*p.jsonl.*no such file"),
        ("data_pairs", ["split=test"], "split: 'test' is held out"),
        ("data_pairs", [f"out={tmp_path / 'no' / 'parent'}"], "parent directory .* does not exist"),
    ]
    for stage, sets, msg in cases:
        with pytest.raises(ConfigError, match=msg):
            resolve_config(stage, None, sets)
    # Overwrite allowed, and another run's output (resolved when the run starts) is not checked yet.
    assert resolve_config("data_pairs", None, [f"out={full}", "overwrite=true"])["out"] == str(full)
    assert resolve_config("data_sft", None, ["tokenizer=run:model-1/model"])["tokenizer"] == "run:model-1/model"


def test_gpu_count_reads_nvidia_smi_once_a_minute(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import iotatui.scheduler as sched
    import iotatui.supervisor as sup
    from iotatui.config import Settings

    smi = tmp_path / "nvidia-smi"
    log = tmp_path / "calls"
    smi.write_text('#!/bin/sh\necho x >> "$FAKE_SMI_LOG"\necho "GPU 0: NVIDIA H100 (UUID: GPU-a)"\n'
                   'echo "GPU 1: NVIDIA H100 (UUID: GPU-b)"\n')
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_SMI_LOG", str(log))
    monkeypatch.setattr(sched, "_GPU_COUNT", None)  # the cache lives with the queue
    assert [sup.gpu_count(Settings()) for _ in range(5)] == [2] * 5
    assert log.read_text().count("x") == 1  # cached: the app's once-a-second reconcile must not fork nvidia-smi
    assert sup.gpu_count(Settings(gpus=1)) == 1  # an explicit setting wins


def test_the_judge_stage_counts_the_problems_its_solutions_are_for() -> None:
    """It said ``judging 36 solutions of 44 problems`` for solutions of 3 bundled problems."""
    from backends.judge_stage import judging_line

    assert judging_line(36, 3, 44, "bundled", "docker") == "judging 36 solutions of 3 problems (of 44 in bundled) in docker"
    assert judging_line(1, 1, 1, "/p.json", "bwrap") == "judging 1 solution of 1 problem in bwrap"
