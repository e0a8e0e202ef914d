"""Every AWS-named operation, of both services, driven with valid input: each response
satisfies botocore's output shape for its operation.

Each response is checked twice, independently of the registry's own output check: by
botocore's ``ParamValidator`` run over botocore's output shape (types, required members,
minimum lengths and ranges, unknown members), and by ``shapes.check_output`` (maximum
lengths, enums, Java-class patterns, and no empty required string). The data is meant to
stretch the shapes: non-ASCII text, optional members set, long values at their limits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from core import open_core
from core.errors import ServiceError
from core.ops import shapes
from core.ops.aws_models import operation_model
from core.ops.registry import REGISTRY
from tests.support.contacts import activation_code

TOKENS = ("clientToken", "IdempotencyToken")
AWS_OPS = {o.key for o in REGISTRY.all() if o.model is not None}
TITLE = "Paiement refusé — 決済 ✓ " + "x" * 176  # 200 characters, the title's limit
SUMMARY = "Überlast im Zahlungsweg: " + "ü" * 3975  # 4000, the summary's limit


class Checked:
    """A client that checks each response against its operation's output shape."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.called: set[str] = set()
        self.session = botocore.session.get_session()
        self.problems: list[str] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        op = REGISTRY.resolve(name, params)
        self.calls.append((op.key, params))
        out = await self.client.call(op.key, params)
        self.called.add(op.key)
        shape = self.session.get_service_model(op.service).operation_model(op.name).output_shape
        if shape is not None:
            report = ParamValidator().validate(out, shape)
            if report.has_errors():
                self.problems.append(f"{op.key}: {report.generate_report()}")
        else:
            assert out == {}, f"{op.key} has no output shape but answered {out}"
        for err in shapes.check_output(operation_model(op.service, op.name).output_shape, out):
            self.problems.append(f"{op.key}: {err['name']} {err['message']}")
        return out


async def _incidents(c: Checked, core: Any, esc: str) -> None:
    rs = (await c.call("ListReplicationSets", {}))["replicationSetArns"][0]
    await c.call("GetReplicationSet", {"arn": rs})
    await c.call("ListReplicationSets", {"maxResults": 5})
    await c.call("UpdateDeletionProtection", {"arn": rs, "deletionProtected": True})
    await c.call("UpdateDeletionProtection", {"arn": rs, "deletionProtected": False})
    plan = (await c.call("CreateResponsePlan", {
        "name": "pay-outage", "displayName": "Paiements — panne",
        "incidentTemplate": {"title": TITLE, "impact": 1, "summary": SUMMARY, "dedupeString": "pay-1",
                             "incidentTags": {"team": "pay"},
                             "notificationTargets": [{"snsTopicArn": "arn:aws:sns:local:123456789012:pay"}]},
        "chatChannel": {"chatbotSns": ["arn:aws:sns:local:123456789012:chat"]},
        "engagements": [esc], "tags": {"owner": "Zoe"},
    }))["arn"]
    bare = (await c.call("CreateResponsePlan", {"name": "bare", "incidentTemplate": {"title": "Bare", "impact": 5}}))["arn"]
    await c.call("GetResponsePlan", {"arn": plan})
    await c.call("GetResponsePlan", {"arn": bare})
    await c.call("ListResponsePlans", {"maxResults": 10})
    await c.call("UpdateResponsePlan", {"arn": bare, "incidentTemplateSummary": "Résumé", "displayName": "Nu"})
    await c.call("TagResource", {"resourceArn": plan, "tags": {"tier": "1"}})
    await c.call("ListTagsForResource", {"resourceArn": plan})
    await c.call("UntagResource", {"resourceArn": plan, "tagKeys": ["tier"]})

    when = core.clock.now()
    inc = (await c.call("StartIncident", {
        "responsePlanArn": plan, "title": TITLE, "impact": 2, "clientToken": "inc-1",
        "triggerDetails": {"source": "cockpit.alarm", "timestamp": when, "rawData": "{\"k\": \"v\"}",
                           "triggerArn": "arn:aws:cloudwatch:local:123456789012:alarm:pay"},
        "relatedItems": [{"identifier": {"type": "OTHER", "value": {"url": "https://wiki.example/pay"}},
                          "title": "Runbook ✓"}],
    }))["incidentRecordArn"]
    await c.call("StartIncident", {"responsePlanArn": plan})  # deduplicated into inc
    other = (await c.call("StartIncident", {"responsePlanArn": bare}))["incidentRecordArn"]
    await c.call("GetIncidentRecord", {"arn": inc})
    await c.call("GetIncidentRecord", {"arn": other})
    await c.call("ListIncidentRecords", {"maxResults": 10,
                                         "filters": [{"key": "status", "condition": {"equals": {"stringValues": ["OPEN"]}}}]})
    await c.call("UpdateIncidentRecord", {"arn": other, "summary": "Ça va mieux", "status": "RESOLVED"})
    ev = (await c.call("CreateTimelineEvent", {
        "incidentRecordArn": inc, "eventTime": when, "eventType": "Custom Event", "eventData": "Note — ✓ " + "é" * 11990,
        "eventReferences": [{"resource": "arn:aws:cloudwatch:local:123456789012:alarm:pay"}], "clientToken": "ev-1",
    }))["eventId"]
    await c.call("GetTimelineEvent", {"incidentRecordArn": inc, "eventId": ev})
    await c.call("UpdateTimelineEvent", {"incidentRecordArn": inc, "eventId": ev, "eventData": "Geändert"})
    await c.call("ListTimelineEvents", {"incidentRecordArn": inc, "sortOrder": "DESCENDING", "maxResults": 50})
    await c.call("UpdateRelatedItems", {"incidentRecordArn": inc, "relatedItemsUpdate": {"itemToAdd": {
        "identifier": {"type": "METRIC", "value": {"metricDefinition": "{\"m\": 1}"}}, "title": "Latenz"}}})
    await c.call("ListRelatedItems", {"incidentRecordArn": inc})
    await c.call("DeleteTimelineEvent", {"incidentRecordArn": inc, "eventId": ev})
    await c.call("DeleteIncidentRecord", {"arn": other})
    await c.call("DeleteResponsePlan", {"arn": bare})


