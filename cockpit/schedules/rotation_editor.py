"""Rotation and override editors for the on-call schedules area."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from cockpit.schedules.preview_modal import ShiftPreviewModal
from cockpit.schedules.recurrence import SETTINGS, UNITS, WEEKDAYS, HandOff, kinds
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.modal import FormError, SavingModal
from core.errors import ServiceError
from widgets.formatting import parse_utc, utc_text
from widgets.zone_select import zone_select


@dataclass
class RotationForm:
    name: str
    members: list[str]
    start: datetime
    time_zone: str
    hand_off: HandOff
    schedule_alias: str = ""

    def body(self) -> dict[str, Any]:
        """What CreateRotation and UpdateRotation get (and the unsaved preview shows)."""
        return {"ContactIds": self.members, "StartTime": self.start, "TimeZoneId": self.time_zone,
                "Recurrence": self.hand_off.request()}


SavedRotation = tuple[str, str]
"""What the rotation editor's save returns: the rotation's (name, arn)."""


@dataclass
class OverrideForm:
    start: datetime
    end: datetime
    members: list[str]


_CSS = """
{cls} {{ align: center middle; }}
{cls} > Vertical {{ width: 78; max-width: 100%; height: auto; max-height: 100%; border: thick $accent;
                   background: $surface; padding: 0 1; }}
{cls} .field {{ height: 3; }}
{cls} .field Label {{ width: auto; padding: 1 1 0 0; }}
{cls} .field Label.lead {{ width: 14; }}
{cls} .field Input {{ width: 1fr; }}
{cls} .field Input.number {{ width: 10; }}
{cls} .field Input.clock {{ width: 11; }}
{cls} .field Select {{ width: 1fr; }}
{cls} SelectionList {{ height: 7; min-height: 5; }}
{cls} .buttons {{ height: 3; }}
{cls} .buttons Button {{ margin-right: 1; }}
"""
MAX_EVERY = 99
"""The model allows 100; the field holds two digits."""
HAND_OFF = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def _start_of(text: str, field_id: str, label: str) -> datetime:
    when = parse_utc(text)
    if when is None:
        raise FormError(field_id, f"{label}: must look like 2026-03-02 09:00")
    return when


def _field(label: str, value: str, field_id: str, **kw) -> Horizontal:
    return Horizontal(Label(label, classes="lead"), Input(value, id=field_id, **kw), classes="field")


class _Editor(SavingModal[Any]):
    """Saves through ``save`` and closes with what it returned once it worked."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="rotation-save", tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="rotation-cancel", tooltip="Close without saving"),
    ]

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def __init__(self, save: Callable[[Any], Awaitable[Any]]) -> None:
        super().__init__(save)

    def buttons(self) -> Horizontal:
        return Horizontal(Button("Save ^s", variant="primary", id="save"), Button("Cancel", id="cancel"),
                          classes="buttons")

    @on(Button.Pressed, "#save")
    def _pressed_save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _pressed_cancel(self) -> None:
        self.action_cancel()


    def action_save(self) -> None:
        try:
            form = self.form()
        except FormError as error:
            self.show_error(error.message, [error.field_id] if error.field_id else [])
            return
        self.save_form(form)

    def form(self) -> Any:
        """What to save, from the fields; FormError names a field that cannot be right."""
        raise NotImplementedError


