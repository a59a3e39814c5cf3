"""CLI options derived from a stage Config: one declaration of name, type, default, help and range."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import typer
from typer.testing import CliRunner

from iotatui.commands._options import config_options

runner = CliRunner()


@dataclass
class Cfg:
    out: str = field(default="", metadata={"help": "Where to write."})
    workers: int | None = field(default=None, metadata={"help": "Parallel jobs (default: cores).", "min": 1})
    kinds: tuple[str, ...] = field(default=("a", "b"), metadata={"help": "Kinds.", "choices": ["a", "b", "c"]})
    fast: bool = field(default=False, metadata={"help": "Go fast."})

    def check(self) -> None:
        if self.out == "taken":
            raise ValueError(f"out: {self.out} already exists")


def _app(lazy: bool = False) -> tuple[typer.Typer, list[Any]]:
    got: list[Any] = []
    app = typer.Typer()

    if lazy:
        @app.callback(invoke_without_command=True)
        @config_options(Cfg, required=("out",), lazy=True)
        def group(make: Any, ctx: typer.Context, loud: bool = False) -> None:
            if ctx.invoked_subcommand is None:
                got.append((make(), loud))

        @app.command("sub")
        def sub() -> None:
            got.append("sub")
    else:
        @app.command()
        @config_options(Cfg, required=("out",))
        def cmd(cfg: Cfg, loud: bool = False) -> None:
            got.append((cfg, loud))

        @app.command("other")
        def other() -> None:  # a second command, so `cmd` is a named subcommand
            pass
    return app, got


def test_options_come_from_the_dataclass() -> None:
    app, got = _app()
    r = runner.invoke(app, ["cmd", "--help"], env={"COLUMNS": "250"})  # wide: no help line wraps
    for needle in ("--out", "Where to write.", "--workers", "(allowed: >= 1)", "--kinds", "(allowed: a, b, c)",
                   "--fast", "--no-fast", "--loud"):
        assert needle in r.stdout, (needle, r.stdout)
    r = runner.invoke(app, ["cmd", "--out", "o", "--workers", "3", "--kinds", "c", "--fast", "--loud"])
    assert r.exit_code == 0, r.output
    assert got == [(Cfg(out="o", workers=3, kinds=("c",), fast=True), True)]
    r = runner.invoke(app, ["cmd", "--out", "o"])
    assert got[-1] == (Cfg(out="o"), False)  # defaults are the dataclass's, types included (None, tuple)


def test_bad_values_are_one_line_naming_the_option() -> None:
    app, got = _app()
    for args, msg in ((["--workers", "0"], "--workers: 0 is out of range (>= 1)"),
                      (["--workers", "x"], "--workers: 'x' is not an int"),
                      (["--kinds", "a,z"], "--kinds: unknown value 'z' (expected a, b, c)"),
                      (["--out", "taken"], "--out: taken already exists")):
        r = runner.invoke(app, ["cmd", "--out", "o", *args] if args[0] != "--out" else ["cmd", *args])
        assert r.exit_code == 2 and r.stderr.strip() == f"error: {msg}", (args, r.output)
    assert got == []
    r = runner.invoke(app, ["cmd"])
    assert r.exit_code == 2 and "--out" in r.output  # required here, though the stage has a default


def test_lazy_group_callback_checks_nothing_for_a_subcommand() -> None:
    app, got = _app(lazy=True)
    r = runner.invoke(app, ["sub"])  # `out` is required, but only the group's own run needs it
    assert r.exit_code == 0, r.output
    assert got == ["sub"]
    r = runner.invoke(app, ["--out", "o", "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert got[-1] == (Cfg(out="o", workers=2), False)
    r = runner.invoke(app, ["--workers", "2"])  # the group's own run: required options checked when it builds
    assert r.exit_code == 2 and r.stderr.strip() == "error: missing --out (see --help)", r.output
