"""The launch screen with Textual's pilot against a real workspace: errors as you type (the CLI's own line), a grid
with an eval after each point queued into the real store, cloning a run, the command line shown, read-only mode,
and snapshots at 80x24 and 160x48."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Button, Checkbox, Input, Select, Static

from iotatui import launchplan as lp
from iotatui.screens.launch import LaunchScreen
from iotatui.stages import resolve_config
from iotatui.store import FINISHED, QUEUED, RUNNING, STARTING
from iotatui.supervisor import launch, stop
from tests.app.pilot import until


class Host(App[None]):
    """A bare app around the screen: the screen's own CSS and keys only, so the snapshots do not move when the
    app shell changes. ``readonly`` is the attribute the real app has."""

    TITLE = "iotatui"

    def __init__(self, screen: LaunchScreen, readonly: bool = False) -> None:
        super().__init__()
        self.launch_screen = screen
        self.readonly = readonly

    def on_mount(self) -> None:
        self.push_screen(self.launch_screen)


async def type_into(pilot: Any, screen: LaunchScreen, key: str, text: str) -> None:
    inp = screen.query_one(f"#f-{key}", Input)
    inp.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(inp.value), *text)  # replaces what the field held
    await until(pilot, lambda: inp.value == text, what=f"{key} = {text!r}")


def cli_text(screen: LaunchScreen) -> str:
    return str(screen.query_one("#cli", Static).content)


@pytest.fixture
def blocker(ws: Any) -> Iterator[str]:
    """A long count run (a real detached process that sleeps): runs whose parent it is stay queued."""
    run_id = launch(ws, "count", sets=["steps=100000", "interval=1"])
    yield run_id
    stop(ws, run_id, grace_s=1)


async def test_invalid_value_shows_the_cli_error_and_disables_queue(ws: Any) -> None:
    screen = LaunchScreen(ws)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.form_stage, what="the form")
        assert screen.plan.stage == "sft"
        # keyboard only: the stage picker has focus; tab reaches the parent, the preset, "eval after", then the
        # first field (the box near the top, not ~30 fields down)
        assert isinstance(pilot.app.focused, type(screen.query_one("#stage")))
        await pilot.press("tab", "tab", "tab")
        assert pilot.app.focused is screen.query_one("#eval-after")
        await pilot.press("tab")
        assert pilot.app.focused is screen.query_one("#f-model", Input)
        await type_into(pilot, screen, "lr", "abc")
        line = screen.query_one("#e-lr", Static)
        await until(pilot, lambda: str(line.content), what="the error line")
        assert str(line.content) == "error: --set: lr: 'abc' is not a float"
        assert line.display and line.region.height == 1  # shown, not just set
        assert screen.query_one("#queue", Button).disabled
        await pilot.press("ctrl+s")  # refused: nothing is queued
        await pilot.pause()
        assert ws.store.list_runs() == [] and pilot.app.screen is screen
        # fixed: the line goes, the button comes back
        await pilot.press(*["backspace"] * 3, *"1e-5")
        await until(pilot, lambda: not screen.query_one("#queue", Button).disabled, what="queue enabled")
        assert str(line.content) == "" and not line.display
        # a grid alternative out of range is the CLI's range error
        await pilot.press(*" | 2")
        await until(pilot, lambda: str(line.content), what="range error")
        assert str(line.content) == "error: --set: lr: 2.0 is out of range (0..1)"


async def test_config_checks_of_the_whole_run_disable_queue(ws: Any, tmp_path: Any) -> None:
    """Checks across fields (the Config's own) run off the UI thread and show the CLI's line too."""
    screen = LaunchScreen(ws)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.form_stage, what="the form")
        screen.query_one("#stage").value = "eval"
        await until(pilot, lambda: screen.form_stage == "eval", what="the eval form")
        await type_into(pilot, screen, "problems", "humaneval")
        await type_into(pilot, screen, "languages", "cpp")
        assert screen.errors == {}  # each field alone is fine
        summary = screen.query_one("#summary", Static)
        expected = "stage eval: languages: HumanEval is Python only (set languages=python3)"
        await until(pilot, lambda: str(summary.content) == expected, what="the check's error")
        assert screen.query_one("#queue", Button).disabled
        with pytest.raises(Exception, match=r"^stage eval: languages: HumanEval is Python only"):
            resolve_config("eval", sets=["problems=humaneval", "languages=cpp"])  # what `iotatui launch` says
        await type_into(pilot, screen, "languages", "python3 | cpp")
        await until(pilot, lambda: str(summary.content) == expected, what="the check's error on one point")
        assert screen.query_one("#queue", Button).disabled  # one bad point is enough
        await type_into(pilot, screen, "languages", "")
        await until(pilot, lambda: not screen.query_one("#queue", Button).disabled, what="queue enabled")


@pytest.mark.slow
async def test_grid_queues_its_points_and_refuses_an_eval_after_runs_without_a_model(ws: Any, blocker: str) -> None:
    screen = LaunchScreen(ws, parent=blocker)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.form_stage, what="the form")
        assert screen.plan.stage == "count"  # what follows a count run: a count run starting from its curve
        assert screen.query_one("#f-init", Input).value == f"run:{blocker}"
        await type_into(pilot, screen, "lr", "0.1 | 0.2")
        await type_into(pilot, screen, "steps", "7")
        box = screen.query_one("#eval-after", Checkbox)
        box.focus()
        await pilot.press("space")
        assert box.value
        await until(pilot, lambda: "eval" in cli_text(screen), what="the eval in the command")
        assert cli_text(screen) == "\n".join(lp.cli_command(screen.plan, eval_after=True))
        # A count run's output is a curve, not a model: the evals would fail when they started. Refused, on screen.
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.check_error is not None, what="the refusal")
        assert "a count run has no model an eval samples" in str(screen.check_error)
        assert pilot.app.screen is screen and [r["id"] for r in ws.store.list_runs()] == [blocker]
        await pilot.press("space")  # untick: the grid alone
        assert not box.value
        await until(pilot, lambda: "eval" not in cli_text(screen), what="the command without the eval")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: pilot.app.screen is not screen, what="the screen to close")
    counts = sorted((r for r in ws.store.list_runs() if r["id"] != blocker), key=lambda r: r["created"])
    assert [r["stage"] for r in counts] == ["count", "count"]
    assert all(r["status"] == QUEUED for r in counts)  # they wait for the blocker
    assert [r["config"]["lr"] for r in counts] == [0.1, 0.2]
    assert all(r["config"] == resolve_config("count", sets=[f"lr={r['config']['lr']}", "steps=7",
                                                            f"init=run:{blocker}"], check=False) for r in counts)
    assert all(r["parent"] == blocker and r["after"] == [blocker] for r in counts)


@pytest.mark.slow
async def test_clone_loads_the_run_and_queues_the_same_config(ws: Any, blocker: str) -> None:
    original = launch(ws, "count", sets=["steps=7", "lr=0.3", "init=run:" + blocker], parent=blocker)
    screen = LaunchScreen(ws, clone_of=original)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.form_stage, what="the form")
        assert (screen.plan.stage, screen.plan.parent) == ("count", blocker)
        assert screen.query_one("#f-steps", Input).value == "7"
        assert screen.query_one("#f-lr", Input).value == "0.3"
        assert screen.query_one("#f-init", Input).value == "run:" + blocker
        assert screen.query_one("#f-seed", Input).value == ""  # a default: only the placeholder shows it
        assert screen.query_one("#f-seed", Input).placeholder == "0"
        assert cli_text(screen) == "\n".join(lp.cli_command(screen.plan))
        await until(pilot, lambda: not screen.query_one("#queue", Button).disabled, what="queue enabled")
        await pilot.click("#queue")
        await until(pilot, lambda: pilot.app.screen is not screen, what="the screen to close")
    (clone,) = [r for r in ws.store.list_runs() if r["id"] not in (blocker, original)]
    orig = ws.store.get_run(original)
    assert (clone["stage"], clone["parent"], clone["config"], clone["after"]) == (
        orig["stage"], orig["parent"], orig["config"], orig["after"])


async def test_keyboard_only_preset_and_a_long_form_that_scrolls(ws: Any) -> None:
    screen = LaunchScreen(ws)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.form_stage, what="the form")
        assert screen.query_one("#f-lr", Input).placeholder == "0.0001"  # sft's default
        await pilot.press("tab", "tab")  # the preset picker
        assert pilot.app.focused is screen.query_one("#preset")
        await pilot.press("enter", "down", "down", "down", "enter")  # defaults -> paper -> learn -> smoke
        await until(pilot, lambda: screen.plan.preset == "smoke", what="the smoke preset")
        assert screen.query_one("#f-lr", Input).placeholder == "0.001"  # the preset's value now
        names = [f.name for f in lp.fields("sft")]
        assert screen.query_one(f"#f-{names[-1]}", Input).region.y >= 23  # below the fold before tabbing
        await pilot.press("tab")
        assert pilot.app.focused is screen.query_one("#eval-after")
        for name in names:  # every field is reached by tab, scrolled into view
            await pilot.press("tab")
            focused = pilot.app.focused
            assert focused is screen.query_one(f"#f-{name}", Input)
            await until(pilot, lambda f=focused: f.region.height == 1 and 1 <= f.region.y < 22, timeout=5,
                        what=f"{name} scrolled into view")
        await pilot.press("ctrl+r")  # the preview, below the form at 80 columns
        await pilot.pause()
        side = screen.query_one("#side")
        assert pilot.app.focused is side and 1 <= side.region.y < 23
        assert "1 sft run" in str(screen.query_one("#preview", Static).content)


def _finished(ws: Any, stage: str, preset: str | None = None) -> str:
    """A run row that went through the real statuses to ``finished`` (no process: only its lineage matters here)."""
    run_id = launch(ws, stage, preset=preset, start=False)
    for status in (STARTING, RUNNING, FINISHED):
        assert ws.store.transition(run_id, status)
    return run_id


async def test_parent_picker_offers_finished_runs_of_a_compatible_stage(ws: Any) -> None:
    sft = _finished(ws, "sft", "smoke")
    rm = _finished(ws, "rm", "smoke")
    count = _finished(ws, "count")
    launch(ws, "count", start=False)  # queued: never offered
    screen = LaunchScreen(ws)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.form_stage, what="the form")
        parent = screen.query_one("#parent", Select)

        def offered() -> list[Any]:
            return [v for _, v in parent._options]

        assert offered() == ["", sft]  # sft takes a policy (sft/dpo/orpo/grpo), not an rm or a count run
        parent.focus()
        await pilot.press("enter", "down", "enter")
        await until(pilot, lambda: screen.plan.parent == sft, what="the parent picked")
        await until(pilot, lambda: f"--parent {sft}" in cli_text(screen), what="--parent in the command")
        screen.query_one("#stage", Select).value = "count"  # any run may be a count run's parent
        await until(pilot, lambda: screen.form_stage == "count", what="the count form")
        assert offered() == ["", count, rm, sft]  # newest first; the picked parent is kept
        assert parent.value == sft
    ro = LaunchScreen(ws, parent=rm)  # a child of an rm run: a PPO run rewarded by it, the rm's smoke preset
    async with Host(ro).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: ro.form_stage, what="the form")
        assert (ro.plan.stage, ro.plan.parent, ro.plan.preset) == ("ppo", None, "smoke")
        assert ro.query_one("#f-reward_model", Input).value == f"run:{rm}"
        offered = [v for _, v in ro.query_one("#parent", Select)._options]
        assert rm not in offered and sft in offered  # an rm is no ppo run's parent; the sft policy is
        ro.query_one("#stage", Select).value = "dpo"  # another stage: the rm input goes, it was ppo's
        await until(pilot, lambda: ro.form_stage == "dpo", what="the dpo form")
        assert "reward_model" not in ro.plan.values


async def test_escape_cancels_and_readonly_refuses(ws: Any) -> None:
    screen = LaunchScreen(ws)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.form_stage, what="the form")
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is not screen, what="the screen to close")
    ro = LaunchScreen(ws)
    async with Host(ro, readonly=True).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not ro.is_attached, what="read-only: the screen refuses to open")
        assert not ro.check_action("queue", ())
    assert ws.store.list_runs() == []


def _snapshot_setup(size: tuple[int, int]) -> Callable[[Any], Any]:
    async def run_before(pilot: Any) -> None:
        screen = pilot.app.screen
        await until(pilot, lambda: screen.form_stage, what="the form")
        screen.query_one("#stage").value = "count"
        await until(pilot, lambda: screen.form_stage == "count", what="the count form")
        await type_into(pilot, screen, "lr", "0.1 | 0.2")
        await type_into(pilot, screen, "steps", "5")
        screen.query_one("#eval-after", Checkbox).value = True
        for inp in screen.query(Input):
            inp.cursor_blink = False
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot(snap_compare: Any, ws: Any, size: tuple[int, int]) -> None:
    assert snap_compare(Host(LaunchScreen(ws)), terminal_size=size, run_before=_snapshot_setup(size))


async def test_a_child_opens_on_the_next_stage_with_the_parents_preset_and_model(ws: Any) -> None:
    """``n`` on a smoke SFT run: a smoke DPO child (not the paper's max_length 4000), whose ``model`` field and
    preview say the parent's model is used, not the form's ``tiny``; the form never goes blank on a stage change."""
    from iotatui.app import make_app
    from iotatui.screens.runs import RunsScreen

    sft = _finished(ws, "sft", "smoke")
    with ws.store.write() as c:
        c.execute("INSERT INTO artifacts (run, name, path, kind, meta, t) VALUES (?, 'model', ?, 'model', '{}', 0)",
                  (sft, f"/ws/runs/{sft}/model"))
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RunsScreen) and app.screen.table.shown_ids, what="runs")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, LaunchScreen) and app.screen.form_stage, what="launcher")
        screen = app.screen
        assert (screen.plan.stage, screen.plan.parent, screen.plan.preset) == ("dpo", sft, "smoke")
        assert screen.query_one("#f-max_length", Input).placeholder == "1024"  # smoke's, not the paper's 4000
        help_line = screen.query_one("#h-model", Static)
        assert str(help_line.content) == f"not used: --parent {sft} hands on its model (/ws/runs/{sft}/model)"
        assert help_line.has_class("-unused")
        preview = str(screen.query_one("#preview", Static).content)
        assert f"model: --parent {sft} hands on its model (/ws/runs/{sft}/model)" in preview
        # the parent menu says what each candidate is, not only its id
        assert any(label.endswith("  sft") for label, v in screen.query_one("#parent", Select)._options if v == sft)
        box = screen.query_one("#eval-after", Checkbox)
        assert str(box.render()).startswith("[ ]")  # its state in its text: visible under NO_COLOR too
        await pilot.press("ctrl+e")
        assert box.value and str(box.render()).startswith("[x]")
        # a stage change swaps a whole new form in: there are rows to read at every moment
        seen: list[int] = []
        screen.query_one("#stage", Select).value = "orpo"
        await until(pilot, lambda: seen.append(len(screen.query(".field"))) or screen.form_stage == "orpo",
                    interval=0.01, what="the orpo form")
        assert len(seen) > 1 and min(seen) > 0  # the old form stays (disabled) until the new one is whole
        assert len(screen.query(".stage-form")) == 1 and not screen.query_one(".stage-form").disabled
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen), what="back")
