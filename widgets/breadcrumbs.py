"""Where you are: ``Incidents › API is down › Timeline``."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class Breadcrumbs(Static):
    DEFAULT_CSS = """
    Breadcrumbs {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    crumbs: reactive[tuple[str, ...]] = reactive(())
    right: reactive[str] = reactive("")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, crumb in enumerate(self.crumbs):
            if i:
                text.append(" › ")
            last = i == len(self.crumbs) - 1
            text.append(crumb, style="bold" if last else "")
        if self.right:
            width = max(0, self.content_size.width - text.cell_len - len(self.right))
            text.append(" " * width)
            text.append(self.right)
        return text
