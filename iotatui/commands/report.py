"""``iotatui report``: Table-1 rows of eval runs, and the same metrics straight from a judge output file.

    iotatui report [RUN...] [--format table|markdown|csv|json] [--json] [--wide] [--compare]
    iotatui report --verdicts VERDICTS.jsonl [--problems SPEC] [--json]

Rows come from the store (verdicts joined with samples and the ``problems`` table), with 95 % bootstrap intervals
over problems; the paper's reference rows are printed after ours and marked as the paper's. Without RUN ids, every
finished eval (and judge run) of the workspace is reported. The table fits 80 columns (the intervals of solved only,
long notes as numbered footnotes; ``--wide`` for every column and interval). Each eval of a model learned from SFT
(DPO/ORPO/PPO/GRPO -> eval) also gets its learn row, ``eval(ppo) pass@1 0.31 vs sft 0.22 (+0.09, p=0.01)``
(:mod:`iotatui.learnview`), set beside the paper's row for that method. ``--compare`` with two runs adds the
paired comparison (problems one solves and the other does not, exact McNemar test). The metric definitions are in
:mod:`iotatui.evalmetrics`. Wire it with ``report.register(app)``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from iotatui.commands import fail, open_workspace

FORMATS = ("table", "markdown", "csv", "json")
PAPER: list[dict[str, Any]] = [
    {"model": "AlphaCode 9B", "solved": 24, "problems": 165, "compile_rate": None,
     "metric": "10@1k (AlphaCode Table 5: 14.3 % of 165)"},
    {"model": "AlphaCode 1B", "solved": 20, "problems": 165, "compile_rate": None,
     "metric": "10@1k (AlphaCode valid. 12.4 % of 165)"},
    {"model": "DeepSeek-Coder 1.3B-instruct", "solved": 15, "problems": 165, "compile_rate": None, "metric": "solved"},
    {"model": "SFT", "solved": 21, "problems": 165, "compile_rate": 0.787, "metric": "solved"},
    {"model": "SFT+DPO", "solved": 21, "problems": 165, "compile_rate": 0.788, "metric": "solved"},
    {"model": "SFT+ORPO", "solved": 21, "problems": 165, "compile_rate": 0.773, "metric": "solved",
     "note": 'printed "2.1", read as 21',
     "why": 'a count of problems is whole, and the paper\'s text says ORPO "did not improve" on SFT\'s 21'},
    {"model": "SFT+PPO", "solved": 25, "problems": 165, "compile_rate": 0.403, "metric": "solved"},
]
"""The paper's Table 1 (solved of 165 test problems / compile rate); never mixed with our rows. A row whose printed
figure needed a reading says which in its ``note`` (shown beside it) and why (``why``: under the table)."""
KS = (1, 10, 100, 1000)
CI_ITERS = 1000


def _problem_info(store: Any, problem_set: str | None) -> dict[str, dict[str, Any]]:
    rows = store.conn.execute("SELECT name, problem_set, difficulty, cf_rating, n_public FROM problems").fetchall()
    info: dict[str, dict[str, Any]] = {}
    for name, pset, diff, rating, n_public in rows:  # this run's problem set wins over a same-named problem elsewhere
        if name not in info or pset == problem_set:
            info[name] = {"difficulty": diff, "cf_rating": rating, "n_public": n_public}
    return info


def lineage(store: Any, run: dict[str, Any]) -> str:
    """``sft <- dpo <- eval`` style: the stages from the root down to this run (parents followed)."""
    chain: list[str] = []
    seen: set[str] = set()
    cur: dict[str, Any] | None = run
    while cur is not None and cur["id"] not in seen:
        seen.add(cur["id"])
        chain.append(cur["stage"])
        cur = store.get_run(cur["parent"]) if cur.get("parent") else None
    return " → ".join(reversed(chain))


def run_results(store: Any, run_id: str) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    """(SampleResults, problem info) of a run's verdicts in the store."""
    from iotatui.evalmetrics import SampleResult, cluster_key, passed_public

    run = store.get_run(run_id)
    info = _problem_info(store, (run or {}).get("config", {}).get("problems"))
    rows = store.conn.execute(
        "SELECT v.problem, v.verdict, v.fail_test, s.language, s.code, s.meta FROM verdicts v LEFT JOIN samples s "
        "ON s.run = COALESCE(v.sample_run, v.run) AND s.sample_id = v.sample_id WHERE v.run = ?", (run_id,)).fetchall()
    out = []
    for problem, verdict, fail_test, language, code, meta in rows:
        m = json.loads(meta) if meta else {}
        cluster = m.get("cluster") or (cluster_key(code) if code is not None else None)
        out.append(SampleResult(problem, verdict, passed_public(verdict, fail_test, info.get(problem, {}).get("n_public")),
                                cluster, language))
    return out, info


