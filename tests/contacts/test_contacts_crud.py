from __future__ import annotations

import pytest

from core.errors import ConflictException, ResourceNotFoundException, ValidationException


def names(exc) -> list[str]:
    return [f["name"] for f in exc.fields]


async def test_create_get_list_update_delete(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana", "Ana Silva", Tags=[{"Key": "team", "Value": "payments"}])
    assert ana == f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:contact/ana"
    got = await c.call("GetContact", {"ContactId": ana})
    assert got == {"ContactArn": ana, "Alias": "ana", "DisplayName": "Ana Silva", "Type": "PERSONAL",
                   "Plan": {"Stages": [], "RotationIds": []}}
    await contacts.personal("ben")
    await contacts.personal("ana_b")
    esc = (await c.call("CreateContact", {
        "Alias": "payments-esc", "Type": "ESCALATION",
        "Plan": {"Stages": [{"DurationInMinutes": 5, "Targets": [
            {"ContactTargetInfo": {"ContactId": ana, "IsEssential": True}}]}]},
    }))["ContactArn"]

    listed = await c.call("ListContacts", {})
    assert [x["Alias"] for x in listed["Contacts"]] == ["ana", "ana_b", "ben", "payments-esc"]
    assert [x["Alias"] for x in (await c.call("ListContacts", {"AliasPrefix": "ana"}))["Contacts"]] == ["ana", "ana_b"]
    # '_' is literal in a prefix, not a LIKE wildcard
    assert [x["Alias"] for x in (await c.call("ListContacts", {"AliasPrefix": "ana_"}))["Contacts"]] == ["ana_b"]
    assert [x["Alias"] for x in (await c.call("ListContacts", {"Type": "ESCALATION"}))["Contacts"]] == ["payments-esc"]

    page1 = await c.call("ListContacts", {"MaxResults": 3})
    assert len(page1["Contacts"]) == 3 and page1["NextToken"]
    page2 = await c.call("ListContacts", {"MaxResults": 3, "NextToken": page1["NextToken"]})
    assert [x["Alias"] for x in page2["Contacts"]] == ["payments-esc"] and "NextToken" not in page2

    await c.call("UpdateContact", {"ContactId": ana, "DisplayName": "Ana S"})
    assert (await c.call("GetContact", {"ContactId": ana}))["DisplayName"] == "Ana S"

    tags = await c.call("ListTagsForResource", {"ResourceARN": ana})
    assert tags == {"Tags": [{"Key": "team", "Value": "payments"}]}
    await c.call("TagResource", {"ResourceARN": ana, "Tags": [{"Key": "tier", "Value": "1"}]})
    await c.call("UntagResource", {"ResourceARN": ana, "TagKeys": ["team"]})
    assert (await c.call("ListTagsForResource", {"ResourceARN": ana}))["Tags"] == [{"Key": "tier", "Value": "1"}]

    await c.call("DeleteContact", {"ContactId": esc})
    await c.call("DeleteContact", {"ContactId": ana})
    with pytest.raises(ResourceNotFoundException):
        await c.call("GetContact", {"ContactId": ana})
    with pytest.raises(ResourceNotFoundException):
        await c.call("ListTagsForResource", {"ResourceARN": ana})
    with pytest.raises(ResourceNotFoundException):
        await c.call("DeleteContact", {"ContactId": ana})


async def test_contacts_need_a_replication_set(client):
    with pytest.raises(ValidationException) as info:
        await client.call("ListContacts", {})
    assert "replication set" in info.value.message


async def test_duplicate_alias_conflicts(contacts):
    await contacts.personal("ana")
    with pytest.raises(ConflictException):
        await contacts.personal("ana")


async def test_unknown_contact_is_not_found(contacts, core):
    missing = f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:contact/nobody"
    for op, params in [
        ("GetContact", {"ContactId": missing}),
        ("UpdateContact", {"ContactId": missing, "DisplayName": "x"}),
        ("DeleteContact", {"ContactId": missing}),
        ("ListContactChannels", {"ContactId": missing}),
        ("GetContactPolicy", {"ContactArn": missing}),
    ]:
        with pytest.raises(ResourceNotFoundException) as info:
            await contacts.c.call(op, params)
        assert missing in info.value.message


async def test_duration_31_is_rejected_and_nothing_changes(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    esc_params = {"Alias": "esc", "Type": "ESCALATION", "Plan": {"Stages": [
        {"DurationInMinutes": 31, "Targets": [{"ContactTargetInfo": {"ContactId": ana, "IsEssential": False}}]}]}}
    with pytest.raises(ValidationException) as info:
        await c.call("CreateContact", esc_params)
    assert names(info.value) == ["Plan.Stages[0].DurationInMinutes"]
    assert [x["Alias"] for x in (await c.call("ListContacts", {}))["Contacts"]] == ["ana"]


async def test_a_stage_with_no_targets_only_waits(contacts):
    """The model: a stage's duration "can only be set to 0 if a target is specified"."""
    c = contacts.c
    ana = await contacts.personal("ana")
    engage = {"ContactTargetInfo": {"ContactId": ana, "IsEssential": False}}
    with pytest.raises(ValidationException) as info:
        await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": {"Stages": [
            {"DurationInMinutes": 5, "Targets": [engage]}, {"DurationInMinutes": 0, "Targets": []}]}})
    assert names(info.value) == ["Plan.Stages[1].DurationInMinutes"]
    assert "only waits" in info.value.message
    esc = (await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": {"Stages": [
        {"DurationInMinutes": 5, "Targets": []}, {"DurationInMinutes": 0, "Targets": [engage]}]}}))["ContactArn"]
    assert (await c.call("GetContact", {"ContactId": esc}))["Plan"]["Stages"][0] == {"DurationInMinutes": 5, "Targets": []}


