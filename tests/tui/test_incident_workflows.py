"""End-to-end Pilot tests: the real app, built by build_app, on a real core on a temp SQLite
file and a fake clock."""

from __future__ import annotations

import json
from datetime import timedelta

from textual.widgets import Input, Select

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.list_screen import IncidentListScreen
from cockpit.incidents.start_incident import StartIncidentModal
from cockpit.incidents.timeline_event import TimelineEventModal
from cockpit.shell.confirm import ConfirmModal
from tests.tui.helpers import press_binding, settle
from widgets.flash_line import FlashLine
from widgets.incident_tile import IncidentTile
from widgets.key_table import KeyTable


def tiles(app) -> dict[str, IncidentTile]:
    return {t.arn: t for t in app.screen.query(IncidentTile)}


async def test_start_an_incident_and_see_it_appear(ready, clock, settings) -> None:
    client, plan_arn = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        assert tiles(app) == {}

        await press_binding(pilot, "start-incident")
        modal = app.screen
        assert isinstance(modal, StartIncidentModal)
        assert modal.query_one("#plan", Select).value == plan_arn  # the only plan is chosen
        modal.query_one("#title", Input).value = "Checkout is down"
        await press_binding(pilot, "form-submit")

        assert isinstance(app.screen, IncidentListScreen)
        shown = list(tiles(app).values())
        assert [t.incident_title for t in shown] == ["Checkout is down"]
        assert shown[0].impact == 2  # from the plan's template
        assert "started" in app.screen.query_one(FlashLine).message.lower()


async def test_an_incident_started_elsewhere_appears_live_and_rings(ready, clock, settings) -> None:
    client, plan_arn = ready
    app = build_app(client, settings, clock=clock)
    bells: list[bool] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.bell = lambda: bells.append(True)  # type: ignore[method-assign]
        await settle(pilot)
        out = await client.call("StartIncident", {"responsePlanArn": plan_arn, "title": "From intake"})
        await settle(pilot)
        assert tiles(app)[out["incidentRecordArn"]].incident_title == "From intake"
        assert bells == [True]  # impact 2: announce and ring
        # on the flash line, which covers no tile (a toast covered them for 8 s at 80x24)
        assert app.screen.query_one(FlashLine).message == "Incident started: 2 High “From intake”"
        assert not app._notifications

        await client.call("StartIncident", {"responsePlanArn": plan_arn, "title": "Minor", "impact": 4})
        await settle(pilot)
        assert len(tiles(app)) == 2 and bells == [True]  # impact 4: no bell


async def test_timeline_add_edit_and_refuse_an_automatic_event(ready, clock, settings) -> None:
    client, plan_arn = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan_arn}))["incidentRecordArn"]
    await clock.advance(minutes=10)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first tile has focus
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, IncidentDetailScreen) and detail.arn == arn
        await press_binding(pilot, "tab-3")
        table = detail.query_one("#timeline-table", KeyTable)
        assert table.row_count == 1  # the automatic "created" event

        # add a custom event
        await press_binding(pilot, "add-timeline-event")
        modal = app.screen
        assert isinstance(modal, TimelineEventModal)
        modal.query_one("#time", Input).value = "09:05"
        modal.query_one("#description", Input).value = "Rolled back the deploy"
        await press_binding(pilot, "form-submit")
        assert app.screen is detail
        custom = next(e for e in detail.events if e["eventType"] == "Custom Event")
        assert custom["description"] == "Rolled back the deploy"
        assert custom["eventTime"] == clock.now().replace(hour=9, minute=5) - timedelta(0)
        assert table.row_count == 2

        # edit it
        table.move_cursor(row=table.get_row_index(custom["eventId"]))
        await press_binding(pilot, "edit-timeline-event")
        modal = app.screen
        assert isinstance(modal, TimelineEventModal)
        modal.query_one("#description", Input).value = "Rolled back deploy 2026.03.1"
        await press_binding(pilot, "form-submit")
        stored = await client.call("GetTimelineEvent", {"incidentRecordArn": arn, "eventId": custom["eventId"]})
        assert json.loads(stored["event"]["eventData"]) == "Rolled back deploy 2026.03.1"
        assert "Rolled back deploy 2026.03.1" in [e["description"] for e in detail.events]

        # an automatic event cannot be edited, and the screen says why (the core's words)
        created = next(e for e in detail.events if e["eventType"] != "Custom Event")
        table.move_cursor(row=table.get_row_index(created["eventId"]))
        await press_binding(pilot, "edit-timeline-event")
        assert app.screen is detail  # no editor opened
        flash = detail.query_one(FlashLine)
        assert flash.level == "error"
        assert "Exception" not in flash.message  # words, not the class
        assert "only custom events can be edited" in flash.message


async def test_resolve_an_incident_and_see_it_move_to_resolved(ready, clock, settings) -> None:
    client, plan_arn = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan_arn}))["incidentRecordArn"]
    await clock.advance(minutes=42)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, IncidentDetailScreen)

        await press_binding(pilot, "resolve-incident")
        assert isinstance(app.screen, ConfirmModal)
        await press_binding(pilot, "confirm-no")  # asking first really stops it
        assert (await client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]["status"] == "OPEN"

        await press_binding(pilot, "resolve-incident")
        await press_binding(pilot, "confirm-yes")
        record = (await client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
        assert record["status"] == "RESOLVED"
        assert detail.record is not None and detail.record["status"] == "RESOLVED"
        assert "resolve_incident" not in [b.binding.action for b in app.screen.active_bindings.values()]

        await press_binding(pilot, "back")
        listing = app.screen
        assert isinstance(listing, IncidentListScreen)
        assert arn not in tiles(app)
        await press_binding(pilot, "tab-2")
        table = listing.query_one("#resolved-table", KeyTable)
        assert table.row_count == 1
        row = table.get_row(arn)
        assert str(row[0]) == "API is down" and row[1] == "2 High" and row[3] == "42m 00s"
        assert len(row) == 5  # 100 columns: the columns that fit whole, so no plan


async def test_command_line_and_help(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_binding(pilot, "help")
        assert "start-incident" in app.screen.binding_ids
        await press_binding(pilot, "help-close")
        await press_binding(pilot, "command-line")
        await pilot.press(*"nosuch", "enter")
        await settle(pilot)
        flash = app.screen.query_one(FlashLine)
        assert flash.level == "error" and "unknown command :nosuch" in flash.message
        await press_binding(pilot, "command-line")
        await pilot.press(*"start", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StartIncidentModal)


async def test_keymap_overrides_move_a_binding(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings.model_copy(update={"keymap": {"start-incident": "ctrl+n"}}),
                    clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_binding(pilot, "start-incident")
        assert isinstance(app.screen, StartIncidentModal)


async def test_read_only_hides_changes(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings.model_copy(update={"read_only": True}), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ids = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "start-incident" not in ids and "filter" in ids
