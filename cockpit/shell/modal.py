"""Modal dialogs that save through the core and stay open, keeping what was typed and showing
the error on the field in the form's own words, when the core refuses; closing one with edits
not saved asks first."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar, Generic

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from cockpit.feedback import plain_words
from cockpit.shell.cockpit_modal import CockpitModal, Result
from cockpit.shell.confirm import ConfirmModal
from core.errors import ServiceError
from widgets.form_scroll import FormScroll


class FormError(Exception):
    """A value the form rejects, worded as the form names it: before asking the core (a date
    that does not parse), or a core error the save translated (channel 2's address)."""

    def __init__(self, field_id: str | None, message: str) -> None:
        super().__init__(message)
        self.field_id = field_id
        self.message = message


class SavingModal(CockpitModal[Result], Generic[Result]):
    """A dialog that saves itself: ``save`` (handed in by the screen) runs in a worker, and the
    dialog closes with its result only when it succeeded. When it fails the dialog stays open
    with everything typed, says what is wrong in ``#form-error`` and marks the field. Cancelling
    (``action_cancel``: esc, the Cancel button) closes an untouched dialog at once and asks before
    it discards edits.

    ``FIELD_IDS`` maps the core's member names to the widget that edits each; the message names
    that widget by its label in the form ("Title: ..."), never by the core's member path."""

    FIELD_IDS: ClassVar[dict[str, str]] = {}
    DEFAULT_CSS = """
    SavingModal .form-error { color: $text-error; height: auto; }
    SavingModal .-invalid { border: tall $error; }
    /* a Select draws its box on its SelectCurrent: mark that one, as Textual marks an Input */
    SavingModal Select.-invalid { border: none; }
    SavingModal Select.-invalid > SelectCurrent { border: tall $error 60%; }
    SavingModal Select.-invalid:focus > SelectCurrent { border: tall $error; }
    """

    def __init__(self, save: Callable[[Any], Awaitable[Result]]) -> None:
        super().__init__()
        self._save = save
        self._untouched: list[tuple[str, Any]] | None = None

    @on(events.Mount)
    def _keep_untouched(self) -> None:
        # after the subclasses' on_mount and the first refresh, once the form shows what it opened with
        self.call_after_refresh(self._remember_untouched)

    def _remember_untouched(self) -> None:
        """What the fields hold now is what cancelling may discard without asking."""
        self._untouched = self._field_values()

    def _field_values(self) -> list[tuple[str, Any]]:
        values: list[tuple[str, Any]] = []
        for widget in self.query("Input, TextArea, Select, SelectionList, Checkbox"):
            if isinstance(widget, TextArea):
                value: Any = widget.text
            elif isinstance(widget, SelectionList):
                value = list(widget.selected)
            else:
                value = widget.value  # type: ignore[attr-defined]
            values.append((widget.id or type(widget).__name__, value))
        return values

    def has_edits(self) -> bool:
        return self._untouched is not None and self._field_values() != self._untouched

    def action_cancel(self) -> None:
        if not self.has_edits():
            self.dismiss(None)
            return
        def discard(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmModal(
            "Discard your changes?", "What you typed here is not saved. y discards it; n goes back to the form.",
            "Discard"), discard)

    def error_line(self) -> Static:
        return Static("", id="form-error", classes="form-error")

    def save_form(self, form: Any) -> None:
        self.show_error("")
        self._run_save(form)

    @work(exclusive=True, group="dialog-save")
    async def _run_save(self, form: Any) -> None:
        try:
            result = await self._save(form)
        except FormError as error:
            self.show_error(error.message, [error.field_id] if error.field_id else [])
            return
        except ServiceError as error:
            self.show_error(*self.in_form_words(error))
            return
        self.dismiss(result)

    def in_form_words(self, error: ServiceError) -> tuple[str, list[str]]:
        """The error as the form would say it, and the ids of the fields it is about."""
        parts: list[str] = []
        ids: list[str] = []
        for f in getattr(error, "fields", None) or []:
            field_id = self.field_id_for(f.get("name", ""))
            widgets = list(self.query(f"#{field_id}")) if field_id else []
            if widgets:
                ids.append(field_id)  # type: ignore[arg-type]
                message = f.get("message", "not valid").removeprefix(f"{f.get('name', '')} ")  # "StartTime must..."
                parts.append(f"{label_of(widgets[0]) or field_id}: {plain_words(self._labelled(message))}")
        if not parts:
            return error.message, []
        return "; ".join(parts), ids

    def field_id_for(self, member: str) -> str | None:
        """The id of the widget that edits the core's ``member`` (a form with repeated rows
        maps indexed paths such as ``Stages[0].DurationInMinutes``)."""
        return self.FIELD_IDS.get(member)

    def _labelled(self, message: str) -> str:
        """Other members the message names, by their labels: "must be after StartTime" reads
        "must be after From (UTC)"."""
        for member, field_id in self.FIELD_IDS.items():
            if member.islower():
                continue  # a plain word ("start") may be just a word in the sentence
            widgets = list(self.query(f"#{field_id}")) if re.search(rf"\b{re.escape(member)}\b", message) else []
            if widgets and (label := label_of(widgets[0])):
                message = re.sub(rf"\b{re.escape(member)}\b", label, message)
        return message

    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    def _edited(self, event: Select.Changed | TextArea.Changed | SelectionList.SelectedChanged) -> None:
        """A field in error is marked until it is changed, as an Input is (its validation, run
        on each change, clears the mark)."""
        event.control.remove_class("-invalid")

    def show_error(self, message: str, field_ids: Sequence[str] = ()) -> None:
        for line in self.query("#form-error"):
            line.update(message)  # type: ignore[attr-defined]
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        for field_id in field_ids:
            for widget in self.query(f"#{field_id}"):
                widget.add_class("-invalid")
                if isinstance(widget, Input):  # its validation on blur would clear the mark on leaving it
                    widget.validate_on = widget.validate_on - {"blur"}
        if field_ids:
            for widget in self.query(f"#{field_ids[0]}"):
                widget.focus()
                break


def label_of(widget: Widget) -> str:
    """The name the form gives ``widget``: the Label just before it among its siblings (or
    before the field it is the first part of: a zone choice's Input), up to any explanation
    after a colon."""
    parent = widget.parent
    if parent is None:
        return ""
    siblings = list(parent.children)
    for sibling in reversed(siblings[: siblings.index(widget)]):
        if isinstance(sibling, Label):
            return " ".join(str(sibling.content).split(":")[0].split())  # "Chat channel: SNS topic ARNs" names "Chat channel"
    if siblings[0] is widget and isinstance(parent, Widget) and parent.has_class("field-parts"):
        return label_of(parent)
    return ""


class FormModal(SavingModal[Result], Generic[Result]):
    """A form of labelled fields whose ``values()`` are the request ``submit`` sends."""

    TITLE: ClassVar[str] = "Form"
    SUBMIT_LABEL: ClassVar[str] = "Save"

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
    FormModal .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    FormModal .buttons Button { margin-left: 1; min-width: 10; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "submit", "Save", id="form-submit", priority=True,
                tooltip="Save (enter in a one-line field does the same)"),
    ]

    def compose(self) -> ComposeResult:
        with FormScroll(classes="dialog"):
            yield Label(self.TITLE, classes="dialog-title")
            yield from self.compose_fields()
            yield self.error_line()
            with Horizontal(classes="buttons"):
                yield Button(self.SUBMIT_LABEL, variant="primary", id="submit")
                yield Button("Cancel", id="cancel")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def values(self) -> dict[str, Any]:
        """The request to send; raise FormError for a value that cannot be right."""
        return {}

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

    def action_submit(self) -> None:
        try:
            values = self.values()
        except FormError as error:
            self.show_error(error.message, [error.field_id] if error.field_id else [])
            return
        self.save_form(values)


def text_of(widget: Input | TextArea) -> str:
    return (widget.value if isinstance(widget, Input) else widget.text).strip()