async def _contacts(c: Checked, core: Any) -> dict[str, str]:
    ana = (await c.call("CreateContact", {"Alias": "ana", "DisplayName": "Ana Müller", "Type": "PERSONAL",
                                          "Plan": {"Stages": []}, "Tags": [{"Key": "team", "Value": "pay"}],
                                          "IdempotencyToken": "ana-1"}))["ContactArn"]
    ben = (await c.call("CreateContact", {"Alias": "ben", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
    channel = (await c.call("CreateContactChannel", {
        "ContactId": ana, "Name": "Büro-Mail", "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": "ana@pay.example"},
    }))["ContactChannelArn"]
    await c.call("ActivateContactChannel", {"ContactChannelId": channel,
                                            "ActivationCode": await activation_code(c.client, channel)})
    sms = (await c.call("CreateContactChannel", {
        "ContactId": ben, "Name": "phone", "Type": "SMS", "DeliveryAddress": {"SimpleAddress": "+15555550100"},
        "DeferActivation": True,
    }))["ContactChannelArn"]
    await c.call("GetContactChannel", {"ContactChannelId": channel})
    await c.call("ListContactChannels", {"ContactId": ana})
    await c.call("UpdateContactChannel", {"ContactChannelId": sms, "Name": "Handy"})
    await c.call("DeactivateContactChannel", {"ContactChannelId": channel})
    await c.call("SendActivationCode", {"ContactChannelId": channel})
    await c.call("ActivateContactChannel", {"ContactChannelId": channel,
                                            "ActivationCode": await activation_code(c.client, channel)})
    await c.call("UpdateContact", {"ContactId": ana, "DisplayName": "Ana M.", "Plan": {"Stages": [
        {"DurationInMinutes": 1, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel,
                                                                    "RetryIntervalInMinutes": 2}}]}]}})
    now = core.clock.now()
    recurrence = {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 2, "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
                  "ShiftCoverages": {"MON": [{"Start": {"HourOfDay": 8, "MinuteOfHour": 0},
                                                 "End": {"HourOfDay": 18, "MinuteOfHour": 0}}]}}
    rotation = (await c.call("CreateRotation", {
        "Name": "primaire", "ContactIds": [ana, ben], "TimeZoneId": "Europe/Paris", "StartTime": now - timedelta(days=3),
        "Recurrence": recurrence, "Tags": [{"Key": "team", "Value": "pay"}], "IdempotencyToken": "rot-1",
    }))["RotationArn"]
    await c.call("GetRotation", {"RotationId": rotation})
    await c.call("ListRotations", {"RotationNamePrefix": "pri", "MaxResults": 5})
    await c.call("UpdateRotation", {"RotationId": rotation, "Recurrence": {**recurrence, "RecurrenceMultiplier": 1}})
    await c.call("ListRotationShifts", {"RotationId": rotation, "StartTime": now, "EndTime": now + timedelta(days=7)})
    preview = await c.call("ListPreviewRotationShifts", {
        "RotationStartTime": now, "StartTime": now, "EndTime": now + timedelta(days=3), "Members": [ana, ben],
        "TimeZoneId": "Asia/Tokyo", "Recurrence": {k: v for k, v in recurrence.items() if k != "ShiftCoverages"},
        "Overrides": [{"NewMembers": [ben], "StartTime": now + timedelta(hours=1), "EndTime": now + timedelta(hours=2)}],
    })
    assert {s["Type"] for s in preview["RotationShifts"]} == {"REGULAR", "OVERRIDDEN"}
    override = (await c.call("CreateRotationOverride", {
        "RotationId": rotation, "NewContactIds": [ben], "StartTime": now + timedelta(hours=1),
        "EndTime": now + timedelta(hours=3), "IdempotencyToken": "ovr-1",
    }))["RotationOverrideId"]
    await c.call("GetRotationOverride", {"RotationId": rotation, "RotationOverrideId": override})
    await c.call("ListRotationOverrides", {"RotationId": rotation, "StartTime": now, "EndTime": now + timedelta(days=1)})
    await c.call("DeleteRotationOverride", {"RotationId": rotation, "RotationOverrideId": override})
    schedule = (await c.call("CreateContact", {"Alias": "pay-oncall", "Type": "ONCALL_SCHEDULE",
                                               "Plan": {"RotationIds": [rotation]}}))["ContactArn"]
    esc = (await c.call("CreateContact", {"Alias": "pay-esc", "DisplayName": "Eskalation", "Type": "ESCALATION",
                                          "Plan": {"Stages": [
                                              {"DurationInMinutes": 5, "Targets": [
                                                  {"ContactTargetInfo": {"ContactId": ana, "IsEssential": True}}]},
                                              {"DurationInMinutes": 0, "Targets": [
                                                  {"ContactTargetInfo": {"ContactId": schedule, "IsEssential": False}}]},
                                          ]}}))["ContactArn"]
    await c.call("GetContact", {"ContactId": ana})
    await c.call("GetContact", {"ContactId": esc})
    await c.call("GetContact", {"ContactId": schedule})
    await c.call("ListContacts", {"AliasPrefix": "pay", "MaxResults": 10})
    await c.call("ListContacts", {"Type": "PERSONAL"})
    policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},'
              '"Action":"ssm-contacts:GetContact","Resource":"' + ana + '"}]}')
    await c.call("PutContactPolicy", {"ContactArn": ana, "Policy": policy})
    await c.call("GetContactPolicy", {"ContactArn": ana})
    await c.call("TagResource", {"ResourceARN": ana, "Tags": [{"Key": "tier", "Value": "1"}]})
    await c.call("ListTagsForResource", {"ResourceARN": ana})
    await c.call("UntagResource", {"ResourceARN": ana, "TagKeys": ["tier"]})
    return {"ana": ana, "ben": ben, "sms": sms, "rotation": rotation, "schedule": schedule, "esc": esc}


