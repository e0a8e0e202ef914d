"""Engage another contact, escalation plan or on-call schedule for an incident."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from cockpit.shell.modal import SavingModal


class PrepEngageForm(SavingModal[Any]):
    """Engages through ``engage({ContactId, Subject, Content})`` and closes once it worked."""

    FIELD_IDS = {"ContactId": "who", "Subject": "subject", "Content": "content"}
    DEFAULT_CSS = """
    PrepEngageForm { align: center middle; }
    PrepEngageForm > Vertical { width: 70; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    PrepEngageForm .field { height: 3; }
    PrepEngageForm .field Label { width: 10; padding-top: 1; }
    PrepEngageForm .field Input, PrepEngageForm .field Select { width: 1fr; }
    PrepEngageForm .buttons { height: 3; }
    PrepEngageForm .buttons Button { margin-right: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Engage", id="engage-send", tooltip="Engage now"),
        Binding("escape", "cancel", "Cancel", id="engage-cancel", tooltip="Close without engaging"),
    ]

    def __init__(self, engage: Callable[[dict[str, Any]], Awaitable[Any]], contacts: list[tuple[str, str]],
                 subject: str) -> None:
        super().__init__(engage)
        self.contacts = contacts
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Engage[/] a contact, escalation plan or on-call schedule")
            with Horizontal(classes="field"):
                yield Label("Who")
                yield Select(self.contacts, prompt="choose…", id="who")
            with Horizontal(classes="field"):
                yield Label("Subject")
                yield Input(self.subject, id="subject")
            with Horizontal(classes="field"):
                yield Label("Message")
                yield Input("You are needed on this incident.", id="content")
            yield self.error_line()
            with Horizontal(classes="buttons"):
                yield Button("Engage ^s", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#who", Select).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_save(self) -> None:
        who = self.query_one("#who", Select).value
        if who is Select.NULL:
            self.show_error("Who: choose whom to engage", ["who"])
            return
        self.save_form({"ContactId": who, "Subject": self.query_one("#subject", Input).value,
                      "Content": self.query_one("#content", Input).value})

