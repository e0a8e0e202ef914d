"""clientToken idempotency and the dedupe string."""

from __future__ import annotations

import pytest

from core.errors import ValidationException
from core.model import events as ev
from tests.support.core_state import setup_workspace, snapshot


async def _count(core, table: str) -> int:
    async with core.db.transaction() as tx:
        return await tx.scalar(f"SELECT COUNT(*) FROM {table}")  # noqa: S608


async def test_same_client_token_same_record(core):
    plan = await setup_workspace(core)
    c = core.client()
    req = {"responsePlanArn": plan, "impact": 3, "clientToken": "tok-1"}
    first = await c.call("StartIncident", req)
    second = await c.call("StartIncident", dict(req))
    assert first == second
    assert await _count(core, "incidents") == 1
    # a different token is a different incident
    third = await c.call("StartIncident", {**req, "clientToken": "tok-2"})
    assert third["incidentRecordArn"] != first["incidentRecordArn"]
    assert await _count(core, "incidents") == 2


async def test_same_token_different_params_is_refused(core):
    plan = await setup_workspace(core)
    c = core.client()
    await c.call("StartIncident", {"responsePlanArn": plan, "impact": 3, "clientToken": "tok"})
    before = await snapshot(core)
    with pytest.raises(ValidationException) as info:
        await c.call("StartIncident", {"responsePlanArn": plan, "impact": 1, "clientToken": "tok"})
    assert [f["name"] for f in info.value.fields] == ["clientToken"]
    assert "clientToken" in info.value.message
    assert await snapshot(core) == before


async def test_tokens_are_per_operation(core):
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan, "clientToken": "same"}))["incidentRecordArn"]
    out = await c.call("UpdateIncidentRecord", {"arn": inc, "title": "new", "clientToken": "same"})
    assert out == {}
    record = (await c.call("GetIncidentRecord", {"arn": inc}))["incidentRecord"]
    assert record["title"] == "new"


async def test_an_open_incident_absorbs_a_duplicate_start(core, clock):
    plan = await setup_workspace(core, dedupeString="db-primary")
    c = core.client()
    events = c.events()
    first = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await clock.advance(minutes=3)
    trigger = {"source": "aws.cloudwatch", "timestamp": clock.now(), "triggerArn":
               "arn:aws:cloudwatch:us-east-1:123456789012:alarm:db"}
    again = (await c.call("StartIncident", {"responsePlanArn": plan, "triggerDetails": trigger}))
    assert again["incidentRecordArn"] == first
    assert await _count(core, "incidents") == 1
    timeline = (await c.call("ListTimelineEvents", {"incidentRecordArn": first}))["eventSummaries"]
    assert [e["eventType"] for e in timeline] == ["SSM Incident Record Created", "SSM Incident Trigger"]
    dup = await c.call("GetTimelineEvent", {"incidentRecordArn": first, "eventId": timeline[1]["eventId"]})
    assert "aws.cloudwatch" in dup["event"]["eventData"]
    assert '"deduplicated":true' in dup["event"]["eventData"]
    assert timeline[1]["eventTime"] == clock.now()
    seen = []
    async for event in events:
        seen.append(event.type)
        if event.type == ev.INCIDENT_DEDUPLICATED:
            break
    assert seen.count(ev.INCIDENT_STARTED) == 1

    # once resolved, the same dedupe string starts a new incident
    await c.call("UpdateIncidentRecord", {"arn": first, "status": "RESOLVED"})
    fresh = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    assert fresh != first
    assert await _count(core, "incidents") == 2
    # and the new open one absorbs the next duplicate
    assert (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"] == fresh


async def test_no_dedupe_string_means_no_dedupe(core):
    plan = await setup_workspace(core)
    c = core.client()
    a = await c.call("StartIncident", {"responsePlanArn": plan})
    b = await c.call("StartIncident", {"responsePlanArn": plan})
    assert a != b


def _someone(core, name: str):
    from core.security.principals import Principal

    return core.client(Principal(arn=f"arn:aws:iam::{core.account_id}:user/{name}", name=name,
                                 allowed_actions=frozenset({"ssm-incidents:*"})))


async def test_client_tokens_are_scoped_per_principal(core):
    """One caller's token neither replays nor blocks another caller's request."""
    plan = await setup_workspace(core)
    ann, bob = _someone(core, "ann"), _someone(core, "bob")
    req = {"responsePlanArn": plan, "impact": 3, "clientToken": "shared-token"}
    mine = await ann.call("StartIncident", req)
    theirs = await bob.call("StartIncident", dict(req))
    assert mine != theirs  # bob's call ran: it is not ann's replay
    assert await _count(core, "incidents") == 2
    # each caller's replay answers with its own incident, and writes nothing
    before = await snapshot(core)
    assert await ann.call("StartIncident", dict(req)) == mine
    assert await bob.call("StartIncident", dict(req)) == theirs
    assert await snapshot(core) == before
    # the same token with other parameters is refused for ann only; carol may use it freely
    with pytest.raises(ValidationException):
        await ann.call("StartIncident", {**req, "impact": 1})
    carol = await _someone(core, "carol").call("StartIncident", {**req, "impact": 1})
    record = (await core.client().call("GetIncidentRecord", {"arn": carol["incidentRecordArn"]}))["incidentRecord"]
    assert record["impact"] == 1 and record["incidentRecordSource"]["createdBy"].endswith("user/carol")


async def test_a_deduplicated_start_does_not_engage_the_contacts_again(core, clock):
    from tests.support.contacts import personal_contact

    c = core.client()
    await c.call("CreateReplicationSet", {"regions": {core.region: {}}})
    dana, _ = await personal_contact(c, "dana", [("EMAIL", "dana@example.com")])
    plan = (await c.call("CreateResponsePlan", {
        "name": "db", "engagements": [dana],
        "incidentTemplate": {"title": "DB down", "impact": 1, "dedupeString": "db-primary"}}))["arn"]
    first = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await clock.advance(minutes=1)

    async def paging() -> tuple[int, int, int]:
        async with core.db.transaction() as tx:
            return (await tx.scalar("SELECT COUNT(*) FROM engagements"),
                    await tx.scalar("SELECT COUNT(*) FROM pages"),
                    await tx.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'page'"))

    assert await paging() == (1, 1, 1)
    for _ in range(3):
        assert (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"] == first
    await clock.advance(minutes=30)
    assert await paging() == (1, 1, 1)  # no engagement, page or message for the duplicates
    engagements = (await c.call("ListEngagements", {"IncidentId": first}))["Engagements"]
    assert [e["ContactArn"] for e in engagements] == [dana]
