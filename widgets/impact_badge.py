"""Impact as a number and a word (``2 High``); colour only reinforces it."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from core.model.incidents import impact_label


class ImpactBadge(Static):
    """Shows ``impact`` as ``N Word``; carries the class ``impact-N`` for the theme's colour."""

    DEFAULT_CSS = """
    ImpactBadge {
        width: auto;
        min-width: 13;
        padding: 0 1;
        text-style: bold;
    }
    """

    impact: reactive[int | None] = reactive(None)

    def render(self) -> str:
        return impact_label(self.impact) if self.impact else "–"

    def watch_impact(self, old: int | None, new: int | None) -> None:
        if old:
            self.remove_class(f"impact-{old}")
        if new:
            self.add_class(f"impact-{new}")
