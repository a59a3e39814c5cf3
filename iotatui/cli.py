"""The ``iotatui`` command line (Typer). Thin: each command calls the supervisor, store or a subsystem.

Imports here stay light (no torch, trl, textual at module level) so ``iotatui --help`` starts fast; the
app and heavy subsystems load inside the command that needs them.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from iotatui.commands import fail, open_workspace
from iotatui.config import resolve_home
from iotatui.stages import ConfigError
from iotatui.store import ACTIVE, QUEUED, StoreError

app = typer.Typer(
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Terminal experiment manager for RLHF on code models. With no command, opens the app.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
bench_app = typer.Typer(help="Benchmarks: ours vs a baseline in the same run, with the ratio.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")

RUN_FIELDS = ("id", "stage", "status", "parent", "after", "pid", "host", "attempt", "created", "started", "finished",
              "exit_code", "error", "last_step", "progress_done", "progress_total", "gpu_ids")


def _home(ctx: typer.Context) -> Path:
    return ctx.obj["home"] if ctx.obj else resolve_home()


def _workspace(ctx: typer.Context, reconcile: bool = True, create: bool = True):  # type: ignore[no-untyped-def]
    """The workspace, or one line + exit 2; ``create=False`` for commands that only read or act on existing runs."""
    from iotatui.supervisor import reconcile as _reconcile

    ws = open_workspace(ctx, create=create)
    if reconcile:
        _reconcile(ws)
    return ws


READONLY_REFUSED = frozenset({"launch", "stop", "resume", "delete", "pipeline"})
"""Commands ``--readonly`` refuses: they start, stop or remove runs."""


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    home: Annotated[Path | None, typer.Option("--home", envvar="IOTATUI_HOME", help="Workspace directory "
                                              "(default ./.iotatui).", show_default=False)] = None,
    readonly: Annotated[bool, typer.Option("--readonly", help="Look, don't touch (shared boxes): the app and the "
                                           "commands refuse launch, stop, resume and delete.")] = False,
) -> None:
    ctx.obj = {"home": resolve_home(home), "readonly": readonly}
    if readonly and ctx.invoked_subcommand in READONLY_REFUSED:
        raise fail(f"--readonly: `iotatui {ctx.invoked_subcommand}` changes runs")
    if ctx.invoked_subcommand is None:
        import sqlite3

        from iotatui.app import make_app  # Textual loads only for the app

        try:  # everything that can find the workspace unusable happens here, before the screen is taken over
            ws = _workspace(ctx)
            app_ = make_app(ws, readonly=readonly)
        except ValueError as e:  # a bad settings.toml [keys] table
            raise fail(str(e)) from None
        except sqlite3.DatabaseError as e:  # opened, but damaged further in
            raise fail(f"{ctx.obj['home'] / 'iotatui.db'}: damaged database ({e})") from None
        app_.run()


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the workspace (database, runs/ directory, default settings.toml)."""
    ws = _workspace(ctx, reconcile=False)
    settings = ws.home / "settings.toml"
    if not settings.exists():
        settings.write_text("# iotatui workspace settings (see iotatui/config.py for every key)\n"
                            "max_concurrent_runs = 4\n# gpus = 1\nstop_grace_s = 10\n"
                            "# judge_hosts = [\"unix:///var/run/docker.sock=2\", \"ssh://user@box2=16\"]\n")
    typer.echo(str(ws.home))


