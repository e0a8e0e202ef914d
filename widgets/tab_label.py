"""Relabel a TabbedContent's tab only when its label changes.

Setting a tab's label always relabels it: the tab row lays out again and the underline under
the active tab animates to its place, on every live update of a count shown in a label.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import TabbedContent


def relabel(tabs: TabbedContent, pane_id: str, label: str) -> None:
    """Give the tab of ``pane_id`` the label ``label`` (markup), if it reads differently now."""
    tab = tabs.get_tab(pane_id)
    new = Content.from_markup(label)
    if (tab.label.plain, tab.label.spans) != (new.plain, new.spans):
        tab.label = new
