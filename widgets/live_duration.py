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
    only repaints, it never fetches anything.
    """

    DEFAULT_CSS = """
    LiveDuration { width: auto; }
    """

    since: reactive[datetime | None] = reactive(None)
    until: reactive[datetime | None] = reactive(None)

    def __init__(self, now: Callable[[], datetime], *, prefix: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._now = now
        self._prefix = prefix

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def render(self) -> str:
        if self.since is None:
            return f"{self._prefix}{EMPTY}"
        end = self.until or self._now()
        return f"{self._prefix}{format_duration(end - self.since)}"
