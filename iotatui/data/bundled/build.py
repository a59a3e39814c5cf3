"""Build and validate the bundled problem set: ``python -m iotatui.data.bundled.build [--only SLUG] [--check-only]``.

Each problem lives in ``src/<NN>_<slug>/`` (problem.toml, statement.md, gen.py, correct/, incorrect/). The builder
generates the inputs (``random.Random(f"iotatui-bundled:{dirname}")``), plus CodeContests-style *generated* tests:
more small inputs from the same generator under other seeds (``...:generated:K``), as CodeContests derives its
generated tests from the hidden ones; then produces expected outputs with the reference
solution (first ``.cpp`` in ``correct/`` in sorted order, else the first ``.py``), then checks that every correct
solution passes every test with a wide safety margin and that every incorrect solution fails at least one test.
Only when everything passes does it (re)write ``problems.jsonl`` (temp file + rename).

This is a build-time validator running plain host subprocesses, not the sandboxed judge. Time is measured as child
CPU time (robust to other load on the box); a wall-clock guard kills hung programs.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iotatui.data.bundled import BUNDLED_PATH
from iotatui.data.schema import DIFFICULTIES, LANGUAGE_CODES, Problem, Solutions, Tests
from judge import compare
from judge.engine import scaled_time_limit
from judge.limits import PYTHON_TIME_MULTIPLIER
from judge.runner_in_container import CXX_FLAGS as RUNNER_CXX_FLAGS

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "src"
OUT_PATH = BUNDLED_PATH
CACHE_DIR = Path(tempfile.gettempdir()) / "iotatui-bundled-cache"
CXX_FLAGS = list(RUNNER_CXX_FLAGS)
"""The judge's compile command (``-DONLINE_JUDGE`` included): a solution validated here compiles the same there."""
PY_MULT = PYTHON_TIME_MULTIPLIER
"""The judge's Python time multiplier; limits go through the judge's own rule (``scaled_time_limit``)."""
SAFETY = 0.5
"""A correct solution must use at most this fraction of its (multiplied) time limit on every test."""
MAX_INPUT_BYTES = 200_000
MAX_PROBLEM_BYTES = 400_000
GEN_ROUNDS = 16
"""How many extra seeds ``private()`` is called with to draw generated tests."""
GEN_MAX_INPUT_BYTES = 4_096
"""Generated tests are small inputs only (the big ones are the private tests' job)."""
GEN_MAX = 40
"""At most this many generated tests per problem (CodeContests' test split averages ~190; our inputs are costlier)."""
SPLITS = ("train", "valid", "test")
BUG_RE = re.compile(r"^\s*(#|//)\s*BUG\b")


class BuildError(Exception):
    """A malformed problem source; the message names the file and field."""


@dataclass
class Solution:
    file: str  # path relative to the problem dir, e.g. "correct/a.py"
    lang: str  # "python3" | "cpp"
    code: str
    correct: bool


@dataclass
class Source:
    dirname: str
    path: Path
    meta: dict[str, Any]
    statement: str
    public: list[str]
    private: list[str]
    generated: list[str] = field(default_factory=list)
    solutions: list[Solution] = field(default_factory=list)

    @property
    def reference(self) -> Solution:
        correct = [s for s in self.solutions if s.correct]
        cpp = [s for s in correct if s.lang == "cpp"]
        return (cpp or correct)[0]


@dataclass
class RunResult:
    status: str  # OK | WA | RTE | TLE | CE
    cpu: float = 0.0
    stdout: str = ""
    detail: str = ""


# ---------------------------------------------------------------------------------------------------------------- load
def _load_gen(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"_bundled_gen_{path.parent.name}", path)
    if spec is None or spec.loader is None:
        raise BuildError(f"{path}: cannot import")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _check_inputs(path: Path, kind: str, inputs: Any) -> list[str]:
    if not isinstance(inputs, list) or not all(isinstance(x, str) for x in inputs):
        raise BuildError(f"{path}: {kind}() must return a list of str")
    for i, x in enumerate(inputs):
        if not x.endswith("\n"):
            raise BuildError(f"{path}: {kind}() input #{i} does not end with a newline")
        if len(x.encode()) > MAX_INPUT_BYTES:
            raise BuildError(f"{path}: {kind}() input #{i} is {len(x.encode())} bytes (max {MAX_INPUT_BYTES})")
    return inputs


