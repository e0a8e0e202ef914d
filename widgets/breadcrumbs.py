"""Where you are: ``Incidents › API is down › Timeline``; and, when attached to a remote core
whose connection is lost, ``reconnecting …`` on the right of a header in the warning colour."""

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
    Breadcrumbs.-disconnected { background: $warning; color: $text; text-style: bold; }
    """

    crumbs: reactive[tuple[str, ...]] = reactive(())
    right: reactive[str] = reactive("")
    status: reactive[str] = reactive("")
    """The connection's state when it is not fine ("reconnecting to …"); empty otherwise."""

    def watch_status(self, status: str) -> None:
        self.set_class(bool(status), "-disconnected")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, crumb in enumerate(self.crumbs):
            if i:
                text.append(" › ")
            last = i == len(self.crumbs) - 1
            text.append(crumb, style="bold" if last else "")
        right = self.status or self.right
        if right:
            width = max(1, self.content_size.width - text.cell_len - len(right))
            text.append(" " * width)
            text.append(right)
        return text
