"""One audit record in full (`enter` on the Audit screen): when to the second, the operation and
its result with the error's code and message, the principal's and the resource's whole ARNs,
where the call came from, and the parameters as recorded (secrets already redacted)."""

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


def record_text(e: dict[str, Any], zone: tzinfo | None) -> Text:
    """Every value of the record, each on its own line, nothing abbreviated."""
    text = Text(overflow="fold")
    for label, value in (
        ("When", e["time"].astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")),
        ("Result", e["result"]),
        ("Error", e.get("errorMessage")),
        ("Who", e.get("principal") or EMPTY),
        ("From", e.get("origin") or EMPTY),
        ("Resource", e.get("resourceArn") or EMPTY),
    ):
        if value:
            text.append(f"{label:<9}", style="bold")
            text.append(f"{value}\n", style="red" if label == "Error" else "")
    text.rstrip()
    return text


class AuditRecordView(RecordViewModal[None]):
    DEFAULT_CSS = "AuditRecordView > VerticalScroll { width: 110; }"
    BINDINGS = [
        Binding("escape", "close", "Close", id="audit-view-close", tooltip="Back to the audit trail"),
    ]

    def __init__(self, record: dict[str, Any], zone: tzinfo | None) -> None:
        super().__init__()
        self.record = record
        self.zone = zone

    def compose(self) -> ComposeResult:
        e = self.record
        with VerticalScroll():
            yield Label(f"{e['operation']}: audit record {e['eventId']}", classes="dialog-title", markup=False)
            yield Static(record_text(e, self.zone), id="audit-view-record")
            yield Label("Parameters", classes="section")
            yield Static(Text(json.dumps(e.get("parameters") or {}, indent=2, sort_keys=True, default=str)),
                         id="audit-view-parameters")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(VerticalScroll).focus()