async def _engagements(c: Checked, core: Any, people: dict[str, str]) -> None:
    incident = (await c.client.call("ListIncidentRecords", {}))["incidentRecordSummaries"][0]["arn"]
    eng = (await c.call("StartEngagement", {
        "ContactId": people["ana"], "Sender": "cockpit-oncall@pay", "Subject": "Zahlungen gestört",
        "Content": "Bitte kommen ✓", "PublicSubject": "Incident", "PublicContent": "Please join",
        "IncidentId": incident, "IdempotencyToken": "eng-1",
    }))["EngagementArn"]
    await core.clock.advance(seconds=1)
    await c.call("DescribeEngagement", {"EngagementId": eng})
    await c.call("ListEngagements", {"IncidentId": incident, "MaxResults": 20})
    await c.call("ListEngagements", {"TimeRangeValue": {"StartTime": core.clock.now() - timedelta(hours=1),
                                                        "EndTime": core.clock.now()}})
    page = (await c.call("ListPagesByEngagement", {"EngagementId": eng}))["Pages"][0]["PageArn"]
    await c.call("ListPagesByContact", {"ContactId": people["ana"]})
    await c.call("DescribePage", {"PageId": page})
    await c.call("AcceptPage", {"PageId": page, "AcceptType": "READ", "AcceptCode": "000000", "Note": "gelesen"})
    await c.call("AcceptPage", {"PageId": page, "AcceptType": "DELIVERED", "AcceptCode": "000000",
                                "ContactChannelId": (await c.client.call(
                                    "ListContactChannels", {"ContactId": people["ana"]}))["ContactChannels"][0]["ContactChannelArn"]})
    await c.call("ListPageReceipts", {"PageId": page})
    await c.call("ListPageResolutions", {"PageId": page})
    await c.call("StopEngagement", {"EngagementId": eng, "Reason": "erledigt"})
    await c.call("DeleteContactChannel", {"ContactChannelId": people["sms"]})


