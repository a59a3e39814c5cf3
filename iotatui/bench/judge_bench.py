"""``iotatui bench judge``: the same workload judged three ways in one run, with the ratios.

Workload: a fixed-seed sample of the bundled problems' correct and incorrect human solutions (Python 3 and C++),
judged fail-fast (public, then private, then generated tests) with the same limits everywhere.

1. **ours**: the Docker pool (one long-lived container per worker, one runner session per container, compile once,
   all tests over one channel). Pool start-up is reported separately (it is paid once per judge process).
2. **unsandboxed**: the cheapest honest judge: plain ``subprocess.run`` on the host, compile once (same g++ flags and
   a precompiled bits/stdc++.h, Debian's ``/usr/bin/python3``), fail-fast, a thread per worker, no isolation.
3. **per-test container**: ``docker run --rm -i`` per test (compiling inside it, as SandboxFusion does), fail-fast;
   slow, so it runs on every ``per_test_every``-th solution only and its rate is per solution of that subsample.

Goals (issue 3): ours >= 0.8x unsandboxed, >= 20x per-test container.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


def _workload(n: int, seed: int, kind: str) -> tuple[dict[str, Any], list[Any]]:
    from iotatui.data.problems import load_problems
    from iotatui.data.schema import CODE_LANGUAGES, JUDGE_LANGUAGES
    from judge.verdict import Solution

    problems = {p.name: p for p in load_problems("bundled")}
    sols = []
    for p in problems.values():
        groups = [("ok", p.solutions)] + ([("bad", p.incorrect_solutions)] if kind == "mixed" else [])
        for tag, group in groups:
            for i, (lang, code) in enumerate(zip(group.language, group.solution, strict=True)):
                if CODE_LANGUAGES.get(lang) in JUDGE_LANGUAGES:
                    sols.append(Solution(f"{p.name}/{tag}/{i}", p.name, CODE_LANGUAGES[lang], code))
    random.Random(seed).shuffle(sols)
    return problems, sols[:n]


def _run_ours(problems: dict[str, Any], sols: list[Any], workers: int) -> tuple[dict[str, Any], float, float]:
    from judge.sandbox import DockerPool
    from judge.session import JudgeSession

    t0 = time.monotonic()
    pool = DockerPool(workers)
    for s in pool.slots:
        s.open()
    startup = time.monotonic() - t0
    try:
        t1 = time.monotonic()
        with JudgeSession(problems, pool=pool) as session:  # the API the eval and RL stages stream into
            got = {v.id: (v.verdict, len(v.tests)) for v in session.stream(sols)}
        return got, time.monotonic() - t1, startup
    finally:
        pool.close()


def _host_pch(tmp: Path) -> list[str]:
    """A PCH for the host g++ with the judge's flags, so the baseline compiles as fast as the sandbox does."""
    from judge.runner_in_container import CXX_FLAGS

    hdrs = sorted(Path("/usr/include").glob("*/c++/*/bits/stdc++.h"))
    if not hdrs:
        return []
    inc = tmp / "pch"
    (inc / "bits").mkdir(parents=True)
    subprocess.run(["g++", *CXX_FLAGS, "-x", "c++-header", str(hdrs[-1]), "-o", str(inc / "bits" / "stdc++.h.gch")],
                   check=True, capture_output=True)
    return ["-I", str(inc)]


