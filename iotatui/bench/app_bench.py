"""``iotatui bench app``: the app's first paint and live refreshes at full scale, measured through Textual's pilot.

* **first paint**: from ``make_app`` (modules already imported) to the runs screen showing all rows of a workspace
  with ~50 runs, painted. Baseline: a bare Textual app whose one DataTable is filled from ``list_runs()`` on mount
  (the floor any runs screen pays).
* **detail refresh**: a live SFT run with 1M metric points (written with ``executemany`` into a real store); the
  run detail screen is open; each update commits 10 new steps x 4 metrics and wakes the follower; measured from the
  commit to the screen having re-rendered after the new rows' message (p95 over ``updates``). Baseline: the naive
  screen, which on every update reloads every row of the run and replots the curve from all of them.
* **eval refresh**: a live eval of 165 problems x 1000 samples (165k verdicts and samples); the eval screen open;
  each update commits 200 new verdicts; same measurement. Baseline: reload every verdict of the run, recompute the
  per-problem stats (``evalmetrics.per_problem``) and rebuild the problems table.
* **runs refresh**: 500 runs in the runs table as ablation grids (50 SFT runs with 9 DPO children each) whose
  configs differ in 10 keys, so the table shows 10 config columns (at 320 columns, where all of them fit); each
  update commits one step of the live run; same measurement. Baseline: reload every run and rebuild the table.

The naive baselines are triggered directly after each commit (no polling delay), so the ratio only counts the work.
"Re-rendered": after the message carrying the new rows reached the app, the next screen refresh has completed
(``wait_for_refresh``), i.e. what a terminal would show. Textual loads only inside the measuring functions.
"""

from __future__ import annotations

import asyncio
import json
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer  # the CLI has it loaded already; Annotated options need it at module level

# Re-exported: the builders are this bench's API for its test.
from iotatui.bench.app_data import (  # noqa: F401
    GRID_KEYS,
    SFT_KEYS,
    add_eval_run,
    add_grid_runs,
    add_metrics,
    add_runs,
    add_sft_run,
    add_verdicts,
    bump_run,
)

GOALS = {"first_paint_ms": 1000.0, "detail_refresh_p95_ms": 50.0, "eval_refresh_p95_ms": 50.0,
         "runs_refresh_p95_ms": 100.0}
SIZE = (160, 48)
RUNS_SIZE = (320, 48)
"""The runs-table refresh is measured wide enough for all of its 10 config columns."""
GRID_RUNS = 500


# ---- measuring through the pilot ---------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    if not values:
        return math.nan
    s = sorted(values)
    return s[min(len(s) - 1, math.ceil(0.95 * len(s)) - 1)]


class Probe:
    """A ``message_hook``: notes when a message carrying row id >= ``want`` for the watched run reaches the app."""

    def __init__(self, kind: type, run_id: str, last_id: Callable[[Any], int]) -> None:
        self.kind, self.run_id, self.last_id = kind, run_id, last_id
        self.want = 1 << 62
        self.seen = 0
        self.arrived = 0.0
        """When the message with the wanted row reached the app (commit -> here: the follower's share)."""
        self.event = asyncio.Event()

    def __call__(self, msg: Any) -> None:
        rows = getattr(msg, "rows", None)
        if isinstance(msg, self.kind) and getattr(msg, "run_id", None) == self.run_id and rows:
            self.seen = max(self.seen, self.last_id(rows[-1]))
            if self.seen >= self.want and not self.event.is_set():
                self.arrived = time.perf_counter()
                self.event.set()

    def expect(self, want: int) -> None:
        self.want = want
        self.event = asyncio.Event()
        if self.seen >= want:
            self.arrived = time.perf_counter()
            self.event.set()


async def _until(pred: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not pred():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}")
        await asyncio.sleep(0.002)


async def _rendered(app: Any) -> float:
    """The time once the current screen's next refresh has happened (what the terminal would show)."""
    await asyncio.sleep(0)  # let the handler of the message just seen finish
    await app.screen.wait_for_refresh()
    return time.perf_counter()


