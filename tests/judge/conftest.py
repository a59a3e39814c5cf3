"""Judge fixtures: one real Docker daemon check, one image build and one shared 2-container pool per session.

With no reachable daemon the Docker tests are skipped, with ONE loud line saying why and how to enable them; under
CI (``CI=true``) they fail instead: CI never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from iotatui.data.schema import Problem, Tests
from judge.verdict import Solution, Verdict


def make_problem(name: str, tests: Iterable[tuple[str, str]], time_limit: float = 0.5,
                 memory_limit: int = 256_000_000, private: Iterable[tuple[str, str]] = ()) -> Problem:
    """A problem whose public tests are ``tests`` (input, expected output) pairs."""
    pub, priv = list(tests), list(private)
    return Problem(name=name, description="", public_tests=Tests(tuple(i for i, _ in pub), tuple(o for _, o in pub)),
                   private_tests=Tests(tuple(i for i, _ in priv), tuple(o for _, o in priv)),
                   time_limit_s=time_limit, memory_limit_bytes=memory_limit)


NO_DOCKER = "no Docker daemon: the Docker tests were skipped (start dockerd as root, or run `make test`, which does)"
_NO_DOCKER_WHY: list[str] = []


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


@pytest.hookimpl(trylast=True)  # after `-m` deselection: no daemon check when the Docker tests are not selected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a daemon, set the Docker tests aside (one loud line at the end, not one per test); under CI, keep
    them so that they fail."""
    docker = [i for i in items if i.get_closest_marker("docker") or "docker_client" in getattr(i, "fixturenames", ())]
    if not docker or _in_ci():
        return
    from judge.image import ImageError, ensure_daemon

    try:
        ensure_daemon()
    except ImageError as e:
        _NO_DOCKER_WHY.append(f"{len(docker)} tests: {e}")
        config.hook.pytest_deselected(items=docker)
        chosen = set(docker)
        items[:] = [i for i in items if i not in chosen]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for why in _NO_DOCKER_WHY:
        terminalreporter.write_line(f"*** {NO_DOCKER}. {why} ***", yellow=True, bold=True)


@pytest.fixture(scope="session")
def docker_client() -> Any:
    """A docker-py client for a live daemon. The judge never starts one itself (it says what to run)."""
    from judge.image import ImageError, ensure_daemon

    try:
        return ensure_daemon()
    except ImageError as e:  # the daemon went away after collection
        if _in_ci():
            pytest.fail(f"CI never skips the Docker tests: {e}")
        pytest.skip(f"{NO_DOCKER}: {e}")


@pytest.fixture(scope="session")
def judge_image(docker_client: Any) -> str:
    """The sandbox image, built once (cached by content hash)."""
    from judge.image import ensure_image

    return ensure_image(docker_client, quiet=True)


@pytest.fixture(scope="session")
def pool(judge_image: str) -> Iterator[Any]:
    """Two long-lived sandbox containers shared by the whole session."""
    from judge.sandbox import DockerPool

    p = DockerPool(2, image=judge_image)
    yield p
    p.close()


@pytest.fixture(scope="session")
def judge(pool: Any) -> Any:
    """``judge(problems, solutions, **kw) -> {id: Verdict}`` on the shared pool."""
    from judge.engine import judge_solutions

    def run(problems: Iterable[Problem], solutions: Iterable[Solution], **kw: Any) -> dict[str, Verdict]:
        probs = {p.name: p for p in problems}
        return {v.id: v for v in judge_solutions(probs, list(solutions), pool=pool, **kw)}

    return run


class ContainerRef:
    """Id and labels of a listed container (no per-container inspect, which races with removals)."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.id: str = row["Id"]
        self.labels: dict[str, str] = row.get("Labels") or {}


def judge_containers(client: Any) -> list[ContainerRef]:
    """Every judge-labelled container on the daemon, running or not."""
    return [ContainerRef(r) for r in client.api.containers(all=True, filters={"label": "iotatui.judge=1"})]