def _unsandboxed_one(problem: Any, sol: Any, work: Path, pch: list[str]) -> tuple[str, int]:
    from judge import compare
    from judge.engine import time_limit
    from judge.runner_in_container import CXX_FLAGS

    work.mkdir(parents=True, exist_ok=True)
    tl = time_limit(problem, sol.language)
    if sol.language == "cpp":
        (work / "main.cpp").write_text(sol.code)
        r = subprocess.run(["g++", *CXX_FLAGS, *pch, "-o", str(work / "a.out"), str(work / "main.cpp")],
                           capture_output=True)
        if r.returncode:
            return "COMPILE_ERROR", 0
        argv = [str(work / "a.out")]
    else:
        (work / "main.py").write_text(sol.code)
        r = subprocess.run(["/usr/bin/python3", "-c", "import sys; compile(open(sys.argv[1]).read(), 'm', 'exec')",
                            str(work / "main.py")], capture_output=True)
        if r.returncode:
            return "COMPILE_ERROR", 0
        argv = ["/usr/bin/python3", "-B", str(work / "main.py")]
    env = {"PATH": "/usr/bin:/bin", "PYTHONINTMAXSTRDIGITS": "0"}
    for n, (_, _, inp, out) in enumerate(problem.tests(), 1):
        try:
            p = subprocess.run(argv, input=inp.encode(), capture_output=True, timeout=tl, cwd=work, env=env)
        except subprocess.TimeoutExpired:
            return "TIME_LIMIT", n
        if p.returncode != 0:
            return "RUNTIME_ERROR", n
        if not compare.alphacode(p.stdout, out.encode()):
            return "WRONG_ANSWER", n
    return "OK", len(problem.tests())


def _run_unsandboxed(problems: dict[str, Any], sols: list[Any], workers: int) -> tuple[dict[str, Any], float]:
    with tempfile.TemporaryDirectory() as tmp:
        pch = _host_pch(Path(tmp))
        t0 = time.monotonic()
        with ThreadPoolExecutor(workers) as ex:
            futs = {s.id: ex.submit(_unsandboxed_one, problems[s.problem], s, Path(tmp) / f"w{i}", pch)
                    for i, s in enumerate(sols)}
            got = {k: f.result() for k, f in futs.items()}
        return got, time.monotonic() - t0


def _per_test_one(image: str, problem: Any, sol: Any) -> tuple[str, int]:
    from judge import compare
    from judge.engine import time_limit
    from judge.runner_in_container import CXX_FLAGS

    tl = time_limit(problem, sol.language)
    if sol.language == "cpp":
        script = (f'printf "%s" "$CODE" > /tmp/m.cpp && g++ {" ".join(CXX_FLAGS)} -o /tmp/a /tmp/m.cpp '
                  "2>/dev/null || exit 99; exec /tmp/a")
    else:
        script = 'printf "%s" "$CODE" > /tmp/m.py && exec python3 -B /tmp/m.py'
    for n, (_, _, inp, out) in enumerate(problem.tests(), 1):
        argv = ["docker", "run", "--rm", "-i", "--network", "none", "--read-only", "--tmpfs", "/tmp:exec",
                "--log-driver", "none", "-e", "CODE", image, "bash", "-c", script]
        try:
            p = subprocess.run(argv, input=inp.encode(), capture_output=True, timeout=tl + 10,
                               env={**os.environ, "CODE": sol.code})
        except subprocess.TimeoutExpired:
            return "TIME_LIMIT", n
        if p.returncode == 99:
            return "COMPILE_ERROR", 0
        if p.returncode != 0:
            return "RUNTIME_ERROR", n
        if not compare.alphacode(p.stdout, out.encode()):
            return "WRONG_ANSWER", n
    return "OK", len(problem.tests())


def _run_per_test(problems: dict[str, Any], sols: list[Any], workers: int) -> tuple[dict[str, Any], float]:
    from judge.image import ensure_image

    image = ensure_image(quiet=True)
    t0 = time.monotonic()
    with ThreadPoolExecutor(workers) as ex:
        futs = {s.id: ex.submit(_per_test_one, image, problems[s.problem], s) for s in sols}
        got = {k: f.result() for k, f in futs.items()}
    return got, time.monotonic() - t0