def load_source(pdir: Path) -> Source:
    """Read one problem directory and generate its inputs. Raises BuildError naming the bad file/field."""
    toml_path = pdir / "problem.toml"
    try:
        meta = tomllib.loads(toml_path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BuildError(f"{toml_path}: {exc}") from exc
    checks: list[tuple[str, Any]] = [
        ("name", lambda v: isinstance(v, str) and v.strip()),
        ("difficulty", lambda v: v in DIFFICULTIES),
        ("cf_rating", lambda v: isinstance(v, int) and 0 <= v <= 4000),
        ("tags", lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v)),
        ("time_limit_s", lambda v: isinstance(v, (int, float)) and 0 < v <= 20),
        ("memory_limit_bytes", lambda v: isinstance(v, int) and v >= 16_000_000),
        ("split", lambda v: v in SPLITS),
    ]
    for key, ok in checks:
        if key not in meta or not ok(meta[key]):
            raise BuildError(f"{toml_path}: field {key!r} missing or invalid (got {meta.get(key)!r})")
    statement = (pdir / "statement.md").read_text() if (pdir / "statement.md").exists() else ""
    if not statement.strip():
        raise BuildError(f"{pdir / 'statement.md'}: missing or empty")
    gen = _load_gen(pdir / "gen.py")
    rng = random.Random(f"iotatui-bundled:{pdir.name}")
    public = _check_inputs(pdir / "gen.py", "public", gen.public())
    private = _check_inputs(pdir / "gen.py", "private", gen.private(rng))
    if not 1 <= len(public) <= 3:
        raise BuildError(f"{pdir / 'gen.py'}: public() gave {len(public)} inputs (need 1..3)")
    if len(private) < 10:
        raise BuildError(f"{pdir / 'gen.py'}: private() gave {len(private)} inputs (need >= 10)")
    src = Source(pdir.name, pdir, meta, statement, public, private, _generated(gen, pdir.name, public + private))
    for sub, correct in (("correct", True), ("incorrect", False)):
        for f in sorted((pdir / sub).glob("*")):
            lang = {".py": "python3", ".cpp": "cpp"}.get(f.suffix)
            if lang is None:
                continue
            code = f.read_text()
            has_bug = bool(BUG_RE.match(code.splitlines()[0] if code.strip() else ""))
            if has_bug != (not correct):
                need = "must start with a '# BUG:' / '// BUG:' comment" if not correct else "must not carry a BUG line"
                raise BuildError(f"{f}: {need}")
            src.solutions.append(Solution(f"{sub}/{f.name}", lang, code, correct))
    if not any(s.correct for s in src.solutions):
        raise BuildError(f"{pdir / 'correct'}: no correct solutions")
    return src


def _generated(gen: Any, dirname: str, seen_inputs: list[str]) -> list[str]:
    """Small, distinct inputs drawn from ``private()`` under further seeds (deterministic)."""
    seen = set(seen_inputs)
    out: list[str] = []
    for k in range(GEN_ROUNDS):
        for x in gen.private(random.Random(f"iotatui-bundled:{dirname}:generated:{k}")):
            if isinstance(x, str) and x.endswith("\n") and len(x.encode()) <= GEN_MAX_INPUT_BYTES and x not in seen:
                seen.add(x)
                out.append(x)
                if len(out) == GEN_MAX:
                    return out
    return out


def find_dirs(only: list[str] | None) -> list[Path]:
    """Problem directories, filtered by ``--only`` (full dir name, slug without number, or number)."""
    dirs = sorted(p for p in SRC_DIR.iterdir() if p.is_dir() and (p / "problem.toml").exists())
    if not only:
        return dirs
    out = []
    for want in only:
        hit = [p for p in dirs if want in (p.name, p.name.split("_", 1)[-1], p.name.split("_", 1)[0])]
        if not hit:
            raise BuildError(f"--only {want}: no such problem under {SRC_DIR}")
        out.extend(h for h in hit if h not in out)
    return out


