"""Rotation and override editors for the on-call schedules area."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from cockpit.shell.modal import FormError, SavingModal
from widgets.zone_select import zone_select

TIME_FORMAT = "%Y-%m-%d %H:%M"


def parse_utc(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


@dataclass
class RotationForm:
    name: str
    members: list[str]
    start: datetime
    time_zone: str
    every_days: int
    hand_off: str
    """HH:MM"""
    schedule_alias: str = ""


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
HAND_OFF = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def _start_of(text: str, field_id: str, label: str) -> datetime:
    when = parse_utc(text)
    if when is None:
        raise FormError(field_id, f"{label}: must look like 2026-03-02 09:00")
    return when


def _field(label: str, value: str, field_id: str, **kw) -> Horizontal:
    return Horizontal(Label(label, classes="lead"), Input(value, id=field_id, **kw), classes="field")


class _Editor(SavingModal[str]):
    """Saves through ``save`` and closes with what was saved (the rotation's name) once it worked."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="rotation-save", tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="rotation-cancel", tooltip="Close without saving"),
    ]

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def __init__(self, save: Callable[[Any], Awaitable[str]]) -> None:
        super().__init__(save)

    def buttons(self) -> Horizontal:
        return Horizontal(Button("Save ^s", variant="primary", id="save"), Button("Cancel", id="cancel"),
                          classes="buttons")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

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
    DEFAULT_CSS = _CSS.format(cls="PrepRotationEditor")
    FIELD_IDS = {"Name": "name", "StartTime": "start", "TimeZoneId": "zone", "ContactIds": "members",
                 "Recurrence.RecurrenceMultiplier": "every", "Recurrence": "hand-off", "Alias": "schedule"}

    def __init__(self, save: Callable[[RotationForm], Awaitable[str]], people: list[tuple[str, str]],
                 now: datetime, rotation: RotationForm | None = None) -> None:
        super().__init__(save)
        self.people = people
        self.rotation = rotation or RotationForm("", [], now.replace(minute=0, second=0, microsecond=0), "UTC", 7, "09:00")
        self.editing = rotation is not None

    def compose(self) -> ComposeResult:
        r = self.rotation
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
                yield Input(r.start.astimezone(UTC).strftime(TIME_FORMAT), id="start")
                yield Label("zone")
                yield zone_select(r.time_zone, "zone")
            with Horizontal(classes="field"):
                yield Label("Hand-off", classes="lead")
                yield Label("every")
                yield Input(str(r.every_days), id="every", restrict=r"\d{0,2}", classes="number")
                yield Label("days at (HH:MM)")
                yield Input(r.hand_off, id="hand-off", classes="clock")
            yield Static("Members, in rotation order (space selects):")
            yield SelectionList[str](*[(label, arn, arn in r.members) for label, arn in self.people], id="members")
            yield self.error_line()
            yield self.buttons()

    def form(self) -> RotationForm:
        start = _start_of(self.value("start"), "start", "Starts (UTC)")
        hand_off = self.value("hand-off") or "09:00"
        if not HAND_OFF.match(hand_off):
            raise FormError("hand-off", "at (HH:MM): must look like 09:00")
        members = list(self.query_one("#members", SelectionList).selected)
        if not members:
            raise FormError("members", "Members: choose at least one contact")
        schedule = self.value("schedule") if not self.editing else ""
        zone = self.query_one("#zone", Select).value
        return RotationForm(self.value("name"), members, start, str(zone),
                            int(self.value("every") or 1), hand_off, schedule)


class PrepOverrideEditor(_Editor):
    DEFAULT_CSS = _CSS.format(cls="PrepOverrideEditor")

    FIELD_IDS = {"StartTime": "start", "EndTime": "end", "NewContactIds": "members"}

    def __init__(self, save: Callable[[OverrideForm], Awaitable[str]], people: list[tuple[str, str]],
                 start: datetime, end: datetime) -> None:
        super().__init__(save)
        self.people, self.start, self.end = people, start, end

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Override[/]: who is on call instead (none selected: nobody)")
            yield _field("From (UTC)", self.start.astimezone(UTC).strftime(TIME_FORMAT), "start")
            yield _field("Until (UTC)", self.end.astimezone(UTC).strftime(TIME_FORMAT), "end")
            yield SelectionList[str](*[(label, arn) for label, arn in self.people], id="members")
            yield self.error_line()
            yield self.buttons()

    def form(self) -> OverrideForm:
        start = _start_of(self.value("start"), "start", "From (UTC)")
        end = _start_of(self.value("end"), "end", "Until (UTC)")
        return OverrideForm(start, end, list(self.query_one("#members", SelectionList).selected))
