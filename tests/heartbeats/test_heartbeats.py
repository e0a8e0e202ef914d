"""Heartbeats over hours of fake time: ping, miss, recover, resolve on ping; bad input named."""

from __future__ import annotations

import pytest

from core import open_core
from core.errors import ResourceNotFoundException, ValidationException
from tests.heartbeats.conftest import engaged, timeline


async def _open_incidents(client) -> list[dict]:
    summaries = (await client.call("ListIncidentRecords", {}))["incidentRecordSummaries"]
    return [s for s in summaries if s["status"] == "OPEN"]


async def test_pings_keep_it_quiet_a_miss_starts_one_incident_and_the_next_ping_resolves_it(paged, clock):
    client, plan, dana = paged
    created = await client.call(
        "CreateHeartbeat", {"name": "nightly-backup", "intervalSeconds": 600, "responsePlanArn": plan, "impact": 2}
    )
    assert created["token"] and created["heartbeat"]["state"] == "WAITING"
    assert "token" not in (await client.call("GetHeartbeat", {"name": "nightly-backup"}))

    for _ in range(18):  # three hours of pings every 9 minutes
        await clock.advance(minutes=9)
        await client.call("PingHeartbeat", {"name": "nightly-backup"})
    assert await _open_incidents(client) == []
    beat = (await client.call("GetHeartbeat", {"name": "nightly-backup"}))["heartbeat"]
    assert beat["state"] == "OK" and beat["lastPingTime"] == clock.now()

    last_ping = clock.now()
    await clock.advance(minutes=9, seconds=59)
    assert await _open_incidents(client) == []
    await clock.advance(seconds=2)  # the deadline passes
    [incident] = await _open_incidents(client)
    assert incident["impact"] == 2 and incident["title"] == "Heartbeat nightly-backup missed: no ping for 10m 00s"
    beat = (await client.call("GetHeartbeat", {"name": "nightly-backup"}))["heartbeat"]
    assert beat["state"] == "MISSED" and beat["incidentArn"] == incident["arn"]
    record = (await client.call("GetIncidentRecord", {"arn": incident["arn"]}))["incidentRecord"]
    assert record["incidentRecordSource"]["resourceArn"] == beat["heartbeatArn"]
    assert await engaged(client, incident["arn"]) == [dana]

    await clock.advance(hours=2)  # still down: one incident, not one per interval
    assert len(await _open_incidents(client)) == 1

    pinged = await client.call("PingHeartbeat", {"name": "nightly-backup"})
    assert pinged["recovered"] and pinged["resolved"]
    record = (await client.call("GetIncidentRecord", {"arn": incident["arn"]}))["incidentRecord"]
    assert record["status"] == "RESOLVED"
    assert any("nightly-backup pinged again" in text for text in await timeline(client, incident["arn"]))
    assert last_ping < clock.now()
    assert (await client.call("GetHeartbeat", {"name": "nightly-backup"}))["heartbeat"]["state"] == "OK"


async def test_a_heartbeat_that_keeps_its_incident_open_on_ping(paged, clock):
    client, plan, _ = paged
    await client.call("CreateHeartbeat", {"name": "etl", "intervalSeconds": 3600, "responsePlanArn": plan,
                                          "impact": 3, "resolveOnPing": False})
    await clock.advance(hours=1, seconds=1)  # never pinged: the first deadline is one interval after creation
    [incident] = await _open_incidents(client)
    pinged = await client.call("PingHeartbeat", {"name": "etl"})
    assert pinged["recovered"] and not pinged["resolved"]
    assert [i["arn"] for i in await _open_incidents(client)] == [incident["arn"]]
    await clock.advance(minutes=59)
    await client.call("PingHeartbeat", {"name": "etl"})
    await clock.advance(minutes=59)
    assert len(await _open_incidents(client)) == 1  # recovered, and no second miss


async def test_update_and_delete_move_or_drop_the_deadline(paged, clock):
    client, plan, _ = paged
    await client.call("CreateHeartbeat", {"name": "cron", "intervalSeconds": 60, "responsePlanArn": plan, "impact": 4})
    await clock.advance(seconds=50)
    await client.call("UpdateHeartbeat", {"name": "cron", "intervalSeconds": 3600})
    await clock.advance(minutes=59)
    assert await _open_incidents(client) == []
    await client.call("DeleteHeartbeat", {"name": "cron"})
    await clock.advance(hours=3)
    assert await _open_incidents(client) == []
    with pytest.raises(ResourceNotFoundException, match="cron"):
        await client.call("PingHeartbeat", {"name": "cron"})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"intervalSeconds": 29}, "intervalSeconds"),
        ({"impact": 0}, "impact"),
        ({"name": "has space"}, "name"),
        ({"responsePlanArn": None}, "responsePlanArn"),
    ],
)
async def test_bad_heartbeats_are_refused_naming_the_field(paged, change, field):
    client, plan, _ = paged
    request = {"name": "ok", "intervalSeconds": 30, "responsePlanArn": plan, "impact": 3, **change}
    with pytest.raises(ValidationException) as raised:
        await client.call("CreateHeartbeat", {k: v for k, v in request.items() if v is not None})
    assert field in str(raised.value) or field in str(raised.value.details)
    assert (await client.call("ListHeartbeats", {}))["heartbeats"] == []


async def test_a_heartbeat_needs_an_existing_response_plan(paged):
    client, plan, _ = paged
    with pytest.raises(ResourceNotFoundException):
        await client.call("CreateHeartbeat", {"name": "x", "intervalSeconds": 30, "impact": 3,
                                              "responsePlanArn": plan.replace("api-outage", "nope")})


async def test_the_deadline_survives_a_restart(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plan = (await client.call("CreateResponsePlan", {
            "name": "jobs", "incidentTemplate": {"title": "Job trouble", "impact": 3}}))["arn"]
        await client.call("CreateHeartbeat", {"name": "etl", "intervalSeconds": 600, "responsePlanArn": plan,
                                              "impact": 2})
    await clock.advance(minutes=30)  # no core runs when the deadline passes
    async with open_core(data_dir, clock=clock) as core:
        await clock.advance(seconds=1)
        client = core.client()
        [incident] = await _open_incidents(client)
        assert incident["impact"] == 2
        assert (await client.call("GetHeartbeat", {"name": "etl"}))["heartbeat"]["incidentArn"] == incident["arn"]


async def test_heartbeats_and_windows_list_in_pages(paged):
    client, plan, _ = paged
    for name in ("c", "a", "b"):
        await client.call("CreateHeartbeat", {"name": name, "intervalSeconds": 60, "responsePlanArn": plan, "impact": 3})
        await client.call("CreateMaintenanceWindow", {"name": name, "timeZone": "UTC", "start": "2026-04-01T00:00",
                                                      "end": "2026-04-01T01:00", "targets": [plan]})
    tokens = []
    for op, items in (("ListHeartbeats", "heartbeats"), ("ListMaintenanceWindows", "maintenanceWindows")):
        first = await client.call(op, {"maxResults": 2})
        tokens.append(first["nextToken"])
        rest = await client.call(op, {"maxResults": 2, "nextToken": first["nextToken"]})
        assert [h["name"] for h in first[items] + rest[items]] == ["a", "b", "c"] and "nextToken" not in rest
    with pytest.raises(ValidationException, match="nextToken"):
        await client.call("ListMaintenanceWindows", {"nextToken": tokens[0]})  # a heartbeats token
