"""boto3's ssm-contacts client (JSON 1.1), unchanged, against a real `cockpit serve`: every
operation, paginators and modelled exceptions. Activation and accept codes are read from the
mail a real SMTP server received, as a responder would read them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.ops.registry import REGISTRY

ADDRESS = "ann@example.com"


def responder_arn(site) -> str:
    """The responder user's principal ARN, as the core reports it (native GetCallerIdentity)."""
    response = httpx.post(f"{site.url}/v1/GetCallerIdentity", json={}, headers=site.keys["responder"].bearer)
    return response.json()["arn"]


@pytest.fixture(scope="module")
def ann(site, contacts, replication_set) -> dict[str, str]:
    contact = contacts.create_contact(Alias="ann", DisplayName="Ann", Type="PERSONAL", Plan={"Stages": []}, Tags=[{"Key": "team", "Value": "api"}])["ContactArn"]
    channel = contacts.create_contact_channel(
        ContactId=contact, Name="work mail", Type="EMAIL", DeliveryAddress={"SimpleAddress": ADDRESS}
    )["ContactChannelArn"]
    activation = site.mail.wait_for(lambda m: ADDRESS in m.rcpt_tos and m["X-Cockpit-Kind"] == "activation")
    contacts.activate_contact_channel(ContactChannelId=channel, ActivationCode=activation.code("Activation code"))
    stage = {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel, "RetryIntervalInMinutes": 1}}]}
    contacts.update_contact(ContactId=contact, Plan={"Stages": [stage]})
    return {"contact": contact, "channel": channel}


