"""Typer options derived from a stage's ``Config`` dataclass, so ``iotatui data …``/``iotatui judge`` and
``iotatui launch STAGE --set`` share one declaration of every option: name, type, default, help and range.

    @app.command("pairs")
    @config_options(data_pairs.Config, required=("out",))
    def pairs_cmd(cfg: data_pairs.Config, json_out: JsonOut = False) -> None: ...

The command receives the checked ``Config`` (coerced and range-checked by :func:`iotatui.stages.build_config`, its
``__post_init__`` and launch ``check()`` run); its own parameters (``--json`` …) follow the derived ones. Every
value is parsed by the stages' coercer, not by Click, so a bad value is the same one line as with ``--set``, naming
the option (``--max-tokens: -1 is out of range (>= 0)``), exit 2.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

import typer

from iotatui.commands import fail

F = TypeVar("F", bound=Callable[..., Any])


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def _metavar(typ: Any) -> str:
    origin, args = typing.get_origin(typ), typing.get_args(typ)
    if origin in (typing.Union, types.UnionType):
        return _metavar(next(a for a in args if a is not type(None)))
    if origin in (list, tuple):
        return f"{_metavar(args[0]) if args else 'TEXT'},…"
    return {int: "INT", float: "FLOAT", str: "TEXT"}.get(typ, "TEXT")


def _default_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return "" if value is None else str(value)


def config_parameters(cls: type, *, exclude: Iterable[str] = (), required: Iterable[str] = (),
                      helps: dict[str, str] | None = None, click_required: bool = True) -> list[inspect.Parameter]:
    """One keyword parameter per field of ``cls`` (minus ``exclude``), annotated with its ``typer.Option``.

    Booleans are ``--x/--no-x`` flags; everything else is taken as text and parsed later by the stages' coercer
    (lists are comma-separated). ``required`` fields get no default (the stage may default them to its run dir),
    or, without ``click_required``, a None default the caller checks (see :func:`config_options`' ``lazy``)."""
    from iotatui.stages import field_help

    hints = typing.get_type_hints(cls)
    skip, need, helps = set(exclude), set(required), helps or {}
    params = []
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        typ = hints[f.name]
        default: Any
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = inspect.Parameter.empty
        text = field_help(f, helps.get(f.name))
        if typ is bool:
            opt = typer.Option(f"{option_name(f.name)}/--no-{f.name.replace('_', '-')}", help=text)
            ann: Any = Annotated[bool, opt]
        else:
            shown = _default_text(default) if default is not inspect.Parameter.empty else ""
            opt = typer.Option(option_name(f.name), help=text, metavar=_metavar(typ), show_default=bool(shown))
            ann = Annotated[str | None, opt] if default is None else Annotated[str, opt]
            if default is not inspect.Parameter.empty:
                default = None if default is None else _default_text(default)
        if f.name in need and click_required:
            default = inspect.Parameter.empty
        elif f.name in need and typ is not bool:
            default = None
            ann = Annotated[str | None, opt]
        params.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=ann))
    return params


def config_options(cls: type, *, exclude: Iterable[str] = (), required: Iterable[str] = (),
                   helps: dict[str, str] | None = None, launch_checks: bool = True,
                   lazy: bool = False) -> Callable[[F], F]:
    """Decorator: the command's options are ``cls``'s fields plus its own parameters after the first (``cfg``).

    ``exclude``d fields keep their dataclass default. ``helps`` overrides a field's help where the CLI means
    something else (``out`` is required here, while the tracked stage defaults it to the run directory).
    ``lazy``: the first argument is a zero-argument function that builds (and checks) the ``Config`` when called,
    for a group callback that must not check anything when a subcommand runs (``iotatui judge image``)."""
    need = list(required)
    params = config_parameters(cls, exclude=exclude, required=need, helps=helps, click_required=not lazy)
    names = [p.name for p in params]

    def make(values: dict[str, Any]) -> Any:
        missing = [option_name(n) for n in need if values.get(n) is None]
        if missing:
            raise fail(f"missing {', '.join(missing)} (see --help)")
        return build_from_options(cls, values, launch_checks=launch_checks)

    def wrap(func: F) -> F:
        own = list(inspect.signature(func, eval_str=True).parameters.values())[1:]
        clash = {p.name for p in own} & set(names)
        if clash:
            raise TypeError(f"{func.__name__}: parameters {sorted(clash)} clash with {cls.__name__} fields")

        @functools.wraps(func)
        def command(**kwargs: Any) -> Any:
            values = {n: kwargs.pop(n) for n in names}
            if lazy:
                return func(lambda: make(values), **kwargs)
            return func(make(values), **kwargs)

        # Typer reads the signature: the derived options, then the command's own (keyword-only keeps any order).
        command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [*params, *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own)])
        command.__annotations__ = {}
        return command  # type: ignore[return-value]

    return wrap


def build_from_options(cls: type, values: dict[str, Any], launch_checks: bool = True) -> Any:
    """CLI text -> checked ``cls`` instance, or exit 2 with one line naming the option."""
    from iotatui.stages import ConfigError, build_config

    try:
        return build_config(cls, values, from_text=True, launch_checks=launch_checks)
    except ConfigError as e:
        msg = str(e)
        key = msg.split(":", 1)[0]
        if key in values:  # errors name the field; on the command line, name the option
            msg = option_name(key) + msg[len(key):]
        raise fail(msg) from None