def run_row(store: Any, run_id: str, ci_iters: int = CI_ITERS) -> dict[str, Any]:
    """One Table-1 row for a run: solved / problems, compile rate, pass@k, 10@k, intervals."""
    from iotatui.evalmetrics import summarize

    run = store.get_run(run_id)
    results, info = run_results(store, run_id)
    s = summarize(results, info, KS, ci_iters=ci_iters)
    return {"run": run_id, "stage": run["stage"], "status": run["status"], "lineage": lineage(store, run),
            "solved": s["solved"], "problems": s["problems"], "samples": s["samples"],
            "compile_rate": s["compile_rate"], "pass_at_k": s["pass_at_k"], "ten_at_k": s["ten_at_k"],
            "ci": s.get("ci", {}), "compile_rate_by_language": s["compile_rate_by_language"]}


def verdicts_summary(path: Path, problems: str | None = None, ci_iters: int = 0) -> dict[str, Any]:
    """The metrics of a VERDICTS.jsonl (``iotatui judge``'s output); ``problems`` adds public-test counts (10@k's
    filter) and difficulty/rating. ValueError (one line) for an unreadable or malformed file."""
    from iotatui.evalmetrics import from_verdict_rows, summarize

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read ({getattr(e, 'strerror', None) or e})") from None
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{n}: bad JSON ({e.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("problem"), str) or not isinstance(row.get("verdict"), str):
            raise ValueError(f"{path}:{n}: expected an object with string fields 'problem' and 'verdict'")
        rows.append(row)
    if not rows:
        raise ValueError(f"{path}: no verdicts in the file")
    info: dict[str, dict[str, Any]] = {}
    if problems:
        from judge.inputs import load_problem_set

        probs, _ = load_problem_set(problems)
        info = {name: {"difficulty": getattr(p, "difficulty", None), "cf_rating": getattr(p, "cf_rating", None),
                       "n_public": len(p.public_tests)} for name, p in probs.items()}
    results = from_verdict_rows(rows, {k: v["n_public"] for k, v in info.items()})
    return summarize(results, info, KS, ci_iters=ci_iters, problems=True)


# ---- rendering -----------------------------------------------------------------------------------------------------
def _pct(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.1f}%"


def _ci(row: dict[str, Any], key: str, pct: bool) -> str:
    ci = (row.get("ci") or {}).get(key)
    if not ci:
        return ""
    return f" [{_pct(ci[0])}, {_pct(ci[1])}]" if pct else f" [{ci[0]:g}, {ci[1]:g}]"


def flat_rows(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Header and text cells: ours first, then the paper's (its ``run`` cell says so)."""
    head = ["run", "lineage", "solved", "compile", *(f"pass@{k}" for k in KS), "10@k"]
    cells = []
    for r in rows:
        ten = r["ten_at_k"]
        cells.append([r["run"], r["lineage"], f"{r['solved']}/{r['problems']}{_ci(r, 'solved', False)}",
                      _pct(r["compile_rate"]) + _ci(r, "compile_rate", True),
                      *(_pct(r["pass_at_k"].get(str(k))) + _ci(r, f"pass@{k}", True) if str(k) in r["pass_at_k"]
                        else "-" for k in KS),
                      f"{ten['solved']:.1f} (10@{ten['k']})" if ten.get("k") else "-"])
    for p in PAPER:
        source = f"(paper, Table 1: {p['note']})" if p.get("note") else "(paper, Table 1)"
        cells.append([f"paper: {p['model']}", source, f"{p['solved']}/{p['problems']}",
                      _pct(p["compile_rate"]), *("-" for _ in KS), p["metric"] if p["metric"] != "solved" else "-"])
    return head, cells


COMPACT_KEEP = ("run", "lineage", "solved", "compile")
"""The compact table's leading columns; pass@k and 10@k follow where they fit, anything else becomes footnotes."""
_CI = re.compile(r" \[[^\]]*\]$")
PAPER_METHOD = {"dpo": "SFT+DPO", "orpo": "SFT+ORPO", "ppo": "SFT+PPO"}
"""Which of the paper's Table 1 rows a learn row of ours sits beside (the paper has no GRPO)."""


def compact_table(head: list[str], cells: list[list[str]], width: int = 80) -> list[str]:
    """``flat_rows``' table in ``width`` columns, as two tables: ours (the run id whole, the lineage cut first, the
    intervals of the rates left out but solved's, pass@k only where some run has it) and then the paper's (model,
    solved, compile rate); a paper cell too long for a column (how the paper counted) and any column this layout does
    not know become numbered footnotes under the tables."""
    from iotatui.clitable import Column, fit_table

    idx = {h: i for i, h in enumerate(head)}
    ours = [r for r in cells if not r[0].startswith("paper: ")]
    papers = [r for r in cells if r[0].startswith("paper: ")]
    rates = [h for h in head if h.startswith("pass@") and any(r[idx[h]] != "-" for r in ours)]
    shown = [h for h in (*COMPACT_KEEP, *rates, "10@k") if h in idx]
    extra = [h for h in head if h not in shown and not h.startswith("pass@")]
    notes: list[str] = []

    def cell(r: list[str], h: str, limit: int = 0) -> str:
        text = r[idx[h]] if h == "solved" else _CI.sub("", r[idx[h]])
        if limit and len(text) > limit:  # the paper's "10@1k (AlphaCode Table 5: ...)"
            notes.append(f"{r[0].removeprefix('paper: ')}: {text}")
            return f"[{len(notes)}]"
        return text

    def extras(r: list[str], first: str) -> str:
        if "lineage" in idx and "read as" in r[idx["lineage"]]:  # a paper row whose printed figure needs a reading
            model = r[0].removeprefix("paper: ")
            why = {p["model"]: p.get("why", "") for p in PAPER}.get(model, "")
            notes.append(f"{model}: {r[idx['lineage']].removeprefix('(paper, Table 1: ').rstrip(')')}: {why}")
            first += f" [{len(notes)}]"
        for h in extra:
            if h not in ("lineage",) and r[idx[h]] not in ("", "-") and not r[idx[h]].startswith("(paper"):
                notes.append(f"{r[0].removeprefix('paper: ')}: {h} {r[idx[h]]}")
                first += f" [{len(notes)}]"
        return first

    rows = [[extras(r, r[0])] + [cell(r, h) for h in shown[1:]] for r in ours]
    cols = [Column(h, keep=h in ("run", "solved"), cut=12 if h == "lineage" else 0) for h in shown]
    lines = fit_table(cols, rows, width) if ours else []
    pshown = [h for h in ("solved", "compile", "10@k") if h in idx]
    prows = [[extras(r, r[0])] + [cell(r, h, limit=10 if h == "10@k" else 0) for h in pshown] for r in papers]
    if papers:
        lines += [""] + fit_table([Column("paper (Table 1)", keep=True), *(Column(h) for h in pshown)], prows, width)
    import textwrap

    return lines + [part for i, n in enumerate(notes, 1)
                    for part in textwrap.wrap(f"[{i}] {n}", width, subsequent_indent="    ")]


def learn_lines(learn: list[Any], width: int = 80) -> list[str]:
    """Our learn rows beside the paper's row for each method (its solved count against its own SFT's)."""
    if not learn:
        return []
    from iotatui.clitable import wrap

    paper = {p["model"]: p for p in PAPER}
    sft = paper.get("SFT")
    lines = ["", "learned from SFT, each against its SFT's eval (paired on the same problems):"]
    for v in learn:
        lines += wrap(f"  {v.text()}  ({v.run} vs {v.sft_eval}, {v.problems} problems)", width)
        p = paper.get(PAPER_METHOD.get(v.stage, ""))
        if p is not None and sft is not None:
            delta = p["solved"] - sft["solved"]
            lines += wrap(f"    paper {p['model']}: solved {p['solved']}/{p['problems']} vs SFT {sft['solved']}/"
                          f"{sft['problems']} ({delta:+d}); ours solved {v.solved[0]} vs {v.solved[1]} of "
                          f"{v.problems}", width)
    return lines


def render(rows: list[dict[str, Any]], fmt: str, comparison: dict[str, Any] | None = None,
           learn: list[Any] | None = None, wide: bool = False) -> str:
    learn = learn or []
    if fmt == "json":
        out: dict[str, Any] = {"rows": rows, "paper": PAPER, "learn": [v.as_dict() for v in learn]}
        if comparison is not None:
            out["comparison"] = comparison
        return json.dumps(out, indent=2)
    head, cells = flat_rows(rows)
    if fmt == "table" and not wide:
        lines = compact_table(head, cells) + learn_lines(learn)
        if comparison is not None:
            from iotatui.clitable import wrap

            lines += [""] + wrap(_comparison_line(comparison))
        return "\n".join(lines)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(head)
        w.writerows(cells)
        return buf.getvalue().rstrip("\n")
    if fmt == "markdown":
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    else:
        widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(head)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines += [f"note: paper {p['model']}: {p['note']}: {p['why']}" for p in PAPER if p.get("note")]
    if fmt == "table":
        lines += learn_lines(learn, width=10_000)
    if comparison is not None:
        lines += ["", _comparison_line(comparison)]
    return "\n".join(lines)


def _comparison_line(c: dict[str, Any]) -> str:
    return (f"paired on {c['problems']} problems: both {c['both']}, neither {c['neither']}, only A "
            f"{len(c['only_a'])}, only B {len(c['only_b'])}; McNemar p = {c['mcnemar_p']:.3g} "
            f"({'significant' if c['significant'] else 'not significant'} at 5 %)")


def report(ctx: typer.Context,
           runs: Annotated[list[str] | None, typer.Argument(help="Eval run ids (or unique prefixes).")] = None,
           fmt: Annotated[str, typer.Option("--format", help="table, markdown, csv or json.")] = "table",
           json_out: Annotated[bool, typer.Option("--json", help="Short for --format json.")] = False,
           verdicts: Annotated[Path | None, typer.Option("--verdicts", help="A VERDICTS.jsonl (iotatui judge).")] = None,
           problems: Annotated[str | None, typer.Option("--problems", help="Problem set of --verdicts (public-test "
                                                                             "counts, difficulty).")] = None,
           compare: Annotated[bool, typer.Option("--compare", help="Paired comparison of two runs.")] = False,
           wide: Annotated[bool, typer.Option("--wide", help="Every column and interval, however wide (the table "
                                              "fits 80 columns without it).")] = False) -> None:
    """Table-1 rows (solved, compile rate, pass@k, 10@k with 95 % intervals) next to the paper's; no RUN: every
    finished eval of the workspace. Evals of models learned from SFT get their row against the SFT's eval."""
    fmt = "json" if json_out else fmt
    if fmt not in FORMATS:
        raise fail(f"--format: unknown value {fmt!r} (expected {', '.join(FORMATS)})")
    if verdicts is not None:
        if runs:
            raise fail("give either RUN ids or --verdicts, not both")
        try:
            s = verdicts_summary(verdicts, problems)
        except ValueError as e:
            raise fail(str(e)) from None
        if fmt == "json":
            typer.echo(json.dumps(s, indent=2))
        else:
            typer.echo(f"{s['problems']} problems, {s['samples']} samples: solved {s['solved']}, compile rate "
                       f"{_pct(s['compile_rate'])}, " + ", ".join(f"pass@{k} {_pct(v)}" for k, v in s["pass_at_k"].items()))
        return
    if compare and len(runs or []) != 2:
        raise fail("--compare needs exactly two runs")
    from iotatui.store import StoreError
    from iotatui.supervisor import reconcile

    ws = open_workspace(ctx, create=False)
    try:
        reconcile(ws)  # verdicts still in events files reach the store first
        try:
            ids = [ws.store.resolve_run(r)["id"] for r in runs] if runs else finished_evals(ws.store)
        except StoreError as e:
            raise fail(str(e)) from None
        if not ids:
            raise fail("no finished eval in this workspace yet (give RUN ids, or --verdicts FILE)")
        rows = [run_row(ws.store, i) for i in ids]
        comparison = None
        if compare:
            from iotatui.evalmetrics import paired

            comparison = paired(run_results(ws.store, ids[0])[0], run_results(ws.store, ids[1])[0])
        from iotatui.learnview import versus_sft

        learn = [v for v in (versus_sft(ws.store, ws.store.get_run(i) or {}) for i in ids) if v is not None]
        typer.echo(render(rows, fmt, comparison, learn, wide=wide))
    finally:
        ws.close()


def finished_evals(store: Any) -> list[str]:
    """Every finished run of the workspace with verdicts to report (eval and judge runs), oldest first."""
    from iotatui.runview import JUDGED_STAGES

    return [r["id"] for r in store.list_runs(("finished",)) if r["stage"] in JUDGED_STAGES
            and store.count("verdicts", r["id"]) > 0]


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``iotatui`` app (cli.py: ``report.register(app)``)."""
    app.command("report")(report)