def _table_rows(screen: Any) -> int:
    """Rows the screen's largest table (or tree: the runs screen may show lineage as one) holds."""
    from textual.widgets import DataTable, Tree

    def nodes(node: Any) -> int:
        return sum(1 + nodes(c) for c in node.children)

    n = 0
    for w in screen.query("*"):
        if isinstance(w, DataTable):
            n = max(n, w.row_count)
        elif isinstance(w, Tree):
            n = max(n, nodes(w.root))
    return n


async def first_paint(home: Path, n_runs: int) -> tuple[float, float, float]:
    """(ours, bare-app floor, ours until the runs screen is current but before its rows) in ms."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from iotatui.app import make_app
    from iotatui.workspace import Workspace

    ws = Workspace(home)
    try:
        t0 = time.perf_counter()
        app = make_app(ws)
        async with app.run_test(size=SIZE):
            await _until(lambda: type(app.screen).__name__ == "RunsScreen", 30, "the runs screen")
            screen_ms = (time.perf_counter() - t0) * 1000
            await _until(lambda: _table_rows(app.screen) >= n_runs, 30, "the runs screen's rows")
            ours = (await _rendered(app) - t0) * 1000

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield DataTable()

            def on_mount(self) -> None:
                table = self.query_one(DataTable)
                table.add_columns("id", "stage", "status")
                for r in ws.store.list_runs():
                    table.add_row(r["id"], r["stage"], r["status"])

        t0 = time.perf_counter()
        bare = Bare()
        async with bare.run_test(size=SIZE):
            await _until(lambda: bare.query_one(DataTable).row_count >= n_runs, 30, "the bare table's rows")
            floor = (await _rendered(bare) - t0) * 1000
        return ours, floor, screen_ms
    finally:
        ws.close()


async def idle_cpu(home: Path, n_runs: int, seconds: float) -> tuple[float, float]:
    """(ours, bare app) CPU use in % of one core while idle: the runs screen showing ``n_runs`` ended runs, nothing
    changing, for ``seconds``; CPU time of the whole process (the follower thread included) over wall time."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from iotatui.app import make_app
    from iotatui.workspace import Workspace

    async def idle(app: Any, ready: Callable[[], Any]) -> float:
        async with app.run_test(size=SIZE):
            await _until(ready, 30, "the screen's rows")
            await asyncio.sleep(0.5)  # past the first paint
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.sleep(seconds)  # the measurement itself: the app alone, idle
            return 100 * (time.process_time() - cpu) / (time.perf_counter() - wall)

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    ws = Workspace(home)
    try:
        app = make_app(ws)
        ours = await idle(app, lambda: _table_rows(app.screen) >= n_runs)
        bare = Bare()
        floor = await idle(bare, lambda: True)
        return ours, floor
    finally:
        ws.close()


async def _settled(pilot: Any, app: Any, screen: Any, kind: str, timeout: float = 60.0) -> None:
    """The screen has done its load on mount and watches the follower for ``kind`` rows (a screen that polls by
    itself instead: a few seconds of grace). Writing before that would race the screen's own first read."""
    follower = getattr(app, "follower", None)

    def watching() -> bool:
        return follower is not None and any(
            kind in w.kinds and (w.target is screen or screen in getattr(w.target, "ancestors", ()))
            for w in follower.watches)

    try:
        await _until(watching, timeout if follower is not None else 0, "the screen to watch the follower")
    except TimeoutError:
        await pilot.pause(5.0)
    await pilot.pause(0.5)  # the follower's first pass for the new watch


