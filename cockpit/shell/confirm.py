"""Every destructive action asks first: `y` confirms, `n` or `esc` cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from cockpit.shell.cockpit_modal import CockpitModal


class ConfirmModal(CockpitModal[bool]):
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > .dialog {
        width: 64; max-width: 100%; height: auto;
        border: round $error; background: $surface; padding: 0 1;
    }
    ConfirmModal .dialog-title { text-style: bold; margin-bottom: 1; }
    ConfirmModal .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmModal .buttons Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm-yes", tooltip="Do it"),
        Binding("n", "cancel", "No", id="confirm-no", tooltip="Do not do it"),
        Binding("escape", "cancel", "Cancel", id="confirm-cancel", show=False, tooltip="Do not do it"),
    ]

    def __init__(self, title: str, question: str, confirm_label: str = "Yes") -> None:
        super().__init__()
        self._title = title
        self._question = question
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Static(self._question)
            with Horizontal(classes="buttons"):
                yield Button(f"{self._confirm_label} (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(False)
