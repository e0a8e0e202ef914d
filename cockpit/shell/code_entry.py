"""Enter a six-digit code: a channel's activation code, or a page's accept code."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from cockpit.shell.modal import CockpitModal


class PrepCodeEntry(CockpitModal[str | None]):
    DEFAULT_CSS = """
    PrepCodeEntry { align: center middle; }
    PrepCodeEntry > Vertical { width: 60; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    PrepCodeEntry Input { width: 16; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="code-cancel", tooltip="Close without a code")]

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.prompt)
            yield Input(placeholder="123456", restrict=r"\d{0,6}", max_length=6, id="code")
            yield Static("[dim]enter submits · esc cancels[/]")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if len(event.value) == 6:
            self.dismiss(event.value)
        else:
            self.notify("the code has 6 digits", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
