"""Bad input for every ssm-incidents operation (and LookupAuditEvents): the model's error,
a message naming the field, and nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.errors import (
    ConflictException,
    ResourceNotFoundException,
    ServiceError,
    ValidationException,
)
from core.ops import aws_models
from core.ops.registry import REGISTRY
from tests.support.core_state import audit_count, setup_workspace, snapshot

VE, RNF, CONFLICT = ValidationException, ResourceNotFoundException, ConflictException
ACCOUNT = "123456789012"
MISSING_INCIDENT = f"arn:aws:ssm-incidents::{ACCOUNT}:incident-record/api-outage/0000"
MISSING_PLAN = f"arn:aws:ssm-incidents::{ACCOUNT}:response-plan/nope"
MISSING_SET = f"arn:aws:ssm-incidents::{ACCOUNT}:replication-set/nope"
WHEN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LONG = "x" * 12_001


@pytest.fixture
async def world(core) -> dict[str, Any]:
    plan = await setup_workspace(core)
    c = core.client()
    inc = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    custom = (await c.call("CreateTimelineEvent", {
        "incidentRecordArn": inc, "eventTime": WHEN, "eventType": "Custom Event", "eventData": "note",
    }))["eventId"]
    events = (await c.call("ListTimelineEvents", {"incidentRecordArn": inc}))["eventSummaries"]
    automatic = next(e["eventId"] for e in events if e["eventType"] != "Custom Event")
    await c.call("UpdateRelatedItems", {"incidentRecordArn": inc, "relatedItemsUpdate": {"itemToAdd": {
        "identifier": {"type": "OTHER", "value": {"url": "https://x.example/1"}}, "title": "x"}}})
    rs = (await c.call("ListReplicationSets", {}))["replicationSetArns"][0]
    return {"plan": plan, "inc": inc, "custom": custom, "auto": automatic, "rs": rs}


def W(**kw: Any) -> Any:
    """A request template: values "{inc}", "{plan}"... are filled from the world."""
    return kw


def fill(value: Any, world: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world[value[1:-1]]
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    return value


ITEM = {"identifier": {"type": "OTHER", "value": {"url": "https://x.example/1"}}}
EV = {"incidentRecordArn": "{inc}", "eventId": "{custom}"}

# (operation, request, error class, field named in .fields or None when the error has none)
CASES: list[tuple[str, dict[str, Any], type[ServiceError], str | None]] = [
    # replication set
    ("CreateReplicationSet", W(), VE, "regions"),
    ("CreateReplicationSet", W(regions={}), VE, "regions"),
    ("CreateReplicationSet", W(regions=["local"]), VE, "regions"),
    ("CreateReplicationSet", W(regions={"local": {}}), CONFLICT, None),
    ("GetReplicationSet", W(), VE, "arn"),
    ("GetReplicationSet", W(arn="not-an-arn"), VE, "arn"),
    ("GetReplicationSet", W(arn=MISSING_SET), RNF, None),
    ("ListReplicationSets", W(maxResults=0), VE, "maxResults"),
    ("ListReplicationSets", W(bogus=1), VE, "bogus"),
    ("UpdateReplicationSet", W(arn="{rs}"), VE, "actions"),
    ("UpdateReplicationSet", W(arn="{rs}", actions=[]), VE, "actions"),
    ("UpdateReplicationSet", W(arn=MISSING_SET, actions=[{"addRegionAction": {"regionName": "b"}}]), RNF, None),
    ("UpdateReplicationSet", W(arn="{rs}", actions=[{"addRegionAction": {"regionName": "mars"}}]), VE,
     "actions[0].addRegionAction.regionName"),
    ("UpdateReplicationSet", W(arn="{rs}", actions=[{"deleteRegionAction": {"regionName": "local"}}]), VE,
     "actions[0].deleteRegionAction.regionName"),
    ("UpdateDeletionProtection", W(arn="{rs}", deletionProtected="yes"), VE, "deletionProtected"),
    ("UpdateDeletionProtection", W(arn="{rs}"), VE, "deletionProtected"),
    ("UpdateDeletionProtection", W(arn=MISSING_SET, deletionProtected=True), RNF, None),
    ("DeleteReplicationSet", W(), VE, "arn"),
    ("DeleteReplicationSet", W(arn=MISSING_SET), RNF, None),
    # response plans
    ("CreateResponsePlan", W(incidentTemplate={"title": "t", "impact": 1}), VE, "name"),
    ("CreateResponsePlan", W(name="p2"), VE, "incidentTemplate"),
    ("CreateResponsePlan", W(name="p2", incidentTemplate={"title": "t", "impact": 0}), VE, "incidentTemplate.impact"),
    ("CreateResponsePlan", W(name="p2", incidentTemplate={"title": "t", "impact": 6}), VE, "incidentTemplate.impact"),
    ("CreateResponsePlan", W(name="p2", incidentTemplate={"impact": 3}), VE, "incidentTemplate.title"),
    ("CreateResponsePlan", W(name="bad name!", incidentTemplate={"title": "t", "impact": 3}), VE, "name"),
    ("CreateResponsePlan", W(name="api-outage", incidentTemplate={"title": "t", "impact": 3}), CONFLICT, None),
    ("GetResponsePlan", W(arn="nope"), VE, "arn"),
    ("GetResponsePlan", W(arn=MISSING_PLAN), RNF, None),
    ("ListResponsePlans", W(maxResults=101), VE, "maxResults"),
    ("ListResponsePlans", W(nextToken="forged"), VE, "nextToken"),
    ("UpdateResponsePlan", W(arn="{plan}", incidentTemplateImpact=6), VE, "incidentTemplateImpact"),
    ("UpdateResponsePlan", W(arn="{plan}", incidentTemplateTitle=5), VE, "incidentTemplateTitle"),
    ("UpdateResponsePlan", W(arn=MISSING_PLAN, incidentTemplateImpact=3), RNF, None),
    ("DeleteResponsePlan", W(), VE, "arn"),
    ("DeleteResponsePlan", W(arn="not-an-arn"), VE, "arn"),
    ("DeleteResponsePlan", W(arn="{inc}"), VE, "arn"),
    # incidents
    ("StartIncident", W(), VE, "responsePlanArn"),
    ("StartIncident", W(responsePlanArn="{plan}", impact=0), VE, "impact"),
    ("StartIncident", W(responsePlanArn="{plan}", impact=6), VE, "impact"),
    ("StartIncident", W(responsePlanArn="{plan}", impact="2"), VE, "impact"),
    ("StartIncident", W(responsePlanArn="{plan}", title="t" * 201), VE, "title"),
    ("StartIncident", W(responsePlanArn="not-an-arn"), VE, "responsePlanArn"),
    ("StartIncident", W(responsePlanArn="{inc}"), VE, "responsePlanArn"),
    ("StartIncident", W(responsePlanArn=MISSING_PLAN), RNF, None),
    ("StartIncident", W(responsePlanArn="{plan}", triggerDetails={"source": "x"}), VE, "triggerDetails.timestamp"),
    ("StartIncident", W(responsePlanArn="{plan}", relatedItems="x"), VE, "relatedItems"),
    ("StartIncident", W(responsePlanArn="{plan}", relatedItems=[ITEM, ITEM]), CONFLICT, None),
    ("GetIncidentRecord", W(), VE, "arn"),
    ("GetIncidentRecord", W(arn="arn:aws:nope"), VE, "arn"),
    ("GetIncidentRecord", W(arn="{plan}"), VE, "arn"),
    ("GetIncidentRecord", W(arn=MISSING_INCIDENT), RNF, None),
    ("ListIncidentRecords", W(maxResults=0), VE, "maxResults"),
    ("ListIncidentRecords", W(nextToken="garbage"), VE, "nextToken"),
    ("ListIncidentRecords", W(filters=[{"key": "color", "condition": {"equals": {"stringValues": ["x"]}}}]), VE,
     "filters[0].key"),
    ("ListIncidentRecords", W(filters=[{"key": "impact", "condition": {"equals": {"stringValues": ["1"]}}}]), VE,
     "filters[0].condition"),
    ("ListIncidentRecords", W(filters=[{"key": "creationTime", "condition": {"before": "yesterday"}}]), VE,
     "filters[0].condition.before"),
    ("ListIncidentRecords", W(filters=[{"key": "status", "condition": {}}]), VE, "filters[0].condition"),
    ("UpdateIncidentRecord", W(arn="{inc}", impact=0), VE, "impact"),
    ("UpdateIncidentRecord", W(arn="{inc}", impact=6), VE, "impact"),
    ("UpdateIncidentRecord", W(arn="{inc}", status="CLOSED"), VE, "status"),
    ("UpdateIncidentRecord", W(arn="{inc}", title=["x"]), VE, "title"),
    ("UpdateIncidentRecord", W(arn="{inc}", summary="s" * 8001), VE, "summary"),
    ("UpdateIncidentRecord", W(impact=1), VE, "arn"),
    ("UpdateIncidentRecord", W(arn=MISSING_INCIDENT, impact=1), RNF, None),
    ("DeleteIncidentRecord", W(), VE, "arn"),
    ("DeleteIncidentRecord", W(arn="not-an-arn"), VE, "arn"),
    ("DeleteIncidentRecord", W(arn="{plan}"), VE, "arn"),
    # timeline
    ("CreateTimelineEvent", W(incidentRecordArn="{inc}", eventTime=WHEN, eventType="Custom Event", eventData=LONG),
     VE, "eventData"),
    ("CreateTimelineEvent", W(incidentRecordArn="{inc}", eventTime=WHEN, eventType="SSM Incident Record Update",
                              eventData="x"), VE, "eventType"),
    ("CreateTimelineEvent", W(incidentRecordArn="{inc}", eventType="Custom Event", eventData="x"), VE, "eventTime"),
    ("CreateTimelineEvent", W(incidentRecordArn="{inc}", eventTime="noon", eventType="Custom Event", eventData="x"),
     VE, "eventTime"),
    ("CreateTimelineEvent", W(incidentRecordArn="bad", eventTime=WHEN, eventType="Custom Event", eventData="x"),
     VE, "incidentRecordArn"),
    ("CreateTimelineEvent", W(incidentRecordArn=MISSING_INCIDENT, eventTime=WHEN, eventType="Custom Event",
                              eventData="x"), RNF, None),
    ("GetTimelineEvent", W(incidentRecordArn="{inc}"), VE, "eventId"),
    ("GetTimelineEvent", W(incidentRecordArn="{inc}", eventId="no-such-event"), RNF, None),
    ("GetTimelineEvent", W(incidentRecordArn=MISSING_INCIDENT, eventId="{custom}"), RNF, None),
    ("UpdateTimelineEvent", W(incidentRecordArn="{inc}", eventId="{auto}", eventData="edited"), VE, "eventId"),
    ("UpdateTimelineEvent", W(**EV, eventData=LONG), VE, "eventData"),
    ("UpdateTimelineEvent", W(**EV, eventType="SSM Incident Trigger"), VE, "eventType"),
    ("UpdateTimelineEvent", W(incidentRecordArn="{inc}", eventId="no-such-event", eventData="x"), RNF, None),
    ("DeleteTimelineEvent", W(incidentRecordArn="{inc}", eventId="{auto}"), VE, "eventId"),
    ("DeleteTimelineEvent", W(incidentRecordArn="{inc}"), VE, "eventId"),
    ("DeleteTimelineEvent", W(incidentRecordArn="not-an-arn", eventId="{custom}"), VE, "incidentRecordArn"),
    ("ListTimelineEvents", W(incidentRecordArn="{inc}", sortOrder="UP"), VE, "sortOrder"),
    ("ListTimelineEvents", W(incidentRecordArn="{inc}", sortBy="TITLE"), VE, "sortBy"),
    ("ListTimelineEvents", W(incidentRecordArn="{inc}", maxResults=0), VE, "maxResults"),
    ("ListTimelineEvents", W(incidentRecordArn="{inc}", filters=[{"key": "x", "condition": {"before": WHEN}}]),
     VE, "filters[0].key"),
    ("ListTimelineEvents", W(incidentRecordArn=MISSING_INCIDENT), VE, "incidentRecordArn"),
    # related items
    ("UpdateRelatedItems", W(incidentRecordArn="{inc}"), VE, "relatedItemsUpdate"),
    ("UpdateRelatedItems", W(incidentRecordArn="{inc}", relatedItemsUpdate={"itemToAdd": ITEM, "itemToRemove":
                                                                           ITEM["identifier"]}), VE, "relatedItemsUpdate"),
    ("UpdateRelatedItems", W(incidentRecordArn="{inc}", relatedItemsUpdate={"itemToAdd": ITEM}), CONFLICT, None),
    ("UpdateRelatedItems", W(incidentRecordArn="{inc}", relatedItemsUpdate={"itemToRemove": {
        "type": "OTHER", "value": {"url": "https://x.example/none"}}}), RNF, None),
    ("UpdateRelatedItems", W(incidentRecordArn="{inc}", relatedItemsUpdate={"itemToAdd": {"identifier": {
        "type": "PLANET", "value": {"url": "https://x"}}}}), VE, "relatedItemsUpdate.itemToAdd.identifier.type"),
    ("UpdateRelatedItems", W(incidentRecordArn=MISSING_INCIDENT, relatedItemsUpdate={"itemToAdd": ITEM}), RNF, None),
    ("ListRelatedItems", W(incidentRecordArn="{inc}", maxResults=0), VE, "maxResults"),
    ("ListRelatedItems", W(), VE, "incidentRecordArn"),
    ("ListRelatedItems", W(incidentRecordArn=MISSING_INCIDENT), VE, "incidentRecordArn"),
    # tags
    ("TagResource", W(resourceArn="{plan}"), VE, "tags"),
    ("TagResource", W(resourceArn="{plan}", tags={"k": 1}), VE, "tags.k"),
    ("TagResource", W(resourceArn="{plan}", tags={f"k{i}": "v" for i in range(51)}), VE, "tags"),
    ("TagResource", W(resourceArn="nope", tags={"k": "v"}), VE, "resourceArn"),
    ("TagResource", W(resourceArn=MISSING_PLAN, tags={"k": "v"}), RNF, None),
    ("UntagResource", W(resourceArn="{plan}"), VE, "tagKeys"),
    ("UntagResource", W(resourceArn=MISSING_PLAN, tagKeys=["k"]), RNF, None),
    ("ListTagsForResource", W(), VE, "resourceArn"),
    ("ListTagsForResource", W(resourceArn=MISSING_PLAN), RNF, None),
    # our own
    ("LookupAuditEvents", W(maxResults=0), VE, "maxResults"),
    ("LookupAuditEvents", W(startTime="not a time"), VE, "startTime"),
    ("LookupAuditEvents", W(bogus=1), VE, "bogus"),
    ("LookupAuditEvents", W(nextToken="forged"), VE, "nextToken"),
]


def _case_id(case: tuple) -> str:
    return f"{case[0]}-{case[2].__name__}-{case[3]}"


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{_case_id(c)}" for i, c in enumerate(CASES)])
async def test_bad_input_is_refused_and_writes_nothing(core, world, case):
    op, template, error, field = case
    params = fill(template, world)
    before = await snapshot(core)
    audits = await audit_count(core)
    with pytest.raises(error) as info:
        await core.client().call(op, params)
    err = info.value
    assert type(err) is error, f"{op} answered {err.code}: {err.message}"
    assert err.code == error.__name__ and err.message
    if field is not None:
        assert field in [f["name"] for f in err.fields], (err.message, err.fields)
        assert field in err.message
    assert await snapshot(core) == before, f"{op} half-wrote a rejected request"
    assert await audit_count(core) == audits + 1  # the failure itself is audited


def test_every_operation_has_bad_input_cases():
    ops = {o.name for o in REGISTRY.all() if o.service == "ssm-incidents"} | {"LookupAuditEvents"}
    covered = {c[0] for c in CASES}
    assert ops - covered == set()


@pytest.mark.parametrize("case", [c for c in CASES if c[2] is RNF], ids=_case_id)
def test_not_found_only_where_the_model_has_it(case):
    model = aws_models.operation_model("ssm-incidents", case[0])
    assert "ResourceNotFoundException" in {e.name for e in model.error_shapes}


async def test_deletes_of_unknown_resources_succeed_and_change_nothing(core, world):
    """The model gives these deletes no ResourceNotFoundException: they are idempotent."""
    c = core.client()
    before = await snapshot(core)
    await c.call("DeleteIncidentRecord", {"arn": MISSING_INCIDENT})
    await c.call("DeleteResponsePlan", {"arn": MISSING_PLAN})
    await c.call("DeleteTimelineEvent", {"incidentRecordArn": world["inc"], "eventId": "no-such-event"})
    await c.call("DeleteTimelineEvent", {"incidentRecordArn": MISSING_INCIDENT, "eventId": world["custom"]})
    assert await snapshot(core) == before


# a well-formed request for each operation that needs the replication set
VALID = {
    "CreateResponsePlan": {"name": "p", "incidentTemplate": {"title": "t", "impact": 3}},
    "GetResponsePlan": {"arn": MISSING_PLAN},
    "ListResponsePlans": {},
    "UpdateResponsePlan": {"arn": MISSING_PLAN, "incidentTemplateImpact": 3},
    "DeleteResponsePlan": {"arn": MISSING_PLAN},
    "StartIncident": {"responsePlanArn": MISSING_PLAN},
    "GetIncidentRecord": {"arn": MISSING_INCIDENT},
    "ListIncidentRecords": {},
    "UpdateIncidentRecord": {"arn": MISSING_INCIDENT, "impact": 1},
    "DeleteIncidentRecord": {"arn": MISSING_INCIDENT},
    "CreateTimelineEvent": {"incidentRecordArn": MISSING_INCIDENT, "eventTime": WHEN,
                            "eventType": "Custom Event", "eventData": "x"},
    "GetTimelineEvent": {"incidentRecordArn": MISSING_INCIDENT, "eventId": "e"},
    "UpdateTimelineEvent": {"incidentRecordArn": MISSING_INCIDENT, "eventId": "e", "eventData": "x"},
    "DeleteTimelineEvent": {"incidentRecordArn": MISSING_INCIDENT, "eventId": "e"},
    "ListTimelineEvents": {"incidentRecordArn": MISSING_INCIDENT},
    "UpdateRelatedItems": {"incidentRecordArn": MISSING_INCIDENT, "relatedItemsUpdate": {"itemToAdd": ITEM}},
    "ListRelatedItems": {"incidentRecordArn": MISSING_INCIDENT},
}


@pytest.mark.parametrize(
    "op", sorted(o.name for o in REGISTRY.all() if o.service == "ssm-incidents" and o.needs_replication_set)
)
async def test_nothing_works_before_the_replication_set(core, op):
    before = await snapshot(core)
    with pytest.raises(ValidationException) as info:
        await core.client().call(op, VALID[op])
    assert "replication set" in info.value.message
    assert await snapshot(core) == before


async def test_the_request_must_be_an_object(core, world):
    with pytest.raises(ValidationException) as info:
        await core.client().call("GetIncidentRecord", ["arn"])  # type: ignore[arg-type]
    assert info.value.fields
