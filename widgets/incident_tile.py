"""One open incident as a tile: impact, title, live duration, chat channel, engagement counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, Static

from widgets.formatting import EMPTY, count_label, format_duration
from widgets.impact_badge import ImpactBadge


class IncidentTile(Widget, can_focus=True):
    """A focusable tile; ``enter`` or a click posts ``IncidentTile.Opened``."""

    DEFAULT_CSS = """
    IncidentTile {
        height: 3;
        padding: 0 1;
        margin: 0 0 0 0;
        border-left: tall $panel-lighten-2;
    }
    IncidentTile:focus { background: $boost; border-left: tall $accent; }
    IncidentTile > Horizontal { height: 1; }
    IncidentTile .tile-title { width: 1fr; text-style: bold; padding-left: 1; }
    IncidentTile .tile-details { height: 1; color: $text-muted; }
    """

    BINDINGS = [Binding("enter", "open", "Open", id="tile-open", tooltip="Open this incident's details")]

    @dataclass
    class Opened(Message):
        tile: IncidentTile
        arn: str

    incident_title: reactive[str] = reactive("")
    impact: reactive[int | None] = reactive(None)
    started: reactive[datetime | None] = reactive(None)
    chat: reactive[str] = reactive(EMPTY)
    engaged: reactive[int | None] = reactive(None)
    acknowledged: reactive[int | None] = reactive(None)

    def __init__(self, arn: str, now: Callable[[], datetime], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arn = arn
        self._now = now

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ImpactBadge().data_bind(impact=IncidentTile.impact)
            yield Label(classes="tile-title")
        # One line for the live duration, chat and counts: a tile is few widgets, so a list of
        # 50 tiles lays out fast, and the one-second tick only repaints this line.
        yield Static(self.details_text(), classes="tile-details")

    _composed = False

    def on_mount(self) -> None:
        self._composed = True
        self._show_title()
        self.set_interval(1.0, self._show_details)

    def details_text(self) -> str:
        duration = format_duration(self._now() - self.started) if self.started else EMPTY
        return (f"open {duration}  chat {self.chat}  engaged {count_label(self.engaged)}"
                f" · acknowledged {count_label(self.acknowledged)}")

    def _show_title(self) -> None:
        if self._composed:
            self.query_one(".tile-title", Label).update(self.incident_title)

    def _show_details(self) -> None:
        if self._composed:
            self.query_one(".tile-details", Static).update(self.details_text())

    def watch_incident_title(self) -> None:
        self._show_title()

    def watch_started(self) -> None:
        self._show_details()

    def watch_chat(self) -> None:
        self._show_details()

    def watch_engaged(self) -> None:
        self._show_details()

    def watch_acknowledged(self) -> None:
        self._show_details()

    def action_open(self) -> None:
        self.post_message(self.Opened(self, self.arn))

    def on_click(self, event: events.Click) -> None:
        self.focus()
        if event.chain >= 2:
            self.action_open()
