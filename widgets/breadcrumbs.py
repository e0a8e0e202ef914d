"""Where you are: ``Incidents › API is down › Timeline``; and, when attached to a remote core
whose connection is lost, ``reconnecting …`` on the right of a header in the warning colour."""

from __future__ import annotations

from rich.cells import cell_len
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

    def fitted(self) -> list[str]:
        """The crumbs, the longest ones before the last shortened with "…" until all fit."""
        crumbs = list(self.crumbs)
        right = self.status or self.right
        room = self.content_size.width - (len(right) + 1 if right else 0)
        if room <= 0 or len(crumbs) < 2:
            return crumbs
        for _ in range(len(crumbs)):
            over = sum(cell_len(c) for c in crumbs) + 3 * (len(crumbs) - 1) - room
            longest = max(range(len(crumbs) - 1), key=lambda i: cell_len(crumbs[i]))
            if over <= 0 or cell_len(crumbs[longest]) <= 8:
                break
            crumbs[longest] = crumbs[longest][: max(7, len(crumbs[longest]) - over - 1)] + "…"
        return crumbs

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        crumbs = self.fitted()
        for i, crumb in enumerate(crumbs):
            if i:
                text.append(" › ")
            last = i == len(crumbs) - 1
            text.append(crumb, style="bold" if last else "")
        right = self.status or self.right
        if right:
            width = max(1, self.content_size.width - text.cell_len - len(right))
            text.append(" " * width)
            text.append(right)
        return text