async def _live_refresh(home: Path, make_screen: Callable[[Any], Any], kind: str, probe: Probe,
                        write: Callable[[Any], int], updates: int, warmup: int = 3) -> tuple[list[float], list[float]]:
    """Open the screen, let it settle, then ``updates`` times: commit new rows, wake the follower, time to render."""
    from iotatui.app import make_app
    from iotatui.store import Store
    from iotatui.workspace import Workspace

    ws = Workspace(home)
    writer = Store(home / "iotatui.db")  # the "backend": its own connection, as an ingester's
    times: list[float] = []
    delivery: list[float] = []
    try:
        app = make_app(ws)
        async with app.run_test(size=SIZE, message_hook=probe) as pilot:
            await _until(lambda: type(app.screen).__name__ == "RunsScreen", 30, "the runs screen")
            screen = make_screen(ws)
            # Pushed from the app's own task: a screen's message loop inherits the context it is started from, and
            # only the app's carries the pilot's message hook (the way a key press would open it).
            app.call_later(app.push_screen, screen)
            await _until(lambda: app.screen is screen, 30, "the screen to open")
            await _settled(pilot, app, screen, kind)
            for i in range(warmup + updates):
                # The commit is the backend's work (another process in real use): the clock starts once it is done.
                last_id = write(writer)
                t0 = time.perf_counter()
                probe.expect(last_id)
                follower = getattr(app, "follower", None)
                if follower is not None:
                    follower.wake()
                await asyncio.wait_for(probe.event.wait(), 30)
                t1 = await _rendered(app)
                if i >= warmup:
                    times.append((t1 - t0) * 1000)
                    delivery.append((probe.arrived - t0) * 1000)
    finally:
        writer.close()
        ws.close()
    return times, delivery