class PrepRotationEditor(_Editor):
    """A rotation's name, start, zone, hand-off (daily, weekly or monthly) and members; ctrl+r
    previews its shifts (ListPreviewRotationShifts, the rotation's overrides applied) before saving."""

    DEFAULT_CSS = _CSS.format(cls="PrepRotationEditor") + """
    PrepRotationEditor .field Select.kind { width: 14; }
    PrepRotationEditor .field Input.number { width: 8; padding: 0 1; }
    PrepRotationEditor .field Select.weekday { width: 12; }
    PrepRotationEditor .field Label.members-label { padding: 0; }
    """
    BINDINGS = [
        *_Editor.BINDINGS,
        Binding("ctrl+r", "preview", "Preview", id="rotation-preview",
                tooltip="The shifts of the next days as these values would make them, before saving"),
    ]
    FIELD_IDS = {"Name": "name", "StartTime": "start", "RotationStartTime": "start", "TimeZoneId": "zone",
                 "ContactIds": "members", "Members": "members", "Recurrence.NumberOfOnCalls": "members",
                 "Recurrence.RecurrenceMultiplier": "every", "Recurrence": "hand-off", "Alias": "schedule"}

    def __init__(self, save: Callable[[RotationForm], Awaitable[SavedRotation]], people: list[tuple[str, str]],
                 now: datetime, rotation: RotationForm | None = None,
                 preview: Callable[[RotationForm], Awaitable[list[dict[str, Any]]]] | None = None) -> None:
        super().__init__(save)
        self.people = people
        self.rotation = rotation or RotationForm("", [], now.replace(minute=0, second=0, microsecond=0), "UTC",
                                                 HandOff("weekly", 1, "MON"))
        self.editing = rotation is not None
        self._preview = preview
        self._one = self.rotation.hand_off.every == 1
        """The unit choice reads "day", "week", "month" (every 1 day), else plural."""

    def buttons(self) -> Horizontal:
        return Horizontal(Button("Save ^s", variant="primary", id="save"), Button("Preview ^r", id="preview"),
                          Button("Cancel", id="cancel"), classes="buttons")

    @on(Button.Pressed, "#preview")
    def _pressed_preview(self) -> None:
        self.action_preview()

    def compose(self) -> ComposeResult:
        r, h = self.rotation, self.rotation.hand_off
        with Vertical():
            yield Static("[b]Edit rotation[/]" if self.editing else "[b]Create rotation[/]")
            with Horizontal(classes="field"):
                yield Label("Name", classes="lead")
                yield Input(r.name, id="name", disabled=self.editing)
                if not self.editing:
                    yield Label("schedule alias")
                    yield Input(r.schedule_alias, id="schedule", placeholder="optional")
            with Horizontal(classes="field"):
                yield Label("Starts (UTC)", classes="lead")
                yield Input(utc_text(r.start), id="start")
                yield Label("zone")
                yield zone_select(r.time_zone, "zone")
            with Horizontal(classes="field"):
                yield Label("Hand-off", classes="lead")
                yield Label("every")
                yield Input(str(h.every), id="every", restrict=r"\d{0,2}", classes="number")
                yield Select(kinds(h.every), value=h.kind, allow_blank=False, id="kind", classes="kind")
                yield Label("on", id="on-label")
                yield Select(WEEKDAYS, value=h.weekday, allow_blank=False, id="weekday", classes="weekday")
                yield Input(str(h.day_of_month), id="day", restrict=r"\d{0,2}", classes="number")
                yield Label("at")
                yield Input(h.at, id="hand-off", classes="clock")
            yield Label("Members: in rotation order (space selects)", classes="members-label")
            yield SelectionList[str](*[(label, arn, arn in r.members) for label, arn in self.people], id="members")
            yield self.error_line()
            yield self.buttons()

    def on_mount(self) -> None:
        super().on_mount()
        self._show_kind(self.rotation.hand_off.kind)

    @on(Input.Changed, "#every")
    def _every_changed(self, event: Input.Changed) -> None:
        """The unit reads with the number: every 1 day, every 2 days."""
        every = int(event.value) if event.value.isdigit() else 0
        if (every == 1) != self._one:
            self._one = every == 1
            choice = self.query_one("#kind", Select)
            with choice.prevent(Select.Changed):
                kind = choice.value
                choice.set_options(kinds(every))
                choice.value = kind
                choice.mutate_reactive(Select.value)  # the same value in new words: its prompt follows

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if event.value in SETTINGS:
            self._show_kind(str(event.value))

    def _show_kind(self, kind: str) -> None:
        self.query_one("#on-label", Label).update("on day" if kind == "monthly" else "on")
        self.query_one("#on-label").display = kind != "daily"
        self.query_one("#weekday").display = kind == "weekly"
        self.query_one("#day").display = kind == "monthly"

    def form(self) -> RotationForm:
        start = _start_of(self.value("start"), "start", "Starts (UTC)")
        kind = str(self.query_one("#kind", Select).value)
        every = int(self.value("every") or 0)
        if not 1 <= every <= MAX_EVERY:
            raise FormError("every", f"every: hand off every 1 to {MAX_EVERY} {UNITS[kind][1]}")  # type: ignore[index]
        day = int(self.value("day") or 0)
        if kind == "monthly" and not 1 <= day <= 31:
            raise FormError("day", "on day: a day of the month, 1 to 31")
        at = self.value("hand-off") or "09:00"
        if not HAND_OFF.match(at):
            raise FormError("hand-off", "at (HH:MM): must look like 09:00")
        members = list(self.query_one("#members", SelectionList).selected)
        if not members:
            raise FormError("members", "Members: choose at least one contact")
        kept = self.rotation.hand_off
        on_call = kept.kept.get("NumberOfOnCalls", 1)
        if len(members) < on_call:
            raise FormError("members", f"Members: {on_call} are on call at once in this rotation; choose at least {on_call}")
        schedule = self.value("schedule") if not self.editing else ""
        zone = self.value("zone")
        hand_off = HandOff(kind, every, str(self.query_one("#weekday", Select).value), day or 1, at,  # type: ignore[arg-type]
                           kept=kept.kept, more=kept.more, more_kind=kept.more_kind)
        return RotationForm(self.value("name"), members, start, str(zone), hand_off, schedule)

    def action_preview(self) -> None:
        if self._preview is None:
            return
        try:
            form = self.form()
        except FormError as error:
            self.show_error(error.message, [error.field_id] if error.field_id else [])
            return
        self.show_error("")
        self._run_preview(form)

    @work(exclusive=True, group="dialog-preview")
    async def _run_preview(self, form: RotationForm) -> None:
        assert self._preview is not None
        try:
            shifts = await self._preview(form)
        except ServiceError as error:
            self.show_error(*self.in_form_words(error))
            return
        self.app.push_screen(ShiftPreviewModal(form.name or "the new rotation", shifts))


