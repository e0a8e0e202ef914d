"""The incident list answers "what is worst, and who is on it": open tiles by impact then age,
Critical the most salient badge in every theme, resolved titles using the width with no
column cut at 80 columns."""

from __future__ import annotations

import pytest
from rich.style import Style

from cockpit.build import build_app
from cockpit.incidents.list_screen import (
    MIN_TITLE_WIDTH,
    IncidentListScreen,
    resolved_layout,
    tile_id,
)
from cockpit.settings import CockpitSettings
from core.model.incidents import impact_label
from tests.tui.helpers import press_binding, settle
from widgets.impact_badge import ImpactBadge
from widgets.incident_tile import IncidentTile


async def _start(client, plan: str, title: str, impact: int) -> str:
    return (await client.call("StartIncident", {"responsePlanArn": plan, "title": title, "impact": impact}))["incidentRecordArn"]


def _tile_titles(app) -> list[str]:
    return [t.incident_title for t in app.screen.query(IncidentTile)]


async def test_open_tiles_sort_by_impact_then_age_and_move_when_impact_changes(ready, clock, settings):
    client, plan = ready
    await _start(client, plan, "old medium", 3)
    await clock.advance(minutes=5)
    old_high = await _start(client, plan, "old high", 2)
    await clock.advance(minutes=5)
    await _start(client, plan, "new critical", 1)
    await clock.advance(minutes=5)
    await _start(client, plan, "new high", 2)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _tile_titles(app) == ["new critical", "old high", "new high", "old medium"]
        assert app.screen.query(IncidentTile).first().has_focus  # the worst has the focus
        await client.call("UpdateIncidentRecord", {"arn": old_high, "impact": 4})
        await settle(pilot)
        assert _tile_titles(app) == ["new critical", "new high", "old medium", "old high"]
        await _start(client, plan, "newest critical", 1)
        await settle(pilot)
        assert _tile_titles(app) == ["new critical", "newest critical", "new high", "old medium", "old high"]
        await client.call("UpdateIncidentRecord", {"arn": old_high, "impact": 1})
        await settle(pilot)
        assert _tile_titles(app)[0] == "old high"  # Critical now, and the oldest of the three
        assert app.screen.query_one(f"#{tile_id(old_high)}", IncidentTile).impact == 1


def _badge_styles(app) -> dict[int, Style]:
    tile = app.screen.query(IncidentTile).first()
    return {n: tile.get_component_rich_style(f"tile--impact-{n}") for n in range(1, 6)}


@pytest.mark.parametrize("theme", ["cockpit-dark", "cockpit-light", "ansi-dark", "ansi-light", "textual-dark", "nord"])
async def test_critical_is_the_one_filled_badge_in_every_theme(ready, clock, theme):
    client, plan = ready
    await _start(client, plan, "worst", 1)
    settings = CockpitSettings(theme=theme, timezone="UTC", cursor_blink=False, keymap={})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == theme
        styles = _badge_styles(app)
        assert styles[1].reverse and styles[1].bold
        assert not any(styles[n].reverse for n in range(2, 6))
        # the banner's badge does the same
        await pilot.press("enter")
        await settle(pilot)
        badge = app.screen.query_one(ImpactBadge)
        assert str(badge.render()) == impact_label(1)
        assert badge.rich_style.reverse and badge.rich_style.bold


async def test_no_color_keeps_critical_filled(ready, clock, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    client, plan = ready
    await _start(client, plan, "worst", 1)
    app = build_app(client, CockpitSettings(timezone="UTC", cursor_blink=False, keymap={}), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"
        assert _badge_styles(app)[1].reverse  # reverse video survives a terminal without colour


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_resolved_columns_fit_whole_and_the_title_takes_the_rest(width):
    title, columns = resolved_layout(width)
    used = 2 + (title + 2) + sum(w + 2 for _, _, w in columns)  # the vertical scrollbar is 2 wide
    assert used <= width and title >= MIN_TITLE_WIDTH
    assert [k for k, _, _ in columns][:3] == ["impact", "start", "duration"]  # never left out
    if width >= 120:
        assert len(columns) == 5


async def test_resolved_titles_use_the_width_at_80_columns(ready, clock, settings):
    client, plan = ready
    long_title = "Checkout payments failing for EU cards after the PSP rotated its 3-D Secure keys"
    arn = await _start(client, plan, long_title, 2)
    await client.call("UpdateIncidentRecord", {"arn": arn, "status": "RESOLVED"})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_binding(pilot, "tab-2")
        screen = app.screen
        assert isinstance(screen, IncidentListScreen)
        table = screen.query_one("#resolved-table")
        shown = str(table.get_row(arn)[0])
        assert len(shown) == resolved_layout(80)[0] and shown.endswith("…") and len(shown) > 32
        assert sum(c.get_render_width(table) for c in table.ordered_columns) <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert str(table.get_row(arn)[0]) == long_title  # wide enough now: whole
        assert [c.key.value for c in table.ordered_columns][-1] == "plan"
