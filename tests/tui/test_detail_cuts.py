"""Long words on the incident detail are shortened with "…" only when they must be: the
timeline's Description inside the table, the breadcrumb's incident title only without room."""

from __future__ import annotations

import json

import pytest

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from tests.tui.helpers import press_binding, settle
from widgets.breadcrumbs import Breadcrumbs
from widgets.key_table import KeyTable

TITLE = "Checkout payments failing for EU customers since deploy"
LONG = "Rolled back the payments deploy " * 4


async def opened(client, plan, clock):
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await client.call("UpdateIncidentRecord", {"arn": arn, "title": TITLE})
    await clock.advance(minutes=1)
    await client.call("CreateTimelineEvent", {"incidentRecordArn": arn, "eventTime": clock.now(),
                                              "eventType": "Custom Event", "eventData": json.dumps(LONG)})
    return arn


def crumbs_text(screen) -> str:
    crumbs = screen.query_one(Breadcrumbs)
    return crumbs.render_line(0).text.strip()


@pytest.mark.parametrize(("width", "whole"), [(120, True), (60, False)])
async def test_the_breadcrumb_shortens_the_title_only_without_room(ready, clock, settings, width, whole) -> None:
    client, plan = ready
    arn = await opened(client, plan, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        text = crumbs_text(app.screen)
        assert text.endswith("› Overview"), text  # where you are stays readable
        assert (TITLE in text) is whole, text
        if not whole:
            assert "…" in text and len(text) <= width - 2, text


async def test_the_timeline_description_ends_in_an_ellipsis_inside_the_table(ready, clock, settings) -> None:
    client, plan = ready
    arn = await opened(client, plan, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        await press_binding(pilot, "tab-3")
        table = app.screen.query_one("#timeline-table", KeyTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing cut by the edge
        custom = next(e for e in app.screen.events if e["eventType"] == "Custom Event")
        row = table.get_row_index(custom["eventId"])
        line = table.render_line(row + 1).text.rstrip()  # below the header
        assert "Rolled back" in line and line.endswith("…"), line