class PrepOverrideEditor(_Editor):
    DEFAULT_CSS = _CSS.format(cls="PrepOverrideEditor")

    FIELD_IDS = {"StartTime": "start", "EndTime": "end", "NewContactIds": "members"}

    def __init__(self, save: Callable[[OverrideForm], Awaitable[str]], people: list[tuple[str, str]],
                 start: datetime, end: datetime) -> None:
        super().__init__(save)
        self.people, self.start, self.end = people, start, end

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Override[/]: who is on call instead")
            yield _field("From (UTC)", utc_text(self.start), "start")
            yield _field("Until (UTC)", utc_text(self.end), "end")
            yield Label("On call instead: space ticks")
            yield SelectionList[str](*[(label, arn) for label, arn in self.people], id="members")
            yield self.error_line()
            yield self.buttons()

    def action_save(self) -> None:
        """An override with nobody ticked is one the model allows (nobody on call for a while),
        but it pages nobody: ask first."""
        try:
            form = self.form()
        except FormError as error:
            self.show_error(error.message, [error.field_id] if error.field_id else [])
            return
        if form.members:
            self.save_form(form)
            return
        span = f"from {utc_text(form.start)} until {utc_text(form.end)} (UTC)"
        self.show_error("On call instead: nobody ticked: nobody would be on call", ["members"])
        self.app.push_screen(
            ConfirmModal("Nobody on call", f"Nobody is ticked: {span} nobody is on call in this rotation, "
                         "and its pages reach no one. Save the override anyway?", "Save anyway"),
            lambda yes: self.save_form(form) if yes else None)

    def form(self) -> OverrideForm:
        start = _start_of(self.value("start"), "start", "From (UTC)")
        end = _start_of(self.value("end"), "end", "Until (UTC)")
        return OverrideForm(start, end, list(self.query_one("#members", SelectionList).selected))
