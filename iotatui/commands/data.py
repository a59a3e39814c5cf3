"""``iotatui data …``: inspect problem sources and build SFT / preference datasets on disk.

Bad input prints one line naming the file/field/value and exits 2, writing nothing. The builds are also tracked
stages (``iotatui launch data_sft|data_pairs --set out=…``) for lineage in the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from iotatui.commands import fail

app = typer.Typer(help="Problems, SFT data and preference pairs.", no_args_is_help=True,
                  context_settings={"help_option_names": ["-h", "--help"]})

Source = Annotated[str, typer.Option("--source", help="bundled, a .jsonl/.jsonl.gz/.parquet file, a directory, "
                                                      "or a hub name (deepmind/code_contests).")]
Languages = Annotated[str, typer.Option("--languages", help="Comma-separated: python3,cpp,python2,java.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _progress(done: int, total: int, label: str) -> None:
    if done == total or done % max(1, total // 10) == 0:
        typer.echo(f"  {label}: {done}/{total}", err=True)


def _langs(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


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
    summary.update(source=source, rows_read=rep.rows_read, rows_skipped=rep.skipped, skip_messages=rep.skip_messages)
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
def sft_cmd(out: Annotated[Path, typer.Option("--out", help="Output directory (datasets save_to_disk).")],
            tokenizer: Annotated[str, typer.Option("--tokenizer", help="Tokenizer/model dir or hub id used to "
                                                                      "measure lengths (the one you will train).")],
            source: Source = "bundled",
            split: Annotated[str, typer.Option("--split", help="Split to build from (never test).")] = "train",
            dump: Annotated[Path | None, typer.Option("--dump", help="Codeforces submission dump (.jsonl[.gz]).")] = None,
            ratio: Annotated[float, typer.Option("--ratio", help="CodeContests : dump samples (0 = keep all).")] = 1.0,
            max_tokens: Annotated[int, typer.Option("--max-tokens", help="Drop longer samples (0 = 99th pct).")] = 4000,
            languages: Languages = "python3,cpp",
            max_per_problem: Annotated[int, typer.Option(help="Cap solutions per problem (0 = all).")] = 0,
            seed: Annotated[int, typer.Option(help="Shuffle/sampling seed.")] = 0,
            overwrite: Annotated[bool, typer.Option(help="Replace an existing non-empty --out.")] = False,
            json_out: JsonOut = False) -> None:
    """Build the SFT dataset (prompt / completion) and print its report."""
    from iotatui.data.problems import DataError
    from iotatui.data.sft import build_sft
    from iotatui.data.sources import gather

    try:
        inp = gather(source, split, str(dump) if dump else None)
        report = build_sft(inp.problems, out, tokenizer, dump_problems=inp.dump_problems, ratio=ratio,
                           max_tokens=max_tokens, languages=_langs(languages), max_per_problem=max_per_problem,
                           seed=seed, overwrite=overwrite, progress=None if json_out else _progress)
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
def pairs_cmd(out: Annotated[Path, typer.Option("--out", help="Output directory (datasets save_to_disk).")],
              source: Source = "bundled",
              split: Annotated[str, typer.Option("--split", help="Split to build from (never test).")] = "train",
              dump: Annotated[Path | None, typer.Option("--dump", help="Codeforces submission dump.")] = None,
              languages: Languages = "python3,cpp",
              kinds: Annotated[str, typer.Option(help="Comma-separated negatives: random,closest.")] = "random,closest",
              max_correct: Annotated[int, typer.Option(help="Cap correct solutions per problem (0 = all).")] = 0,
              max_incorrect: Annotated[int, typer.Option(help="Cap incorrect solutions per problem (0 = all).")] = 0,
              max_triplets: Annotated[int, typer.Option(help="Cap total triplets (0 = all).")] = 0,
              seed: Annotated[int, typer.Option(help="Sampling seed.")] = 0,
              overwrite: Annotated[bool, typer.Option(help="Replace an existing non-empty --out.")] = False,
              json_out: JsonOut = False) -> None:
    """Build preference triplets (prompt / chosen / rejected): random and closest incorrect solution per correct."""
    from iotatui.data.pairs import build_pairs
    from iotatui.data.problems import DataError
    from iotatui.data.sources import gather

    try:
        inp = gather(source, split, str(dump) if dump else None)
        report = build_pairs(inp.problems + inp.dump_problems, out, languages=_langs(languages), seed=seed,
                             kinds=_langs(kinds), max_correct=max_correct, max_incorrect=max_incorrect,
                             max_triplets=max_triplets, overwrite=overwrite, progress=None if json_out else _progress)
    except DataError as e:
        raise fail(str(e)) from None
    report["inputs"] = inp.info
    if json_out:
        typer.echo(json.dumps(report))
        return
    c = report["counts"]
    typer.echo(f"wrote {out}: {c['triplets']} triplets " + " ".join(f"{k}={v}" for k, v in c["by_kind"].items()))
    typer.echo(f"  from {c['correct']} correct / {c['incorrect']} incorrect solutions in {c['groups']} "
               f"problem-language groups ({c['ambiguous']} incorrect texts equal to a correct one dropped)")
