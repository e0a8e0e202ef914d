"""One timeline event in full: when, what kind, the whole text, and the data and references
the core recorded with it (`enter` on the Timeline tab). `e` edits a custom event."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from cockpit.shell.record_view import RecordViewModal
from widgets.formatting import EMPTY
from widgets.timeline_text import describe, is_custom, kind_label

STAMP = "%Y-%m-%d %H:%M:%S %Z"


def event_data_text(data: str | None) -> str:
    """The event's data as the core stored it, indented when it is JSON."""
    if not data:
        return EMPTY
    try:
        return json.dumps(json.loads(data), indent=2, sort_keys=True, ensure_ascii=False)
    except ValueError:
        return data


class TimelineEventView(RecordViewModal[str | None]):
    """Dismisses with "edit" when `e` asks to edit a custom event, else None."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="event-view-close", tooltip="Back to the timeline"),
        Binding("e", "edit", "Edit", id="event-view-edit", tooltip="Edit this custom event"),
    ]

    def __init__(self, event: dict[str, Any], zone: tzinfo | None) -> None:
        super().__init__()
        self.event = event
        self.zone = zone

    def compose(self) -> ComposeResult:
        e = self.event
        kind = kind_label(e["eventType"])
        with VerticalScroll():
            yield Label("Custom event" if is_custom(e["eventType"]) else f"Automatic event: {kind}",
                        classes="dialog-title")
            when = Text()
            when.append("At ", style="dim")
            when.append(e["eventTime"].astimezone(self.zone).strftime(STAMP))
            if e.get("eventUpdatedTime"):
                when.append("   last changed ", style="dim")
                when.append(e["eventUpdatedTime"].astimezone(self.zone).strftime(STAMP))
            yield Static(when)
            yield Label("What happened", classes="section")
            yield Static(Text(describe(e["eventType"], e.get("eventData"))), id="event-text")
            yield Label("Data recorded", classes="section")
            yield Static(Text(event_data_text(e.get("eventData"))), id="event-data")
            references = e.get("eventReferences") or []
            if references:
                yield Label("References", classes="section")
                yield Static(Text("\n".join(
                    f"{kind}: {value}" for ref in references for kind, value in ref.items())), id="event-references")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return is_custom(self.event["eventType"])
        return True

    def action_edit(self) -> None:
        self.dismiss("edit")
