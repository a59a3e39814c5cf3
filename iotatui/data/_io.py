"""Write-then-rename for output directories: a failed or interrupted build never leaves a half-written dataset."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from iotatui.data.problems import DataError


def check_out(out: str | Path, overwrite: bool = False) -> Path:
    """Validate an output directory path before any work starts (fail fast, write nothing)."""
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise DataError(f"out: {out} exists and is not a directory")
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise DataError(f"out: {out} already exists and is not empty (pass --overwrite to replace it)")
    if not out.parent.exists():
        raise DataError(f"out: parent directory {out.parent} does not exist")
    return out


@contextmanager
def atomic_dir(out: str | Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temp directory next to ``out``; on success it replaces ``out``, on error it is removed."""
    out = check_out(out, overwrite)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it 0700; the final directory should look like any mkdir'd one
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists():
        # Move the old one aside first so there is never a moment with neither (rename is atomic on one fs).
        old = out.with_name(f".{out.name}.old-{tmp.name.rsplit('-', 1)[-1]}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, obj: Any) -> None:
    """Pretty JSON via a temp file and rename."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
