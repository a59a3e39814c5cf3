"""The app shell through Textual's pilot against real workspaces: help, palette, read-only, remapped keys, stop that
asks, quit that leaves runs going, the empty workspace; and a corrupt workspace through the real CLI."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iotatui import procinfo
from iotatui.app import make_app
from iotatui.screens.confirm import ConfirmModal
from iotatui.screens.help import HelpScreen
from iotatui.screens.runs import RunsScreen
from iotatui.supervisor import Workspace, launch, reconcile, stop
from iotatui.widgets.run_table import RunTable
from tests.app.pilot import until

T0 = 1_764_000_000.0


def add_run(ws: Workspace, run_id: str, stage: str = "count", status: str = "finished", **fields: Any) -> str:
    """A real row (fixed values) for screens that only read: no process behind it."""
    ws.store.insert_run({"id": run_id, "stage": stage, "status": status, "run_dir": str(ws.run_dir(run_id)),
                         "config": json.dumps({"steps": 3}), "created": T0, "started": T0, "finished": T0 + 5,
                         "attempt": 1, **fields})
    return run_id


def shown_ids(app: Any) -> set[str]:
    tables = app.screen.query(RunTable)
    return {str(k.value) for k in tables.first().rows} if tables else set()


def status_of(ws: Workspace, run_id: str) -> str:
    reconcile(ws)
    return (ws.store.get_run(run_id) or {}).get("status", "")


def help_ids(app: Any) -> set[str]:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return {r.binding_id for r in screen.rows}


async def at_runs_screen(pilot: Any, app: Any) -> RunsScreen:
    await until(pilot, lambda: isinstance(app.screen, RunsScreen), what="the runs screen")
    return app.screen  # type: ignore[no-any-return]


async def test_help_lists_the_keys_of_the_current_screen_and_the_app(ws: Workspace) -> None:
    rid = add_run(ws, "count-1130-000000-aaaa")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await at_runs_screen(pilot, app)
        await until(pilot, lambda: rid in shown_ids(app), what="the run row")
        expected = {a.binding.id for a in screen.active_bindings.values() if a.binding.id}
        assert {"runs.stop", "runs.filter", "quit", "help", "palette"} <= expected
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help screen")
        ids = help_ids(app)
        assert expected <= ids, expected - ids  # every active binding of the runs screen and the app, by id
        row = next(r for r in app.screen.rows if r.binding_id == "runs.stop")  # type: ignore[attr-defined]
        assert (row.keys, row.description, row.default, row.scope) == ("s", "Stop", "", "screen")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen), what="back to the runs screen")

        # on another screen, help lists that screen's keys, not the runs screen's
        app.open_run(rid)
        await until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen", what="the detail screen")
        detail_ids = {a.binding.id for a in app.screen.active_bindings.values() if a.binding.id}
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help over the detail screen")
        ids = help_ids(app)
        assert detail_ids <= ids and "quit" in ids
        assert not any(i.startswith("runs.") for i in ids)


async def test_palette_finds_a_run_by_id_and_opens_it(ws: Workspace) -> None:
    add_run(ws, "count-1130-000000-aaaa")
    target = add_run(ws, "count-1130-000001-beef", status="failed", error="boom")
    app = make_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_runs_screen(pilot, app)
        await until(pilot, lambda: target in shown_ids(app), what="the run rows")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", what="the palette")
        await pilot.press(*"beef")
        # the best hit is our run (by its id's tail); enter opens it through open_run
        from textual.command import CommandList

        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0, what="palette hits")
        first = str(app.screen.query_one(CommandList).get_option_at_index(0).prompt)
        assert target in first, first
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "run_id", None) == target, what="the run opened")
        assert type(app.screen).__name__ == "RunDetailScreen"
        # the highlighted run's own id: its actions (Clone, Stop...) match too, but opening it comes first
        await pilot.press("escape")
        screen = await at_runs_screen(pilot, app)
        screen.table.move_cursor(row=screen.table.get_row_index(target))
        await pilot.pause()
        await pilot.press("ctrl+p")
        await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", what="the palette again")
        await pilot.press(*"000001-beef")
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 2, what="hits for the id")
        prompts = [str(app.screen.query_one(CommandList).get_option_at_index(i).prompt)
                   for i in range(app.screen.query_one(CommandList).option_count)]
        assert prompts[0].startswith(f"Open {target}"), prompts
        assert any(p.startswith("Clone") for p in prompts[1:])
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "run_id", None) == target, what="the run opened again")


async def test_palette_lists_actions_and_hides_write_actions_when_read_only(ws: Workspace) -> None:
    from iotatui.palette import IotaCommands

    rid = add_run(ws, "count-1130-000000-aaaa")
    for readonly in (False, True):
        app = make_app(ws, readonly=readonly)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await at_runs_screen(pilot, app)
            await until(pilot, lambda a=app: rid in shown_ids(a), what="the run row")
            provider = IotaCommands(screen)
            await provider.startup()
            texts = [t for t, _, _ in provider.commands() + provider.run_commands()]
            assert f"Open {rid}  count  finished" in texts
            assert any(t.startswith("Help") for t in texts) and any(t.startswith("Quit") for t in texts)
            writes = [t for t in texts if t.split()[0] in ("Launch", "Stop", "Resume", "Delete", "Clone")]
            assert bool(writes) is not readonly, writes


@pytest.mark.slow
async def test_read_only_hides_and_refuses_stop_and_launch(ws: Workspace) -> None:
    rid = launch(ws, "count", sets=["steps=100000", "interval=0.05"])
    app = make_app(ws, readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await at_runs_screen(pilot, app)
        await until(pilot, lambda: rid in shown_ids(app), what="the run row")
        active = {a.binding.id for a in screen.active_bindings.values()}
        assert not active & {"runs.stop", "runs.delete", "runs.resume", "runs.launch", "launch"}, active
        assert "quit" in active and "help" in active
        await pilot.press("s")  # hidden, so not bound: nothing asks, nothing stops -- and the key says why
        await until(pilot, lambda: any(n.message == "read-only (--readonly): stop is off"
                                       for n in app._notifications), what="the stop notice")
        await pilot.press("l")
        await until(pilot, lambda: any(n.message == "read-only (--readonly): launch is off"
                                       for n in app._notifications), what="the launch notice")
        app.request_action("resume", [rid])  # and the hook itself refuses
        await until(pilot, lambda: any("resume is off" in n.message for n in app._notifications), what="the notice")
        assert not isinstance(app.screen, ConfirmModal)
        assert not [w for w in app.workers if w.name == "act"]
        app.open_launch()
        assert type(app.screen).__name__ != "LaunchScreen"
    assert status_of(ws, rid) == "running"
    stop(ws, rid, grace_s=1)


async def test_remapped_keys_work_and_show_in_the_footer_and_help(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "settings.toml").write_text('[keys]\n"help" = "f1"\n"runs.filter" = "f"\n')
    ws = Workspace(home)
    try:
        add_run(ws, "count-1130-000000-aaaa")
        app = make_app(ws)
        async with app.run_test(size=(120, 24)) as pilot:
            screen = await at_runs_screen(pilot, app)
            from textual.widgets._footer import FooterKey

            await until(pilot, lambda: "f" in {k.key for k in screen.query(FooterKey) if k.action == "filter"},
                        what="the remapped filter key in the footer")
            await pilot.press("question_mark")  # the old key does nothing now
            await pilot.pause(0.1)
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help on f1")
            rows = {r.binding_id: r for r in app.screen.rows}  # type: ignore[attr-defined]
            assert (rows["runs.filter"].keys, rows["runs.filter"].default) == ("f", "/")
            assert (rows["help"].keys, rows["help"].default) == ("f1", "?")
            assert rows["quit"].default == ""  # not remapped
    finally:
        ws.close()


@pytest.mark.slow
async def test_stop_asks_first_and_n_leaves_the_run_running(ws: Workspace) -> None:
    rid = launch(ws, "count", sets=["steps=100000", "interval=0.05"])
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await at_runs_screen(pilot, app)
        table = screen.query_one(RunTable)
        await until(pilot, lambda: rid in shown_ids(app) and status_of(ws, rid) == "running", what="running run")
        table.focus()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the confirmation")
        assert rid in str(app.screen.question)  # type: ignore[attr-defined]
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen), what="the modal closed")
        assert not [w for w in app.workers if w.name == "act"]  # nothing was started
        assert status_of(ws, rid) == "running"
        # the same key, answered yes, does stop it (so the "no" above was a real choice)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the confirmation again")
        await pilot.press("y")
        await until(pilot, lambda: status_of(ws, rid) in ("stopping", "stopped"), timeout=60, what="the stop")


async def test_delete_asks_then_removes_the_run_and_its_files(ws: Workspace) -> None:
    keep = add_run(ws, "count-1130-000000-aaaa")
    gone = add_run(ws, "count-1130-000001-bbbb")
    ws.run_dir(gone).mkdir(parents=True)
    (ws.run_dir(gone) / "stdout.log").write_text("hello\n")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_runs_screen(pilot, app)
        await until(pilot, lambda: {keep, gone} <= shown_ids(app), what="the run rows")
        app.request_action("delete", [gone])
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the confirmation")
        await pilot.press("escape")  # escape is "no"
        await until(pilot, lambda: isinstance(app.screen, RunsScreen), what="the modal closed")
        assert ws.store.get_run(gone) is not None and ws.run_dir(gone).exists()
        app.request_action("delete", [gone])
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the confirmation again")
        await pilot.press("enter")  # enter is "yes"
        await until(pilot, lambda: ws.store.get_run(gone) is None and not ws.run_dir(gone).exists(), what="deleted")
        await until(pilot, lambda: gone not in shown_ids(app), what="the row gone from the table")
        assert keep in shown_ids(app)


@pytest.mark.slow
async def test_quitting_leaves_a_run_going_and_reopening_reattaches(ws: Workspace) -> None:
    rid = launch(ws, "count", sets=["steps=100000", "interval=0.05"])
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_runs_screen(pilot, app)
        await until(pilot, lambda: rid in shown_ids(app) and status_of(ws, rid) == "running", what="running run")
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, what="the app to quit")
    run = ws.store.get_run(rid) or {}
    assert procinfo.is_alive(run.get("pid"), run.get("proc_start")), "the backend died with the app"
    step = (ws.store.get_run(rid) or {}).get("last_step") or 0

    app2 = make_app(ws)
    async with app2.run_test(size=(80, 24)) as pilot:
        await at_runs_screen(pilot, app2)
        await until(pilot, lambda: rid in shown_ids(app2), what="the run row after reopening")
        table = app2.screen.query_one(RunTable)
        await until(pilot, lambda: "running" in str(table.get_cell(rid, "status")), what="shown running again")
        # re-attached: the run keeps advancing in the reopened app (the store's step moves past the one at quit)
        await until(pilot, lambda: (((reconcile(ws), ws.store.get_run(rid))[1] or {}).get("last_step") or 0) > step,
                    what="progress after reopening")
        assert status_of(ws, rid) == "running"
    stop(ws, rid, grace_s=1)


async def test_empty_workspace_shows_how_to_start(ws: Workspace) -> None:
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await at_runs_screen(pilot, app)
        await until(pilot, lambda: screen.has_class("empty"), what="the welcome text")
        text = str(screen.query_one("#welcome").render())
        assert "iotatui pipeline" in text and "make demo" in text


async def test_no_color_keeps_the_status_glyphs(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.filter import Monochrome

    from iotatui.lineage import STATUS_GLYPH

    monkeypatch.setenv("NO_COLOR", "1")
    rid = add_run(ws, "count-1130-000000-dead", status="failed", error="boom")
    app = make_app(ws)
    assert app.no_color and any(isinstance(f, Monochrome) for f in app.get_line_filters())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_runs_screen(pilot, app)
        await until(pilot, lambda: rid in shown_ids(app), what="the run row")
        cell = str(app.screen.query_one(RunTable).get_cell(rid, "status"))
        assert cell.split()[0] == STATUS_GLYPH["failed"] and "failed" in cell  # the status reads without colour


def test_no_binding_needs_ctrl_enter_or_the_mouse_and_ids_are_unique() -> None:
    """tmux and many terminals never send ctrl+enter/shift+enter; every action must have a plain key."""
    from textual.binding import Binding

    from iotatui.app import IotaApp, binding_ids

    ids = binding_ids()
    assert {"quit", "help", "launch", "palette", "runs.stop"} <= set(ids)
    assert not [i for i, k in ids.items() if any(x in k for x in ("ctrl+enter", "shift+enter", "ctrl+return"))]
    app_ids = [b.id for b in IotaApp.BINDINGS if isinstance(b, Binding)]
    assert len(app_ids) == len(set(app_ids))


def _newer_schema(home: Path) -> Path:
    from iotatui.store import Store

    home.mkdir(parents=True)
    s = Store(home / "iotatui.db")
    s.conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    s.close()
    return home / "iotatui.db"


CORRUPT: dict[str, Callable[[Path], Path]] = {
    "not-sqlite": lambda h: (h.mkdir(parents=True), (h / "iotatui.db").write_bytes(b"not a database\n" * 100))
    and h / "iotatui.db",
    "newer-schema": _newer_schema,
    "bad-toml": lambda h: (h.mkdir(parents=True), (h / "settings.toml").write_text("refresh_s = [\n")) and
    h / "settings.toml",
    "settings-dir": lambda h: ((h / "settings.toml").mkdir(parents=True), h / "settings.toml")[1],
    "refresh-nonsense": lambda h: (h.mkdir(parents=True), (h / "settings.toml").write_text("refresh_s = 0\n")) and
    h / "settings.toml",
    "unknown-key-id": lambda h: (h.mkdir(parents=True), (h / "settings.toml").write_text(
        '[keys]\n"runs.stpo" = "x"\n')) and h / "settings.toml",
    "empty-key": lambda h: (h.mkdir(parents=True), (h / "settings.toml").write_text('[keys]\n"runs.stop" = ""\n'))
    and h / "settings.toml",
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_workspace_is_one_line_naming_the_file_before_the_app_starts(cli: Any, home: Path, case: str) -> None:
    path = CORRUPT[case](home)
    p = cli(check=False, timeout=120)  # `iotatui` with no command opens the app (it must not get that far)
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(path) in lines[0], p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
    if case == "unknown-key-id":
        assert "runs.stop" in lines[0]  # the near miss is suggested


def test_a_not_sqlite_database_is_left_untouched(cli: Any, home: Path) -> None:
    path = CORRUPT["not-sqlite"](home)
    before = path.read_bytes()
    assert cli(check=False).returncode == 2
    assert path.read_bytes() == before
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM runs").fetchall()


def test_readonly_flag_refuses_commands_that_change_runs(cli: Any, home: Path) -> None:
    cli("init")
    for args in (("launch", "count"), ("stop", "x"), ("delete", "x", "--yes")):
        p = cli("--readonly", *args, check=False)
        assert p.returncode == 2 and p.stderr.strip() == f"error: --readonly: `iotatui {args[0]}` changes runs"
    assert cli("--readonly", "runs").returncode == 0  # reading is fine


def test_help_screen_snapshot_80x24(ws: Workspace, snap_compare: Any) -> None:
    add_run(ws, "count-1130-000000-aaaa")

    async def open_help(pilot: Any) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, RunsScreen) and shown_ids(pilot.app), what="rows")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="help")

    assert snap_compare(make_app(ws), terminal_size=(80, 24), run_before=open_help)