@app.command()
def launch(
    ctx: typer.Context,
    stage: Annotated[str, typer.Argument(help="Stage to run (see `iotatui stages`).")],
    config: Annotated[Path | None, typer.Option("--config", "-c", help="TOML file of config values.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", "-s", help="key=value, repeatable; wins over --config.")] = None,
    preset: Annotated[str | None, typer.Option(help="Named defaults: paper (the paper's settings), learn (the "
                                               "curriculum, learning you can see on a CPU) or smoke (tiny, minutes on a "
                                               "CPU); --config and --set override them.")] = None,
    parent: Annotated[str | None, typer.Option(help="Run this one builds on (its lineage parent); the run waits "
                                               "for it and takes its output.")] = None,
    after: Annotated[list[str] | None, typer.Option(help="Start only after this run finished OK (repeatable).")] = None,
    gpus: Annotated[int | None, typer.Option(help="GPUs to reserve (default: the stage's).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the run as JSON.")] = False,
) -> None:
    """Launch a stage as a detached run (it keeps going when this shell or SSH session goes away)."""
    from iotatui import supervisor
    from iotatui.stages import resolve_config

    if gpus is not None and gpus < 0:
        raise fail(f"--gpus: {gpus} is out of range (>= 0)")
    if not _home(ctx).exists():  # a refused first launch must not leave a new workspace behind
        try:
            resolve_config(stage, config, set_ or [], preset=preset)  # (otherwise supervisor.launch checks it, once)
        except ConfigError as e:
            raise fail(str(e)) from None
    ws = _workspace(ctx, reconcile=False)
    try:
        if parent:  # a parent of the wrong kind is refused here, not seconds later by the backend
            from iotatui.launchplan import check_parent

            check_parent(ws, stage, parent)
        run_id = supervisor.launch(ws, stage, config, set_ or [], parent=parent, after=after or [], gpus=gpus,
                                   preset=preset)
    except (ConfigError, StoreError) as e:
        raise fail(str(e)) from None
    run = ws.store.get_run(run_id) or {}
    if json_out:
        typer.echo(json.dumps(_public(run)))
    else:
        typer.echo(f"{run_id}  {run.get('status')}")


def _public(run: dict[str, Any]) -> dict[str, Any]:
    out = {k: run.get(k) for k in RUN_FIELDS}
    out["latest"] = run.get("last_metrics", {})
    out["summary"] = run.get("summary", {})
    return out


def _fmt_time(t: float | None) -> str:
    return time.strftime("%m-%d %H:%M:%S", time.localtime(t)) if t else "-"


@app.command()
def runs(ctx: typer.Context, json_out: Annotated[bool, typer.Option("--json", help="JSON list.")] = False,
         wide: Annotated[bool, typer.Option("--wide", help="Every column, whatever the width (parent, started, "
                                            "the latest metric by key).")] = False) -> None:
    """List runs (reconciles first: dead runs show as crashed). Fits 80 columns unless --wide."""
    ws = _workspace(ctx, create=False)
    rows = ws.store.list_runs()
    if json_out:
        typer.echo(json.dumps([_public(r) for r in rows], indent=1))
        return
    from iotatui.clitable import Column, fit_table

    # Plain aligned text, not a rich table: `iotatui runs` runs in watch loops and rich costs ~35 ms to import.
    # Ids are what every other command takes: never cut or wrap them, whatever the width.
    if wide:
        from iotatui.runview import latest_metric

        cols = [Column(c) for c in ("id", "stage", "status", "parent", "started", "step", "latest")]
        cells = [(r["id"], r["stage"], r["status"], r["parent"] or "", _fmt_time(r["started"]),
                  str(r["last_step"] if r["last_step"] is not None else ""), latest_metric(r["last_metrics"], "="))
                 for r in rows]
        lines = fit_table(cols, cells, width=None)
    else:
        from iotatui.lineage import metric_text, progress_text

        now = time.time()
        cols = [Column("id", keep=True), Column("stage", keep=True), Column("status", keep=True),
                Column("metric", cut=12), Column("progress")]
        short = [(r["id"], r["stage"], r["status"], metric_text(r, short=True), progress_text(r, now)) for r in rows]
        lines = fit_table(cols, short)
    for line in lines:
        typer.echo(line)


