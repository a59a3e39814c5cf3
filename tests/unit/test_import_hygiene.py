"""The core never imports Textual, and `iotatui --help` never imports torch/trl (fast start over SSH)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["iotatui.store", "iotatui.supervisor", "iotatui.ingest", "iotatui.cli",
                                    "backends.events", "backends.count", "iotatui.shim"])
def test_core_has_no_textual_or_torch(module: str) -> None:
    code = (f"import sys, {module}; bad = [m for m in ('textual', 'torch', 'trl', 'transformers') if m in sys.modules];"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"{module} imported {out}"


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys; sys.argv = ['iotatui', '--help']\nfrom iotatui.cli import app\ntry:\n    app()\n"
            "except SystemExit:\n    pass\nprint('HEAVY=' + ','.join(m for m in ('torch', 'trl', 'transformers', 'textual',"
            " 'vllm', 'datasets', 'docker') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY=\n" in out or out.rstrip().endswith("HEAVY="), out[-300:]
