"""Escalations on fake time: hours of paging in milliseconds."""

from __future__ import annotations

import re

import pytest

from core.errors import ValidationException
from tests.support.contacts import escalation_plan, personal_contact, sent_pages


async def _incident_with(client, plan_name: str, contacts: list[str]) -> str:
    plan = await client.call(
        "CreateResponsePlan",
        {"name": plan_name, "incidentTemplate": {"title": f"{plan_name} broken", "impact": 1}, "engagements": contacts},
    )
    return (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]


def _contacts_paged(pages) -> list[str]:
    return [p["contactArn"] for p in pages]


async def test_three_stage_plan_essential_ack_in_stage_two_stops_stage_three(ready, clock):
    client, _ = ready
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    carol, _ = await personal_contact(client, "carol", [("EMAIL", "carol@example.com")])
    esc = await escalation_plan(client, "ops-escalation", [(5, [(alice, False)]), (5, [(bob, True)]), (5, [(carol, True)])])
    incident = await _incident_with(client, "payments", [esc])

    await clock.advance(seconds=1)
    assert _contacts_paged(await sent_pages(client)) == [alice]
    await clock.advance(minutes=5)
    assert _contacts_paged(await sent_pages(client)) == [alice, bob]

    bob_page = (await client.call("ListPagesByContact", {"ContactId": bob}))["Pages"][0]
    await client.call("AcceptPage", {"PageId": bob_page["PageArn"], "AcceptType": "READ", "AcceptCode": "000000"})
    await clock.advance(minutes=30)
    assert _contacts_paged(await sent_pages(client)) == [alice, bob]

    types = [e["eventType"] for e in (await client.call("ListTimelineEvents", {"incidentRecordArn": incident}))["eventSummaries"]]
    assert "SSM Contacts Engagement" in types
    assert "SSM Contacts Page" in types
    assert "SSM Contacts Page Acknowledgement" in types


async def test_non_essential_ack_does_not_stop_progression(ready, clock):
    client, _ = ready
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    esc = await escalation_plan(client, "esc", [(5, [(alice, False)]), (5, [(bob, True)])])
    await _incident_with(client, "web", [esc])
    await clock.advance(seconds=1)
    page = (await client.call("ListPagesByContact", {"ContactId": alice}))["Pages"][0]
    await client.call("AcceptPage", {"PageId": page["PageArn"], "AcceptType": "READ", "AcceptCode": "111111"})
    await clock.advance(minutes=5)
    assert _contacts_paged(await sent_pages(client)) == [alice, bob]


async def test_engagement_plan_second_channel_fires_at_minute_five(ready, clock):
    client, _ = ready
    dana, channels = await personal_contact(
        client, "dana", [("EMAIL", "dana@example.com"), ("SMS", "+14155550100")], stage_minutes=[5, 0]
    )
    await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "disk full", "Content": "db-1 disk at 99%"})
    await clock.advance(minutes=4, seconds=59)
    assert [p["channelType"] for p in await sent_pages(client)] == ["EMAIL"]
    await clock.advance(seconds=1)
    pages = await sent_pages(client)
    assert [p["channelType"] for p in pages] == ["EMAIL", "SMS"]
    assert (pages[1]["sentTime"] - pages[0]["sentTime"]).total_seconds() == 300


async def test_read_ack_stops_the_personal_plan(ready, clock):
    client, _ = ready
    dana, _ = await personal_contact(client, "dana", [("EMAIL", "dana@example.com"), ("SMS", "+14155550100")], stage_minutes=[5, 0])
    eng = (await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "s", "Content": "c"}))["EngagementArn"]
    await clock.advance(seconds=1)
    page = (await client.call("ListPagesByEngagement", {"EngagementId": eng}))["Pages"][0]
    await client.call("AcceptPage", {"PageId": page["PageArn"], "AcceptType": "READ", "AcceptCode": "123456"})
    await clock.advance(minutes=10)
    assert [p["channelType"] for p in await sent_pages(client)] == ["EMAIL"]