@app.command()
def show(ctx: typer.Context, run: Annotated[str, typer.Argument(help="Run id (or a unique prefix/suffix).")],
         json_out: Annotated[bool, typer.Option("--json")] = False,
         wide: Annotated[bool, typer.Option("--wide", help="One line per field (JSON values), however long.")] = False
         ) -> None:
    """A run's status, the inputs it really uses, its config, latest metrics, checkpoints and outputs (80 columns
    unless --wide)."""
    from iotatui.inputs import config_lines, resolved_inputs

    ws = _workspace(ctx, create=False)
    try:
        r = ws.store.resolve_run(run)
    except StoreError as e:
        raise fail(str(e)) from None
    resolved = resolved_inputs(ws.store, r)
    detail = {**_public(r), "config": r["config"], "inputs": r.get("inputs", {}), "run_dir": r["run_dir"],
              "resolved": [{"key": x.key, "value": x.value, "source": x.source, "unused": x.unused} for x in resolved],
              "checkpoints": ws.store.checkpoints(r["id"]), "artifacts": ws.store.artifacts(r["id"])}
    if json_out:
        typer.echo(json.dumps(detail, indent=1, default=str))
        return
    if wide:
        for k, v in detail.items():
            if k in ("created", "started", "finished"):
                v = _fmt_time(v)
            elif isinstance(v, (dict, list)):
                v = json.dumps(v, default=str)
            typer.echo(f"{k:>15}: {v}")
        return
    from iotatui.clitable import wrap

    lines: list[str] = []
    for k in RUN_FIELDS:
        v = detail.get(k)
        if v is None or v in ([], "") or k in ("parent", "after"):
            continue  # the lineage block below says parent and after
        text = _fmt_time(v) if k in ("created", "started", "finished") else str(v)
        if k == "error":
            text = text.splitlines()[0] if text else ""
        lines.append(f"{k:>14}: {text}")
    lines.append(f"{'run_dir':>14}: {r['run_dir']}")
    for title, values in (("latest", detail["latest"]), ("summary", detail["summary"])):
        if values:
            lines += ["", f"{title}:"] + [f"  {k} = {v:.4g}" if isinstance(v, float) else f"  {k} = {v}"
                                          for k, v in values.items()]
    lines += [""] + config_lines(ws.store, r)
    if detail["checkpoints"]:
        lines += ["", "checkpoints:"] + [f"  step {c['step']:>8}  {c['path']}" for c in detail["checkpoints"]]
    if detail["artifacts"]:
        lines += ["", "artifacts:"] + [f"  {a['name']} ({a['kind']})  {a['path']}" for a in detail["artifacts"]]
    for line in lines:
        for part in wrap(line):
            typer.echo(part)


@app.command()
def logs(ctx: typer.Context, run: Annotated[str, typer.Argument(help="Run id.")],
         follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing until the run ends.")] = False,
         stderr: Annotated[bool, typer.Option("--stderr", help="Show stderr.log instead of stdout.log.")] = False,
         events: Annotated[bool, typer.Option("--events/--no-events", help="Merge in the store's log events "
                                              "(lifecycle, run.log lines, failure tracebacks).")] = True,
         raw: Annotated[bool, typer.Option("--raw", help="Every line as written: without it, runs of alike lines "
                                           "(library noise: vLLM weight loading, progress bars) show as their "
                                           "first line and a count.")] = False) -> None:
    """Print a run's log: its process output and the events the store recorded, attempt by attempt."""
    from iotatui.lognoise import Folder
    from iotatui.runview import RunLog
    from iotatui.supervisor import reconcile

    ws = _workspace(ctx, create=False)
    try:
        r = ws.store.resolve_run(run)
    except StoreError as e:
        raise fail(str(e)) from None
    log = RunLog(ws.store, r["id"], r["run_dir"], events=events, streams=("stderr",) if stderr else ("stdout",))

    folder = None if raw else Folder()

    def show(final: bool = False) -> None:
        while True:  # a long backlog comes in chunks
            lines = log.poll(final)
            if folder is not None:
                lines = folder.feed(lines)
            if lines:
                sys.stdout.write("\n".join(lines) + "\n")
                sys.stdout.flush()
            if not log.advanced or log.output_done():
                break
        if final and folder is not None:  # what a run of alike lines still holds
            rest = folder.flush()
            if rest:
                sys.stdout.write("\n".join(rest) + "\n")

    if not follow:
        show(final=True)
        return
    while True:
        show()
        reconcile(ws)
        cur = ws.store.get_run(r["id"]) or r
        if cur["status"] not in (QUEUED, *ACTIVE):
            show(final=True)  # what the run wrote and the store recorded as it ended
            return
        time.sleep(0.5)


