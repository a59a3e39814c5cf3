"""Session-wide fixtures of the training-stage tests: ONE tiny model, the datasets, one workspace.

Everything here is built once per session and shared (each stage run through the supervisor is a fresh Python
process that imports torch + trl, ~10 s on a busy machine, so the tests keep the runs few and short).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runs, _kill_leftovers

TOY_LONG = 3
"""Toy pairs longer than the RM test's max_length (dropped by RewardTrainer; the stage must count them)."""


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny Llama + tokenizer (trained on the bundled corpus) for the whole session."""
    from iotatui.data.models import make_tiny

    return make_tiny(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="session")
def sft_data(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data_sft dataset (prompt/completion) from the bundled problems, lengths measured with the tiny model."""
    from backends import data_sft

    out = tmp_path_factory.mktemp("data") / "sft"
    data_sft.build(data_sft.Config(tokenizer=str(tiny_model), max_tokens=640), out)
    return out


@pytest.fixture(scope="session")
def pairs_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data_pairs triplets (prompt/chosen/rejected) from the bundled problems."""
    from backends import data_pairs

    out = tmp_path_factory.mktemp("data") / "pairs"
    data_pairs.build(data_pairs.Config(max_triplets=64), out)
    return out


def toy_rows(n: int = 40, n_long: int = TOY_LONG) -> dict[str, list[str]]:
    """Separable preference pairs: chosen programs print, rejected ones loop forever; plus ``n_long`` over-long."""
    prompts, chosen, rejected = [], [], []
    for i in range(n):
        prompts.append(f"Problem {i}: read n and print n * {i % 7 + 2}.\n")
        chosen.append(f"n = int(input())\nprint(n * {i % 7 + 2})\n")
        rejected.append("while True:\n    pass\n")
    for i in range(n_long):
        prompts.append(f"Problem long {i}.\n")
        chosen.append("print(1)\n" * 200)
        rejected.append("while True:\n    pass\n")
    return {"prompt": prompts, "chosen": chosen, "rejected": rejected}


@pytest.fixture(scope="session")
def toy_pairs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datasets import Dataset

    out = tmp_path_factory.mktemp("data") / "toy_pairs"
    Dataset.from_dict(toy_rows()).save_to_disk(str(out))
    return out


@pytest.fixture(scope="session")
def train_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    """One workspace for every training run of the session, read in-process."""
    home = tmp_path_factory.mktemp("train") / "ws"
    runs = Runs(home)
    yield runs
    runs.close()
    _kill_leftovers(home)


def series(runs: Runs, run_id: str, key: str) -> list[tuple[int, Any]]:
    return [(s, v) for s, _, v in runs.ws.store.metrics_after_step(run_id, -1, [key])]
