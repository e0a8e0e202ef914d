"""One open incident as a tile: impact, title, live duration, chat channel, and the people
engaged and those who acknowledged.

A tile is a single widget that renders its two lines itself: a list of 50 tiles is 50 widgets
to lay out, its size never changes, and a data change or the one-second duration tick only
repaints the tile (no layout).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from core.model.incidents import impact_label
from widgets.formatting import EMPTY, format_duration, names_label

BADGE_WIDTH = 11


class IncidentTile(Widget, can_focus=True):
    """A focusable tile; ``enter`` or a click posts ``IncidentTile.Opened``."""

    COMPONENT_CLASSES = {
        "tile--title",
        "tile--details",
        *(f"tile--impact-{n}" for n in range(1, 6)),
    }

    DEFAULT_CSS = """
    IncidentTile {
        height: 3;
        padding: 0 1;
        border-left: tall $foreground 40%;
    }
    IncidentTile:focus { background: $boost; border-left: tall $accent; }
    IncidentTile > .tile--title { text-style: bold; }
    IncidentTile > .tile--details { color: $text-muted; }
    IncidentTile > .tile--impact-1 { color: $impact-1; text-style: bold reverse; }
    IncidentTile > .tile--impact-2 { color: $impact-2; text-style: bold; }
    IncidentTile > .tile--impact-3 { color: $impact-3; text-style: bold; }
    IncidentTile > .tile--impact-4 { color: $impact-4; text-style: bold; }
    IncidentTile > .tile--impact-5 { color: $impact-5; }
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
    engaged: reactive[tuple[str, ...] | None] = reactive(None)
    """The people paged so far (None: not loaded yet)."""
    acknowledged: reactive[tuple[str, ...] | None] = reactive(None)
    held_by: reactive[str] = reactive("")
    """The maintenance window it started in (which held its pages back), if any."""

    def __init__(self, arn: str, now: Callable[[], datetime], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arn = arn
        self._now = now

    def on_mount(self) -> None:
        self.auto_refresh = 1.0  # the live duration: a repaint, never a layout

    def automatic_refresh(self) -> None:
        """Under another screen (an incident's details) the duration waits: a repaint of a
        hidden tile still repaints that region of the screen on top. Under a dialog, which
        shows the screen behind it, the duration keeps counting."""
        top = self.app.screen
        if self.screen is top or (self.screen.is_current and top.styles.background.a < 1):
            super().automatic_refresh()

    def details_text(self) -> str:
        duration = format_duration(self._now() - self.started) if self.started else EMPTY
        window = f"  started in window {self.held_by}" if self.held_by else ""
        return f"open {duration}  chat {self.chat}{window}"

    def people_text(self) -> str:
        if self.engaged is None:
            return f"engaged {EMPTY} · acknowledged {EMPTY}"
        if not self.engaged:
            return "nobody engaged yet"
        return f"engaged {names_label(self.engaged)} · acknowledged {names_label(self.acknowledged or (), 'nobody')}"

    def render(self) -> Text:
        badge = f" {impact_label(self.impact) if self.impact else EMPTY:<{BADGE_WIDTH}} "
        impact_style = (
            self.get_component_rich_style(f"tile--impact-{self.impact}") if self.impact else ""
        )
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(badge, style=impact_style)
        text.append(" ")
        text.append(self.incident_title, style=self.get_component_rich_style("tile--title"))
        text.append("\n")
        text.append(self.details_text(), style=self.get_component_rich_style("tile--details"))
        text.append("\n")
        text.append(self.people_text(), style=self.get_component_rich_style("tile--details"))
        return text

    def action_open(self) -> None:
        self.post_message(self.Opened(self, self.arn))

    def on_click(self, event: events.Click) -> None:
        self.focus()
        if event.chain >= 2:
            self.action_open()