# ------------------------------------------------------------------------------------------------------------- execute
def compile_cpp(code: str) -> tuple[str | None, str]:
    """Compile once into a content-addressed cache (shared by repeated builds). Returns (binary or None, log)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256((" ".join(CXX_FLAGS) + "\0" + code).encode()).hexdigest()[:24]
    binary = CACHE_DIR / key
    if binary.exists():
        return str(binary), ""
    with tempfile.TemporaryDirectory() as tmp:
        srcf = Path(tmp) / "main.cpp"
        srcf.write_text(code)
        tmp_bin = CACHE_DIR / f"{key}.{os.getpid()}.tmp"
        proc = subprocess.run(["g++", *CXX_FLAGS, "-o", str(tmp_bin), str(srcf)], capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            return None, proc.stderr[-2000:]
        os.replace(tmp_bin, binary)
    return str(binary), ""


def _limits(cpu_s: float, mem: int) -> Any:
    def apply() -> None:
        # Hard CPU kill a little past the limit; the verdict itself compares measured CPU time.
        cap = math.ceil(cpu_s) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cap, cap + 1))
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_once(cmd: list[str], stdin: str, limit: float, mem: int) -> RunResult:
    """Run one program on one input. CPU time (child rusage) decides TLE; wall 2x+1s guards sleepers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONINTMAXSTRDIGITS": "0"}
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=cwd, env=env, preexec_fn=_limits(limit, mem))
        try:
            out, err = proc.communicate(stdin.encode(), timeout=2 * limit + 1)
            killed = False
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            killed = True
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    text = out.decode("utf-8", errors="replace")
    if killed or cpu > limit or proc.returncode in (-9, -24):  # SIGKILL / SIGXCPU from the rlimit
        return RunResult("TLE", cpu, text, f"cpu {cpu:.2f}s > {limit:.2f}s")
    if proc.returncode != 0:
        tail = err.decode("utf-8", errors="replace").strip().splitlines()[-1:] or [""]
        return RunResult("RTE", cpu, text, f"exit {proc.returncode}: {tail[0][:120]}")
    return RunResult("OK", cpu, text)


def outputs_match(got: str, want: str) -> bool:
    """The judge's default comparator itself (``judge.compare.alphacode``): the build validates by the same rule the
    sandboxed judge applies, so a solution that passes here cannot be judged WRONG_ANSWER there for the comparison."""
    return compare.alphacode(got.encode(), want.encode())


def _command(sol: dict[str, Any], workdir: str) -> list[str]:
    if sol["lang"] == "cpp":
        return [sol["binary"]]
    path = Path(workdir) / "main.py"
    path.write_text(sol["code"])
    return [sys.executable, str(path)]


def job_compile(code: str) -> tuple[str | None, str]:
    """Pool job: compile one C++ source."""
    return compile_cpp(code)


def job_run(sol: dict[str, Any], tests: list[tuple[str, str, str | None]], limit: float, mem: int,
            stop_on_fail: bool) -> list[tuple[str, RunResult]]:
    """Pool job: run one solution over (label, input, expected-or-None) tests."""
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        cmd = _command(sol, workdir)
        for label, inp, want in tests:
            r = _check(run_once(cmd, inp, limit, mem), want)
            results.append((label, r))
            if stop_on_fail and r.status != "OK":
                break
    return results


def _check(r: RunResult, want: str | None) -> RunResult:
    if r.status == "OK" and want is not None and not outputs_match(r.stdout, want):
        r = RunResult("WA", r.cpu, r.stdout, "output differs")
    if want is not None:
        r.stdout = ""  # keep pickles small; only the reference's outputs are needed
    return r


# --------------------------------------------------------------------------------------------------------------- build
def _norm(s: str) -> str:
    return " ".join(s.split())


def strip_bug_line(code: str) -> str:
    """Drop the leading BUG comment: it documents the mistake for us but would leak the label to a model."""
    lines = code.splitlines(keepends=True)
    return "".join(lines[1:]) if lines and BUG_RE.match(lines[0]) else code


def to_problem(src: Source, pub_out: list[str], priv_out: list[str], gen_out: list[str]) -> Problem:
    """The CodeContests row for one validated source."""
    langs = {"python3": LANGUAGE_CODES["python3"], "cpp": LANGUAGE_CODES["cpp"]}
    good = [s for s in src.solutions if s.correct]
    bad = [s for s in src.solutions if not s.correct]
    return Problem(
        name=src.meta["name"], description=src.statement,
        public_tests=Tests(tuple(src.public), tuple(pub_out)),
        private_tests=Tests(tuple(src.private), tuple(priv_out)),
        generated_tests=Tests(tuple(src.generated), tuple(gen_out)),
        source="UNKNOWN_SOURCE", difficulty=src.meta["difficulty"],
        solutions=Solutions(tuple(langs[s.lang] for s in good), tuple(s.code for s in good)),
        incorrect_solutions=Solutions(tuple(langs[s.lang] for s in bad), tuple(strip_bug_line(s.code) for s in bad)),
        cf_rating=src.meta["cf_rating"], cf_tags=tuple(src.meta["tags"]),
        time_limit_s=float(src.meta["time_limit_s"]), memory_limit_bytes=src.meta["memory_limit_bytes"],
        split=src.meta["split"],
    )


def _limit(src: Source, lang: str) -> float:
    return scaled_time_limit(float(src.meta["time_limit_s"]), lang, PY_MULT)


