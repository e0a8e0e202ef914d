"""Help and navigation: `?` lists the screen's own keys first and Textual's last; the palette's
"Go to Incidents" goes to the incident list; `esc` leaves an area (the Outbox); the timeline
opens an event in full."""

from __future__ import annotations

import io
import json

from rich.console import Console
from textual.widgets import Static

from cockpit.audit.screen import AuditScreen
from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.list_screen import IncidentListScreen
from cockpit.incidents.timeline_event import TimelineEventModal
from cockpit.incidents.timeline_event_view import TimelineEventView
from cockpit.outbox.screen import OutboxScreen
from cockpit.shell.help import HelpModal
from tests.tui.helpers import press_binding, settle
from widgets.key_table import KeyTable

LONG = ("Rolled back deploy 2026.03.1 on api-gateway after the p99 latency alarm; the canary in "
        "eu-west-1 kept failing health checks, so the blue fleet takes all traffic until the fix ships")


def _text(widget: Static) -> str:
    """What a Static shows, as plain text (its content may be a rich Table)."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.file.getvalue()


async def test_help_lists_the_screens_keys_first_and_textuals_last(ready, clock, settings):
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_binding(pilot, "help")
        modal = app.screen
        assert isinstance(modal, HelpModal)
        sections = [w.id for w in modal.query(Static) if w.id and w.id.startswith("help-")]
        assert sections == ["help-keys", "help-cockpit-keys", "help-verbs", "help-textual-keys"]
        own = _text(modal.query_one("#help-keys", Static))
        assert "Start" in own and "start-incident" in own and "Filter" in own
        assert "palette" not in own.lower() and "Focus" not in own
        everywhere = _text(modal.query_one("#help-cockpit-keys", Static))
        assert "Help" in everywhere and "Cmd" in everywhere
        textual = _text(modal.query_one("#help-textual-keys", Static))
        assert "palette" in textual.lower() or "Focus" in textual
        assert "start-incident" not in textual and "help" not in textual.split()


async def test_palette_go_to_incidents_returns_to_the_list_from_a_detail(ready, clock, settings):
    client, plan = ready
    await client.call("StartIncident", {"responsePlanArn": plan})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncidentDetailScreen)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Go to Incidents")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        assert len(app.screen_stack) == 1


async def test_esc_leaves_the_outbox_and_the_audit_area_for_the_incident_list(ready, clock, settings):
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for mode, screen_type in (("outbox", OutboxScreen), ("audit", AuditScreen)):
            app.go_to_area(mode)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            await pilot.press("escape")
            await settle(pilot)
            assert app.current_mode == "incidents" and isinstance(app.screen, IncidentListScreen)
        # on the incident list itself esc has nowhere to go: neither is offered
        assert not app.screen.check_action("back", ()) and not app.screen.check_action("leave_area", ())


async def test_the_timeline_opens_an_event_in_full(ready, clock, settings):
    client, plan = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await clock.advance(minutes=1)
    await client.call("CreateTimelineEvent", {"incidentRecordArn": arn, "eventTime": clock.now(),
                                              "eventType": "Custom Event", "eventData": json.dumps(LONG)})
    await client.call("UpdateIncidentRecord", {"arn": arn, "impact": 1})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        await press_binding(pilot, "tab-3")
        table = detail.query_one("#timeline-table", KeyTable)
        custom = next(e for e in detail.events if e["eventType"] == "Custom Event")
        table.move_cursor(row=table.get_row_index(custom["eventId"]))
        await press_binding(pilot, "view-timeline-event")
        view = app.screen
        assert isinstance(view, TimelineEventView)
        assert LONG in " ".join(_text(view.query_one("#event-text", Static)).split())
        assert json.loads(_text(view.query_one("#event-data", Static))) == LONG
        await press_binding(pilot, "event-view-edit")  # a custom event: e edits it
        assert isinstance(app.screen, TimelineEventModal)
        await press_binding(pilot, "form-cancel")
        assert app.screen is detail

        updated = next(e for e in detail.events if e["eventType"] == "SSM Incident Record Update")
        table.move_cursor(row=table.get_row_index(updated["eventId"]))
        await pilot.press("enter")  # enter on the row does the same
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TimelineEventView)
        assert "1 Critical" in _text(view.query_one("#event-text", Static))
        assert '"impact"' in _text(view.query_one("#event-data", Static))
        assert not view.check_action("edit", ())  # automatic: not editable, e is not offered
        await press_binding(pilot, "event-view-close")
        assert app.screen is detail
