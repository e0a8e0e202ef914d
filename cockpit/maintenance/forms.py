"""The maintenance-window form: name, local start and end in an IANA zone (a type-to-filter
choice), an optional RRULE and the targets whose incidents it holds."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, SelectionList

from cockpit.shell.modal import FormError, FormModal, text_of
from widgets.zone_select import zone_select

EXAMPLE_TIME = "2026-03-07T22:00"


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
                yield Label("From (local)", classes="field-label")
                yield Input(w.get("start", "")[:16], id="window-start", placeholder=EXAMPLE_TIME)
            with Vertical(classes="time"):
                yield Label("Until (local)", classes="field-label")
                yield Input(w.get("end", "")[:16], id="window-end", placeholder=EXAMPLE_TIME)
            with Vertical():
                yield Label("Time zone (type to jump)", classes="field-label")
                yield zone_select(w["timeZone"], "window-zone")
        yield Label("Holds the pages of (space ticks)", classes="field-label")
        yield SelectionList[str](*[(label, arn, arn in w["targets"]) for label, arn in self.targets],
                                 id="window-targets")

    def values(self) -> dict[str, Any]:
        name = self.window.get("name") or text_of(self.query_one("#window-name", Input))
        if not name:
            raise FormError("window-name", "Name: give the window a name")
        request: dict[str, Any] = {"name": name, "timeZone": str(self.query_one("#window-zone").value)}  # type: ignore[attr-defined]
        for field, label in (("start", "From"), ("end", "Until")):
            request[field] = text_of(self.query_one(f"#window-{field}", Input))
            if not request[field]:
                raise FormError(f"window-{field}", f"{label}: a local date and time like {EXAMPLE_TIME}")
        targets = list(self.query_one("#window-targets", SelectionList).selected)
        if not targets:
            raise FormError("window-targets", "Holds the pages of: tick at least one response plan, "
                            "heartbeat or integration")
        request["targets"] = targets
        rule = text_of(self.query_one("#window-rrule", Input))
        if rule or "name" in self.window:
            request["recurrence"] = rule  # on an edit, the empty string makes it one-off
        return request
