"""The launcher (``l``; ``n`` for a child of a run): a stage, a parent run, a preset, "eval after each" and a form
of the stage's Config fields, checked as you type with the CLI's own error lines; several values separated by ``|``
make an ablation grid. The preview lists the runs it will create (each as its diff against the preset/defaults), the
inputs they will really use (the parent's model, not the form's ``model``: :mod:`iotatui.inputs`) and the equivalent
``iotatui launch`` lines; ``ctrl+s`` queues them (each followed by an eval when asked, ``ctrl+e``). A child opens on
the stage that usually follows its parent with the parent's preset (:func:`iotatui.launchplan.child_plan`). A new
stage's form is built beside the old one and swapped in whole: never a blank form. Everything it computes is
:mod:`iotatui.launchplan`'s.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static
from textual.worker import get_current_worker

from iotatui import launchplan as lp
from iotatui.inputs import handed_on
from iotatui.siblings import lineage_labels
from iotatui.stages import ConfigError, available_stages, field_help
from iotatui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from iotatui.supervisor import Workspace

NO_PARENT = ""
NO_PRESET = ""
DEFAULT_STAGE = "sft"


class LaunchScreen(Screen[None]):
    DEFAULT_CSS = """
    LaunchScreen #body { height: 1fr; }
    LaunchScreen #form { height: auto; padding: 0 1; }
    LaunchScreen #side { height: auto; padding: 0 1; border-top: solid $primary; }
    LaunchScreen.-wide #body { layout: horizontal; overflow-y: hidden; }
    LaunchScreen.-wide #form { width: 1fr; height: 1fr; overflow-y: auto; }
    LaunchScreen.-wide #side { width: 64; height: 1fr; border-top: none; border-left: solid $primary; }
    LaunchScreen #fields, LaunchScreen .stage-form, LaunchScreen .field { height: auto; }
    LaunchScreen .row { height: 1; }
    LaunchScreen .row Label { width: 24; color: $accent; }
    LaunchScreen .row Input, LaunchScreen .row Select { width: 1fr; }
    LaunchScreen .help { color: $text-muted; padding-left: 24; }
    LaunchScreen .error { color: $error; padding-left: 24; display: none; }
    LaunchScreen .error.-shown { display: block; }
    LaunchScreen .help.-unused { color: $warning; text-style: bold; }
    LaunchScreen #row-eval-after TickBox { width: 1fr; padding: 0; }
    LaunchScreen #side-title, LaunchScreen #cli-title { text-style: bold; }
    LaunchScreen #preview.-bad { color: $error; }
    LaunchScreen #cli { margin-bottom: 1; }
    LaunchScreen #grid-help { color: $text-muted; }
    LaunchScreen #actions { height: 1; padding: 0 1; background: $boost; }
    LaunchScreen #actions Button { width: auto; margin: 0 2; }
    LaunchScreen #summary { width: 1fr; color: $text-muted; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("ctrl+s", "queue", "Queue", id="launch.queue", tooltip="Queue every run of the grid"),
        Binding("ctrl+e", "eval_after", "Eval after", id="launch.eval_after",
                tooltip="Queue an eval of each run after it (the [x] box under the preset)"),
        Binding("ctrl+r", "preview", "Preview", id="launch.preview",
                tooltip="Jump to the runs it will create and the command line (below the form at 80 columns)"),
        Binding("escape", "cancel", "Cancel", id="launch.cancel", tooltip="Back without queueing anything"),
    ]

    @dataclass
    class Checked(Message):
        """The Config/launch checks of the grid (run off the UI thread) gave this error, or None."""

        version: int
        error: str | None

    @dataclass
    class Queued(Message):
        """The queue worker finished: the new run ids, or the one-line refusal."""

        ids: list[str]
        error: str | None

    def __init__(self, ws: Workspace, clone_of: str | None = None, parent: str | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.clone_of = clone_of
        self.child_of = parent
        self.stages = list(available_stages())
        stage = DEFAULT_STAGE if DEFAULT_STAGE in self.stages else self.stages[0]
        self.plan = lp.LaunchPlan(stage, parent=parent)
        self.unused: dict[str, str] = {}
        """Form keys the parent makes unused (``model``: the parent hands on its own), with why."""
        self.runs: list[dict[str, Any]] = []
        self.errors: dict[str, str] = {}
        self.grid_error: str | None = None
        self.check_error: str | None = None
        self.version = 0  # bumped on every edit, so a late check result of an older plan is dropped
        self.cli_lines: list[str] = []
        self.points: list[lp.Point] = []
        self.busy = False
        self.form_stage: str | None = None
        """The stage whose form is built and checked (None while it is being built)."""

    # -- setup -----------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._load()  # before the pickers exist, so each is built with its final value
        yield Header()
        with VerticalScroll(id="body", can_focus=False):
            with Vertical(id="form"):
                yield from self._row("stage", Select([(s, s) for s in self.stages], id="stage",
                                                         value=self.plan.stage, allow_blank=False, compact=True))
                yield from self._row("parent", Select(self._parent_options(), id="parent",
                                                          value=self.plan.parent or NO_PARENT, allow_blank=False,
                                                          compact=True))
                yield from self._row("preset", Select(self._preset_options(), id="preset",
                                                          value=self.plan.preset or NO_PRESET, allow_blank=False,
                                                          compact=True))
                with Horizontal(classes="row", id="row-eval-after"):
                    yield Label("eval after")
                    yield TickBox("an eval of each run (ctrl+e)", id="eval-after", compact=True)
                yield Vertical(id="fields")
            with VerticalScroll(id="side"):
                yield Static("Preview", id="side-title")
                yield Static("", id="preview", markup=False)
                yield Static("Equivalent command", id="cli-title")
                yield Static("", id="cli", markup=False)
                yield Static("A value like `1e-5 | 3e-5` makes a grid (one run per value; `\\|` is a literal |). "
                             "An empty field keeps the preset/default; \"\" is the empty string.", markup=False,
                             id="grid-help")
        with Horizontal(id="actions"):
            yield Button("Queue (ctrl+s)", id="queue", variant="primary", compact=True)
            yield Static("", id="summary", markup=False)
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p works; `?` lists it

    @staticmethod
    def _row(name: str, widget: Widget) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(name)
            yield widget

    def _load(self) -> None:
        """Read the store once: the parent picker's runs and the run to clone."""
        self.runs = self.ws.store.list_runs()
        if self.clone_of:
            row = next((r for r in self.runs if r["id"] == self.clone_of), None)
            if row is None or row["stage"] not in self.stages:
                self.notify(f"cannot clone {self.clone_of}: no such run of an installed stage", severity="error")
            else:
                self.plan = lp.plan_from_run(row)
        elif self.plan.parent:
            prow = next((r for r in self.runs if r["id"] == self.plan.parent), None)
            if prow is not None:  # a child: the stage that follows, the parent's preset, the parent wired in
                self.plan = lp.child_plan(prow, {r["id"]: r for r in self.runs}, self.stages)
        self.plan.values = {k: v for k, v in self.plan.values.items() if k in {f.name for f in lp.fields(self.plan.stage)}}
        if self.plan.preset not in self._presets():
            self.plan.preset = None

    def on_mount(self) -> None:
        self.sub_title = "launch"
        if getattr(self.app, "readonly", False):
            self.app.notify("read-only: launching is disabled", severity="error")
            self.app.pop_screen()
            return
        self.run_worker(self._build_form(), exclusive=True, group="launch-form")
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        self.query_one("#stage", Select).focus()

    def _presets(self) -> list[str]:
        from iotatui.presets import PRESETS

        return [p for p in PRESETS if self.plan.stage in PRESETS[p]]

    def _preset_options(self) -> list[tuple[str, str]]:
        return [("defaults", NO_PRESET), *((p, p) for p in self._presets())]

    def _parent_options(self) -> list[tuple[str, str]]:
        """Finished runs of a stage that may be the parent, newest first, and the asked-for parent in any case."""
        allowed = lp.parent_stages(self.plan.stage)
        parents = sorted((r for r in self.runs if r["status"] == "finished" and (allowed is None or r["stage"] in allowed)),
                         key=lambda r: r.get("created") or 0, reverse=True)
        if self.plan.parent and all(r["id"] != self.plan.parent for r in parents):
            asked = next((r for r in self.runs if r["id"] == self.plan.parent), {"id": self.plan.parent, "stage": "?"})
            parents.insert(0, asked)  # a clone's or `l` on a run: kept even while it is still running
        # each by its lineage and what tells it from the other candidates (``sft → dpo[beta=0.5]``), not a bare id
        labels = lineage_labels(parents, {r["id"]: r for r in self.runs}) if parents else []
        return [("(none)", NO_PARENT), *((f"{r['id']}  {label}", str(r["id"])) for r, label in
                                         zip(parents, labels, strict=True))]

    def _stage_changed(self) -> None:
        """The stage was picked: its parent and preset choices and its form (values of shared fields are kept)."""
        names = {f.name for f in lp.fields(self.plan.stage)}
        self.plan.values = {k: v for k, v in self.plan.values.items() if k in names}
        if self.plan.preset not in self._presets():
            self.plan.preset = None
        with self.prevent(Select.Changed):
            parent = self.query_one("#parent", Select)
            parent.set_options(self._parent_options())
            parent.value = self.plan.parent or NO_PARENT
            preset = self.query_one("#preset", Select)
            preset.set_options(self._preset_options())
            preset.value = self.plan.preset or NO_PRESET
        self.run_worker(self._build_form(), exclusive=True, group="launch-form")

    async def _build_form(self) -> None:
        try:
            await self._build_form_now()
        except NoMatches:
            pass  # the screen was closed while the form was being built: nothing left to fill in

    async def _build_form_now(self) -> None:
        """The stage's form, mounted hidden beside the one shown and swapped in when whole (mounting ~30 rows takes
        a second or two under load: the form was blank meanwhile); the old one is disabled while it waits."""
        self.form_stage = None
        box = self.query_one("#fields", Vertical)
        old = list(box.children)
        for w in old:
            w.disabled = True
        self.errors = {}
        rows: list[Widget] = []
        for f in lp.fields(self.plan.stage):
            text = lp.form_text(self.plan.values[f.name]) if f.name in self.plan.values else ""
            typ = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
            rows.append(Vertical(
                Horizontal(Label(f.name), Input(text, id=f"f-{f.name}", compact=True, select_on_focus=False),
                           classes="row"),
                Static(f"{typ} · {field_help(f)}", markup=False, classes="help", id=f"h-{f.name}"),
                Static("", id=f"e-{f.name}", markup=False, classes="error"),
                id=f"row-{f.name}", classes="field"))
        form = Vertical(*rows, classes="stage-form")
        form.display = False
        await box.mount(form)
        await box.remove_children(old)
        form.display = True
        self._placeholders()
        for key, text in self.plan.values.items():
            self._check_field(key, text)
        self._mark_unused()
        self._refresh()
        self.form_stage = self.plan.stage

    def _mark_unused(self) -> None:
        """A key the parent makes unused says so where its help was (``model``: the parent hands on its model)."""
        self.unused = handed_on(self.ws.store, self.plan.stage, self.plan.parent) if self.plan.parent else {}
        for f in lp.fields(self.plan.stage):
            for line in self.query(f"#h-{f.name}").results(Static):
                why = self.unused.get(f.name)
                typ = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
                line.update(why or f"{typ} · {field_help(f)}")
                line.set_class(bool(why), "-unused")

    def _placeholders(self) -> None:
        """The preset's/default value of every field, shown greyed in its empty input."""
        base = lp.base_config(self.plan.stage, self.plan.preset)
        for f in lp.fields(self.plan.stage):
            for inp in self.query(f"#f-{f.name}").results(Input):
                inp.placeholder = lp.form_text(lp.to_text(base.get(f.name)))

    # -- editing -----------------------------------------------------------------------------------------------

    @on(Select.Changed, "#stage")
    def _stage_picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.plan.stage:
            self.plan.stage = event.value
            self._stage_changed()

    @on(Select.Changed, "#parent")
    def _parent_picked(self, event: Select.Changed) -> None:
        self.plan.parent = event.value if isinstance(event.value, str) and event.value else None
        self._mark_unused()
        self._refresh()

    @on(Select.Changed, "#preset")
    def _preset_picked(self, event: Select.Changed) -> None:
        self.plan.preset = event.value if isinstance(event.value, str) and event.value else None
        self._placeholders()
        self._refresh()

    @on(Checkbox.Changed, "#eval-after")
    def _eval_toggled(self) -> None:
        self._refresh()

    @on(Input.Changed)
    def _field_edited(self, event: Input.Changed) -> None:
        key = (event.input.id or "")[2:]
        if key not in {f.name for f in lp.fields(self.plan.stage)}:
            return
        text = lp.from_form(event.value)
        if text is None:
            self.plan.values.pop(key, None)
        else:
            self.plan.values[key] = text
        self._check_field(key, text)
        self._refresh()

    def _check_field(self, key: str, text: str | None) -> None:
        """The CLI's error line for this field (``error: --set: lr: 'x' is not a float``) under it, or nothing."""
        err = None if text is None else lp.field_error(self.plan.stage, key, text)
        if err:
            self.errors[key] = err
        else:
            self.errors.pop(key, None)
        for line in self.query(f"#e-{key}").results(Static):
            line.update(f"error: {err}" if err else "")
            line.set_class(bool(err), "-shown")

    def _refresh(self) -> None:
        """Preview, command lines and the queue button for the plan as it is now; the Config checks in a worker."""
        self.version += 1
        self.check_error = None
        eval_after = self._eval_after()
        preview = self.query_one("#preview", Static)
        self.points, self.cli_lines, self.grid_error = [], [], None
        if not self.errors:
            try:
                self._check_parent()
                self.points = lp.points(self.plan)
                self.cli_lines = lp.cli_command(self.plan, eval_after)
            except ConfigError as e:
                self.grid_error = str(e)
        preview.set_class(bool(self.errors or self.grid_error), "-bad")
        if self.errors:
            preview.update(f"fix {len(self.errors)} field(s): " + ", ".join(self.errors))
        elif self.grid_error:
            preview.update(f"error: {self.grid_error}")
        else:
            preview.update(self._preview_text(eval_after))
            self._check(self.version, lp.LaunchPlan(**dataclasses.asdict(self.plan)))
        self.query_one("#cli", Static).update("\n".join(self.cli_lines) or "-")
        self._update_actions()

    def _check_parent(self) -> None:
        """The kind check :func:`iotatui.launchplan.validate` makes at queue time, on the runs read at mount."""
        prow = next((r for r in self.runs if r["id"] == self.plan.parent), None)
        err = lp.parent_error(self.plan.stage, str(self.plan.parent), prow["stage"]) if prow else None
        if err:
            raise ConfigError(err)

    def _preview_text(self, eval_after: bool) -> str:
        n = len(self.points)
        head = f"{n} {self.plan.stage} run{'s' if n != 1 else ''}" + (
            f" + {n} eval{'s' if n != 1 else ''}" if eval_after else "")
        head += f", parent {self.plan.parent}" if self.plan.parent else ""
        lines = [head]
        for key, why in self.unused.items():  # what the runs will really use, before what the form says
            lines.append(f"{key}: {why.removeprefix('not used: ')}")
        lines.append(f"vs {'preset ' + self.plan.preset if self.plan.preset else 'defaults'}:")
        for i, p in enumerate(self.points, 1):
            diff = ", ".join(f"{k} {lp.to_text(a)} → {lp.to_text(b)}" + (" (not used)" if k in self.unused else "")
                             for k, (a, b) in p.diff.items())
            lines.append(f"{i:>3}  {diff or '(no change)'}")
        return "\n".join(lines)

    def _update_actions(self) -> None:
        bad = bool(self.errors or self.grid_error or self.check_error)
        self.query_one("#queue", Button).disabled = bad or self.busy
        n = len(self.points)
        evals = f" + {n} eval{'s' if n != 1 else ''}" if self._eval_after() else ""
        summary = self.check_error or self.grid_error or (
            f"{len(self.errors)} invalid field(s)" if self.errors else f"{n} run{'s' if n != 1 else ''}{evals} to queue")
        self.query_one("#summary", Static).update(summary)

    @work(thread=True, exclusive=True, group="launch-check", exit_on_error=False)
    def _check(self, version: int, plan: lp.LaunchPlan) -> None:
        """The Config's own and launch checks of every point (an input exists, ...): may touch the disk."""
        from iotatui.stages import resolve_config

        error = None
        try:
            for p in lp.points(plan):
                resolve_config(plan.stage, sets=[f"{k}={v}" for k, v in p.sets.items()], preset=plan.preset)
        except ConfigError as e:
            error = str(e)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Checked(version, error))

    @on(Checked)
    def _checked(self, msg: Checked) -> None:
        if msg.version == self.version:
            self.check_error = msg.error
            self._update_actions()
            if msg.error:
                preview = self.query_one("#preview", Static)
                preview.update(f"error: {msg.error}\n\n{self._preview_text(self._eval_after())}")
                preview.add_class("-bad")

    def _eval_after(self) -> bool:
        return self.query_one("#eval-after", Checkbox).value

    # -- actions -----------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "queue" and getattr(self.app, "readonly", False):
            return False
        return True

    @on(Button.Pressed, "#queue")
    def _queue_pressed(self) -> None:
        self.action_queue()

    def action_queue(self) -> None:
        if getattr(self.app, "readonly", False):
            self.notify("read-only: launching is disabled", severity="error")
            return
        if self.busy:
            return
        if self.errors or self.grid_error:
            self.notify(f"not queued: {self.grid_error or next(iter(self.errors.values()))}", severity="error")
            return
        self.busy = True
        self._update_actions()
        self._queue(lp.LaunchPlan(**dataclasses.asdict(self.plan)), self._eval_after())

    @work(thread=True, exclusive=True, group="launch-queue", exit_on_error=False)
    def _queue(self, plan: lp.LaunchPlan, eval_after: bool) -> None:
        """Validate and launch every point on a connection of this thread (launching spawns processes)."""
        from iotatui.supervisor import Workspace

        ws = Workspace(self.ws.home)
        try:
            self.post_message(self.Queued(lp.queue(ws, plan, eval_after), None))
        except Exception as e:  # noqa: BLE001 - ConfigError/StoreError (one line) or an OS error: shown, not fatal
            self.post_message(self.Queued([], str(e).splitlines()[0] if str(e) else type(e).__name__))
        finally:
            ws.close()

    @on(Queued)
    def _queued(self, msg: Queued) -> None:
        self.busy = False
        if msg.error:
            self.check_error = msg.error
            self._update_actions()
            self.notify(f"not queued: {msg.error}", severity="error")
            return
        follower = getattr(self.app, "follower", None)
        if follower is not None:
            follower.wake()
        self.app.notify(f"queued {len(msg.ids)} run{'s' if len(msg.ids) != 1 else ''}: {', '.join(msg.ids)}")
        self.dismiss()

    def action_eval_after(self) -> None:
        box = self.query_one("#eval-after", Checkbox)
        box.value = not box.value

    def action_preview(self) -> None:
        self.query_one("#side", VerticalScroll).focus()

    def action_cancel(self) -> None:
        self.dismiss()
