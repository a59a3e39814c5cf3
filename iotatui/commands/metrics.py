"""``iotatui metrics RUN [--key K...] [--json|--csv]``: a run's metric series, for scripts and other tools.

Wired by ``register(app)`` (the lead calls it from ``iotatui/cli.py``). Output:

* default: one line per key, ``key  n=<points>  first=<step>:<value>  last=<step>:<value>``;
* ``--json``: one object ``{key: [[step, value], ...]}`` (steps ascending; a NaN logged as null);
* ``--csv``: a ``step,key,value`` header, then one row per point.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer

from iotatui.commands import fail, open_workspace


def series(store: Any, run_id: str, keys: list[str] | None = None) -> dict[str, list[list[Any]]]:
    """``{key: [[step, value], ...]}`` of one run, keys in first-logged order, steps ascending."""
    out: dict[str, list[list[Any]]] = {}
    for step, key, value in store.metrics_after_step(run_id, -(2**62), keys or None):
        out.setdefault(key, []).append([step, value])
    return out


def metrics_cmd(
    ctx: typer.Context,
    run: Annotated[str, typer.Argument(help="Run id (a unique prefix or suffix is enough).")],
    key: Annotated[list[str] | None, typer.Option("--key", "-k", help="Only this metric key (repeatable).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object {key: [[step, value], ...]}.")] = False,
    csv_out: Annotated[bool, typer.Option("--csv", help="CSV rows step,key,value (with a header).")] = False,
) -> None:
    """Print a run's metric series (all keys, or the ones given with --key)."""
    from iotatui.store import StoreError
    from iotatui.supervisor import reconcile

    if json_out and csv_out:
        raise fail("--json and --csv: choose one")
    ws = open_workspace(ctx, create=False)
    try:
        reconcile(ws)  # ingest what a running run wrote since the last read
        row = ws.store.resolve_run(run)
        data = series(ws.store, row["id"])
    except StoreError as e:
        raise fail(str(e)) from None
    finally:
        ws.close()
    if key:
        missing = [k for k in key if k not in data]
        if missing:
            raise fail(f"run {row['id']}: no metric {', '.join(map(repr, missing))} (it has: {', '.join(data) or 'none'})")
        data = {k: data[k] for k in dict.fromkeys(key)}
    if json_out:
        typer.echo(json.dumps(data))
    elif csv_out:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["step", "key", "value"])
        rows = sorted(((s, k, v) for k, pts in data.items() for s, v in pts), key=lambda r: r[0])
        for s, k, v in rows:
            w.writerow([s, k, "" if v is None else repr(v)])
    else:
        if not data:
            typer.echo(f"run {row['id']}: no metrics yet")
        for k, pts in data.items():
            typer.echo(f"{k}  n={len(pts)}  first={pts[0][0]}:{pts[0][1]}  last={pts[-1][0]}:{pts[-1][1]}")


def register(app: typer.Typer) -> None:
    """Add ``metrics`` to the main ``iotatui`` app."""
    app.command("metrics")(metrics_cmd)
