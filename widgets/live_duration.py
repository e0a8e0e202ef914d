"""A duration that keeps counting while the incident is open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.reactive import reactive
from textual.widgets import Static

from widgets.formatting import EMPTY, format_duration


class LiveDuration(Static):
    """``until - since``, or ``now() - since`` while ``until`` is None.

    ``now`` is injected (the app's clock), so a fake clock gives a stable picture; the interval
    only repaints, it never fetches anything. The widget is as wide as its text, so when the text
    gains a character (at 10 s, 1 min, 10 min...) it lays itself out again rather than clip.
    """

    DEFAULT_CSS = """
    LiveDuration { width: auto; }
    """

    since: reactive[datetime | None] = reactive(None, layout=True)
    until: reactive[datetime | None] = reactive(None, layout=True)

    def __init__(self, now: Callable[[], datetime], *, prefix: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._now = now
        self._prefix = prefix
        self._shown = ""

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        """Repaint with the clock's time; lay out again only if the text's width changed."""
        self.refresh(layout=len(self.text()) != len(self._shown))

    def text(self) -> str:
        if self.since is None:
            return f"{self._prefix}{EMPTY}"
        end = self.until or self._now()
        return f"{self._prefix}{format_duration(end - self.since)}"

    def render(self) -> str:
        self._shown = self.text()
        return self._shown
