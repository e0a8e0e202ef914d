"""boto3's ssm-incidents client, unchanged, against a real `cockpit serve`: every operation
the site implements, its paginators and waiter, and the modelled exceptions."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from botocore.exceptions import ClientError

from core.ops.registry import REGISTRY
from tests.server.aws.conftest import REGION


@pytest.fixture(scope="module")
def plan(incidents, replication_set) -> str:
    return incidents.create_response_plan(
        name="api-outage",
        displayName="API outage",
        incidentTemplate={"title": "API is down", "impact": 2, "summary": "5xx everywhere"},
        tags={"team": "api"},
    )["arn"]


def test_replication_set_named_for_aws_is_active_and_carries_that_region(incidents, replication_set):
    assert incidents.list_replication_sets()["replicationSetArns"] == [replication_set]
    got = incidents.get_replication_set(arn=replication_set)["replicationSet"]
    assert got["status"] == "ACTIVE" and list(got["regionMap"]) == [REGION]
    assert isinstance(got["createdTime"], datetime) and got["createdTime"].tzinfo is not None
    with pytest.raises(incidents.exceptions.ConflictException):
        incidents.create_replication_set(regions={REGION: {}})


def test_replication_set_regions_and_deletion_protection(incidents, replication_set):
    status = incidents.update_replication_set(
        arn=replication_set, actions=[{"addRegionAction": {"regionName": "us-west-2"}}]
    )["ResponseMetadata"]["HTTPStatusCode"]
    assert status == 204  # the model's responseCode
    regions = incidents.get_replication_set(arn=replication_set)["replicationSet"]["regionMap"]
    assert set(regions) == {REGION, "us-west-2"}
    with pytest.raises(incidents.exceptions.ValidationException) as young:
        incidents.update_replication_set(arn=replication_set, actions=[{"deleteRegionAction": {"regionName": "us-west-2"}}])
    assert "24 hours" in young.value.response["Error"]["Message"]
    incidents.update_deletion_protection(arn=replication_set, deletionProtected=True)
    assert incidents.get_replication_set(arn=replication_set)["replicationSet"]["deletionProtected"] is True
    with pytest.raises(incidents.exceptions.ValidationException) as protected:
        incidents.delete_replication_set(arn=replication_set)
    assert "deletion protection" in protected.value.response["Error"]["Message"]
    incidents.update_deletion_protection(arn=replication_set, deletionProtected=False)


def test_response_plans_create_get_update_list_paginate_delete(incidents, plan):
    created = incidents.create_response_plan(name="db", incidentTemplate={"title": "DB", "impact": 3})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    got = incidents.get_response_plan(arn=plan)
    assert got["name"] == "api-outage" and got["incidentTemplate"]["impact"] == 2
    incidents.update_response_plan(arn=plan, incidentTemplateSummary="changed")
    assert incidents.get_response_plan(arn=plan)["incidentTemplate"]["summary"] == "changed"
    pages = list(incidents.get_paginator("list_response_plans").paginate(PaginationConfig={"PageSize": 1}))
    assert len(pages) == 2 and sorted(p["name"] for page in pages for p in page["responsePlanSummaries"]) == ["api-outage", "db"]
    assert incidents.delete_response_plan(arn=created["arn"])["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(incidents.exceptions.ResourceNotFoundException) as gone:
        incidents.get_response_plan(arn=created["arn"])
    assert gone.value.response["resourceIdentifier"] == created["arn"]
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_incidents_start_get_update_list_paginate_filter_delete(incidents, plan):
    arns = [
        incidents.start_incident(responsePlanArn=plan, title=f"outage {i}", impact=1 + i % 2)["incidentRecordArn"]
        for i in range(3)
    ]
    record = incidents.get_incident_record(arn=arns[0])["incidentRecord"]
    assert record["title"] == "outage 0" and record["status"] == "OPEN"
    assert abs((datetime.now(UTC) - record["creationTime"]).total_seconds()) < 300
    incidents.update_incident_record(arn=arns[0], status="RESOLVED", summary="fixed")
    assert incidents.get_incident_record(arn=arns[0])["incidentRecord"]["status"] == "RESOLVED"
    pages = list(incidents.get_paginator("list_incident_records").paginate(PaginationConfig={"PageSize": 2}))
    listed = [s["arn"] for page in pages for s in page["incidentRecordSummaries"]]
    assert len(pages) == 2 and set(arns) <= set(listed)
    open_ones = incidents.list_incident_records(filters=[{"key": "status", "condition": {"equals": {"stringValues": ["OPEN"]}}}])
    assert {s["arn"] for s in open_ones["incidentRecordSummaries"]} >= set(arns[1:])
    assert arns[0] not in {s["arn"] for s in open_ones["incidentRecordSummaries"]}
    assert incidents.delete_incident_record(arn=arns[2])["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(incidents.exceptions.ResourceNotFoundException):
        incidents.get_incident_record(arn=arns[2])


def test_timeline_events_create_get_update_list_delete(incidents, plan):
    arn = incidents.start_incident(responsePlanArn=plan)["incidentRecordArn"]
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    event_id = incidents.create_timeline_event(
        incidentRecordArn=arn, eventTime=when, eventType="Custom Event", eventData='"rolled back"'
    )["eventId"]
    got = incidents.get_timeline_event(incidentRecordArn=arn, eventId=event_id)["event"]
    assert got["eventTime"] == when and got["eventData"] == '"rolled back"'
    incidents.update_timeline_event(incidentRecordArn=arn, eventId=event_id, eventData='"rolled forward"')
    pages = incidents.get_paginator("list_timeline_events").paginate(incidentRecordArn=arn, PaginationConfig={"PageSize": 1})
    events = [e for page in pages for e in page["eventSummaries"]]
    assert event_id in {e["eventId"] for e in events} and len(events) >= 2  # plus the automatic start event
    incidents.delete_timeline_event(incidentRecordArn=arn, eventId=event_id)
    with pytest.raises(incidents.exceptions.ResourceNotFoundException):
        incidents.get_timeline_event(incidentRecordArn=arn, eventId=event_id)


def test_related_items_add_list_remove(incidents, plan):
    arn = incidents.start_incident(responsePlanArn=plan)["incidentRecordArn"]
    item = {"identifier": {"type": "OTHER", "value": {"url": "https://status.example.com/1"}}, "title": "status"}
    incidents.update_related_items(incidentRecordArn=arn, relatedItemsUpdate={"itemToAdd": item})
    pages = incidents.get_paginator("list_related_items").paginate(incidentRecordArn=arn)
    items = [i for page in pages for i in page["relatedItems"]]
    assert [i["title"] for i in items] == ["status"]
    incidents.update_related_items(incidentRecordArn=arn, relatedItemsUpdate={"itemToRemove": item["identifier"]})
    assert incidents.list_related_items(incidentRecordArn=arn)["relatedItems"] == []


def test_tags_on_a_percent_encoded_arn_in_the_path(incidents, plan):
    assert incidents.list_tags_for_resource(resourceArn=plan)["tags"] == {"team": "api"}
    assert incidents.tag_resource(resourceArn=plan, tags={"tier": "1"})["ResponseMetadata"]["HTTPStatusCode"] == 204
    incidents.untag_resource(resourceArn=plan, tagKeys=["team"])
    assert incidents.list_tags_for_resource(resourceArn=plan)["tags"] == {"tier": "1"}
    missing = plan + "-nope"
    with pytest.raises(incidents.exceptions.ResourceNotFoundException):
        incidents.list_tags_for_resource(resourceArn=missing)


def test_modelled_validation_and_access_errors(site, incidents, plan):
    with pytest.raises(incidents.exceptions.ValidationException) as bad:
        incidents.start_incident(responsePlanArn=plan, impact=9)
    error = bad.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "impact" in error["Error"]["Message"] and error["ResponseMetadata"]["RequestId"]
    readonly = site.client("ssm-incidents", role="readonly")
    with pytest.raises(readonly.exceptions.AccessDeniedException):
        readonly.start_incident(responsePlanArn=plan)
    responder = site.client("ssm-incidents", role="responder")
    with pytest.raises(responder.exceptions.AccessDeniedException):
        responder.delete_response_plan(arn=plan)
    assert incidents.get_response_plan(arn=plan)["name"] == "api-outage"
    assert responder.start_incident(responsePlanArn=plan)["incidentRecordArn"]


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("put_resource_policy", {"resourceArn": "arn:aws:ssm-incidents::1:response-plan/x", "policy": "{}"}),
        ("get_resource_policies", {"resourceArn": "arn:aws:ssm-incidents::1:response-plan/x"}),
        ("delete_resource_policy", {"resourceArn": "arn:aws:ssm-incidents::1:response-plan/x", "policyId": "p"}),
        ("list_incident_findings", {"incidentRecordArn": "arn:aws:ssm-incidents::1:incident-record/x/y"}),
        ("batch_get_incident_findings", {"incidentRecordArn": "arn:aws:ssm-incidents::1:incident-record/x/y", "findingIds": ["f"]}),
    ],
)
def test_operations_not_served_answer_a_clear_error(incidents, replication_set, call, kwargs):
    with pytest.raises(ClientError) as refused:
        getattr(incidents, call)(**kwargs)
    error = refused.value.response
    assert error["Error"]["Code"] == "UnsupportedOperationException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "does not support" in error["Error"]["Message"]


def test_every_served_ssm_incidents_operation_went_through_boto3_in_this_module(site, incidents, replication_set):
    """A completeness check over the audit trail: a newly served operation needs a test here.
    (DeleteReplicationSet, the last test, wipes the set; it is checked there.)"""
    served = sorted(op.name for op in REGISTRY.all() if op.service == "ssm-incidents" and op.name != "DeleteReplicationSet")
    missing = [name for name in served if not _called_over_aws(site, name)]
    assert missing == []


def test_delete_replication_set_and_wait_for_it_to_be_deleted(site, incidents, replication_set):
    """Last in this module: it deletes every incident-management record."""
    assert incidents.delete_replication_set(arn=replication_set)["ResponseMetadata"]["HTTPStatusCode"] == 204
    incidents.get_waiter("wait_for_replication_set_deleted").wait(arn=replication_set, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    assert incidents.list_replication_sets()["replicationSetArns"] == []
    assert _called_over_aws(site, "DeleteReplicationSet")


def _called_over_aws(site, name: str) -> bool:
    response = httpx.post(f"{site.url}/v1/LookupAuditEvents", json={"operation": name, "maxResults": 100},
                          headers=site.keys["admin"].bearer)
    return any(event["origin"] == "aws" for event in response.json()["events"])
