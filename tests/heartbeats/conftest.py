"""A core with a response plan that engages one person, for heartbeats and maintenance windows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.contacts import personal_contact


@pytest.fixture
async def paged(ready) -> tuple[Any, str, str]:
    """(client, plan_arn, contact_arn): the plan engages dana."""
    client, plan = ready
    dana, _ = await personal_contact(client, "dana", [("EMAIL", "dana@example.com")])
    await client.call("UpdateResponsePlan", {"arn": plan, "engagements": [dana]})
    return client, plan, dana


async def engaged(client: Any, incident: str) -> list[str]:
    """The contacts engaged for an incident."""
    listed = (await client.call("ListEngagements", {"IncidentId": incident}))["Engagements"]
    return [e["ContactArn"] for e in listed]


async def timeline(client: Any, incident: str) -> list[str]:
    events = (await client.call("ListTimelineEvents", {"incidentRecordArn": incident}))["eventSummaries"]
    full = [
        (await client.call("GetTimelineEvent", {"incidentRecordArn": incident, "eventId": e["eventId"]}))["event"]
        for e in events
    ]
    return [e["eventData"] for e in full]