class RunsProbe:
    """A ``message_hook``: notes when a RunsChanged carrying run ``run_id`` at step >= ``want`` reaches the app."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.want = 1 << 62
        self.seen = 0
        self.arrived = 0.0
        self.event = asyncio.Event()

    def __call__(self, msg: Any) -> None:
        from iotatui.messages import RunsChanged

        if isinstance(msg, RunsChanged):
            for r in msg.runs:
                if r.get("id") == self.run_id:
                    self.seen = max(self.seen, int(r.get("last_step") or 0))
            if self.seen >= self.want and not self.event.is_set():
                self.arrived = time.perf_counter()
                self.event.set()

    def expect(self, want: int) -> None:
        self.want = want
        self.event = asyncio.Event()


async def runs_refresh(home: Path, run_id: str, updates: int, n_runs: int = GRID_RUNS, warmup: int = 3
                       ) -> tuple[list[float], list[float], int]:
    """The runs screen over the grid workspace: commit a step of the live run, wake the follower, time until the
    table has been redrawn. (times, delivery, config columns shown)."""
    from iotatui.app import make_app
    from iotatui.store import Store
    from iotatui.workspace import Workspace

    ws = Workspace(home)
    writer = Store(home / "iotatui.db")
    probe = RunsProbe(run_id)
    times: list[float] = []
    delivery: list[float] = []
    shown = 0
    try:
        app = make_app(ws)
        async with app.run_test(size=RUNS_SIZE, message_hook=probe) as pilot:
            await _until(lambda: type(app.screen).__name__ == "RunsScreen", 30, "the runs screen")
            await _until(lambda: _table_rows(app.screen) >= n_runs, 60, "the runs screen's rows")
            await _rendered(app)
            await pilot.pause(0.5)
            for i in range(warmup + updates):
                step = 2 + i
                bump_run(writer, run_id, step)
                t0 = time.perf_counter()
                probe.expect(step)
                app.follower.wake()
                await asyncio.wait_for(probe.event.wait(), 30)
                t1 = await _rendered(app)
                if i >= warmup:
                    times.append((t1 - t0) * 1000)
                    delivery.append((probe.arrived - t0) * 1000)
            table = getattr(app.screen, "table", None)
            shown = len(table.config_columns()) if table is not None and hasattr(table, "config_columns") else 0
    finally:
        writer.close()
        ws.close()
    return times, delivery, shown


async def naive_runs_refresh(home: Path, run_id: str, updates: int) -> list[float]:
    """The baseline runs screen: every update reloads every run and rebuilds the table (config columns included)."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from iotatui.store import Store

    reader, writer = Store(home / "iotatui.db"), Store(home / "iotatui.db")
    keys = [f"k{k}" for k in range(GRID_KEYS)]

    class Naive(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def reload(self) -> None:
            table = self.query_one(DataTable)
            table.clear(columns=True)
            table.add_columns("id", "stage", "status", "step", *keys)
            for r in reader.list_runs():
                cfg = r["config"]
                table.add_row(r["id"], r["stage"], r["status"], str(r["last_step"]), *(str(cfg.get(k, "")) for k in keys))

    times: list[float] = []
    try:
        app = Naive()
        async with app.run_test(size=RUNS_SIZE):
            app.reload()
            await _rendered(app)
            for i in range(updates):
                t0 = time.perf_counter()
                bump_run(writer, run_id, 1000 + i)
                app.reload()
                times.append((await _rendered(app) - t0) * 1000)
    finally:
        reader.close()
        writer.close()
    return times


async def _naive_refresh(home: Path, kind: str, run_id: str, write: Callable[[Any], int], updates: int) -> list[float]:
    """The baseline screen: every update reloads every row of the run and redraws from all of them."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable
    from textual_plotext import PlotextPlot

    from iotatui import evalmetrics
    from iotatui.store import Store

    reader, writer = Store(home / "iotatui.db"), Store(home / "iotatui.db")

    class Naive(App[None]):
        def compose(self) -> ComposeResult:
            yield PlotextPlot() if kind == "metrics" else DataTable()

        def reload(self) -> None:
            if kind == "metrics":
                series: dict[str, list[tuple[int, float]]] = {}
                for step, key, value in reader.conn.execute(
                        "SELECT step, key, value FROM metrics WHERE run = ? ORDER BY id", (run_id,)):
                    series.setdefault(key, []).append((step, value))
                plot = self.query_one(PlotextPlot)
                pts = series.get(SFT_KEYS[0], [])
                plot.plt.clear_data()
                plot.plt.plot([p[0] for p in pts], [p[1] for p in pts], marker="braille")
                plot.refresh()
            else:
                cur = reader.conn.cursor()
                cur.row_factory = __import__("sqlite3").Row
                rows = [dict(r) for r in cur.execute("SELECT problem, verdict, fail_test FROM verdicts WHERE run = ?",
                                                     (run_id,))]
                stats = evalmetrics.per_problem(evalmetrics.from_verdict_rows(rows))
                table = self.query_one(DataTable)
                table.clear(columns=True)
                table.add_columns("problem", "samples", "solved", "pass@1")
                for s in stats.values():
                    p1 = evalmetrics.pass_at_k(s.samples, s.correct, 1) or 0.0
                    table.add_row(s.problem, str(s.samples), str(s.correct), f"{p1:.3f}")

    times: list[float] = []
    try:
        app = Naive()
        async with app.run_test(size=SIZE):
            app.reload()
            await _rendered(app)
            for _ in range(updates):
                t0 = time.perf_counter()
                write(writer)
                app.reload()
                times.append((await _rendered(app) - t0) * 1000)
    finally:
        reader.close()
        writer.close()
    return times


def _screen(module: str, name: str) -> Any:
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def measure(runs: int = 50, points: int = 1_000_000, problems: int = 165, samples: int = 1000, updates: int = 30,
            baseline_updates: int = 5, workdir: Path | None = None, idle_s: float = 5.0,
            grid_runs: int = GRID_RUNS) -> dict[str, Any]:
    """Build the three workspaces, measure ours and the baselines; the JSON-ready result."""
    from iotatui.messages import MetricsReceived
    from iotatui.store import Store

    result: dict[str, Any] = {"first_paint_ms": None, "detail_refresh_p95_ms": None, "eval_refresh_p95_ms": None,
                              "runs_refresh_p95_ms": None, "idle_cpu_pct": {},
                              "goals": {k: f"< {v:g}" for k, v in GOALS.items()}, "baseline": {}, "ratio": {}, "parts": {},
                              "sizes": {"runs": runs, "metric_points": points, "problems": problems,
                                        "samples": samples, "updates": updates, "baseline_updates": baseline_updates}}
    with tempfile.TemporaryDirectory(prefix="iotatui-bench-app-", dir=workdir) as tmp:
        root = Path(tmp)

        def store_at(name: str) -> tuple[Path, Any]:
            home = root / name
            (home / "runs").mkdir(parents=True)
            return home, Store(home / "iotatui.db")

        home, store = store_at("runs")
        add_runs(store, home, runs)
        store.close()
        ours, floor, screen_ms = asyncio.run(first_paint(home, runs))
        result["first_paint_ms"], result["baseline"]["first_paint_ms"] = ours, floor
        result["parts"]["first_paint_screen_ms"] = screen_ms  # the rest: the follower's first pass and the rows
        for refresh in (1.0, 0.05):  # the default, and the smallest refresh_s settings.toml allows
            (home / "settings.toml").write_text(f"refresh_s = {refresh}\n")
            ours_cpu, bare_cpu = asyncio.run(idle_cpu(home, runs, idle_s))
            result["idle_cpu_pct"][f"refresh_{refresh:g}s"] = round(ours_cpu, 2)
            result["baseline"]["idle_cpu_pct"] = round(bare_cpu, 2)

        detail = _screen("iotatui.screens.run_detail", "RunDetailScreen")
        home, store = store_at("detail")
        t = time.perf_counter()
        run_id = add_sft_run(store, home, points)
        result["sizes"]["metric_write_s"] = round(time.perf_counter() - t, 2)
        store.close()
        step = [points // len(SFT_KEYS) + 1]

        def write_metrics(s: Any) -> int:
            step[0] += 10
            return add_metrics(s, run_id, step[0] - 10, 10)

        probe = Probe(MetricsReceived, run_id, lambda row: int(row[0]))
        if detail is not None:
            times, delivery = asyncio.run(_live_refresh(home, lambda ws: detail(ws, run_id), "metrics", probe,
                                                         write_metrics, updates))
            result["detail_refresh_p95_ms"] = p95(times)
            result["parts"]["detail_delivery_p95_ms"] = p95(delivery)
        naive = asyncio.run(_naive_refresh(home, "metrics", run_id, write_metrics, baseline_updates))
        result["baseline"]["detail_refresh_p95_ms"] = p95(naive)

        eval_screen = _screen("iotatui.screens.eval", "EvalScreen")
        verdicts_msg = _screen("iotatui.messages", "VerdictsReceived")
        batch = 200
        held = batch * (updates + 3 + baseline_updates)
        home, store = store_at("eval")
        total = problems * samples
        eval_id = add_eval_run(store, home, problems, samples, min(held, total // 2))
        store.close()
        nxt = [total - min(held, total // 2)]

        def write_verdicts(s: Any) -> int:
            nxt[0] += batch
            return add_verdicts(s, eval_id, problems, nxt[0] - batch, batch)

        if eval_screen is not None and verdicts_msg is not None:
            probe = Probe(verdicts_msg, eval_id, lambda row: int(row["id"]))
            times, delivery = asyncio.run(_live_refresh(home, lambda ws: eval_screen(ws, [eval_id]), "verdicts",
                                                         probe, write_verdicts, updates))
            result["eval_refresh_p95_ms"] = p95(times)
            result["parts"]["eval_delivery_p95_ms"] = p95(delivery)
        naive = asyncio.run(_naive_refresh(home, "verdicts", eval_id, write_verdicts, baseline_updates))
        result["baseline"]["eval_refresh_p95_ms"] = p95(naive)

        home, store = store_at("grid")
        live = add_grid_runs(store, home, grid_runs)
        store.close()
        times, delivery, shown = asyncio.run(runs_refresh(home, live, updates, grid_runs))
        result["runs_refresh_p95_ms"] = p95(times)
        result["parts"]["runs_delivery_p95_ms"] = p95(delivery)
        result["sizes"].update(grid_runs=grid_runs, varying_config_keys=GRID_KEYS, config_columns_shown=shown)
        result["baseline"]["runs_refresh_p95_ms"] = p95(asyncio.run(naive_runs_refresh(home, live,
                                                                                        baseline_updates)))
    for k in ("detail_refresh_p95_ms", "eval_refresh_p95_ms", "runs_refresh_p95_ms"):
        ours_v, base = result[k], result["baseline"][k]
        result["ratio"][k] = base / ours_v if ours_v and base else None  # how many times faster than the naive screen
    result["ratio"]["first_paint_ms"] = (result["first_paint_ms"] / floor) if floor else None
    result["baseline_is"] = {
        "first_paint_ms": "bare Textual app, one DataTable filled from list_runs() on mount (ratio: ours / floor)",
        "detail_refresh_p95_ms": "reload every metric row and replot from all of them per update (ratio: naive / ours)",
        "eval_refresh_p95_ms": "reload every verdict, recompute per-problem stats, rebuild the table (naive / ours)",
        "runs_refresh_p95_ms": "reload every run, rebuild the table with its config columns (naive / ours)",
        "idle_cpu_pct": "a bare Textual app with one empty table, idle as long (the floor of any Textual app)"}
    return result


def main(json_out: bool = False, **sizes: Any) -> dict[str, Any]:
    result = measure(**sizes)
    if json_out:
        print(json.dumps(result))
        return result
    b, r = result["baseline"], result["ratio"]

    def ms(v: Any) -> str:
        return "n/a (screen missing)" if v is None else f"{v:9.1f} ms"

    print(f"app bench ({result['sizes']})")
    print(f"  first paint          {ms(result['first_paint_ms'])}  bare app {ms(b['first_paint_ms'])}  "
          f"goal < 1000 ms")
    idle = "  ".join(f"{k.removeprefix('refresh_')}: {v:.1f}%" for k, v in result["idle_cpu_pct"].items())
    print(f"  idle CPU (refresh_s)  {idle}  bare app {b.get('idle_cpu_pct', 0):.1f}% (of one core)")
    for k, label in (("detail_refresh_p95_ms", "detail refresh p95"), ("eval_refresh_p95_ms", "eval refresh p95"),
                     ("runs_refresh_p95_ms", "runs refresh p95")):
        ratio = f"{r[k]:.1f}x faster" if r.get(k) else "-"
        print(f"  {label:<20} {ms(result[k])}  naive {ms(b[k])}  ({ratio}; goal < {GOALS[k]:g} ms)")
    return result


def register(bench_app: Any) -> None:
    """Add ``app`` to the ``iotatui bench`` group."""
    @bench_app.command("app")
    def bench_app_cmd(
        json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
        runs: Annotated[int, typer.Option(help="Runs in the first-paint workspace.", min=1)] = 50,
        points: Annotated[int, typer.Option(help="Metric points of the live run.", min=4)] = 1_000_000,
        problems: Annotated[int, typer.Option(help="Eval problems.", min=1)] = 165,
        samples: Annotated[int, typer.Option(help="Samples per problem.", min=2)] = 1000,
        updates: Annotated[int, typer.Option(help="Timed updates per screen (p95 over them).", min=1)] = 30,
        grid_runs: Annotated[int, typer.Option(help="Runs in the runs-table refresh workspace (ablation grids "
                                                    "with 10 varying config keys).", min=10)] = GRID_RUNS,
    ) -> None:
        """First paint, and live refresh of run detail (1M points), eval (165 x 1000) and runs (500 runs, 10 config
        columns) screens, via the pilot."""
        main(json_out=json_out, runs=runs, points=points, problems=problems, samples=samples, updates=updates,
             grid_runs=grid_runs)
