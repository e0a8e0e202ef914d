from __future__ import annotations

import pytest

from core.errors import ResourceNotFoundException, ValidationException
from core.model import events as ev


async def test_nothing_works_before_a_replication_set(client):
    with pytest.raises(ValidationException) as info:
        await client.call("ListIncidentRecords", {})
    assert "replication set" in info.value.message


async def test_start_get_resolve(ready, clock):
    client, plan = ready
    events = client.events()
    out = await client.call("StartIncident", {"responsePlanArn": plan, "impact": 1, "title": "Checkout 500s"})
    arn = out["incidentRecordArn"]
    record = (await client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
    assert record["title"] == "Checkout 500s"
    assert record["impact"] == 1
    assert record["status"] == "OPEN"
    assert record["creationTime"] == clock.now()
    assert record["creationTime"].tzinfo is not None
    assert "ResponseMetadata" not in out

    await clock.advance(minutes=42)
    await client.call("UpdateIncidentRecord", {"arn": arn, "status": "RESOLVED"})
    record = (await client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
    assert record["status"] == "RESOLVED"
    assert record["resolvedTime"] == clock.now()

    seen = []
    async for event in events:
        seen.append(event.type)
        if event.type == ev.INCIDENT_UPDATED:
            break
    assert ev.INCIDENT_STARTED in seen and ev.INCIDENT_RESOLVED in seen


async def test_unknown_plan_is_not_found(ready):
    client, plan = ready
    with pytest.raises(ResourceNotFoundException):
        await client.call("StartIncident", {"responsePlanArn": plan + "-missing"})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"impact": 0}, "impact"),
        ({"impact": 6}, "impact"),
        ({"title": "x" * 201}, "title"),
        ({"responsePlanArn": "not-an-arn"}, "responsePlanArn"),
        ({"bogus": 1}, "bogus"),
    ],
)
async def test_bad_start_requests_name_the_field(ready, params, field):
    client, plan = ready
    with pytest.raises(ValidationException) as info:
        await client.call("StartIncident", {"responsePlanArn": plan, **params})
    assert field in {f["name"] for f in info.value.fields}
    listed = await client.call("ListIncidentRecords", {})
    assert listed["incidentRecordSummaries"] == []