@app.command()
def stop(ctx: typer.Context, run: Annotated[str, typer.Argument(help="Run id.")],
         grace: Annotated[float | None, typer.Option(help="Seconds before SIGKILL.")] = None) -> None:
    """Stop a run: SIGTERM to its process group, SIGKILL after the grace period."""
    from iotatui import supervisor

    if grace is not None and grace < 0:
        raise fail(f"--grace: {grace:g} is out of range (>= 0)")
    ws = _workspace(ctx, create=False)
    try:
        r = supervisor.stop(ws, run, grace_s=grace)
    except StoreError as e:
        raise fail(str(e)) from None
    typer.echo(f"{r['id']}  {r['status']}")


@app.command()
def resume(ctx: typer.Context, run: Annotated[str, typer.Argument(help="Run id.")]) -> None:
    """Restart a stopped/crashed/failed run as the same id from its last checkpoint."""
    from iotatui import supervisor

    ws = _workspace(ctx, create=False)
    try:
        r = supervisor.resume(ws, run)
    except StoreError as e:
        raise fail(str(e)) from None
    typer.echo(f"{r['id']}  {r['status']}  from {r.get('resume_from') or 'scratch'}")


@app.command()
def delete(ctx: typer.Context, run: Annotated[str, typer.Argument(help="Run id (or a unique prefix/suffix).")],
           yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (scripts; without a terminal nobody "
                                             "is asked anyway).")] = False,
           grace: Annotated[float | None, typer.Option(help="Seconds before SIGKILL if it is running.")] = None) -> None:
    """Delete a run: stop it if it is running, remove its rows and its run directory (refused while queued or
    running runs depend on it)."""
    from iotatui import supervisor

    if grace is not None and grace < 0:
        raise fail(f"--grace: {grace:g} is out of range (>= 0)")
    ws = _workspace(ctx, create=False)
    try:
        r = ws.store.resolve_run(run)
        if not yes and sys.stdin.isatty():
            what = f"run {r['id']} ({r['status']}) and {r['run_dir']}"
            if not typer.confirm(f"delete {what}?" + (" It is running: it will be stopped." if r["status"] in ACTIVE
                                                      else ""), default=False):
                raise fail("not deleted", code=1)
        out = supervisor.delete(ws, r["id"], grace_s=grace)
    except StoreError as e:
        raise fail(str(e)) from None
    rows = sum(out["rows"].values())
    typer.echo(f"{out['id']}  deleted ({rows} rows{', run dir removed' if out['dir_removed'] else ''})")


@app.command()
def stages(stage: Annotated[str | None, typer.Argument(help="Show one stage's config keys.")] = None,
           preset: Annotated[str | None, typer.Option(help="Show the values this preset resolves to.")] = None) -> None:
    """List the stages, or one stage's config keys with types, defaults and help (or a preset's resolved values)."""
    from iotatui.stages import available_stages, describe, resolve_config

    if stage is None:
        for name, info in available_stages().items():
            typer.echo(f"{name:12} {info.help}")
        return
    try:
        rows = describe(stage)
        if preset:
            values = resolve_config(stage, preset=preset, check=False)
            rows = [(name, typ, values.get(name, default), help_) for name, typ, default, help_ in rows]
    except ConfigError as e:
        raise fail(str(e)) from None
    for name, typ, default, help_ in rows:
        typer.echo(f"{name:24} {typ:8} {default!r:14} {help_}")


@bench_app.command("store")
def bench_store(
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    rows: Annotated[int, typer.Option(help="Metric rows written by the writers in total.")] = 400_000,
    writers: Annotated[int, typer.Option(help="Writer processes.")] = 4,
    table_rows: Annotated[int, typer.Option(help="Rows in the table for the read-latency test.")] = 1_000_000,
) -> None:
    """Ingest rate (4 writer processes -> events files -> SQLite) vs a naive row-per-commit writer; read p95."""
    from iotatui.bench.store_bench import main as run_bench

    run_bench(json_out=json_out, rows=rows, writers=writers, table_rows=table_rows)


@bench_app.command("judge")
def bench_judge(json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False) -> None:
    """Judge throughput: ours vs unsandboxed compile-once runner vs docker-run-per-test."""
    from iotatui.bench.judge_bench import main as run_bench

    run_bench(json_out=json_out)


@bench_app.command("pairs")
def bench_pairs(json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False) -> None:
    """Closest-negative pairing: ours vs a naive pure-Python double loop (identical output required)."""
    from iotatui.bench.pairs_bench import main as run_bench

    run_bench(json_out=json_out)