@pytest.fixture
async def core(tmp_path, clock):
    """A core with a replica region configured (UpdateReplicationSet adds it)."""
    config = {"replicas": {"backup-1": str(tmp_path / "backup-1")}}
    async with open_core(tmp_path / "ws", clock=clock, config=config) as running:
        yield running


async def _drive_every_operation(core: Any) -> Checked:
    c = Checked(core.client())
    await c.call("CreateReplicationSet", {"regions": {core.region: {}}, "clientToken": "rs-1"})
    people = await _contacts(c, core)
    await _incidents(c, core, people["esc"])
    await _engagements(c, core, people)
    rs = (await c.client.call("ListReplicationSets", {}))["replicationSetArns"][0]
    for inc in (await c.client.call("ListIncidentRecords", {}))["incidentRecordSummaries"]:
        await c.client.call("DeleteIncidentRecord", {"arn": inc["arn"]})
    for plan in (await c.client.call("ListResponsePlans", {}))["responsePlanSummaries"]:
        await c.client.call("DeleteResponsePlan", {"arn": plan["arn"]})
    await c.call("DeleteContact", {"ContactId": people["esc"]})
    await c.call("DeleteContact", {"ContactId": people["schedule"]})
    await c.call("DeleteRotation", {"RotationId": people["rotation"]})
    await c.call("DeleteContact", {"ContactId": people["ben"]})
    await c.call("UpdateReplicationSet", {"arn": rs, "actions": [{"addRegionAction": {"regionName": "backup-1"}}]})
    await c.call("DeleteReplicationSet", {"arn": rs})
    return c


@pytest.mark.slow
async def test_every_aws_operation_answers_its_output_shape(core):
    c = await _drive_every_operation(core)
    assert c.problems == []
    assert AWS_OPS - c.called == set(), "operations this test does not drive"


@pytest.mark.slow
async def test_every_aws_operation_raises_only_errors_its_model_lists(core, tmp_path, clock, caplog):
    """Replay every call of the run above where its resources are gone (a new workspace) and
    where they were deleted or already exist (the same workspace, once more): each error is
    one that the operation's model lists, raised as such by the handler, not corrected by
    dispatch."""
    c = await _drive_every_operation(core)
    await core.client().call("CreateReplicationSet", {"regions": {core.region: {}}})
    seen: dict[str, set[str]] = {}
    async with open_core(tmp_path / "empty", clock=clock) as empty:
        await empty.client().call("CreateReplicationSet", {"regions": {empty.region: {}}})
        for target in (empty, core):
            for key, params in c.calls:
                if key.endswith(("CreateReplicationSet", "DeleteReplicationSet")):
                    continue
                try:  # without its idempotency token, so that it runs again
                    await target.client().call(key, {k: v for k, v in params.items() if k not in TOKENS})
                except ServiceError as err:
                    seen.setdefault(key, set()).add(err.code)
    wrong = {k: codes - operation_model(*k.split(":")).error_codes for k, codes in seen.items()}
    assert {k: v for k, v in wrong.items() if v} == {}
    corrected = [r.getMessage() for r in caplog.records if "which its model does not list" in r.getMessage()]
    assert corrected == []
    assert sum(len(v) for v in seen.values()) >= 40, seen  # the replay did reach the handlers

