"""Acknowledging from a phone, through a real HTTP server on 127.0.0.1: signed Twilio SMS
replies (code, STOP, START, anything else) and the voice call's <Gather> callback; unsigned,
wrongly signed and replayed requests are refused and audited."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import httpx
from twilio.request_validator import RequestValidator

from tests.paging.servers import AUTH_TOKEN
from tests.support.contacts import personal_contact

PHONE = "+15551230001"
_sids = itertools.count(1)


def _signed(url: str, form: dict[str, str], token: str = AUTH_TOKEN) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)}


async def _post(url: str, form: dict[str, str], headers: dict[str, str] | None) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(url, data=form, headers=headers or {})


def _sms(body: str, sender: str = PHONE) -> dict[str, str]:
    return {"MessageSid": f"SM{next(_sids):032d}", "From": sender, "To": "+15005550006", "Body": body}


def _reply(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return ET.fromstring(response.text).find("Message").text


async def _paged(reachable, channel_type: str):
    """A contact with one activated channel, engaged: returns (client, channel arn, sent request)."""
    client = reachable.core.client()
    contact, [channel] = await personal_contact(client, "ann", [(channel_type, PHONE)])
    await client.call("StartEngagement", {"ContactId": contact, "Sender": "ops", "Subject": "DB down",
                                          "Content": "primary is gone", "PublicSubject": "DB down",
                                          "PublicContent": "primary is gone"})
    await reachable.core.clock.advance(seconds=1)
    resource = "Messages" if channel_type == "SMS" else "Calls"
    sent = [r for r in reachable.twilio.requests if r.resource == resource]
    return client, channel, sent[-1]


async def _audit(client, operation: str) -> list[str]:
    events = (await client.call("LookupAuditEvents", {"operation": operation}))["events"]
    return [e["result"] for e in events]


async def test_sms_reply_with_the_code_acknowledges_and_bad_requests_are_refused(reachable):
    client, channel, sent = await _paged(reachable, "SMS")
    code = re.search(r"\b(\d{6})\b", sent.form["Body"]).group(1)
    url = f"{reachable.url}/callbacks/twilio/sms"
    form = _sms(f"ack {code}")

    unsigned = await _post(url, form, None)
    wrong = await _post(url, form, _signed(url, form, token="not-the-auth-token"))
    tampered = await _post(url, {**form, "From": "+15559999999"}, _signed(url, form))
    assert [r.status_code for r in (unsigned, wrong, tampered)] == [403, 403, 403]
    assert "READ" not in await _receipts(client, channel)
    assert sorted(await _audit(client, "TwilioSms")) == [
        "InvalidSignatureException", "InvalidSignatureException", "MissingAuthenticationTokenException"]

    reply = _reply(await _post(url, form, _signed(url, form)))
    assert "acknowledged" in reply.lower()
    receipts = await _receipts(client, channel)
    assert "READ" in receipts

    replay = await _post(url, form, _signed(url, form))
    assert replay.status_code == 409
    assert (await _audit(client, "TwilioSms")).count("ConflictException") == 1
    accepted = await _audit(client, "AcceptPageByCode")
    assert accepted == ["OK"]  # acknowledged once, by the phone's principal
    assert code not in repr((await client.call("LookupAuditEvents", {}))["events"])


async def _receipts(client, channel: str, of: str | None = None) -> list[str]:
    """The page's receipt types (or, given ``of``, the channel of each receipt of that type)."""
    contact = (await client.call("GetContactChannel", {"ContactChannelId": channel}))["ContactArn"]
    [page] = (await client.call("ListPagesByContact", {"ContactId": contact}))["Pages"]
    receipts = (await client.call("ListPageReceipts", {"PageId": page["PageArn"]}))["Receipts"]
    if of is not None:
        return [r.get("ContactChannelArn") for r in receipts if r["ReceiptType"] == of]
    return [r["ReceiptType"] for r in receipts]


async def test_stop_deactivates_start_sends_a_new_code_anything_else_gets_help(reachable):
    client, channel, _ = await _paged(reachable, "SMS")
    url = f"{reachable.url}/callbacks/twilio/sms"

    async def say(body: str, sender: str = PHONE) -> str:
        form = _sms(body, sender)
        return _reply(await _post(url, form, _signed(url, form)))

    assert "reply with a page's accept code" in await say("what is this?")
    assert "not a contact channel" in await say("STOP", sender="+15557654321")
    assert "will not be paged" in await say("STOP")
    status = (await client.call("GetContactChannel", {"ContactChannelId": channel}))["ActivationStatus"]
    assert status == "NOT_ACTIVATED"
    before = len(reachable.twilio.requests)
    assert "activation code is on its way" in await say("start")
    await reachable.core.clock.advance(seconds=61)
    activation = [r for r in reachable.twilio.requests[before:] if "activation code" in r.form.get("Body", "").lower()]
    assert len(activation) == 1 and activation[0].form["To"] == PHONE


async def test_pressing_1_on_the_call_acknowledges_once(reachable):
    client, channel, call = await _paged(reachable, "VOICE")
    twiml = ET.fromstring(call.form["Twiml"])
    gather = twiml.find("Gather")
    action = gather.get("action")
    assert action.startswith(f"{reachable.url}/callbacks/twilio/voice?page=")
    spoken = " ".join(t.text for t in twiml.iter("Say"))
    assert re.search(r"(\d ){5}\d", spoken), "the call reads the accept code aloud too"

    pressed_2 = {"CallSid": "CA" + "2" * 32, "To": PHONE, "Digits": "2"}
    response = await _post(action, pressed_2, _signed(action, pressed_2))
    assert "No acknowledgement" in ET.fromstring(response.text).find("Say").text
    assert "READ" not in await _receipts(client, channel)

    form = {"CallSid": "CA" + "1" * 32, "To": PHONE, "Digits": "1"}
    assert (await _post(action, form, _signed(action, form, token="wrong"))).status_code == 403
    other_page = action.split("?page=")[0] + "?page=arn%3Aaws%3Assm-contacts%3Aother"
    assert (await _post(other_page, form, _signed(action, form))).status_code == 403  # signed for another URL
    response = await _post(action, form, _signed(action, form))
    assert response.status_code == 200
    assert "Acknowledged" in ET.fromstring(response.text).find("Say").text
    assert await _receipts(client, channel, of="READ") == [channel]  # the called channel is recorded
    assert (await _post(action, form, _signed(action, form))).status_code == 409
    assert sorted(await _audit(client, "TwilioVoice")) == ["ConflictException", "InvalidSignatureException",
                                                          "InvalidSignatureException"]