def _mem(src: Source) -> int:
    # Interpreter headroom, as code_contests does (+32 MiB); Python needs a bit more address space than C++.
    return int(src.meta["memory_limit_bytes"]) + 64 * 2**20


def build(dirs: list[Path], workers: int = 2, log: Any = print) -> tuple[list[Problem], list[str]]:
    """Validate the given problem dirs. Returns (problems, failures); failures empty means all checks passed."""
    failures: list[str] = []
    sources: list[Source] = []
    for d in dirs:
        try:
            sources.append(load_source(d))
        except BuildError as exc:
            failures.append(str(exc))
        except Exception as exc:  # a crashing gen.py is a source error, not a builder crash
            failures.append(f"{d / 'gen.py'}: {type(exc).__name__}: {exc}")
    sols: dict[tuple[str, str], dict[str, Any]] = {}
    with ProcessPoolExecutor(workers) as pool:
        cpp = {(s.dirname, sol.file): pool.submit(job_compile, sol.code)
               for s in sources for sol in s.solutions if sol.lang == "cpp"}
        for s in sources:
            for sol in s.solutions:
                binary, errlog = cpp[(s.dirname, sol.file)].result() if sol.lang == "cpp" else (None, "")
                if sol.lang == "cpp" and binary is None:
                    failures.append(f"{s.dirname}/{sol.file}: compile error: {errlog.strip()[:300]}")
                sols[(s.dirname, sol.file)] = {"lang": sol.lang, "code": sol.code, "binary": binary}
        # Phase 1: reference outputs.
        ok_sources = [s for s in sources if all(sols[(s.dirname, x.file)]["lang"] == "python3"
                                                 or sols[(s.dirname, x.file)]["binary"] for x in s.solutions)]
        refs = {}
        for s in ok_sources:
            tests = [(f"pub#{i}", x, None) for i, x in enumerate(s.public)]
            tests += [(f"priv#{i}", x, None) for i, x in enumerate(s.private)]
            tests += [(f"gen#{i}", x, None) for i, x in enumerate(s.generated)]
            refs[s.dirname] = pool.submit(job_run, sols[(s.dirname, s.reference.file)], tests,
                                          _limit(s, s.reference.lang), _mem(s), True)
        outputs: dict[str, tuple[list[str], list[str], list[str]]] = {}
        ref_times: dict[str, float] = {}
        for s in ok_sources:
            res = refs[s.dirname].result()
            bad = [(lab, r) for lab, r in res if r.status != "OK"]
            if bad:
                failures.append(f"{s.dirname}/{s.reference.file}: reference {bad[0][1].status} on {bad[0][0]} "
                                f"{bad[0][1].detail}")
                continue
            outs = [r.stdout for _, r in res]
            n_pub, n_priv = len(s.public), len(s.private)
            outputs[s.dirname] = (outs[:n_pub], outs[n_pub:n_pub + n_priv], outs[n_pub + n_priv:])
            ref_times[s.dirname] = max(r.cpu for _, r in res) / _limit(s, s.reference.lang)
        # Phase 2: every other solution against the reference outputs.
        futs = {}
        for s in ok_sources:
            if s.dirname not in outputs:
                continue
            pub_out, priv_out, gen_out = outputs[s.dirname]
            tests = [(f"pub#{i}", x, y) for i, (x, y) in enumerate(zip(s.public, pub_out, strict=True))]
            tests += [(f"priv#{i}", x, y) for i, (x, y) in enumerate(zip(s.private, priv_out, strict=True))]
            tests += [(f"gen#{i}", x, y) for i, (x, y) in enumerate(zip(s.generated, gen_out, strict=True))]
            for sol in s.solutions:
                if sol is not s.reference:
                    futs[(s.dirname, sol.file)] = pool.submit(job_run, sols[(s.dirname, sol.file)], tests,
                                                              _limit(s, sol.lang), _mem(s), True)
        problems = []
        for s in ok_sources:
            if s.dirname not in outputs:
                continue
            failures.extend(_report(s, outputs[s.dirname], ref_times[s.dirname], futs, log))
            problems.append(to_problem(s, *outputs[s.dirname]))
    return problems, failures


