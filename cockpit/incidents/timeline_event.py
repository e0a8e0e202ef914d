"""Add or change a custom timeline event: date, time (in the zone the timeline shows, named on
the form) and description."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from cockpit.shell.modal import FormError, FormModal, text_of
from widgets.formatting import zone_name


class TimelineEventModal(FormModal[dict]):
    TITLE = "Custom timeline event"
    FIELD_IDS = {"eventTime": "time", "eventData": "description"}
    DEFAULT_CSS = """
    TimelineEventModal .when { height: auto; }
    TimelineEventModal .when > Input { width: 1fr; }
    """

    def __init__(self, when: datetime, description: str, zone: tzinfo | None, submit,
                 title: str | None = None) -> None:
        super().__init__(submit)
        self._local = when.astimezone(zone)
        self._description = description
        self._zone = zone
        if title:
            self.TITLE = title

    def compose_fields(self) -> ComposeResult:
        yield Label(f"Date (YYYY-MM-DD) and time (HH:MM), {zone_name(self._zone, self._local)}",
                    classes="field-label")
        with Horizontal(classes="when"):
            yield Input(self._local.strftime("%Y-%m-%d"), id="date", placeholder="YYYY-MM-DD")
            yield Input(self._local.strftime("%H:%M"), id="time", placeholder="HH:MM")
        yield Label("Description", classes="field-label")
        yield Input(self._description, id="description", placeholder="what happened")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#description", Input).focus()

    def values(self) -> dict[str, Any]:
        date_text = text_of(self.query_one("#date", Input))
        time_text = text_of(self.query_one("#time", Input))
        try:
            day = datetime.strptime(date_text, "%Y-%m-%d")  # noqa: DTZ007 (zone applied below)
        except ValueError:
            raise FormError("date", f"Date: {date_text or 'empty'} is not a date like 2026-03-02") from None
        try:
            clock = datetime.strptime(  # noqa: DTZ007 (only the time of day is used)
                time_text, "%H:%M:%S" if time_text.count(":") == 2 else "%H:%M")
        except ValueError:
            raise FormError("time", f"Time: {time_text or 'empty'} is not a time like 14:05") from None
        naive = day.replace(hour=clock.hour, minute=clock.minute, second=clock.second)
        local = naive.replace(tzinfo=self._zone) if self._zone else naive.astimezone()
        description = text_of(self.query_one("#description", Input))
        if not description:
            raise FormError("description", "Description: say what happened")
        return {"eventTime": local.astimezone(UTC), "eventData": description}
