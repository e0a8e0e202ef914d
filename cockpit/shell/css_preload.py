"""Parse, once at start, the default CSS of every widget type the first screen mounts and of
those that only later screens mount.

Textual adds a widget type's DEFAULT_CSS the first time a widget of that type mounts, and then
reparses the whole stylesheet and restyles every node: the first incident a responder opens paid
that (~100 ms here), and the first frame paid it seven times over, once per batch of new widget
types mounting (~0.1 s CPU of a cold start). Adding those sources before the app's first parse
makes it one parse. (Uses ``DOMNode._get_default_css``, an internal of the pinned Textual 8.)
"""

from __future__ import annotations

from textual.app import App
from textual.containers import Container, Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
    TextArea,
    Tooltip,
)
from textual.widgets._footer import FooterKey
from textual.widgets._tabbed_content import ContentTab, ContentTabs
from textual.widgets._tabs import Tab, Underline
from textual.widgets._toast import ToastRack

from widgets.breadcrumbs import Breadcrumbs
from widgets.flash_line import FlashLine
from widgets.impact_badge import ImpactBadge
from widgets.incident_tile import IncidentTile
from widgets.key_footer import KeyFooter
from widgets.key_table import KeyTable
from widgets.live_duration import LiveDuration

FIRST_SCREEN_WIDGETS: tuple[type[Widget], ...] = (  # the incident list's (the composition root adds its panes)
    Screen, Widget, Static, Container, Vertical, Horizontal, ScrollableContainer, ContentSwitcher, Tab,
    Footer, FooterKey, KeyFooter, ToastRack, Tooltip, Breadcrumbs, FlashLine, IncidentTile,
)
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
