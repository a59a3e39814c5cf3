"""``iotatui data …``: inspect problem sources and build SFT / preference datasets on disk.

Bad input prints one line naming the file/field/value and exits 2, writing nothing. The builds are also tracked
stages (``iotatui launch data_sft|data_pairs --set out=…``) for lineage in the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from backends import data_pairs, data_sft  # light: dataclasses + the language table (the options derive from them)
from iotatui.commands import fail
from iotatui.commands._options import config_options

app = typer.Typer(help="Problems, SFT data and preference pairs.", no_args_is_help=True,
                  context_settings={"help_option_names": ["-h", "--help"]})

Source = Annotated[str, typer.Option("--source", help="bundled, a .jsonl/.jsonl.gz/.parquet file, a directory, "
                                                      "or a hub name (deepmind/code_contests).")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _progress(done: int, total: int, label: str) -> None:
    if done == total or done % max(1, total // 10) == 0:
        typer.echo(f"  {label}: {done}/{total}", err=True)


@app.command("problems")
def problems_cmd(source: Source = "bundled",
                 split: Annotated[str | None, typer.Option("--split", help="train, valid or test.")] = None,
                 json_out: JsonOut = False) -> None:
    """Summary of a problem source: problems per split, tests per problem, solutions per language, difficulty."""
    from iotatui.data.problems import DataError, load_problems_report, summarize

    try:
        rep = load_problems_report(source, split)
    except DataError as e:
        raise fail(str(e)) from None
    summary = summarize(rep.problems)
    summary.update(source=source, names=[p.name for p in rep.problems], rows_read=rep.rows_read,
                   rows_skipped=rep.skipped, skip_messages=rep.skip_messages)
    if json_out:
        typer.echo(json.dumps(summary))
        return
    for m in rep.skip_messages:
        typer.echo(f"skipped: {m}", err=True)
    _print_summary(summary)


def _print_summary(s: dict[str, Any]) -> None:
    typer.echo(f"source {s['source']}: {s['problems']} problems ({s['rows_skipped']} malformed rows skipped)")
    typer.echo("  split        " + "  ".join(f"{k}={v}" for k, v in s["splits"].items()))
    typer.echo("  tests/prob   " + "  ".join(f"{k}={v}" for k, v in s["tests_per_problem"].items()))
    typer.echo(f"  {'language':<12} {'correct':>9} {'incorrect':>10}")
    for lang, c in s["solutions"].items():
        typer.echo(f"  {lang:<12} {c['correct']:>9} {c['incorrect']:>10}")
    typer.echo("  difficulty   " + "  ".join(f"{k}={v}" for k, v in s["difficulty"].items()))


@app.command("sft")
@config_options(data_sft.Config, required=("out", "tokenizer"),
                helps={"out": "Output directory (datasets save_to_disk).",
                       "tokenizer": "Tokenizer/model dir or hub id used to measure lengths (the one you will train)."})
def sft_cmd(cfg: data_sft.Config, json_out: JsonOut = False) -> None:
    """Build the SFT dataset (prompt / completion) and print its report."""
    from iotatui.data.problems import DataError

    out = Path(cfg.out)
    try:
        inp, report = data_sft.build(cfg, out, progress=None if json_out else _progress)
    except DataError as e:
        raise fail(str(e)) from None
    report["inputs"] = inp.info
    if json_out:
        typer.echo(json.dumps(report))
        return
    c = report["counts"]
    typer.echo(f"wrote {out}: {c['kept']['total']} samples ({c['kept']['codecontests']} CodeContests, "
               f"{c['kept']['dump']} dump) from {c['problems']} problems")
    typer.echo(f"  dropped: {c['duplicates_dropped']} duplicates, {c['too_long_dropped']} over {report['max_tokens']} "
               f"tokens (cut at the {report['cut_percentile']}th percentile), {c['mix_dropped']} by the mix ratio")
    typer.echo("  token length " + "  ".join(f"{k}={v}" for k, v in report["length_percentiles"].items()))
    for b in report["length_histogram"]:
        if b["count"]:
            hi = b["hi"] if b["hi"] is not None else "inf"
            typer.echo(f"    [{b['lo']:>5}, {hi:>5})  {b['count']}")


@app.command("pairs")
@config_options(data_pairs.Config, required=("out",), helps={"out": "Output directory (datasets save_to_disk)."})
def pairs_cmd(cfg: data_pairs.Config, json_out: JsonOut = False) -> None:
    """Build preference triplets (prompt / chosen / rejected): random and closest incorrect solution per correct."""
    from iotatui.data.problems import DataError

    out = Path(cfg.out)
    try:
        inp, report = data_pairs.build(cfg, out, progress=None if json_out else _progress)
    except DataError as e:
        raise fail(str(e)) from None
    report["inputs"] = inp.info
    if json_out:
        typer.echo(json.dumps(report))
        return
    c = report["counts"]
    typer.echo(f"wrote {out}: {c['triplets']} triplets " + " ".join(f"{k}={v}" for k, v in c["by_kind"].items()))
    typer.echo(f"  from {c['correct']} correct / {c['incorrect']} incorrect solutions in {c['groups']} "
               f"problem-language groups ({c['ambiguous']} incorrect texts equal to a correct one dropped; "
               f"{c['duplicates_skipped']} random negatives equal to the closest one left out as duplicates)")
