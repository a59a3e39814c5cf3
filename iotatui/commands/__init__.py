"""Typer sub-apps of the ``iotatui`` CLI (one module per command group) and what they share."""

from __future__ import annotations

import typer


def fail(msg: str, code: int = 2) -> typer.Exit:
    """One clear line on stderr, then exit ``code`` (2 for bad input). Usage: ``raise fail("...")``."""
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(code)
