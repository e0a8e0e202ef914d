"""The base of every dialog: the app's cursor-blink setting, and tab moving between fields."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

Result = TypeVar("Result")


class CockpitModal(ModalScreen[Result], Generic[Result]):
    """A modal with the app's cursor-blink setting applied (snapshots freeze the cursor), whose
    tab and shift+tab move between its fields before the keys sent after them are handled."""

    BINDINGS = [
        # priority: run as the App takes the key, so keys sent with it (tmux `send-keys Tab abc`,
        # fast typing) go to the field it moves to; Textual's own tab runs only after the field
        # that had the focus was handed the tab, and the letters after it, already queued there
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id="form-next-field",
                tooltip="Go to the next field"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True,
                id="form-previous-field", tooltip="Go back to the previous field"),
    ]

    def on_mount(self) -> None:
        if not self.app.settings.cursor_blink:  # type: ignore[attr-defined]
            for widget in self.query("Input, TextArea"):
                widget.cursor_blink = False  # type: ignore[attr-defined]