def _report(s: Source, outs: tuple[list[str], list[str], list[str]], ref_ratio: float, futs: dict,
            log: Any) -> list[str]:
    """Check one problem's results, print its table, return its failures."""
    fails: list[str] = []
    pub_out, priv_out, gen_out = outs
    # The size cap is for public + private; generated tests are capped by count and per-input size instead.
    size = sum(len(x.encode()) for x in s.public + s.private + pub_out + priv_out)
    m = s.meta
    log(f"\n== {s.dirname}  {m['name']!r}  {m['split']} {m['difficulty']} {m['cf_rating']}  tests {len(s.public)}+"
        f"{len(s.private)}+{len(s.generated)}  {size / 1000:.0f} KB  distinct outputs {len(set(map(_norm, pub_out + priv_out)))}")
    if size > MAX_PROBLEM_BYTES:
        fails.append(f"{s.dirname}: inputs+outputs are {size} bytes (max {MAX_PROBLEM_BYTES})")
    if len(set(map(_norm, pub_out + priv_out))) < 2:
        fails.append(f"{s.dirname}: all tests have the same output (a constant program would pass)")
    norm_stmt = _norm(s.statement)
    for i, (x, y) in enumerate(zip(s.public, pub_out, strict=True)):
        if _norm(x) not in norm_stmt or _norm(y) not in norm_stmt:
            fails.append(f"{s.dirname}/statement.md: public test #{i} input/output not shown in the statement")
    for lang in ("python3", "cpp"):
        for correct in (True, False):
            n = sum(1 for x in s.solutions if x.lang == lang and x.correct == correct)
            if 0 < n < 3 or (lang == "python3" and n == 0):
                fails.append(f"{s.dirname}: {n} {'correct' if correct else 'incorrect'} {lang} solutions (need >= 3)")
    for sol in s.solutions:
        tag = f"{s.dirname}/{sol.file}"
        if sol is s.reference:
            line = f"reference   worst {ref_ratio:.2f} of limit"
            if ref_ratio > SAFETY:
                fails.append(f"{tag}: worst CPU {ref_ratio:.2f} of the limit (max {SAFETY})")
            log(f"   {sol.file:<32} {line}")
            continue
        res = futs[(s.dirname, sol.file)].result()
        bad = [(lab, r) for lab, r in res if r.status != "OK"]
        limit = _limit(s, sol.lang)
        worst = max((r.cpu for _, r in res), default=0.0) / limit
        if sol.correct:
            if bad:
                lab, r = bad[0]
                fails.append(f"{tag}: correct solution got {r.status} on {lab} {r.detail}")
                line = f"FAIL        {r.status} on {lab} {r.detail}"
            else:
                line = f"ok          worst {worst:.2f} of limit"
                if worst > SAFETY:
                    fails.append(f"{tag}: worst CPU {worst:.2f} of the limit (max {SAFETY})")
                    line = f"TOO SLOW    worst {worst:.2f} of limit"
        else:
            if not bad:
                fails.append(f"{tag}: incorrect solution passes every test")
                line = "FAIL        passes every test"
            else:
                lab, r = bad[0]
                near = "near-miss (passes public)" if lab.startswith("priv") else "fails public"
                line = f"fails       {r.status} on {lab:<8} {near}"
        log(f"   {sol.file:<32} {line}")
    return fails


def write_jsonl(problems: list[Problem], path: Path = OUT_PATH, merge: bool = False) -> None:
    """Write rows sorted by name via temp file + rename; with merge, replace same-name rows in the existing file."""
    rows = {p.name: p.to_row() for p in problems}
    if merge and path.exists():
        old = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        rows = {**{r["name"]: r for r in old}, **rows}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".problems.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for name in sorted(rows):
            f.write(json.dumps(rows[name], ensure_ascii=False) + "\n")
    os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the shipped file must be readable by everyone
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """CLI entry: validate, then write problems.jsonl unless --check-only. Exit 0 ok, 1 checks failed, 2 bad input."""
    ap = argparse.ArgumentParser(prog="python -m iotatui.data.bundled.build", description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", metavar="SLUG", help="only these problems (merged into the existing file)")
    ap.add_argument("--check-only", action="store_true", help="validate and compare with the file; write nothing")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    try:
        dirs = find_dirs(args.only)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problems, failures = build(dirs, args.workers)
    if args.check_only and OUT_PATH.exists():
        have = {r["name"]: r for r in map(json.loads, OUT_PATH.read_text().splitlines())}
        same = sum(1 for p in problems if have.get(p.name) == json.loads(json.dumps(p.to_row(), ensure_ascii=False)))
        print(f"\n{same}/{len(problems)} problems identical to {OUT_PATH.name}")
    print(f"\n{len(dirs)} problems, {len(failures)} failed checks")
    for f in failures:
        print(f"  FAIL {f}")
    if failures:
        return 1
    if not args.check_only:
        write_jsonl(problems, merge=bool(args.only))
        print(f"wrote {OUT_PATH} ({len(problems)} problems {'merged' if args.only else 'total'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
