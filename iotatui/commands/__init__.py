"""Typer sub-apps of the ``iotatui`` CLI (one module per command group) and what they share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def fail(msg: str, code: int = 2) -> typer.Exit:
    """One clear line on stderr, then exit ``code`` (2 for bad input). Usage: ``raise fail("...")``."""
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(code)


def open_workspace(ctx: typer.Context, *, create: bool = True) -> Any:
    """The workspace named by ``--home``/``$IOTATUI_HOME``, or one line + exit 2 (a file, an unwritable path, a
    corrupt database; with ``create=False``, a workspace that does not exist yet). Returns a ``Workspace``."""
    from iotatui.config import check_home, resolve_home
    from iotatui.store import StoreError
    from iotatui.workspace import Workspace

    home = Path(ctx.obj["home"] if ctx.obj else resolve_home())
    try:
        check_home(home, create=create)
        return Workspace(home)
    except (ValueError, StoreError) as e:
        raise fail(str(e)) from None
    except OSError as e:  # e.g. /proc/x: the checks above cannot foresee every file system
        raise fail(f"workspace {home}: cannot be created ({e.strerror or e})") from None
