"""What each module may import at module level, checked in a fresh interpreter per module.

Why each rule exists:

* the core (store, ingest, supervisor, shim, events, backend runtime, CLI) is what every CLI call and every waiting
  run shim pays for: no Textual, no torch/transformers/trl, no pandas/numpy, and no sqlite_utils (it imports pandas
  and numpy whenever they are installed);
* stage modules are imported by ``stages.config_class`` on every ``launch`` (to validate the config): no Textual,
  no torch/transformers/trl, and no pandas/numpy either;
* ``judge.*`` and ``iotatui.data.*`` are imported by the CLI and by other stages: no Textual and no
  torch/transformers/trl at import (they load them inside the functions that need them).

Modules are found on disk, so a new module is covered the day it is added. One subprocess per module, since imports
interact (one module importing pandas would hide another); they run a few at a time to keep the test quick.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

UI = ("textual",)
ML = ("torch", "transformers", "trl")
FRAMES = ("pandas", "numpy")
SQLITE_UTILS = ("sqlite_utils",)

CORE = ("iotatui.store", "iotatui.ingest", "iotatui.supervisor", "iotatui.shim", "iotatui.procinfo", "iotatui.config",
        "iotatui.stages", "iotatui.cli", "backends.events", "backends._runtime")
# Top-level iotatui modules that are the UI (or start it): Textual is their job.
UI_MODULES = {"iotatui.app", "iotatui.messages", "iotatui.demo", "iotatui.__main__", "iotatui.palette"}


def _modules_under(package_dir: Path, skip: tuple[str, ...] = ()) -> list[str]:
    out = []
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if any(part in skip for part in rel.parts):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append(".".join(parts))
    return out


def _core_modules() -> list[str]:
    """The named core plus any new top-level iotatui module (a split-out queue or workspace lands here)."""
    top = [m for m in _modules_under(ROOT / "iotatui") if m.count(".") == 1]
    return sorted(set(CORE) | {m for m in top if m not in UI_MODULES} - {"iotatui"})


def _stage_names() -> list[str]:
    from iotatui.stages import available_stages

    return sorted(available_stages())


def _cases() -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, python code that does the import, modules it must not load)."""
    cases: list[tuple[str, str, tuple[str, ...]]] = [(m, f"import {m}", UI + ML + FRAMES + SQLITE_UTILS) for m in _core_modules()]
    cases += [(f"stage:{s}", f"from iotatui.stages import config_class; config_class({s!r})", UI + ML + FRAMES)
              for s in _stage_names()]
    cases += [(m, f"import {m}", UI + ML) for m in _modules_under(ROOT / "judge")]
    cases += [(m, f"import {m}", UI + ML) for m in _modules_under(ROOT / "iotatui" / "data", skip=("src",))]
    return cases


CASES = _cases()


def _probe(code: str) -> tuple[int, str]:
    heavy = UI + ML + FRAMES + SQLITE_UTILS
    script = f"import sys\n{code}\nprint('LOADED=' + ','.join(m for m in {heavy!r} if m in sys.modules))"
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    return p.returncode, p.stdout + p.stderr


@functools.cache
def _results() -> dict[str, tuple[int, str]]:
    """Every case's subprocess, run a few at a time (each is mostly interpreter start and imports)."""
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2))) as pool:
        outs = pool.map(lambda c: _probe(c[1]), CASES)
        return {label: out for (label, _, _), out in zip(CASES, outs, strict=True)}


@pytest.mark.parametrize(("label", "forbidden"), [(c[0], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_module_imports_only_what_it_may(label: str, forbidden: tuple[str, ...]) -> None:
    rc, out = _results()[label]
    assert rc == 0, f"importing {label} failed:\n{out[-2000:]}"
    loaded = next(line for line in out.splitlines() if line.startswith("LOADED="))[len("LOADED="):]
    bad = [m for m in loaded.split(",") if m in forbidden]
    assert not bad, f"{label} imports {', '.join(bad)} at module level"


def test_the_rules_cover_what_they_claim() -> None:
    labels = {c[0] for c in CASES}
    assert set(CORE) <= labels and "stage:count" in labels and "judge.engine" in labels
    assert "iotatui.data.pairs" in labels and not any(".src" in x for x in labels)


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys; sys.argv = ['iotatui', '--help']\nfrom iotatui.cli import app\ntry:\n    app()\n"
            "except SystemExit:\n    pass\nprint('HEAVY=' + ','.join(m for m in ('torch', 'trl', 'transformers', 'textual',"
            " 'vllm', 'datasets', 'docker', 'pandas', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(ROOT)).stdout
    assert "HEAVY=\n" in out or out.rstrip().endswith("HEAVY="), out[-300:]
