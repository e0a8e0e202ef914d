"""The Footer always shows `?` Help and `:` Cmd: at 80 columns, where the incident detail's
tabs bind more keys than fit, the screen's own keys drop first."""

from __future__ import annotations

import pytest

from cockpit.build import build_app
from cockpit.incidents.detail_screen import TABS, IncidentDetailScreen
from tests.tui.helpers import settle
from widgets.key_footer import KeyFooter


def footer_text(app) -> str:
    footer = app.screen.query_one(KeyFooter)
    strips = app.screen._compositor.render_strips()
    return strips[footer.region.y].text


@pytest.mark.parametrize("width", [80, 120])
async def test_the_footer_keeps_help_and_the_command_line_on_every_detail_tab(ready, clock, settings, width) -> None:
    client, plan = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        for tab, title in TABS:
            app.screen.query_one("#detail-tabs").active = tab
            await settle(pilot)
            text = footer_text(app)
            assert "? Help" in text and ": Cmd" in text, f"{title} tab at {width} columns: {text!r}"
