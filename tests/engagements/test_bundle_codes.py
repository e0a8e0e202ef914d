"""A bundle (pages held by the rate limit, sent as one message) lists every incident with its own
accept code and link, so a person paged three times can acknowledge all three; the bundle is
stored sealed, like every message that carries a usable code. Real SMTP, fake time."""

from __future__ import annotations

import re

import pytest

from core import open_core
from tests.support.mail import MailSink

ADDRESS = "storm@example.com"
PUBLIC_URL = "https://cockpit.example.com"


@pytest.fixture
async def mail_core(data_dir, clock):
    async with MailSink() as sink:
        paging = {**sink.paging_config(), "public_url": PUBLIC_URL}
        async with open_core(data_dir, clock=clock, config={"paging": paging}) as core:
            client = core.client()
            await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
            yield sink, core, client


async def test_a_bundle_carries_each_incidents_code_and_link(mail_core, clock):
    sink, core, client = mail_core
    contact = (await client.call("CreateContact", {"Alias": "stormy", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
    channel = (await client.call("CreateContactChannel", {
        "ContactId": contact, "Name": "mail", "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": ADDRESS}}))["ContactChannelArn"]
    await clock.advance(seconds=1)
    await client.call("ActivateContactChannel", {"ContactChannelId": channel,
                                                 "ActivationCode": sink.to(ADDRESS)[-1].code("Activation code")})
    sink.messages.clear()
    incidents = []
    for i in range(4):
        plan = await client.call("CreateResponsePlan", {"name": f"storm-{i}", "engagements": [contact],
                                                         "incidentTemplate": {"title": f"Storm {i}", "impact": 3}})
        incidents.append((await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"])
        await clock.advance(seconds=10)
    await clock.advance(seconds=20)  # the minute is up: the three held pages go as one bundle
    bundle = sink.messages[1]
    assert bundle["X-Cockpit-Kind"] == "bundle"
    text = bundle.text.replace("\r\n", "\n")
    entries = re.findall(r"\d\. 3 Medium incident: (Storm \d)\n   Accept code: (\d{6})\n   Link: (\S+)", text)
    assert [title for title, _, _ in entries] == ["Storm 1", "Storm 2", "Storm 3"], text
    for (_title, _code, link), incident in zip(entries, incidents[1:], strict=True):
        assert link.startswith(PUBLIC_URL + "/incidents/") and link.endswith(incident.rsplit("/", 1)[-1]), link
    assert len({code for _, code, _ in entries}) == 3  # one code per incident

    async with core.db.transaction() as tx:
        row = await tx.fetchone("SELECT body, sealed FROM outbox WHERE kind = 'bundle'")
    assert row["sealed"] == 1 and not any(code in row["body"] for _, code, _ in entries)

    for (title, code, _), incident in zip(entries, incidents[1:], strict=True):
        out = await client.call("AcceptPageByCode", {"acceptCode": code})
        assert out["incidentId"] == incident, title
