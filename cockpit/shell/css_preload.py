"""Parse, at start, the default CSS of widget types that only later screens mount.

Textual adds a widget type's DEFAULT_CSS the first time a widget of that type mounts, and then
reparses the whole stylesheet: the first incident a responder opens paid that (~100 ms here).
Adding those sources before the app's first parse moves the cost into start-up, which has the
room. (Uses ``DOMNode._get_default_css``, an internal of the pinned Textual 8.)
"""

from __future__ import annotations

from textual.app import App
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    Label,
    Select,
    TabbedContent,
    TabPane,
    Tabs,
    TextArea,
)
from textual.widgets._tabbed_content import ContentTab, ContentTabs
from textual.widgets._tabs import Underline

from widgets.impact_badge import ImpactBadge
from widgets.key_table import KeyTable
from widgets.live_duration import LiveDuration

SHARED_LATER_WIDGETS: tuple[type[Widget], ...] = (
    TabbedContent, TabPane, ContentTabs, ContentTab, Tabs, Underline, DataTable, KeyTable,
    VerticalScroll, Label, ImpactBadge, LiveDuration, Input, Checkbox, Select,
    TextArea,
)


def preload_widget_css(app: App, widget_types: tuple[type[Widget], ...]) -> None:
    """Add the default CSS of ``widget_types`` (the composition root adds the areas' own
    widgets to ``SHARED_LATER_WIDGETS``)."""
    for widget_type in widget_types:
        bare = object.__new__(widget_type)  # only its class is read
        for read_from, css, tie_breaker, scope in widget_type._get_default_css(bare):
            app.stylesheet.add_source(
                css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope
            )
