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
    cfg = resolve_config("data_sft", None, ["tokenizer=tok", "out=ds/sft", "source=bundled"])
    assert cfg["tokenizer"] == str(tmp_path / "tok")  # exists: a path
    assert cfg["out"] == str(tmp_path / "ds" / "sft")  # outputs always
    assert cfg["source"] == "bundled"  # not a path on disk: a set name stays as it is
    assert resolve_config("data_sft", None, ["tokenizer=org/model"])["tokenizer"] == "org/model"


def test_gpu_count_reads_nvidia_smi_once_a_minute(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import iotatui.supervisor as sup
    from iotatui.config import Settings

    smi = tmp_path / "nvidia-smi"
    log = tmp_path / "calls"
    smi.write_text('#!/bin/sh\necho x >> "$FAKE_SMI_LOG"\necho "GPU 0: NVIDIA H100 (UUID: GPU-a)"\n'
                   'echo "GPU 1: NVIDIA H100 (UUID: GPU-b)"\n')
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_SMI_LOG", str(log))
    monkeypatch.setattr(sup, "_GPU_COUNT", None)
    assert [sup.gpu_count(Settings()) for _ in range(5)] == [2] * 5
    assert log.read_text().count("x") == 1  # cached: the app's once-a-second reconcile must not fork nvidia-smi
    assert sup.gpu_count(Settings(gpus=1)) == 1  # an explicit setting wins
