"""A modal form that submits through the core and stays open, showing the error, if the core
refuses (a ValidationException names the offending members)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from cockpit.feedback import describe_error
from core.errors import ServiceError

Result = TypeVar("Result")


class FormError(Exception):
    """A value the form can reject before asking the core (a date that does not parse)."""

    def __init__(self, field_id: str, message: str) -> None:
        super().__init__(message)
        self.field_id = field_id
        self.message = message


class CockpitModal(ModalScreen[Result], Generic[Result]):
    """A modal with the app's cursor-blink setting applied (snapshots freeze the cursor)."""

    def on_mount(self) -> None:
        if not self.app.settings.cursor_blink:  # type: ignore[attr-defined]
            for widget in self.query("Input, TextArea"):
                widget.cursor_blink = False  # type: ignore[attr-defined]


class FormModal(CockpitModal[Result], Generic[Result]):
    TITLE: ClassVar[str] = "Form"
    SUBMIT_LABEL: ClassVar[str] = "Save"
    # The core's member name -> the widget id that edits it, to mark the offending field.
    FIELD_IDS: ClassVar[dict[str, str]] = {}

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > .dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    FormModal .dialog-title { text-style: bold; width: 1fr; margin-bottom: 1; }
    FormModal .field-label { color: $text-muted; margin-top: 0; }
    FormModal Input, FormModal Select { margin-bottom: 0; }
    FormModal .hint { color: $text-muted; }
    FormModal #form-error { color: $text-error; height: auto; }
    FormModal .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    FormModal .buttons Button { margin-left: 1; min-width: 10; }
    FormModal .-invalid { border: tall $error; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "submit", "Save", id="form-submit", priority=True,
                tooltip="Save (enter in a one-line field does the same)"),
    ]

    def __init__(self, submit: Callable[[dict[str, Any]], Awaitable[Result]]) -> None:
        super().__init__()
        self._submit_to_core = submit

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(self.TITLE, classes="dialog-title")
            yield from self.compose_fields()
            yield Static("", id="form-error")
            with Horizontal(classes="buttons"):
                yield Button(self.SUBMIT_LABEL, variant="primary", id="submit")
                yield Button("Cancel", id="cancel")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def values(self) -> dict[str, Any]:
        """The request to send; raise FormError for a value that cannot be right."""
        return {}

    def show_error(self, message: str, field_ids: list[str] | None = None) -> None:
        self.query_one("#form-error", Static).update(message)
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        for field_id in field_ids or []:
            for widget in self.query(f"#{field_id}"):
                widget.add_class("-invalid")

    @on(Button.Pressed, "#submit")
    def _pressed_submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _pressed_cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        try:
            values = self.values()
        except FormError as error:
            self.show_error(error.message, [error.field_id])
            return
        self.show_error("")
        self.submit(values)

    @work(exclusive=True, group="form-submit")
    async def submit(self, values: dict[str, Any]) -> None:
        try:
            result = await self._submit_to_core(values)
        except ServiceError as error:
            names = [f.get("name", "") for f in getattr(error, "fields", None) or []]
            ids = [self.FIELD_IDS[n] for n in names if n in self.FIELD_IDS]
            self.show_error(describe_error(error), ids)
            return
        self.dismiss(result)


def text_of(widget: Input | TextArea) -> str:
    return (widget.value if isinstance(widget, Input) else widget.text).strip()
