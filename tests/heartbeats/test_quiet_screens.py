"""The Heartbeats and Maintenance areas under Pilot (live as pings arrive and deadlines pass;
active windows first, then upcoming), the incident list marking an incident that started in a
window, and snapshots of both screens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.heartbeats.screen import HeartbeatsScreen
from cockpit.maintenance.screen import MaintenanceScreen
from cockpit.settings import CockpitSettings
from core import FakeClock
from tests.conftest import START
from tests.tui.helpers import settle
from widgets.incident_tile import IncidentTile

SETTINGS = CockpitSettings(theme="ansi-dark", cursor_blink=False, timezone="UTC", bell=False)
SIZES = [(80, 24), (120, 40)]


async def _seed(client, clock) -> str:
    """Three heartbeats (OK, MISSED, WAITING) and three windows (active, weekly in New York,
    over); returns the plan."""
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    plan = (await client.call("CreateResponsePlan", {
        "name": "jobs", "incidentTemplate": {"title": "Job trouble", "impact": 3}}))["arn"]
    for name, interval in (("backup", 3600), ("ingest", 60), ("reports", 7200)):
        await client.call("CreateHeartbeat", {"name": name, "intervalSeconds": interval,
                                              "responsePlanArn": plan, "impact": 3})
    await clock.advance(minutes=30)
    await client.call("PingHeartbeat", {"name": "backup"})  # ingest misses meanwhile
    for name, zone, start, end, rule in (
        ("db-patching", "America/New_York", "2026-03-07T22:00", "2026-03-07T23:00", "FREQ=WEEKLY;BYDAY=SA"),
        ("migration", "Europe/Berlin", "2026-03-02T10:00", "2026-03-02T12:00", None),
        ("last-week", "UTC", "2026-02-23T09:00", "2026-02-23T10:00", None),
    ):
        await client.call("CreateMaintenanceWindow", {
            "name": name, "timeZone": zone, "start": start, "end": end, "targets": [plan],
            **({"recurrence": rule} if rule else {})})
    return plan


async def test_heartbeats_show_state_and_last_ping_live(core, clock) -> None:
    client = core.client()
    await _seed(client, clock)
    app = build_app(client, SETTINGS, clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.go_to_area("heartbeats")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HeartbeatsScreen)
        assert screen.table.get_row("backup")[:5] == ["backup", "OK", "–", "09:30", "10:30"]  # today: by the minute
        assert screen.table.get_row("ingest")[1] == "MISSED"
        assert screen.table.get_row("ingest")[2] == "open"
        assert screen.table.get_row("reports")[1:4] == ["waiting", "–", "–"]

        await clock.advance(minutes=61)  # backup's deadline (10:30) passes: the row follows the event
        await settle(pilot)
        assert screen.table.get_row("backup")[1] == "MISSED"
        await client.call("PingHeartbeat", {"name": "ingest"})
        await settle(pilot)
        row = screen.table.get_row("ingest")
        assert (row[1], row[3]) == ("OK", "10:31")


async def test_windows_list_active_first_then_upcoming_and_the_incident_list_marks_held_incidents(core, clock):
    client = core.client()
    plan = await _seed(client, clock)
    incident = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    app = build_app(client, SETTINGS, clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        tiles = {t.arn: t for t in app.screen.query(IncidentTile)}
        tile = tiles[incident]
        assert tile.held_by == "migration"
        assert "started in window migration" in tile.details_text()

        app.go_to_area("maintenance")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MaintenanceScreen)
        order = [row.key.value for row in screen.table.ordered_rows]
        assert order == ["migration", "db-patching", "last-week"]
        assert [str(c) for c in screen.table.get_row("migration")[1:3]] == ["ACTIVE", "11:00"]  # within a day
        # 22:00 in New York on Saturday 7 March is 03:00 UTC on Sunday (EST)
        assert [str(c) for c in screen.table.get_row("db-patching")[1:3]] == ["03-08 03:00", "04:00"]
        assert str(screen.table.get_row("last-week")[1]) == "over"

        # nothing else will change: no open held incident (its release would announce itself), no heartbeat
        await client.call("UpdateIncidentRecord", {"arn": incident, "status": "RESOLVED"})
        for name in ("backup", "ingest", "reports"):
            await client.call("DeleteHeartbeat", {"name": name})
        await settle(pilot)
        await clock.advance(timedelta(hours=2).total_seconds())  # migration ends: the list follows
        await settle(pilot)
        assert [row.key.value for row in screen.table.ordered_rows] == ["db-patching", "last-week", "migration"]
        assert str(screen.table.get_row("migration")[1]) == "over"


def _snapshot_app(tmp_path: Path, mode: str):
    clock = FakeClock(START)
    app = build_app(lambda: embedded_client(tmp_path / "ws", clock=clock), SETTINGS, clock=clock)

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.flash("")
        await _seed(pilot.app.client, clock)
        pilot.app.go_to_area(mode)
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    return app, run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("mode", ["heartbeats", "maintenance"])
def test_quiet_screen_snapshots(snap_compare, tmp_path, mode, size):
    app, run_before = _snapshot_app(tmp_path, mode)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_resolved_table_marks_incidents_that_started_in_a_window(core, clock):
    client = core.client()
    plan = await _seed(client, clock)  # "migration" holds the plan's incidents now
    other = (await client.call("CreateResponsePlan", {
        "name": "other", "incidentTemplate": {"title": "Unrelated trouble", "impact": 3}}))["arn"]
    held, live, free = [(await client.call("StartIncident", {"responsePlanArn": p}))["incidentRecordArn"]
                        for p in (plan, plan, other)]
    for arn in (held, free):
        await client.call("UpdateIncidentRecord", {"arn": arn, "status": "RESOLVED"})
    app = build_app(client, SETTINGS, clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#resolved-table")

        def title(arn: str) -> str:
            return str(table.get_row(arn)[0])

        assert title(held) == "Job trouble (window migration)"  # loaded with the table
        assert title(free) == "Unrelated trouble"
        await client.call("UpdateIncidentRecord", {"arn": live, "status": "RESOLVED"})
        await settle(pilot)
        assert title(live) == "Job trouble (window migration)"  # resolved while the list is shown
