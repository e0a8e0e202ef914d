"""Maintenance windows: a weekly window in America/New_York across the March DST change holds
pages back (incidents still created and deduped, the timeline naming the window), its end
engages the still-open incident, and bad windows are refused naming the field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.errors import ValidationException
from tests.heartbeats.conftest import engaged, timeline
from widgets.timeline_text import describe

# Saturdays 22:00-23:00 in New York: 03:00 UTC on Sunday 8 March 2026 (EST, before the change
# at 02:00 that morning), 02:00 UTC from 15 March on (EDT).
WEEKLY = {"name": "db-patching", "timeZone": "America/New_York", "start": "2026-03-07T22:00",
          "end": "2026-03-07T23:00", "recurrence": "FREQ=WEEKLY;BYDAY=SA"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def _at(clock, when: datetime) -> None:
    await clock.advance((when - clock.now()).total_seconds())


async def _start(client, plan: str) -> str:
    return (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]


async def test_a_weekly_window_holds_pages_at_the_same_local_time_across_the_dst_change(paged, clock):
    client, plan, dana = paged
    await client.call("UpdateResponsePlan", {"arn": plan, "incidentTemplateDedupeString": "api-5xx"})
    window = (await client.call("CreateMaintenanceWindow", {**WEEKLY, "targets": [plan]}))["maintenanceWindow"]
    assert not window["active"] and window["nextStart"] == utc(2026, 3, 8, 3)

    await _at(clock, utc(2026, 3, 8, 3, 30))  # 22:30 EST
    [listed] = (await client.call("ListMaintenanceWindows", {}))["maintenanceWindows"]
    assert listed["active"] and listed["activeUntil"] == utc(2026, 3, 8, 4)
    assert listed["nextStart"] == utc(2026, 3, 15, 2)  # 22:00 EDT
    held = await _start(client, plan)
    assert await _start(client, plan) == held  # still deduped inside the window
    assert await engaged(client, held) == []
    assert any("Maintenance window db-patching held this incident's pages back" in t
               for t in await timeline(client, held))
    [hold] = (await client.call("ListMaintenanceHolds", {"incidentArns": [held]}))["holds"]
    assert hold["windowName"] == "db-patching" and "releasedTime" not in hold

    await _at(clock, utc(2026, 3, 8, 4))  # the window ends with the incident still open
    assert await engaged(client, held) == [dana]
    assert any("db-patching is over" in t for t in await timeline(client, held))
    await client.call("UpdateIncidentRecord", {"arn": held, "status": "RESOLVED"})

    await _at(clock, utc(2026, 3, 15, 2, 30))  # 22:30 EDT: an hour earlier in UTC
    after_change = await _start(client, plan)
    assert await engaged(client, after_change) == []
    await client.call("UpdateIncidentRecord", {"arn": after_change, "status": "RESOLVED"})
    await _at(clock, utc(2026, 3, 15, 3, 30))  # 23:30 EDT: outside, though 03:30 UTC was inside last week
    outside = await _start(client, plan)
    assert await engaged(client, outside) == [dana]
    # resolved inside its window: its end engages no one
    assert await engaged(client, after_change) == []


async def test_an_incident_resolved_before_the_window_ends_is_never_engaged(paged, clock):
    client, plan, _ = paged
    await client.call("CreateMaintenanceWindow", {
        "name": "once", "timeZone": "Europe/Berlin", "start": "2026-03-02T10:00", "end": "2026-03-02T12:00",
        "targets": [plan]})
    await _at(clock, utc(2026, 3, 2, 9, 30))  # 10:30 in Berlin (UTC+1)
    incident = await _start(client, plan)
    await clock.advance(minutes=10)
    await client.call("UpdateIncidentRecord", {"arn": incident, "status": "RESOLVED"})
    await clock.advance(hours=3)
    assert await engaged(client, incident) == []
    [hold] = (await client.call("ListMaintenanceHolds", {"incidentArns": [incident]}))["holds"]
    assert hold["releasedTime"] == utc(2026, 3, 2, 11)


async def test_deleting_or_shortening_a_window_engages_its_held_incidents_now(paged, clock):
    client, plan, dana = paged
    await client.call("CreateMaintenanceWindow", {
        "name": "long", "timeZone": "UTC", "start": "2026-03-02T08:00", "end": "2026-03-03T08:00", "targets": [plan]})
    first = await _start(client, plan)
    await clock.advance(minutes=1)
    assert await engaged(client, first) == []
    await client.call("UpdateMaintenanceWindow", {"name": "long", "end": "2026-03-02T09:30"})
    await clock.advance(minutes=1)
    assert await engaged(client, first) == []  # still inside the shortened window
    await _at(clock, utc(2026, 3, 2, 9, 30))
    assert await engaged(client, first) == [dana]

    await client.call("UpdateMaintenanceWindow", {"name": "long", "end": "2026-03-03T08:00"})
    second = await _start(client, plan)
    await client.call("DeleteMaintenanceWindow", {"name": "long"})
    await clock.advance(seconds=1)
    assert await engaged(client, second) == [dana]


async def test_a_window_on_a_heartbeat_holds_the_incident_its_miss_starts(paged, clock):
    client, plan, dana = paged
    beat = (await client.call("CreateHeartbeat", {
        "name": "ingest", "intervalSeconds": 300, "responsePlanArn": plan, "impact": 3}))["heartbeat"]
    await client.call("CreateMaintenanceWindow", {
        "name": "ingest-upgrade", "timeZone": "UTC", "start": "2026-03-02T09:00", "end": "2026-03-02T10:00",
        "targets": [beat["heartbeatArn"]]})
    await clock.advance(minutes=6)
    incident = (await client.call("GetHeartbeat", {"name": "ingest"}))["heartbeat"]["incidentArn"]
    assert await engaged(client, incident) == []
    other = await _start(client, plan)  # the plan itself is not in the window
    assert await engaged(client, other) == [dana]
    await _at(clock, utc(2026, 3, 2, 10))
    assert await engaged(client, incident) == [dana]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timeZone": "Mars/Olympus_Mons"}, "timeZone"),
        ({"recurrence": "FREQ=FORTNIGHTLY"}, "recurrence"),
        ({"recurrence": "FREQ=WEEKLY;BYDAY=XX"}, "recurrence"),
        ({"recurrence": "FREQ=MINUTELY"}, "recurrence"),
        ({"recurrence": "DTSTART:20260101T000000\nRRULE:FREQ=DAILY"}, "recurrence"),
        ({"start": "next saturday"}, "start"),
        ({"start": "2026-03-07T22:00+01:00"}, "start"),
        ({"end": "2026-03-07T21:00"}, "end"),
        ({"targets": ["arn:aws:ssm-incidents::000000000000:response-plan/none"]}, "targets.0"),
        ({"targets": []}, "targets"),
    ],
)
async def test_bad_windows_are_refused_naming_the_field(paged, change, field):
    client, plan, _ = paged
    with pytest.raises(ValidationException) as raised:
        await client.call("CreateMaintenanceWindow", {**WEEKLY, "targets": [plan], **change})
    names = [f["name"] for f in raised.value.details.get("fields") or []]
    assert field in names, (names, raised.value.message)
    assert (await client.call("ListMaintenanceWindows", {}))["maintenanceWindows"] == []


async def test_of_two_windows_covering_an_incident_the_one_ending_last_holds_it(paged, clock):
    client, plan, dana = paged
    for name, end in (("short", "2026-03-02T10:00"), ("long", "2026-03-02T11:00"), ("mid", "2026-03-02T10:30")):
        await client.call("CreateMaintenanceWindow", {
            "name": name, "timeZone": "UTC", "start": "2026-03-02T08:00", "end": end, "targets": [plan]})
    incident = await _start(client, plan)
    [hold] = (await client.call("ListMaintenanceHolds", {"incidentArns": [incident]}))["holds"]
    assert (hold["windowName"], hold["until"]) == ("long", utc(2026, 3, 2, 11))
    await _at(clock, utc(2026, 3, 2, 10, 59))
    assert await engaged(client, incident) == []
    await _at(clock, utc(2026, 3, 2, 11))
    assert await engaged(client, incident) == [dana]


async def test_the_cockpit_timeline_reads_the_hold_and_release_as_written(paged, clock):
    client, plan, _ = paged
    await client.call("CreateMaintenanceWindow", {
        "name": "night", "timeZone": "UTC", "start": "2026-03-02T08:00", "end": "2026-03-02T10:00", "targets": [plan]})
    incident = await _start(client, plan)
    await _at(clock, utc(2026, 3, 2, 10))
    events = (await client.call("ListTimelineEvents", {"incidentRecordArn": incident}))["eventSummaries"]
    words = []
    for summary in events:
        event = (await client.call("GetTimelineEvent", {"incidentRecordArn": incident,
                                                        "eventId": summary["eventId"]}))["event"]
        words.append(describe(event["eventType"], event["eventData"]))
    assert "Maintenance window night held this incident's pages back until 2026-03-02T10:00:00+00:00" in words
    assert "Maintenance window night is over: engaging the response plan now" in words
    assert "Engaged dana" in words
