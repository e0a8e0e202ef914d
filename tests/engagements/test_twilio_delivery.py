"""SMS and VOICE pages through a local server speaking Twilio's REST wire format: delivery,
retries with backoff, permanent failures, and RetryIntervalInMinutes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from core import open_core
from tests.paging.servers import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.support.http_server import LocalHTTPServer

FROM = "+15005550006"
PHONE = "+14155550123"
PUBLIC_URL = "https://cockpit.example.com"


@pytest.fixture
async def twilio_core(data_dir, clock):
    fake = FakeTwilio()
    async with LocalHTTPServer(fake.app) as server:
        paging = {"public_url": PUBLIC_URL, "twilio": {
            "account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "from_number": FROM, "base_url": server.url}}
        async with open_core(data_dir, clock=clock, config={"paging": paging}) as core:
            client = core.client()
            await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
            yield fake, core, client


def _code_from_wire(request) -> str:
    """The activation code as the phone receives it: SMS text, or the spoken TwiML digits."""
    if request.resource == "Messages":
        return re.search(r"\b(\d{6})\b", request.form["Body"]).group(1)
    said = ET.fromstring(request.form["Twiml"]).find("Say").text
    return re.search(r"activation code is ([\d ]+)\.", said).group(1).replace(" ", "")


async def _phone_contact(client, clock, fake, kind: str, retry_minutes: int | None = None) -> tuple[str, str]:
    contact = (await client.call("CreateContact", {"Alias": f"pat-{kind.lower()}", "Type": "PERSONAL",
                                                   "Plan": {"Stages": []}}))["ContactArn"]
    channel = (await client.call("CreateContactChannel", {
        "ContactId": contact, "Name": kind.lower(), "Type": kind, "DeliveryAddress": {"SimpleAddress": PHONE}}))["ContactChannelArn"]
    before = len(fake.requests)
    await clock.advance(seconds=1)
    [activation] = fake.requests[before:]
    assert activation.resource == ("Messages" if kind == "SMS" else "Calls")
    await client.call("ActivateContactChannel", {"ContactChannelId": channel, "ActivationCode": _code_from_wire(activation)})
    target = {"ContactChannelId": channel}
    if retry_minutes is not None:
        target["RetryIntervalInMinutes"] = retry_minutes
    await client.call("UpdateContact", {"ContactId": contact, "Plan": {"Stages": [
        {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": target}]}]}})
    return contact, channel


async def _incident(client, contact: str, title: str = "Search index stale") -> str:
    plan = await client.call("CreateResponsePlan", {"name": f"plan-{contact[-6:]}", "engagements": [contact],
                                                     "incidentTemplate": {"title": title, "impact": 2}})
    return (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]


async def _page(client, contact: str) -> str:
    [page] = (await client.call("ListPagesByContact", {"ContactId": contact}))["Pages"]
    return page["PageArn"]


async def _receipts(client, page: str) -> list[str]:
    return [r["ReceiptType"] for r in (await client.call("ListPageReceipts", {"PageId": page}))["Receipts"]]


async def _outbox(client, channel: str) -> dict:
    messages = (await client.call("ListOutboxMessages", {"contactChannelArn": channel}))["messages"]
    [page] = [m for m in messages if m["kind"] == "page"]
    return page


async def test_sms_page_is_delivered_in_twilio_wire_format(twilio_core, clock):
    fake, core, client = twilio_core
    contact, channel = await _phone_contact(client, clock, fake, "SMS")
    await _incident(client, contact)
    await clock.advance(seconds=1)
    request = fake.requests[-1]
    assert request.resource == "Messages" and request.account_sid == ACCOUNT_SID
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert request.form["To"] == PHONE and request.form["From"] == FROM
    body = request.form["Body"]
    assert "2 High" in body and "Search index stale" in body and len(body) <= 160
    page = await _page(client, contact)
    assert await _receipts(client, page) == ["SENT"]
    sent = await _outbox(client, channel)
    assert sent["status"] == "sent" and sent["attempts"] == 1 and sent["providerMessageId"].startswith("SM")
    assert request.headers["i-twilio-idempotency-token"] == sent["messageId"]


async def test_voice_page_gathers_a_digit(twilio_core, clock):
    fake, core, client = twilio_core
    contact, channel = await _phone_contact(client, clock, fake, "VOICE")
    await _incident(client, contact, title="Queue backlog growing")
    await clock.advance(seconds=1)
    request = fake.requests[-1]
    assert request.resource == "Calls" and request.form["To"] == PHONE
    twiml = ET.fromstring(request.form["Twiml"])
    gather = twiml.find("Gather")
    assert gather is not None, request.form["Twiml"]
    assert gather.get("numDigits") == "1" and gather.get("method") == "POST"
    action = urlsplit(gather.get("action"))
    page = await _page(client, contact)
    assert f"{action.scheme}://{action.netloc}" == PUBLIC_URL and parse_qs(action.query)["page"] == [page]
    said = gather.find("Say").text
    assert "Queue backlog growing" in said and "Press 1 to acknowledge" in said
    assert (await _outbox(client, channel))["providerMessageId"].startswith("CA")


async def test_server_error_is_retried_with_backoff_then_sent(twilio_core, clock):
    fake, core, client = twilio_core
    contact, channel = await _phone_contact(client, clock, fake, "SMS")
    fake.fail_next(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
    await _incident(client, contact)
    before = len(fake.requests)
    await clock.advance(seconds=1)
    assert len(fake.requests) == before + 1
    page = await _page(client, contact)
    assert await _receipts(client, page) == ["ERROR"]
    pending = await _outbox(client, channel)
    assert pending["status"] == "pending" and pending["attempts"] == 1 and "HTTP 500" in pending["lastError"]

    await clock.advance(seconds=13)  # the first backoff is 15 s
    assert len(fake.requests) == before + 1
    await clock.advance(seconds=1)
    assert len(fake.requests) == before + 2
    assert fake.requests[-1].headers["i-twilio-idempotency-token"] == fake.requests[-2].headers["i-twilio-idempotency-token"]
    assert await _receipts(client, page) == ["ERROR", "SENT"]
    sent = await _outbox(client, channel)
    assert sent["status"] == "sent" and sent["attempts"] == 2 and "lastError" not in sent
    assert (sent["sentTime"] - sent["createdTime"]).total_seconds() == 15
    await clock.advance(hours=1)
    assert len(fake.requests) == before + 2


async def test_bad_number_fails_without_retry(twilio_core, clock):
    fake, core, client = twilio_core
    contact, channel = await _phone_contact(client, clock, fake, "SMS")
    fake.fail_next(400, {"code": 21211, "message": f"The 'To' number {PHONE} is not a valid phone number.",
                         "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})
    await _incident(client, contact)
    before = len(fake.requests)
    await clock.advance(hours=2)
    assert len(fake.requests) == before + 1
    failed = await _outbox(client, channel)
    assert failed["status"] == "failed" and failed["attempts"] == 1 and "21211" in failed["lastError"]
    assert await _receipts(client, await _page(client, contact)) == ["ERROR"]
    listed = (await client.call("ListOutboxMessages", {"status": "failed"}))["messages"]
    assert [m["messageId"] for m in listed] == [failed["messageId"]]


async def test_retry_interval_in_minutes_sets_when_the_retry_happens(twilio_core, clock):
    fake, core, client = twilio_core
    contact, channel = await _phone_contact(client, clock, fake, "SMS", retry_minutes=3)
    fake.fail_next(503, {"code": 20503, "message": "Service Unavailable", "status": 503})
    await _incident(client, contact)
    before = len(fake.requests)
    await clock.advance(seconds=1)
    assert len(fake.requests) == before + 1
    await clock.advance(minutes=2, seconds=58)
    assert len(fake.requests) == before + 1
    await clock.advance(seconds=1)
    assert len(fake.requests) == before + 2
    sent = await _outbox(client, channel)
    assert sent["status"] == "sent" and (sent["sentTime"] - sent["createdTime"]).total_seconds() == 180
