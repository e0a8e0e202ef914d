"""The flash line: the result of the last action, in one line (k9s style). It always takes its
one row, so a message never pushes or covers what is above it, and it goes after a few
seconds, measured on the injected clock (a fake clock in tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal

from textual.reactive import reactive
from textual.widgets import Static

FlashLevel = Literal["info", "success", "warning", "error"]
MARKS: dict[str, str] = {"info": "·", "success": "✓", "warning": "!", "error": "✗"}
LIFETIME: dict[str, timedelta] = {
    "info": timedelta(seconds=5), "success": timedelta(seconds=5),
    "warning": timedelta(seconds=10), "error": timedelta(seconds=10),
}
"""How long a message stays; problems stay longer, to be read."""


class FlashLine(Static):
    DEFAULT_CSS = """
    FlashLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    FlashLine.-success { color: $text-success; }
    FlashLine.-warning { color: $text-warning; }
    FlashLine.-error { color: $text-error; text-style: bold; }
    """

    message: reactive[str] = reactive("")
    level: reactive[str] = reactive("info")

    def __init__(self, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._now = now
        self._since: datetime | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def show(self, message: str, level: str = "info") -> None:
        self.level = level
        self.message = message
        self._since = self._now()

    def clear(self) -> None:
        self.message = ""

    def tick(self) -> None:
        """Clear the message once it has been up for its lifetime (the interval calls this)."""
        if self.message and self._since is not None:
            if self._now() - self._since >= LIFETIME.get(self.level, LIFETIME["info"]):
                self.message = ""

    def render(self) -> str:
        if not self.message:
            return ""
        return f"{MARKS.get(self.level, '·')} {self.message}"

    def watch_level(self, old: str, new: str) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")
