"""Rate limiting per address: one page a minute, the rest bundled into one message, none
dropped."""

from __future__ import annotations

import pytest

from core import open_core
from tests.support.mail import MailSink

ADDRESS = "storm@example.com"


@pytest.fixture
async def mail_core(data_dir, clock):
    async with MailSink() as sink, open_core(data_dir, clock=clock, config={"paging": sink.paging_config()}) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        yield sink, core, client


async def _activated_contact(client, clock, sink) -> tuple[str, str]:
    contact = (await client.call("CreateContact", {"Alias": "stormy", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
    channel = (await client.call("CreateContactChannel", {
        "ContactId": contact, "Name": "mail", "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": ADDRESS}}))["ContactChannelArn"]
    await clock.advance(seconds=1)
    code = sink.to(ADDRESS)[-1].code("Activation code")
    await client.call("ActivateContactChannel", {"ContactChannelId": channel, "ActivationCode": code})
    return contact, channel


async def test_four_incidents_in_a_minute_send_one_page_then_one_bundle(mail_core, clock):
    sink, core, client = mail_core
    contact, channel = await _activated_contact(client, clock, sink)
    sink.messages.clear()
    titles = [f"Storm {i}" for i in range(4)]
    for i, title in enumerate(titles):
        plan = await client.call("CreateResponsePlan", {"name": f"storm-{i}", "engagements": [contact],
                                                         "incidentTemplate": {"title": title, "impact": 3}})
        await client.call("StartIncident", {"responsePlanArn": plan["arn"]})
        await clock.advance(seconds=10)
    # t = 40 s: the first page went out at once, three are held
    assert [m["Subject"] for m in sink.messages] == ["3 Medium incident: Storm 0"]
    held = (await client.call("ListOutboxMessages", {"status": "held"}))["messages"]
    assert len(held) == 3
    await clock.advance(seconds=19)  # t = 59 s
    assert len(sink.messages) == 1
    await clock.advance(seconds=1)  # t = 60 s: the minute since the first page is up
    assert [m["Subject"] for m in sink.messages] == ["3 Medium incident: Storm 0", "3 more incidents paged you"]
    bundle_mail = sink.messages[1]
    assert bundle_mail["X-Cockpit-Kind"] == "bundle"
    for title in titles[1:]:
        assert title in bundle_mail.text

    async with core.db.transaction() as tx:
        rows = await tx.fetchall("SELECT id, kind, status, bundle_id FROM outbox WHERE channel_arn = ? AND kind != 'activation'"
                                 " ORDER BY id", (channel,))
    pages = [r for r in rows if r["kind"] == "page"]
    [bundle] = [r for r in rows if r["kind"] == "bundle"]
    assert [r["status"] for r in pages] == ["sent", "bundled", "bundled", "bundled"]
    assert bundle["status"] == "sent"
    assert all(r["bundle_id"] == bundle["id"] for r in pages[1:])
    assert (await client.call("ListOutboxMessages", {"status": "held"}))["messages"] == []
    # each bundled page counts as sent, at the bundle's moment
    listed = (await client.call("ListPagesByContact", {"ContactId": contact}))["Pages"]
    assert len(listed) == 4
    assert [(p["SentTime"] - listed[0]["SentTime"]).total_seconds() for p in listed] == [0, 60, 60, 60]
    await clock.advance(minutes=10)
    assert len(sink.messages) == 2


async def test_a_page_after_the_bundle_waits_for_the_next_minute(mail_core, clock):
    sink, core, client = mail_core
    contact, _ = await _activated_contact(client, clock, sink)
    sink.messages.clear()
    plan = await client.call("CreateResponsePlan", {"name": "p", "engagements": [contact],
                                                     "incidentTemplate": {"title": "Again", "impact": 4}})
    for _ in range(3):
        await client.call("StartIncident", {"responsePlanArn": plan["arn"]})
    await clock.advance(seconds=60)
    assert [m["Subject"] for m in sink.messages] == ["4 Low incident: Again", "2 more incidents paged you"]
    await client.call("StartIncident", {"responsePlanArn": plan["arn"]})  # t = 60 s, just after the bundle
    await clock.advance(seconds=59)
    assert len(sink.messages) == 2
    await clock.advance(seconds=1)
    assert [m["Subject"] for m in sink.messages][2] == "4 Low incident: Again"
