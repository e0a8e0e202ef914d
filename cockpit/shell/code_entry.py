"""Enter a six-digit code (a channel's activation code): the code is tried in the dialog, which
stays open, saying why, when the core refuses it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from cockpit.shell.modal import SavingModal


class PrepCodeEntry(SavingModal[Any]):
    """Closes with what ``use(code)`` returned, once it worked."""

    DEFAULT_CSS = """
    PrepCodeEntry { align: center middle; }
    PrepCodeEntry > Vertical { width: 60; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    PrepCodeEntry Input { width: 16; }
    PrepCodeEntry .code-label { margin-top: 1; color: $text-muted; }
    """
    FIELD_IDS = {"ActivationCode": "code"}
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="code-cancel", tooltip="Close without a code")]

    def __init__(self, prompt: str, use: Callable[[str], Awaitable[Any]]) -> None:
        super().__init__(use)
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.prompt)
            yield Label("Code", classes="code-label")
            yield Input(placeholder="123456", restrict=r"\d{0,6}", max_length=6, id="code")
            yield self.error_line()
            yield Static("[dim]enter submits · esc cancels[/]")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if len(event.value) == 6:
            self.save_form(event.value)
        else:
            self.show_error("Code: six digits", ["code"])

