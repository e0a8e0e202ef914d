"""The cockpit keeps its parsed stylesheet while the CSS variables stay the same (start-up
speed, cockpit/shell/app.py refresh_css); a theme chosen later still recolours everything."""

from __future__ import annotations

from cockpit.build import build_app
from tests.tui.helpers import settle
from widgets.incident_tile import IncidentTile


async def test_a_theme_change_after_start_recolours_the_tiles(ready, clock, settings):
    client, plan = ready
    await client.call("StartIncident", {"responsePlanArn": plan, "impact": 2})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tile = app.screen.query(IncidentTile).first()
        dark = tile.get_component_rich_style("tile--impact-2").color
        background = app.screen.styles.background
        app.theme = "cockpit-light"
        await settle(pilot)
        assert tile.get_component_rich_style("tile--impact-2").color == dark  # the same red-orange...
        assert app.screen.styles.background != background  # ...on a light background now
        app.theme = "ansi-dark"
        await settle(pilot)
        assert tile.get_component_rich_style("tile--impact-2").color != dark  # the terminal's own red
        app.theme = "cockpit-dark"
        await settle(pilot)
        assert tile.get_component_rich_style("tile--impact-2").color == dark
        assert app.screen.styles.background == background
