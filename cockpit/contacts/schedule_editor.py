"""Edit an on-call schedule contact (ONCALL_SCHEDULE): its name, the rotations whose on-call
members it pages, and its tags. It has no channels and no engagement stages."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, SelectionList, Static

from cockpit.shell.modal import FormError, FormModal, text_of
from cockpit.shell.tags import parse_tags, tags_text


class ScheduleContactEditor(FormModal[str]):
    """Closes with the contact's arn once saved; ``values()`` is (display name, rotation arns,
    tags) for ``calls.save_schedule_contact``."""

    SUBMIT_LABEL = "Save ^s"
    FIELD_IDS = {"DisplayName": "display-name", "Plan.RotationIds": "rotations", "Tags": "tags"}
    ROTATION = re.compile(r"Plan\.RotationIds\[\d+\]")
    DEFAULT_CSS = """
    ScheduleContactEditor SelectionList { height: 5; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", id="schedule-contact-save", priority=True,
                tooltip="Save the on-call schedule"),
        Binding("escape", "cancel", "Cancel", id="schedule-contact-cancel", tooltip="Close without saving"),
    ]

    def __init__(self, save, contact: dict[str, Any], tags: dict[str, str],
                 rotations: list[tuple[str, str]]) -> None:
        super().__init__(save)
        self.contact = contact
        self.tags = tags
        self.rotations = rotations
        self.TITLE = f"Edit on-call schedule {contact['Alias']}"

    def field_id_for(self, member: str) -> str | None:
        """One rotation of the list (``Plan.RotationIds[1]``) is the rotations field."""
        return "rotations" if self.ROTATION.fullmatch(member) else super().field_id_for(member)

    def compose_fields(self) -> ComposeResult:
        chosen = set((self.contact.get("Plan") or {}).get("RotationIds") or [])
        yield Label("Name", classes="field-label")
        yield Input(self.contact.get("DisplayName") or "", id="display-name")
        yield Label("Rotations: who they put on call is paged (space ticks)", classes="field-label")
        yield SelectionList[str](*[(name, arn, arn in chosen) for name, arn in self.rotations], id="rotations")
        yield Label("Tags", classes="field-label")
        yield Input(tags_text(self.tags), placeholder="team=payments, tier=1", id="tags")
        yield Static("Members and hand-offs: e on the rotation in On-call schedules.", classes="hint")

    def values(self) -> tuple[str, list[str], dict[str, str]]:
        rotations = list(self.query_one("#rotations", SelectionList).selected)
        if not rotations:
            raise FormError("rotations", "Rotations: tick at least one: a schedule with none pages nobody")
        try:
            tags = parse_tags(self.query_one("#tags", Input).value)
        except ValueError as error:
            raise FormError("tags", f"Tags: {error}") from None
        return text_of(self.query_one("#display-name", Input)) or self.contact["Alias"], rotations, tags