async def test_resolving_an_incident_stops_its_pages(ready, clock):
    client, _ = ready
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    esc = await escalation_plan(client, "esc", [(5, [(alice, True)]), (5, [(bob, True)])])
    incident = await _incident_with(client, "api", [esc])
    await clock.advance(minutes=1)
    await client.call("UpdateIncidentRecord", {"arn": incident, "status": "RESOLVED"})
    await clock.advance(hours=2)
    assert _contacts_paged(await sent_pages(client)) == [alice]
    engagements = (await client.call("ListEngagements", {"IncidentId": incident}))["Engagements"]
    assert engagements and all("StopTime" in e for e in engagements)


async def test_accept_code_enforce_rejects_a_wrong_code_and_takes_the_right_one(ready, clock):
    client, _ = ready
    dana, _ = await personal_contact(client, "dana", [("EMAIL", "dana@example.com")])
    eng = (await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "s", "Content": "c"}))["EngagementArn"]
    await clock.advance(seconds=1)
    page = (await client.call("ListPagesByEngagement", {"EngagementId": eng}))["Pages"][0]
    body = (await sent_pages(client))[0]["body"]
    code = re.search(r"(\d{6})", body).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    with pytest.raises(ValidationException) as info:
        await client.call("AcceptPage", {"PageId": page["PageArn"], "AcceptType": "READ", "AcceptCode": wrong, "AcceptCodeValidation": "ENFORCE"})
    assert info.value.fields[0]["name"] == "AcceptCode"
    assert "ReadTime" not in await client.call("DescribePage", {"PageId": page["PageArn"]})
    await client.call("AcceptPage", {"PageId": page["PageArn"], "AcceptType": "READ", "AcceptCode": code, "AcceptCodeValidation": "ENFORCE"})
    assert (await client.call("DescribePage", {"PageId": page["PageArn"]}))["ReadTime"] == clock.now()


async def test_accept_by_code_acknowledges_the_page_that_carries_it(ready, clock):
    client, _ = ready
    dana, _ = await personal_contact(client, "dana", [("EMAIL", "dana@example.com"), ("SMS", "+14155550100")], stage_minutes=[5, 0])
    eng = (await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "s", "Content": "c"}))["EngagementArn"]
    await clock.advance(seconds=1)
    code = re.search(r"(\d{6})", (await sent_pages(client))[0]["body"]).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    from core.errors import ResourceNotFoundException

    with pytest.raises(ResourceNotFoundException):
        await client.call("AcceptPageByCode", {"acceptCode": wrong})
    out = await client.call("AcceptPageByCode", {"acceptCode": code})
    page = (await client.call("ListPagesByEngagement", {"EngagementId": eng}))["Pages"][0]
    assert out["pageArn"] == page["PageArn"] and page["ReadTime"] == clock.now()
    await clock.advance(minutes=10)
    assert [p["channelType"] for p in await sent_pages(client)] == ["EMAIL"]
    audit = (await client.call("LookupAuditEvents", {"operation": "AcceptPageByCode", "result": "OK"}))["events"][0]
    assert audit["parameters"]["acceptCode"] == "***"


async def test_sms_carries_the_public_subject_and_content_not_the_private_text(ready, clock):
    client, _ = ready
    erin, _ = await personal_contact(client, "erin", [("SMS", "+14155550123")])
    await client.call("StartEngagement", {
        "ContactId": erin, "Sender": "ops", "Subject": "db-1 root password rotated badly",
        "Content": "internal: credentials in vault path secret/db-1", "PublicSubject": "Database alert",
        "PublicContent": "Open the cockpit",
    })
    await clock.advance(seconds=1)
    [sms] = await sent_pages(client)
    assert sms["shortBody"].startswith("Database alert\nOpen the cockpit\nCode ")
    assert "vault" not in sms["shortBody"] and "password" not in sms["shortBody"]
    assert len(sms["shortBody"]) <= 160