def main(json_out: bool = False, n_solutions: int = 48, per_test_every: int = 4, workers: int | None = None,
         seed: int = 0, kind: str = "mixed", **_: Any) -> dict[str, Any]:
    """Run the three judges on one workload; print a table (or one JSON object) and return the numbers.

    ``kind``: ``mixed`` (correct + incorrect solutions: compile errors, WA after a test or two, TLEs) or ``correct``
    (only correct solutions, so every test runs: the regime of final hidden-test evaluation and dense RL rewards).
    """
    if not shutil.which("docker"):
        raise SystemExit("bench judge needs the docker CLI and a daemon")
    if kind not in ("mixed", "correct"):
        raise ValueError(f"kind: unknown {kind!r} (mixed or correct)")
    workers = workers or len(os.sched_getaffinity(0))
    problems, sols = _workload(n_solutions, seed, kind)
    ours, t_ours, startup = _run_ours(problems, sols, workers)
    base, t_base = _run_unsandboxed(problems, sols, workers)
    sub = sols[::per_test_every]
    per_test, t_pt = _run_per_test(problems, sub, workers)
    # The per-test judge only runs a subsample; its ratio is taken against ours on that very subsample, so both
    # sides see the same mix of compile errors, early failures and time-outs.
    t_ours_sub = _run_ours(problems, sub, workers)[1]
    tests_ours = sum(n for _, n in ours.values())
    tests_pt = sum(n for _, n in per_test.values())
    res: dict[str, Any] = {
        "workload": kind, "solutions": len(sols), "workers": workers, "tests_run": tests_ours,
        "per_test_container_solutions": len(sub), "per_test_container_tests_run": tests_pt,
        "ours_per_s": len(sols) / t_ours, "unsandboxed_per_s": len(sols) / t_base,
        "per_test_container_per_s": len(sub) / t_pt, "ours_startup_s": startup,
        "ours_tests_per_s": tests_ours / t_ours, "per_test_container_tests_per_s": tests_pt / t_pt,
        "ours_s": t_ours, "unsandboxed_s": t_base, "per_test_container_s": t_pt,
        "verdict_agreement_unsandboxed": sum(ours[k][0] == base[k][0] for k in ours) / len(ours),
        "verdict_agreement_per_test": sum(ours[k][0] == per_test[k][0] for k in per_test) / max(1, len(per_test)),
    }
    res["ratio_vs_unsandboxed"] = res["ours_per_s"] / res["unsandboxed_per_s"]
    res["ours_on_subsample_per_s"] = len(sub) / t_ours_sub
    res["ratio_vs_per_test_container"] = res["ours_on_subsample_per_s"] / res["per_test_container_per_s"]
    if json_out:
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()}))
    else:
        print(f"judge bench: {len(sols)} bundled solutions ({kind}; fail-fast; {tests_ours} tests run), "
              f"{workers} workers")
        print(f"  {'judge':<28}{'solutions/s':>12}{'seconds':>10}")
        print(f"  {'ours (docker pool)':<28}{res['ours_per_s']:>12.2f}{t_ours:>10.1f}   (+{startup:.1f}s pool start)")
        print(f"  {'unsandboxed subprocess':<28}{res['unsandboxed_per_s']:>12.2f}{t_base:>10.1f}")
        print(f"  {'docker run per test':<28}{res['per_test_container_per_s']:>12.2f}{t_pt:>10.1f}"
              f"   ({len(sub)} solutions, {tests_pt} tests)")
        print(f"  {'ours, same subsample':<28}{res['ours_on_subsample_per_s']:>12.2f}{t_ours_sub:>10.1f}")
        print(f"  ours / unsandboxed = {res['ratio_vs_unsandboxed']:.2f}x (goal >= 0.8)   "
              f"ours / per-test container = {res['ratio_vs_per_test_container']:.1f}x (goal >= 20)")
        print(f"  verdict agreement: unsandboxed {res['verdict_agreement_unsandboxed']:.0%}, "
              f"per-test container {res['verdict_agreement_per_test']:.0%}")
    return res


if __name__ == "__main__":  # pragma: no cover
    main()