@bench_app.command("generate")
def bench_generate(json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
                   model: Annotated[str | None, typer.Option(
                       help="small (default: a fresh random 8-layer Llama, ~30M parameters), tiny (the tests' "
                            "2-layer one: overhead-bound), or a model dir.")] = None,
                   n: Annotated[int, typer.Option(help="Samples per prompt (one generate call each) in the "
                                                       "pipelining passes.", min=1)] = 16,
                   problems: Annotated[int, typer.Option(help="Bundled test problems (prompts, at most 10); the "
                                                              "pipelined pass judges one prompt's samples while the "
                                                              "next generate.", min=1)] = 2,
                   pipelining: Annotated[bool, typer.Option(
                       "--pipelining", help="Also the eval's generate/judge overlap on vLLM (Docker; minutes).")] = False,
                   vllm: Annotated[bool, typer.Option(help="Measure vLLM too (its start costs ~20 s here).")] = True,
                   lora: Annotated[bool, typer.Option("--lora", help="Also: a LoRA parent merged first vs served as "
                                                                     "a vLLM adapter.")] = False,
                   split_cores: Annotated[bool, typer.Option(
                       "--split-cores", help="Generation on the first core, judging on the others (a GPU box's "
                                             "disjoint resources, on CPU).")] = False,
                   max_new_tokens: Annotated[int, typer.Option(
                       help="Tokens per sample (fewer: generation is faster than judging, as in a real eval).",
                       min=1)] = 128,
                   repeats: Annotated[int, typer.Option(help="Rounds of the pipelining passes (medians are "
                                                             "reported).", min=1)] = 3,
                   throughput_n: Annotated[int, typer.Option(help="Samples per prompt in the engines' comparison "
                                                                  "(the eval sends up to 1024 per call).",
                                                             min=1)] = 64) -> None:
    """Sampling engines against the CPU's matmul roofline: lean vs transformers generate vs vLLM (tokens/s, fraction,
    ratios), the eval's prompt shape; with --pipelining the eval stage's generate/judge overlap."""
    from iotatui.bench.generate_bench import main as run_bench

    try:
        run_bench(json_out=json_out, model=model, n=n, n_problems=problems, lora=lora, split_cores=split_cores,
                  max_new_tokens=max_new_tokens, repeats=repeats, throughput_n=throughput_n, judge=pipelining,
                  vllm=vllm)
    except ValueError as e:
        raise fail(str(e)) from None


LIGHT_COMMANDS = frozenset({"runs", "show", "logs", "stop", "resume", "init", "launch", "stages", "delete"})
"""Commands scripts and shells call in loops: they run without importing the command groups below."""
_groups_registered = False


def register_groups() -> None:
    """Add the command groups (data, judge, model, bench, metrics, report, pipeline). Their modules derive options
    from stage configs and so import more (~60 ms), which `iotatui runs` in a watch loop should not pay."""
    global _groups_registered
    if _groups_registered:
        return
    _groups_registered = True
    from iotatui.bench import app_bench, learn_bench, rl_bench, train_bench
    from iotatui.commands import data as data_commands
    from iotatui.commands import judge as judge_commands
    from iotatui.commands import merge as merge_commands
    from iotatui.commands import metrics as metrics_commands
    from iotatui.commands import model as model_commands
    from iotatui.commands import pipeline as pipeline_commands
    from iotatui.commands import report as report_commands

    train_bench.register(bench_app)
    rl_bench.register(bench_app)
    app_bench.register(bench_app)
    learn_bench.register(bench_app)
    metrics_commands.register(app)
    report_commands.register(app)
    pipeline_commands.register(app)
    merge_commands.register(model_commands.app)
    app.add_typer(judge_commands.app, name="judge")
    app.add_typer(data_commands.app, name="data")
    app.add_typer(model_commands.app, name="model")


def command_name(argv: list[str]) -> str | None:
    """The subcommand in ``argv`` (the first word that is not a root option or its value), or None."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--home":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


# Decided at import, from the process's own argv: a light command registers no group; anything else (help, a
# group, an import from tests or scripts) gets every command.
if command_name(sys.argv[1:]) not in LIGHT_COMMANDS:
    register_groups()


def main() -> None:
    app()
