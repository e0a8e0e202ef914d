"""The escalation plan stage editor: per stage, its duration, the contacts it engages, and for
each contact whether their acknowledgement stops the plan's progression (``IsEssential``)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, SelectionList, Static

from cockpit.plans.forms import StageForm
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.modal import SavingModal
from widgets.form_scroll import FormScroll
from widgets.formatting import counted

SavePlan = Callable[[tuple[str, list[StageForm]]], Awaitable[str]]
"""Saves (alias, stages); returns the plan's arn."""


class StageBox(Vertical):
    def __init__(self, number: int, stage: StageForm, contacts: list[tuple[str, str]]) -> None:
        super().__init__(classes="stage")
        self.number = number
        self.stage = stage
        self.contacts = contacts

    def compose(self) -> ComposeResult:
        with Horizontal(classes="stage-head"):
            yield Label(f"Stage {self.number}  minutes:")
            yield Input(str(self.stage.minutes), restrict=r"\d{0,2}", classes="minutes", id=f"stage-{self.number}-minutes")
        with Horizontal(classes="stage-lists"):
            engage = SelectionList[str](*[(label, arn, arn in self.stage.contacts) for label, arn in self.contacts],
                                        classes="stage-contacts", id=f"stage-{self.number}-contacts")
            engage.border_title = "Engages"
            yield engage
            essential = SelectionList[str](*[(label, arn, arn in self.stage.essential) for label, arn in self.contacts],
                                           classes="stage-essential")
            essential.border_title = "Their ack stops the plan"
            yield essential

    def form(self) -> StageForm:
        contacts = list(self.query_one(".stage-contacts", SelectionList).selected)
        essential = set(self.query_one(".stage-essential", SelectionList).selected) & set(contacts)
        return StageForm(int(self.query_one(".minutes", Input).value or 0), contacts, essential)


class PrepStageEditor(SavingModal[str]):
    """Saves through ``save`` and closes with the escalation plan's arn once it worked."""

    DEFAULT_CSS = """
    PrepStageEditor { align: center middle; }
    PrepStageEditor > Vertical { width: 78; height: 22; border: thick $accent; background: $surface; padding: 0 1; }
    PrepStageEditor #alias-row { height: 3; }
    PrepStageEditor #alias-row Label { width: 12; padding-top: 1; }
    PrepStageEditor #stages { height: 1fr; }
    PrepStageEditor .stage { height: auto; border-top: solid $primary; }
    PrepStageEditor .stage-head { height: 3; }
    PrepStageEditor .stage-head Label { padding-top: 1; }
    PrepStageEditor .minutes { width: 10; }
    PrepStageEditor .stage-lists { height: auto; }
    PrepStageEditor .stage-lists SelectionList { width: 1fr; height: 6; border: round $panel-lighten-2; }
    PrepStageEditor .stage-lists SelectionList:focus { border: round $accent; }
    PrepStageEditor #buttons { height: 3; }
    PrepStageEditor #buttons Button { margin-right: 1; }
    """
    FIELD_IDS = {"Alias": "alias"}
    STAGE_MINUTES = re.compile(r"Plan\.Stages\[(\d+)\]\.DurationInMinutes")
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="stages-save", tooltip="Save the escalation plan"),
        Binding("ctrl+n", "add_stage", "Stage", id="stages-add", tooltip="Add a stage at the end"),
        Binding("ctrl+d", "remove_stage", "Drop stage", id="stages-remove", priority=True,
                tooltip="Remove the last stage (priority: a focused field would take ctrl+d)"),
        Binding("escape", "cancel", "Cancel", id="stages-cancel", tooltip="Close without saving"),
    ]

    def __init__(self, save: SavePlan, contacts: list[tuple[str, str]], alias: str | None = None,
                 stages: list[StageForm] | None = None) -> None:
        super().__init__(save)
        self.contacts = contacts
        self.alias = alias
        # a new stage: whoever it engages stops the plan by acknowledging, until unticked
        self.stages = stages or [StageForm(5, [], {arn for _, arn in contacts})]

    def field_id_for(self, member: str) -> str | None:
        """A stage's minutes by its path: ``Plan.Stages[0].DurationInMinutes`` is stage 1's."""
        if found := self.STAGE_MINUTES.fullmatch(member):
            return f"stage-{int(found[1]) + 1}-minutes"
        return super().field_id_for(member)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Edit escalation plan[/]" if self.alias else "[b]Create escalation plan[/]")
            with Horizontal(id="alias-row"):
                yield Label("Plan name")
                yield Input(self.alias or "", placeholder="primary-oncall", id="alias", disabled=self.alias is not None)
            with FormScroll(id="stages"):
                for i, stage in enumerate(self.stages, 1):
                    yield StageBox(i, stage, self.contacts)
            yield self.error_line()
            with Horizontal(id="buttons"):
                yield Button("Save ^s", variant="primary", id="save")
                yield Button("+ Stage ^n", id="add")
                yield Button("- Stage ^d", id="remove")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        (self.query_one("#alias", Input) if self.alias is None else self.query_one(".minutes", Input)).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action({"save": "save", "add": "add_stage", "remove": "remove_stage"}.get(
            event.button.id or "", "cancel"))

    async def action_add_stage(self) -> None:
        box = StageBox(len(self.query(StageBox)) + 1, StageForm(5, [], {c for _, c in self.contacts}), self.contacts)
        await self.query_one("#stages").mount(box)  # its fields exist only once it is mounted
        box.query_one(".minutes", Input).focus()
        box.scroll_visible()

    def action_remove_stage(self) -> None:
        boxes = list(self.query(StageBox))
        if len(boxes) > 1:
            boxes[-1].remove()

    def action_save(self) -> None:
        alias = self.query_one("#alias", Input).value.strip()
        if not alias:
            self.show_error("Plan name: needed", ["alias"])
            return
        stages = [box.form() for box in self.query(StageBox)]
        nobody = [n for n, stage in enumerate(stages, 1) if not stage.contacts]
        if len(nobody) == len(stages):
            self.show_error("Stage 1 engages: tick at least one contact: a plan whose stages engage nobody pages nobody",
                            ["stage-1-contacts"])
            return
        if not nobody or not all(stages[n - 1].minutes for n in nobody):  # none, or one of 0 minutes the core refuses
            self.save_form((alias, stages))
            return
        # the model allows a stage that engages nobody (it only waits); it pages nobody, so ask
        which = f"Stage {nobody[0]} engages" if len(nobody) == 1 else f"Stages {', '.join(map(str, nobody))} engage"
        minutes = sum(stages[n - 1].minutes for n in nobody)
        self.show_error(f"{which} nobody: {counted(minutes, 'minute')} in which nobody is paged", [f"stage-{nobody[0]}-contacts"])
        self.app.push_screen(
            ConfirmModal("A stage engages nobody", f"{which} nobody: for {counted(minutes, 'minute')} this plan pages no one. "
                         "Save it anyway?", "Save anyway"),
            lambda yes: self.save_form((alias, stages)) if yes else None)
