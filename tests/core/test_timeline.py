"""Automatic timeline events, and which events people may edit or delete."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from core.errors import ValidationException
from tests.support.core_state import setup_workspace, snapshot

CREATED, UPDATE, RELATED, CUSTOM = (
    "SSM Incident Record Created", "SSM Incident Record Update", "SSM Related Item", "Custom Event",
)
ITEM = {"identifier": {"type": "METRIC", "value": {"metricDefinition": "cpu"}}, "title": "CPU"}


async def _events(c, inc):
    out = await c.call("ListTimelineEvents", {"incidentRecordArn": inc})
    return out["eventSummaries"]


async def _data(c, inc, event_id):
    event = (await c.call("GetTimelineEvent", {"incidentRecordArn": inc, "eventId": event_id}))["event"]
    return json.loads(event["eventData"])


async def test_creation_event_records_the_trigger(core, clock):
    plan = await setup_workspace(core)
    c = core.client()
    trigger = {"source": "aws.cloudwatch", "timestamp": clock.now() - timedelta(minutes=2),
               "rawData": '{"alarm": "db"}'}
    inc = (await c.call("StartIncident", {"responsePlanArn": plan, "triggerDetails": trigger}))["incidentRecordArn"]
    [created] = await _events(c, inc)
    assert created["eventType"] == CREATED
    data = await _data(c, inc, created["eventId"])
    assert data["trigger"]["source"] == "aws.cloudwatch"
    assert data["trigger"]["rawData"] == '{"alarm": "db"}'
    assert data["responsePlanArn"] == plan
    record = (await c.call("GetIncidentRecord", {"arn": inc}))["incidentRecord"]
    assert record["incidentRecordSource"]["source"] == "aws.cloudwatch"


@pytest.mark.parametrize(
    ("member", "value"),
    [("title", "Renamed"), ("impact", 1), ("status", "RESOLVED"), ("summary", "It was DNS")],
)
async def test_each_change_is_an_automatic_event(core, clock, member, value):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await clock.advance(minutes=1)
    await c.call("UpdateIncidentRecord", {"arn": inc, member: value})
    events = await _events(c, inc)
    assert [e["eventType"] for e in events] == [CREATED, UPDATE]
    change = (await _data(c, inc, events[1]["eventId"]))["changes"][member]
    assert change["to"] == value
    assert events[1]["eventTime"] == clock.now()
    # setting the same value again changes nothing and records nothing
    await c.call("UpdateIncidentRecord", {"arn": inc, member: value})
    assert len(await _events(c, inc)) == 2


async def test_resolve_stamps_resolved_time_and_reopen_clears_it(core, clock):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await clock.advance(minutes=30)
    await c.call("UpdateIncidentRecord", {"arn": inc, "status": "RESOLVED"})
    record = (await c.call("GetIncidentRecord", {"arn": inc}))["incidentRecord"]
    assert record["resolvedTime"] == clock.now()
    await c.call("UpdateIncidentRecord", {"arn": inc, "status": "OPEN"})
    record = (await c.call("GetIncidentRecord", {"arn": inc}))["incidentRecord"]
    assert "resolvedTime" not in record


async def test_related_items_added_and_removed_are_events(core):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await c.call("UpdateRelatedItems", {"incidentRecordArn": inc, "relatedItemsUpdate": {"itemToAdd": ITEM}})
    items = (await c.call("ListRelatedItems", {"incidentRecordArn": inc}))["relatedItems"]
    assert items == [ITEM]
    await c.call("UpdateRelatedItems", {"incidentRecordArn": inc,
                                        "relatedItemsUpdate": {"itemToRemove": ITEM["identifier"]}})
    assert (await c.call("ListRelatedItems", {"incidentRecordArn": inc}))["relatedItems"] == []
    events = await _events(c, inc)
    assert [e["eventType"] for e in events] == [CREATED, RELATED, RELATED]
    assert [(await _data(c, inc, e["eventId"]))["action"] for e in events[1:]] == ["added", "removed"]


async def test_initial_related_items_come_with_the_start(core):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan, "relatedItems": [ITEM]}))["incidentRecordArn"]
    assert (await c.call("ListRelatedItems", {"incidentRecordArn": inc}))["relatedItems"] == [ITEM]


async def test_custom_events_are_editable_and_deletable(core, clock):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    when = clock.now() - timedelta(minutes=5)
    out = await c.call("CreateTimelineEvent", {"incidentRecordArn": inc, "eventTime": when,
                                               "eventType": CUSTOM, "eventData": "paged the DBA"})
    eid = out["eventId"]
    await clock.advance(minutes=1)
    await c.call("UpdateTimelineEvent", {"incidentRecordArn": inc, "eventId": eid, "eventData": "paged Ana"})
    event = (await c.call("GetTimelineEvent", {"incidentRecordArn": inc, "eventId": eid}))["event"]
    assert event["eventData"] == "paged Ana"
    assert event["eventTime"] == when
    assert event["eventUpdatedTime"] == clock.now()
    events = await _events(c, inc)
    assert [e["eventType"] for e in events] == [CUSTOM, CREATED]  # ordered by event time
    await c.call("DeleteTimelineEvent", {"incidentRecordArn": inc, "eventId": eid})
    assert [e["eventType"] for e in await _events(c, inc)] == [CREATED]


@pytest.mark.parametrize("op", ["UpdateTimelineEvent", "DeleteTimelineEvent"])
async def test_automatic_events_are_refused_with_a_clear_message(core, op):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    [created] = await _events(c, inc)
    before = await snapshot(core)
    params = {"incidentRecordArn": inc, "eventId": created["eventId"]}
    if op == "UpdateTimelineEvent":
        params["eventData"] = "rewritten history"
    with pytest.raises(ValidationException) as info:
        await c.call(op, params)
    assert "automatic" in info.value.message and "only custom events" in info.value.message
    assert info.value.fields[0]["name"] == "eventId"
    assert await snapshot(core) == before


async def test_deleting_an_incident_deletes_its_timeline_and_items(core):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan, "relatedItems": [ITEM]}))["incidentRecordArn"]
    await c.call("DeleteIncidentRecord", {"arn": inc})
    async with core.db.transaction() as tx:
        assert await tx.scalar("SELECT COUNT(*) FROM timeline_events") == 0
        assert await tx.scalar("SELECT COUNT(*) FROM related_items") == 0