def test_contacts_get_list_paginate_update_delete(contacts, ann):
    got = contacts.get_contact(ContactId=ann["contact"])
    assert got["Alias"] == "ann" and got["Type"] == "PERSONAL" and len(got["Plan"]["Stages"]) == 1
    other = contacts.create_contact(Alias="bob", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    contacts.update_contact(ContactId=other, DisplayName="Bob B")
    assert contacts.get_contact(ContactId=other)["DisplayName"] == "Bob B"
    pages = list(contacts.get_paginator("list_contacts").paginate(PaginationConfig={"PageSize": 1}))
    assert len(pages) == 2 and {c["Alias"] for p in pages for c in p["Contacts"]} == {"ann", "bob"}
    contacts.delete_contact(ContactId=other)
    with pytest.raises(contacts.exceptions.ResourceNotFoundException) as gone:
        contacts.get_contact(ContactId=other)
    assert gone.value.response["ResourceId"] == other  # the modelled member, filled in
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_contact_channels_get_list_update_deactivate_send_code_delete(site, contacts, ann):
    channel = contacts.get_contact_channel(ContactChannelId=ann["channel"])
    assert channel["ActivationStatus"] == "ACTIVATED" and channel["DeliveryAddress"]["SimpleAddress"] == ADDRESS
    extra = contacts.create_contact_channel(
        ContactId=ann["contact"], Name="spare", Type="EMAIL", DeliveryAddress={"SimpleAddress": "spare@example.com"},
        DeferActivation=True,
    )["ContactChannelArn"]
    contacts.update_contact_channel(ContactChannelId=extra, Name="spare mail")
    listed = [c for p in contacts.get_paginator("list_contact_channels").paginate(ContactId=ann["contact"]) for c in p["ContactChannels"]]
    assert {c["Name"] for c in listed} == {"work mail", "spare mail"}
    contacts.send_activation_code(ContactChannelId=extra)
    mail = site.mail.wait_for(lambda m: "spare@example.com" in m.rcpt_tos)
    contacts.activate_contact_channel(ContactChannelId=extra, ActivationCode=mail.code("Activation code"))
    contacts.deactivate_contact_channel(ContactChannelId=extra)
    assert contacts.get_contact_channel(ContactChannelId=extra)["ActivationStatus"] == "NOT_ACTIVATED"
    contacts.delete_contact_channel(ContactChannelId=extra)
    with pytest.raises(contacts.exceptions.ResourceNotFoundException):
        contacts.get_contact_channel(ContactChannelId=extra)


def test_engagement_page_accept_receipts_resolutions(site, contacts, ann):
    engagement = contacts.start_engagement(
        ContactId=ann["contact"], Sender="boto3", Subject="disk full", Content="db-1 /var at 100%",
        PublicSubject="disk full", PublicContent="a disk is full",
    )["EngagementArn"]
    page_mail = site.mail.wait_for(lambda m: ADDRESS in m.rcpt_tos and m["X-Cockpit-Kind"] == "page")
    page = page_mail["X-Cockpit-Page"]
    assert contacts.describe_engagement(EngagementId=engagement)["Subject"] == "disk full"
    listed = [e["EngagementArn"] for p in contacts.get_paginator("list_engagements").paginate() for e in p["Engagements"]]
    assert engagement in listed
    by_engagement = [p["PageArn"] for x in contacts.get_paginator("list_pages_by_engagement").paginate(EngagementId=engagement) for p in x["Pages"]]
    by_contact = [p["PageArn"] for x in contacts.get_paginator("list_pages_by_contact").paginate(ContactId=ann["contact"]) for p in x["Pages"]]
    assert page in by_engagement and page in by_contact
    with pytest.raises(contacts.exceptions.ValidationException) as wrong:
        contacts.accept_page(PageId=page, AcceptType="READ", AcceptCode="000000" if page_mail.code("Accept code") != "000000" else "111111",
                             AcceptCodeValidation="ENFORCE")
    assert wrong.value.response["Reason"] in ("FIELD_VALIDATION_FAILED", "OTHER")
    contacts.accept_page(PageId=page, AcceptType="READ", AcceptCode=page_mail.code("Accept code"), AcceptCodeValidation="ENFORCE")
    assert "ReadTime" in contacts.describe_page(PageId=page)
    receipts = [r["ReceiptType"] for x in contacts.get_paginator("list_page_receipts").paginate(PageId=page) for r in x["Receipts"]]
    assert "READ" in receipts and "SENT" in receipts
    resolutions = [r for x in contacts.get_paginator("list_page_resolutions").paginate(PageId=page) for r in x["PageResolutions"]]
    assert resolutions and resolutions[0]["ContactArn"] == ann["contact"]
    contacts.stop_engagement(EngagementId=engagement, Reason="handled")
    assert "StopTime" in contacts.describe_engagement(EngagementId=engagement)


def test_rotations_overrides_shifts_and_previews(contacts, ann):
    start = (datetime.now(UTC) - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    recurrence = {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1, "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}
    rotation = contacts.create_rotation(Name="primary", ContactIds=[ann["contact"]], StartTime=start, TimeZoneId="UTC", Recurrence=recurrence)["RotationArn"]
    assert contacts.get_rotation(RotationId=rotation)["Name"] == "primary"
    contacts.update_rotation(RotationId=rotation, Recurrence={**recurrence, "RecurrenceMultiplier": 2})
    assert contacts.get_rotation(RotationId=rotation)["Recurrence"]["RecurrenceMultiplier"] == 2
    assert rotation in [r["RotationArn"] for p in contacts.get_paginator("list_rotations").paginate() for r in p["Rotations"]]
    override = contacts.create_rotation_override(
        RotationId=rotation, NewContactIds=[ann["contact"]], StartTime=start + timedelta(days=30), EndTime=start + timedelta(days=31)
    )["RotationOverrideId"]
    assert contacts.get_rotation_override(RotationId=rotation, RotationOverrideId=override)["RotationArn"] == rotation
    overrides = [o for p in contacts.get_paginator("list_rotation_overrides").paginate(
        RotationId=rotation, StartTime=start, EndTime=start + timedelta(days=60)) for o in p["RotationOverrides"]]
    assert [o["RotationOverrideId"] for o in overrides] == [override]
    shifts = [s for p in contacts.get_paginator("list_rotation_shifts").paginate(
        RotationId=rotation, StartTime=start, EndTime=start + timedelta(days=6), PaginationConfig={"PageSize": 1}) for s in p["RotationShifts"]]
    assert len(shifts) >= 2 and all(s["ContactIds"] == [ann["contact"]] for s in shifts)
    preview = contacts.list_preview_rotation_shifts(
        RotationStartTime=start, EndTime=start + timedelta(days=3), Members=["ann"], TimeZoneId="UTC", Recurrence=recurrence,
    )["RotationShifts"]
    assert len(preview) >= 2 and isinstance(preview[0]["StartTime"], datetime)
    contacts.delete_rotation_override(RotationId=rotation, RotationOverrideId=override)
    contacts.delete_rotation(RotationId=rotation)
    with pytest.raises(contacts.exceptions.ResourceNotFoundException):
        contacts.get_rotation(RotationId=rotation)


def test_contact_policy_and_tags(site, contacts, ann):
    responder = site.client("ssm-contacts", role="responder")
    assert responder.get_contact(ContactId=ann["contact"])["Alias"] == "ann"
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": {"AWS": responder_arn(site)}, "Action": "ssm-contacts:GetContact", "Resource": ann["contact"],
    }]})
    contacts.put_contact_policy(ContactArn=ann["contact"], Policy=policy)
    assert json.loads(contacts.get_contact_policy(ContactArn=ann["contact"])["Policy"]) == json.loads(policy)
    with pytest.raises(responder.exceptions.AccessDeniedException):
        responder.get_contact(ContactId=ann["contact"])
    assert contacts.list_tags_for_resource(ResourceARN=ann["contact"])["Tags"] == [{"Key": "team", "Value": "api"}]
    contacts.tag_resource(ResourceARN=ann["contact"], Tags=[{"Key": "tier", "Value": "1"}])
    contacts.untag_resource(ResourceARN=ann["contact"], TagKeys=["team"])
    assert contacts.list_tags_for_resource(ResourceARN=ann["contact"])["Tags"] == [{"Key": "tier", "Value": "1"}]


def test_modelled_errors_and_roles(site, contacts, ann):
    with pytest.raises(contacts.exceptions.ValidationException) as bad:
        contacts.create_contact(Alias="x" * 300, Type="PERSONAL", Plan={"Stages": []})
    fields = bad.value.response["Fields"]
    assert fields and fields[0]["Name"] == "Alias" and bad.value.response["Reason"] == "FIELD_VALIDATION_FAILED"
    with pytest.raises(contacts.exceptions.ConflictException):
        contacts.create_contact(Alias="ann", Type="PERSONAL", Plan={"Stages": []})
    readonly = site.client("ssm-contacts", role="readonly")
    assert ann["contact"] in [c["ContactArn"] for c in readonly.list_contacts()["Contacts"]]
    with pytest.raises(readonly.exceptions.AccessDeniedException):
        readonly.delete_contact(ContactId=ann["contact"])
    assert contacts.get_contact(ContactId=ann["contact"])["Alias"] == "ann"


def test_every_served_ssm_contacts_operation_went_through_boto3_in_this_module(site):
    """A completeness check over the audit trail: a newly served operation needs a test here."""
    served = sorted(op.name for op in REGISTRY.all() if op.service == "ssm-contacts")
    missing = []
    for name in served:
        response = httpx.post(f"{site.url}/v1/LookupAuditEvents", json={"operation": name, "maxResults": 100},
                              headers=site.keys["admin"].bearer)
        if not any(event["origin"] == "aws" for event in response.json()["events"]):
            missing.append(name)
    assert missing == []
