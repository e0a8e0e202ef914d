"""The incident list's tabs and filter: `3` reaches the Analyses tab from the Open tab (with
several tiles, whose focus Textual would hand to a sibling tile as the tab hides), the Analyses
tab gets the focus (its keys in the footer and `?`, enter opens an analysis), and a filter
that hides every open tile says so instead of "No open incidents"."""

from __future__ import annotations

import io
from functools import partial

from rich.console import Console
from textual import events
from textual.widgets import Input, Static

from cockpit.analyses.screen import AnalysisScreen
from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.incidents.list_screen import IncidentListScreen
from cockpit.screenshots import DEMO_NOW
from cockpit.shell.help import HelpModal
from core.clock import FakeClock
from tests.tui.helpers import key_for, press_binding, settle
from widgets.incident_tile import IncidentTile
from widgets.key_table import KeyTable


def _demo_app(demo_workspace, settings):
    clock = FakeClock(DEMO_NOW)
    return build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)


def _text(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.file.getvalue()


async def test_3_jumps_from_the_open_tiles_to_the_analyses_tab(demo_workspace, settings):
    app = _demo_app(demo_workspace, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncidentListScreen)
        assert len(screen.query(IncidentTile)) > 1 and isinstance(app.focused, IncidentTile)
        await press_binding(pilot, "tab-3")
        assert screen.tabs.active == "analyses"
        assert app.focused is screen.query_one("#analyses-table", KeyTable)


async def test_the_analyses_tab_takes_the_focus_and_offers_its_keys(demo_workspace, settings):
    app = _demo_app(demo_workspace, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await press_binding(pilot, "tab-2")
        await press_binding(pilot, "tab-3")
        table = screen.query_one("#analyses-table", KeyTable)
        assert screen.tabs.active == "analyses" and app.focused is table
        assert table.row_count >= 1  # the demo has an analysis
        assert key_for(pilot, "analysis-templates") == "t"
        await press_binding(pilot, "help")
        own = _text(app.screen.query_one("#help-keys", Static))
        assert isinstance(app.screen, HelpModal)
        assert "Templates" in own and "table-down" in own
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnalysisScreen)


async def test_a_filter_hiding_every_open_tile_says_so(demo_workspace, settings):
    app = _demo_app(demo_workspace, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        empty = screen.query_one("#open-empty", Static)
        assert not empty.display
        await press_binding(pilot, "filter")
        box = screen.query_one("#filter-input", Input)
        box.value = "no such incident title"
        await pilot.press("enter")
        await settle(pilot)
        assert not any(t.display for t in screen.query(IncidentTile))
        assert empty.display
        words = _text(empty)
        assert "No open incident matches the filter" in words and "esc" in words
        assert "Press s to start one" not in words

        await press_binding(pilot, "filter")
        await pilot.press("escape")  # clears the filter
        await settle(pilot)
        assert not empty.display and all(t.display for t in screen.query(IncidentTile))


async def test_down_and_up_move_from_tile_to_tile_and_enter_opens_the_one_moved_to(demo_workspace, settings):
    """`?` says down/up go to the next/previous incident: they did only scroll the tiles (the
    scroll container's own keys), and enter opened the tile left off screen."""
    app = _demo_app(demo_workspace, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        tiles = [t for t in screen.query(IncidentTile) if t.display]
        assert len(tiles) >= 3 and app.focused is tiles[0]
        await pilot.press("down", "down")
        await settle(pilot)
        assert app.focused is tiles[2]
        await pilot.press("up")
        await settle(pilot)
        assert app.focused is tiles[1]
        assert tiles[1].region.y >= screen.query_one("#tiles").region.y  # on screen
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.arn == tiles[1].arn  # type: ignore[attr-defined]


async def test_an_impact_that_is_not_1_to_5_is_refused_and_the_filter_stays_open(demo_workspace, settings):
    app = _demo_app(demo_workspace, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        shown = [t for t in screen.query(IncidentTile) if t.display]
        await press_binding(pilot, "filter")
        await pilot.press(*"impact:9")
        await pilot.press("enter")
        await settle(pilot)
        box = screen.query_one("#filter-input", Input)
        assert box.has_focus and box.value == "impact:9"
        assert app.last_flash == ("impact takes 1 to 5, separated by commas (impact:1,2), not “9”", "error")
        assert [t for t in screen.query(IncidentTile) if t.display] == shown  # nothing filtered
        box.value = "impact:1"
        await pilot.press("enter")
        await settle(pilot)
        assert not box.has_focus
        assert {t.impact for t in screen.query(IncidentTile) if t.is_attached} == {1}
        assert app.last_flash[0] == "showing impact 1 only"


async def test_the_resolved_and_related_tables_do_not_scroll_sideways_at_80_columns(demo_workspace, settings):
    """The Resolved tab shifted by a column on `right` (it left 1 column for a scrollbar of
    2); the Related and Metrics tables scrolled sideways to show a long ARN or URL."""
    app = _demo_app(demo_workspace, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_binding(pilot, "tab-2")
        resolved = app.screen.query_one("#resolved-table", KeyTable)
        assert resolved.row_count and resolved.max_scroll_x == 0
        await press_binding(pilot, "tab-1")
        await pilot.press("enter")
        await settle(pilot)
        for number, table_id in ((6, "#related-table"), (2, "#metrics-table")):
            await pilot.press(str(number))
            await settle(pilot)
            table = app.screen.query_one(table_id, KeyTable)
            assert table.max_scroll_x == 0, (table_id, table.virtual_size, table.size)


async def test_keys_typed_in_one_burst_each_count(demo_workspace, settings):
    """`jjj` in one burst moves three tiles (has_focus lags behind the focus until each Focus
    message is handled); `enter enter` opens the incident once."""
    app = _demo_app(demo_workspace, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        tiles = [t for t in screen.query(IncidentTile) if t.display]
        for key in "jjj":
            app.post_message(events.Key(key, key))  # as the driver delivers a burst: no pause between
        await settle(pilot)
        assert app.focused is tiles[3]
        for key in "kk":
            app.post_message(events.Key(key, key))
        await settle(pilot)
        assert app.focused is tiles[1]
        for _ in range(2):
            app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert len(app.screen_stack) == 2 and app.screen.arn == tiles[1].arn  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen_stack) == 2  # opens again once back on the list
