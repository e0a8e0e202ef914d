"""EMAIL end to end over a real SMTP server: the activation code and the page are read from
the received mail, exactly as a responder would."""

from __future__ import annotations

import pytest

from core import open_core
from core.errors import ValidationException
from tests.support.mail import MailSink

ADDRESS = "oncall@example.com"


@pytest.fixture
async def mail_core(data_dir, clock):
    async with MailSink() as sink, open_core(data_dir, clock=clock, config={"paging": sink.paging_config()}) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        yield sink, core, client


async def test_activation_and_page_over_real_smtp(mail_core, clock):
    sink, core, client = mail_core
    contact = (await client.call("CreateContact", {"Alias": "erin", "DisplayName": "Erin", "Type": "PERSONAL",
                                                   "Plan": {"Stages": []}}))["ContactArn"]
    channel = (await client.call("CreateContactChannel", {
        "ContactId": contact, "Name": "work mail", "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": ADDRESS},
    }))["ContactChannelArn"]
    await clock.advance(seconds=1)

    [activation] = sink.to(ADDRESS)
    assert activation["X-Cockpit-Kind"] == "activation"
    assert activation["Subject"] == "Incident Cockpit activation code"
    assert activation["Message-ID"].startswith("<cockpit.")
    code = activation.code("Activation code")
    # not paged until activated
    assert (await client.call("GetContactChannel", {"ContactChannelId": channel}))["ActivationStatus"] == "NOT_ACTIVATED"
    await client.call("ActivateContactChannel", {"ContactChannelId": channel, "ActivationCode": code})
    assert (await client.call("GetContactChannel", {"ContactChannelId": channel}))["ActivationStatus"] == "ACTIVATED"

    await client.call("UpdateContact", {"ContactId": contact, "Plan": {"Stages": [
        {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel}}]}]}})
    plan = await client.call("CreateResponsePlan", {
        "name": "checkout", "engagements": [contact],
        "incidentTemplate": {"title": "Checkout p99 above 5 s", "impact": 1, "summary": "payments timing out"},
    })
    incident = (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]
    await clock.advance(seconds=1)

    pages = [m for m in sink.to(ADDRESS) if m["X-Cockpit-Kind"] == "page"]
    assert len(pages) == 1, [m["Subject"] for m in sink.messages]
    page_mail = pages[0]
    assert page_mail["Subject"] == "1 Critical incident: Checkout p99 above 5 s"
    assert "Incident: Checkout p99 above 5 s" in page_mail.text
    assert "Impact:   1 Critical" in page_mail.text
    assert page_mail["X-Cockpit-Incident"] == incident
    accept_code = page_mail.code("Accept code")

    page_arn = page_mail["X-Cockpit-Page"]
    [listed] = (await client.call("ListPagesByContact", {"ContactId": contact}))["Pages"]
    assert listed["PageArn"] == page_arn and listed["IncidentId"] == incident and "SentTime" in listed

    wrong = f"{(int(accept_code) + 1) % 10**6:06d}"
    with pytest.raises(ValidationException):
        await client.call("AcceptPage", {"PageId": page_arn, "AcceptType": "READ", "AcceptCode": wrong,
                                         "AcceptCodeValidation": "ENFORCE"})
    assert "ReadTime" not in await client.call("DescribePage", {"PageId": page_arn})
    await client.call("AcceptPage", {"PageId": page_arn, "AcceptType": "READ", "AcceptCode": accept_code,
                                     "AcceptCodeValidation": "ENFORCE"})
    assert (await client.call("DescribePage", {"PageId": page_arn}))["ReadTime"] == clock.now()
    receipts = [r["ReceiptType"] for r in (await client.call("ListPageReceipts", {"PageId": page_arn}))["Receipts"]]
    assert receipts == ["SENT", "READ"]
    [sent] = (await client.call("ListOutboxMessages", {"contactChannelArn": channel, "status": "sent"}))["messages"][:1]
    assert sent["provider"] == "smtp" and sent["providerMessageId"] == page_mail["Message-ID"]
    await clock.advance(hours=1)
    assert len(sink.to(ADDRESS)) == 2  # activation + one page; nothing more once accepted
