"""The flash line: the result of the last action, in one line (k9s style)."""

from __future__ import annotations

from typing import Literal

from textual.reactive import reactive
from textual.widgets import Static

FlashLevel = Literal["info", "success", "warning", "error"]
MARKS: dict[str, str] = {"info": "·", "success": "✓", "warning": "!", "error": "✗"}


class FlashLine(Static):
    DEFAULT_CSS = """
    FlashLine {
        height: auto;
        max-height: 3;
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
    }
    FlashLine.-success { color: $text-success; }
    FlashLine.-warning { color: $text-warning; }
    FlashLine.-error { color: $text-error; text-style: bold; }
    """

    message: reactive[str] = reactive("")
    level: reactive[str] = reactive("info")

    def render(self) -> str:
        if not self.message:
            return ""
        return f"{MARKS.get(self.level, '·')} {self.message}"

    def watch_level(self, old: str, new: str) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")
