"""The timeline says which zone its times are in, and its add-event form names the same zone
and reads what is typed in it (the hint said "Times are local" whatever the zone was)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input, Label, Static

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.timeline_event import TimelineEventModal
from cockpit.settings import CockpitSettings
from tests.tui.helpers import press_binding, settle
from widgets.key_table import KeyTable


@pytest.mark.parametrize(("zone", "name", "offset"), [("Asia/Tokyo", "JST", 9), ("UTC", "UTC", 0)])
async def test_the_timeline_and_its_form_name_the_zone_its_times_are_in(ready, clock, zone, name, offset) -> None:
    client, plan_arn = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan_arn}))["incidentRecordArn"]
    settings = CockpitSettings(theme="cockpit-dark", timezone=zone, cursor_blink=False, keymap={})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, IncidentDetailScreen) and detail.arn == arn
        await press_binding(pilot, "tab-3")
        hint = str(detail.query_one("#timeline-hint", Static).render())
        assert hint.startswith(f"Times in {name}; ") and "local" not in hint
        table = detail.query_one("#timeline-table", KeyTable)
        shown = clock.now() + timedelta(hours=offset)
        assert str(table.get_row_at(0)[0]) == shown.strftime("%Y-%m-%d %H:%M")  # the created event, in that zone

        await press_binding(pilot, "add-timeline-event")
        modal = app.screen
        assert isinstance(modal, TimelineEventModal)
        assert f"Date (YYYY-MM-DD) and time (HH:MM), {name}" in [str(label.render()) for label in modal.query(Label)]
        modal.query_one("#date", Input).value = shown.strftime("%Y-%m-%d")
        modal.query_one("#time", Input).value = shown.strftime("%H:%M")
        modal.query_one("#description", Input).value = "typed in the zone shown"
        await press_binding(pilot, "form-submit")
        assert app.screen is detail
        custom = next(e for e in detail.events if e["eventType"] == "Custom Event")
        assert custom["eventTime"] == clock.now().replace(second=0, microsecond=0)