async def test_stage_target_mixing_channel_and_contact_is_rejected(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    mail = await contacts.channel(ana)
    before = await c.call("GetContact", {"ContactId": ana})
    mixed = {"ChannelTargetInfo": {"ContactChannelId": mail},
             "ContactTargetInfo": {"ContactId": ana, "IsEssential": True}}
    with pytest.raises(ValidationException) as info:
        await c.call("UpdateContact", {"ContactId": ana, "Plan": {"Stages": [
            {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": mail}}, mixed]}]}})
    assert names(info.value) == ["Plan.Stages[0].Targets[1]"]
    assert "mixes" in info.value.message
    assert await c.call("GetContact", {"ContactId": ana}) == before

    # an escalation plan holding a channel target, and a personal plan holding a contact target
    with pytest.raises(ValidationException) as info:
        await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": {"Stages": [
            {"DurationInMinutes": 1, "Targets": [
                {"ContactTargetInfo": {"ContactId": ana, "IsEssential": True}},
                {"ChannelTargetInfo": {"ContactChannelId": mail}}]}]}})
    assert names(info.value) == ["Plan.Stages[0].Targets[1]"]
    with pytest.raises(ValidationException) as info:
        await c.call("UpdateContact", {"ContactId": ana, "Plan": {"Stages": [
            {"DurationInMinutes": 1, "Targets": [{"ContactTargetInfo": {"ContactId": ana, "IsEssential": True}}]}]}})
    assert names(info.value) == ["Plan.Stages[0].Targets[0]"]
    assert await c.call("GetContact", {"ContactId": ana}) == before
    assert [x["Alias"] for x in (await c.call("ListContacts", {}))["Contacts"]] == ["ana"]


async def test_engagement_plan_uses_own_existing_channels(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    ben = await contacts.personal("ben")
    ana_mail = await contacts.channel(ana)
    ben_mail = await contacts.channel(ben, address="ben@example.com")
    ana_sms = await contacts.channel(ana, "phone", "SMS", "+14155550123")
    plan = {"Stages": [
        {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": ana_mail}}]},
        {"DurationInMinutes": 5, "Targets": [
            {"ChannelTargetInfo": {"ContactChannelId": ana_sms, "RetryIntervalInMinutes": 2}}]},
    ]}
    await c.call("UpdateContact", {"ContactId": ana, "Plan": plan})
    assert (await c.call("GetContact", {"ContactId": ana}))["Plan"]["Stages"] == plan["Stages"]

    with pytest.raises(ValidationException) as info:
        await c.call("UpdateContact", {"ContactId": ana, "Plan": {"Stages": [
            {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": ben_mail}}]}]}})
    assert names(info.value) == ["Plan.Stages[0].Targets[0].ChannelTargetInfo.ContactChannelId"]
    unknown = ana_mail[:-4] + "0000"
    with pytest.raises(ValidationException) as info:
        await c.call("UpdateContact", {"ContactId": ana, "Plan": {"Stages": [
            {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": unknown}}]}]}})
    assert names(info.value) == ["Plan.Stages[0].Targets[0].ChannelTargetInfo.ContactChannelId"]
    with pytest.raises(ValidationException) as info:
        await c.call("UpdateContact", {"ContactId": ana, "Plan": {"RotationIds": [ana]}})
    assert names(info.value) == ["Plan.RotationIds"]
    assert (await c.call("GetContact", {"ContactId": ana}))["Plan"]["Stages"] == plan["Stages"]


async def test_escalation_plan_targets(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    missing = f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:contact/ghost"
    stage = lambda target: {"Stages": [{"DurationInMinutes": 1, "Targets": [  # noqa: E731
        {"ContactTargetInfo": {"ContactId": target, "IsEssential": True}}]}]}
    with pytest.raises(ValidationException) as info:
        await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": stage(missing)})
    assert names(info.value) == ["Plan.Stages[0].Targets[0].ContactTargetInfo.ContactId"]
    esc = (await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": stage(ana)}))["ContactArn"]
    # no nesting, no self-reference
    with pytest.raises(ValidationException) as info:
        await c.call("CreateContact", {"Alias": "esc2", "Type": "ESCALATION", "Plan": stage(esc)})
    assert names(info.value) == ["Plan.Stages[0].Targets[0].ContactTargetInfo.ContactId"]
    with pytest.raises(ValidationException):
        await c.call("UpdateContact", {"ContactId": esc, "Plan": stage(esc)})
    with pytest.raises(ValidationException) as info:
        await c.call("UpdateContact", {"ContactId": esc, "Plan": {"Stages": [
            {"DurationInMinutes": 1, "Targets": [{"ContactTargetInfo": {"IsEssential": True}}]}]}})
    assert names(info.value) == ["Plan.Stages[0].Targets[0].ContactTargetInfo.ContactId"]


async def test_oncall_schedule_needs_existing_rotations(contacts, core):
    c = contacts.c
    missing = f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:rotation/none"
    with pytest.raises(ValidationException) as info:
        await c.call("CreateContact", {"Alias": "oncall", "Type": "ONCALL_SCHEDULE", "Plan": {"RotationIds": [missing]}})
    assert names(info.value) == ["Plan.RotationIds[0]"]
    with pytest.raises(ValidationException) as info:
        await c.call("CreateContact", {"Alias": "oncall", "Type": "ONCALL_SCHEDULE", "Plan": {"Stages": []}})
    assert names(info.value) == ["Plan.RotationIds"]
    assert (await c.call("ListContacts", {}))["Contacts"] == []


async def test_delete_refused_while_used(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    esc = (await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": {"Stages": [
        {"DurationInMinutes": 1, "Targets": [{"ContactTargetInfo": {"ContactId": ana, "IsEssential": True}}]}]}}))["ContactArn"]
    rotation = (await c.call("CreateRotation", {
        "Name": "primary", "ContactIds": [ana], "TimeZoneId": "UTC",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}}))["RotationArn"]
    plan = (await c.call("CreateResponsePlan", {
        "name": "db-down", "incidentTemplate": {"title": "DB down", "impact": 1}, "engagements": [ana]}))["arn"]

    with pytest.raises(ConflictException) as info:
        await c.call("DeleteContact", {"ContactId": ana})
    assert info.value.dependent_entities == [
        {"RelationType": "ESCALATION_PLAN", "DependentResourceIds": [esc]},
        {"RelationType": "ROTATION", "DependentResourceIds": [rotation]},
        {"RelationType": "RESPONSE_PLAN", "DependentResourceIds": [plan]},
    ]
    assert (await c.call("GetContact", {"ContactId": ana}))["Alias"] == "ana"

    await c.call("DeleteContact", {"ContactId": esc})
    await c.call("DeleteRotation", {"RotationId": rotation})
    await c.call("UpdateResponsePlan", {"arn": plan, "engagements": []})
    await c.call("DeleteContact", {"ContactId": ana})


async def test_contact_policy(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    assert await c.call("GetContactPolicy", {"ContactArn": ana}) == {"ContactArn": ana}
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "ssm-contacts:GetContact", "Resource": "*"}]}'
    await c.call("PutContactPolicy", {"ContactArn": ana, "Policy": policy})
    assert await c.call("GetContactPolicy", {"ContactArn": ana}) == {"ContactArn": ana, "Policy": policy}
    for bad in ("{not json", "[]", '{"Statement": []}', '{"Statement": [{"Effect": "Maybe"}]}'):
        with pytest.raises(ValidationException) as info:
            await c.call("PutContactPolicy", {"ContactArn": ana, "Policy": bad})
        assert names(info.value) == ["Policy"]
    assert (await c.call("GetContactPolicy", {"ContactArn": ana}))["Policy"] == policy


async def test_tags_need_key_and_value(contacts):
    ana = await contacts.personal("ana")
    with pytest.raises(ValidationException) as info:
        await contacts.c.call("TagResource", {"ResourceARN": ana, "Tags": [{"Key": "k"}]})
    assert names(info.value) == ["Tags[0].Value"]
    with pytest.raises(ResourceNotFoundException):
        await contacts.c.call("TagResource", {"ResourceARN": ana + "x", "Tags": [{"Key": "k", "Value": "v"}]})
