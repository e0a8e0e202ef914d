"""The rotation editor's shift preview: the shifts the form's values would make, before saving
(every row ListPreviewRotationShifts returns, in its order); closing it goes back to the form
with everything typed."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from cockpit.schedules.shifts import PREVIEW_DAYS, SHIFT_COLUMNS, shift_rows
from cockpit.shell.modal import CockpitModal
from widgets.formatting import counted
from widgets.key_table import KeyTable


class ShiftPreviewModal(CockpitModal[None]):
    DEFAULT_CSS = """
    ShiftPreviewModal { align: center middle; }
    ShiftPreviewModal > .dialog {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ShiftPreviewModal .dialog-title { text-style: bold; }
    ShiftPreviewModal .hint { color: $text-muted; }
    ShiftPreviewModal KeyTable { height: auto; max-height: 14; }
    ShiftPreviewModal .buttons { height: auto; align-horizontal: right; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="preview-close", tooltip="Back to the rotation form"),
    ]

    def __init__(self, name: str, shifts: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = name
        self._rows = shift_rows(shifts)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"If saved: {self._name}, next {PREVIEW_DAYS} days (UTC)", classes="dialog-title",
                        markup=False)
            table = KeyTable(id="preview-shifts")
            for key in SHIFT_COLUMNS:
                table.add_column({"who": "On call"}.get(key, key.title()), key=key)
            yield table
            yield Static(f"{counted(len(self._rows), 'shift')}, overrides applied. Nothing is saved yet.",
                         classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Back to the form", variant="primary", id="preview-back")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#preview-shifts", KeyTable)
        table.sync_rows(self._rows, ordered=True)
        table.focus()

    @on(Button.Pressed, "#preview-back")
    def action_close(self) -> None:
        self.dismiss(None)
