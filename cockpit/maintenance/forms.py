"""The maintenance-window form: name, start and end in UTC (as every form types times), the IANA
zone the window keeps its wall-clock times in (a type-to-filter choice: a weekly window stays at
22:00 local across a DST change), an optional RRULE and the targets whose incidents it holds.
The core stores the window's times in its zone; the form converts both ways."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, SelectionList

from cockpit.shell.modal import FormError, FormModal, text_of
from widgets.formatting import parse_utc, utc_text
from widgets.zone_select import is_zone, zone_select

EXAMPLE_TIME = "2026-03-07 21:00"


def _shown(local: str, zone: str) -> str:
    """A window's time in its zone (``2026-03-07T22:00:00``, as the core keeps it) in UTC."""
    return utc_text(datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))) if local else ""


def _local(when: datetime, zone: str) -> str:
    """A UTC time as the wall-clock time in the window's zone, as the core takes it."""
    return when.astimezone(ZoneInfo(zone)).replace(tzinfo=None).isoformat(timespec="minutes")


class MaintenanceWindowForm(FormModal[dict[str, Any]]):
    """Create a window, or change one's times, zone, recurrence and targets (its name stays)."""

    FIELD_IDS = {"name": "window-name", "start": "window-start", "end": "window-end", "timeZone": "window-zone",
                 "recurrence": "window-rrule", "targets": "window-targets"}
    DEFAULT_CSS = """
    MaintenanceWindowForm .row { height: auto; }
    MaintenanceWindowForm .row > Vertical { height: auto; width: 1fr; }
    MaintenanceWindowForm .row > .time { width: 23; }
    MaintenanceWindowForm #window-targets { height: 5; }
    """

    def __init__(self, save, targets: list[tuple[str, str]], zone: str,
                 window: dict[str, Any] | None = None) -> None:
        super().__init__(save)
        self.targets = targets
        self.window = window or {"timeZone": zone, "targets": []}
        self.TITLE = f"Edit maintenance window {self.window['name']}" if window else "New maintenance window"

    def compose_fields(self) -> ComposeResult:
        w = self.window
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Name", classes="field-label")
                yield Input(w.get("name", ""), id="window-name", placeholder="letters, digits, _.-",
                            disabled="name" in w)
            with Vertical():
                yield Label("Repeats: an RRULE, empty for once", classes="field-label")
                yield Input(w.get("recurrence", ""), id="window-rrule", placeholder="FREQ=WEEKLY;BYDAY=SA")
        with Horizontal(classes="row"):
            with Vertical(classes="time"):
                yield Label("From (UTC)", classes="field-label")
                yield Input(_shown(w.get("start", ""), w["timeZone"]), id="window-start", placeholder=EXAMPLE_TIME)
            with Vertical(classes="time"):
                yield Label("Until (UTC)", classes="field-label")
                yield Input(_shown(w.get("end", ""), w["timeZone"]), id="window-end", placeholder=EXAMPLE_TIME)
            with Vertical():
                yield Label("Zone: type to filter", classes="field-label")
                yield zone_select(w["timeZone"], "window-zone")
        yield Label("Holds the pages of (space ticks)", classes="field-label")
        yield SelectionList[str](*[(label, arn, arn in w["targets"]) for label, arn in self.targets],
                                 id="window-targets")

    def values(self) -> dict[str, Any]:
        name = self.window.get("name") or text_of(self.query_one("#window-name", Input))
        if not name:
            raise FormError("window-name", "Name: give the window a name")
        zone = text_of(self.query_one("#window-zone", Input))
        if not is_zone(zone):
            raise FormError("window-zone", f"Zone: {zone!r} is not an IANA time zone; type part of one (berl) "
                            "and take it from the list")
        request: dict[str, Any] = {"name": name, "timeZone": zone}
        for field, label in (("start", "From (UTC)"), ("end", "Until (UTC)")):
            when = parse_utc(text_of(self.query_one(f"#window-{field}", Input)))
            if when is None:
                raise FormError(f"window-{field}", f"{label}: must look like {EXAMPLE_TIME}")
            request[field] = _local(when, zone)
        targets = list(self.query_one("#window-targets", SelectionList).selected)
        if not targets:
            raise FormError("window-targets", "Holds the pages of: tick at least one response plan, "
                            "heartbeat or integration")
        request["targets"] = targets
        rule = text_of(self.query_one("#window-rrule", Input))
        if rule or "name" in self.window:
            request["recurrence"] = rule  # on an edit, the empty string makes it one-off
        return request
