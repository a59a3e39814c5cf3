"""The judge pool over several Docker hosts: a second ``dockerd`` on its own socket (own data-root, exec-root, pidfile,
no bridge, no iptables: the main daemon is untouched) is a second host. The image is copied to it with save/load,
both hosts run sandboxes and verdicts are the same as on one host; a host that does not answer is one error line."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import pytest

from iotatui.config import JudgeHost, parse_judge_hosts
from judge.image import ImageError, ensure_daemon
from judge.verdict import Solution
from tests.conftest import wait_until
from tests.judge.conftest import judge_containers, make_problem

MAIN_URL = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


@pytest.fixture(scope="module")
def second_daemon() -> Iterator[str]:
    """A second dockerd under a temp dir; its URL. Stopped (and its files removed) at teardown."""
    if os.geteuid() != 0 or not shutil.which("dockerd"):
        pytest.skip("a second dockerd needs root and the dockerd binary")
    # Under /tmp, short: a unix socket path must fit in 108 bytes.
    root = tempfile.mkdtemp(prefix="iotatui-dk2-", dir="/tmp")
    url = f"unix://{root}/docker.sock"
    log = open(os.path.join(root, "dockerd.log"), "wb")
    proc = subprocess.Popen(
        ["dockerd", "--host", url, "--data-root", f"{root}/data", "--exec-root", f"{root}/exec",
         "--pidfile", f"{root}/docker.pid", "--bridge", "none", "--iptables=false", "--ip-masq=false"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def answers() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"the second dockerd exited ({proc.returncode}): "
                            f"{open(os.path.join(root, 'dockerd.log')).read()[-2000:]}")
            try:
                ensure_daemon(url, ping_s=5).close()
                return True
            except ImageError:
                return False

        wait_until(answers, timeout=90, interval=0.5, what="the second dockerd to answer")
        yield url
    finally:
        proc.terminate()  # dockerd stops its own containerd on SIGTERM
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def _mine(client: Any) -> list[str]:
    """Ids of this process's judge containers on one daemon."""
    from judge.sandbox import OWNER_LABEL, owner_id

    return [c.id for c in judge_containers(client) if c.labels.get(OWNER_LABEL) == owner_id()]


@pytest.mark.docker
@pytest.mark.slow
def test_pool_spans_two_daemons(judge_image: str, second_daemon: str) -> None:
    from iotatui.data.problems import load_problems
    from judge.sandbox import DockerPool
    from judge.session import JudgeSession

    bundled = [p for p in load_problems("bundled") if p.solutions.of("python3") and p.incorrect_solutions.of("cpp")]
    assert len(bundled) >= 2
    problems = {p.name: p for p in bundled[:2]}
    sols = []
    for p in problems.values():
        sols.append(Solution(f"{p.name}/good", p.name, "python3", p.solutions.of("python3")[0]))
        sols.append(Solution(f"{p.name}/bad", p.name, "cpp", p.incorrect_solutions.of("cpp")[0]))
    slow = make_problem("slow", [("1 2\n", "3\n")], time_limit=10.0)
    problems["slow"] = slow
    # Two solutions that each hold a sandbox for ~3 s: with both slots warm, each slot takes one of them.
    sleepy = [Solution(f"sleepy{i}", "slow", "python3", "import time\ntime.sleep(3)\nprint(sum(map(int, input().split())))")
              for i in range(2)]

    hosts = parse_judge_hosts([f"{MAIN_URL}=1", {"url": second_daemon, "workers": 1}])
    # Other tests' session-wide pools may hold containers of this process on the main daemon: count ours on top.
    before = set(_mine(ensure_daemon()))
    with DockerPool(1, image=judge_image, hosts=hosts) as pool:
        assert [s.host.name for s in pool.slots] == [MAIN_URL, second_daemon]
        assert len(pool.slots) == pool.workers == 2
        second = pool.hosts[1].client
        assert second.images.get(judge_image)  # copied there with save/load, not rebuilt
        for s in pool.slots:  # warm both: a container and a runner on each daemon
            s.open()
        assert len(set(_mine(pool.hosts[0].client)) - before) == 1 and len(_mine(second)) == 1
        with JudgeSession(problems, pool=pool) as session:
            got = {v.id: v for v in session.stream(sleepy)}
            per_host = pool.served()
            assert all(got[s.id].verdict == "OK" for s in sleepy), {k: (v.verdict, v.error) for k, v in got.items()}
            # two warm-up opens, then one sleepy solution on each host
            assert per_host == {MAIN_URL: 2, second_daemon: 2}, per_host
            got = {v.id: v for v in session.stream(sols)}
        assert sum(pool.served().values()) == 2 + len(sleepy) + len(sols)
        for p in bundled[:2]:
            assert got[f"{p.name}/good"].verdict == "OK", got[f"{p.name}/good"]
            assert got[f"{p.name}/bad"].verdict not in ("OK", "SANDBOX_ERROR"), got[f"{p.name}/bad"]
    # closed: no container of ours left on either daemon
    assert set(_mine(ensure_daemon())) <= before and _mine(ensure_daemon(second_daemon)) == []


def test_a_dead_host_is_one_error_line_naming_it(tmp_path: Any) -> None:
    from judge.sandbox import DockerPool

    url = f"unix://{tmp_path}/nobody.sock"
    t0 = time.monotonic()
    with pytest.raises(ImageError) as e:
        DockerPool(1, hosts=[JudgeHost(url, 1)])
    assert time.monotonic() - t0 < 30  # not the 120 s client timeout
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"judge host {url}: no Docker daemon answers")


def test_judge_hosts_setting_forms() -> None:
    hosts = parse_judge_hosts(["unix:///a.sock=2", "ssh://me@box", {"url": "tcp://b:2376", "workers": 8, "tls": "/c"}])
    assert hosts == [JudgeHost("unix:///a.sock", 2), JudgeHost("ssh://me@box"), JudgeHost("tcp://b:2376", 8, "/c")]
    for bad, why in [("box=2", "expected a unix://"), ("unix:///a=x", "not an int"), ("unix:///a=0", ">= 1"),
                     ({"url": "tcp://b", "port": 1}, "unknown key 'port'"), (3, "expected")]:
        with pytest.raises(ValueError, match=why):
            parse_judge_hosts([bad])
    with pytest.raises(ValueError, match="listed twice"):
        parse_judge_hosts(["unix:///a", "unix:///a=3"])


def test_workspace_settings_name_the_hosts(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from iotatui.config import HOME_ENV, workspace_judge_hosts
    from iotatui.stages import ConfigError

    monkeypatch.setenv(HOME_ENV, str(tmp_path))
    assert workspace_judge_hosts() == []  # no settings.toml: the local daemon
    (tmp_path / "settings.toml").write_text('judge_hosts = ["unix:///a.sock=2", {url = "tcp://b:2376", tls = "/c"}]\n')
    assert workspace_judge_hosts() == [JudgeHost("unix:///a.sock", 2), JudgeHost("tcp://b:2376", None, "/c")]
    (tmp_path / "settings.toml").write_text('judge_hosts = ["box"]\n')
    with pytest.raises(ConfigError, match="settings.toml: judge_hosts: 'box'"):
        workspace_judge_hosts()
