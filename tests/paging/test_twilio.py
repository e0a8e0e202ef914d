from __future__ import annotations

import asyncio
import base64
import logging
import xml.etree.ElementTree as ET

import pytest

from core.paging.base import DeliveryError, OutboundMessage
from core.paging.config import TwilioConfig
from core.paging.render import fits_one_segment, render_activation_email, render_page_email
from core.paging.twilio import IDEMPOTENCY_HEADER, TwilioProvider, build_twiml
from tests.paging.servers import ACCOUNT_SID, AUTH_TOKEN, SECRETS
from tests.support.http_server import refused_port

FROM = "+15005550006"
TO = "+15551234567"
CALLBACK = "https://cockpit.example.com/voice/ack?page=p1&sig=abc"


def config(base_url: str, token: str = AUTH_TOKEN) -> TwilioConfig:
    return TwilioConfig(
        account_sid=ACCOUNT_SID,
        auth_token=token,
        from_number=FROM,
        base_url=base_url,
        timeout_seconds=5,
    )


def page(channel: str = "SMS", to: str = TO, key: str = "page-7", **extra) -> OutboundMessage:
    text = render_page_email(
        title='Payments <EU> "card auth" failing & retries piling up',
        impact=2,
        accept_code="715004",
        ack_url="https://cockpit.example.com/ack/t0k",
    )
    fields = dict(
        idempotency_key=key,
        channel_type=channel,
        address=to,
        kind="page",
        subject=text.subject,
        body=text.body,
        short_body=text.short_body,
        accept_code="715004",
        ack_url="https://cockpit.example.com/ack/t0k",
    )
    fields.update(extra)
    return OutboundMessage(**fields)


async def test_sms_is_posted_form_encoded_with_basic_auth(fake_twilio, now):
    prov = TwilioProvider(config(fake_twilio.url), channel="SMS")
    msg = page()
    result = await prov.send(msg, now)
    await asyncio.wait_for(fake_twilio.received.wait(), 5)

    assert result.provider == "twilio"
    assert result.provider_message_id.startswith("SM") and len(result.provider_message_id) == 34
    assert "status=queued" in result.detail
    [req] = fake_twilio.requests
    assert req.resource == "Messages" and req.account_sid == ACCOUNT_SID
    assert req.form == {"To": TO, "From": FROM, "Body": msg.short_body}
    assert req.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert req.headers[IDEMPOTENCY_HEADER.lower()] == "page-7"
    user, _, password = base64.b64decode(req.headers["authorization"][6:]).decode().partition(":")
    assert (user, password) == (ACCOUNT_SID, AUTH_TOKEN)
    assert fits_one_segment(req.form["Body"])
    assert "715004" in req.form["Body"]


async def test_voice_call_carries_twiml_that_gathers_one_digit(fake_twilio, now):
    prov = TwilioProvider(config(fake_twilio.url), channel="VOICE")
    msg = page("VOICE", voice_callback_url=CALLBACK)
    result = await prov.send(msg, now)

    assert result.provider_message_id.startswith("CA")
    [req] = fake_twilio.requests
    assert req.resource == "Calls"
    assert set(req.form) == {"To", "From", "Twiml"}
    root = ET.fromstring(req.form["Twiml"])
    assert root.tag == "Response"
    gather, goodbye = list(root)
    assert gather.tag == "Gather"
    assert gather.attrib == {"numDigits": "1", "action": CALLBACK, "method": "POST"}
    [say] = list(gather)
    assert say.tag == "Say"
    assert 'Payments <EU> "card auth" failing & retries piling up' in say.text
    assert "2 High" in say.text
    assert say.text.endswith("Your accept code is 7 1 5 0 0 4. Press 1 to acknowledge.")
    assert goodbye.tag == "Say" and goodbye.text == "No input received. Goodbye."
    assert "&amp;" in req.form["Twiml"] and "&lt;EU&gt;" in req.form["Twiml"]


def test_voice_without_a_callback_reads_the_accept_code():
    root = ET.fromstring(build_twiml(page("VOICE")))
    assert [el.tag for el in root] == ["Say"]
    assert "Your accept code is 7 1 5 0 0 4." in root[0].text
    assert "http" not in root[0].text


def test_voice_activation_spells_the_code_twice_without_gather():
    text = render_activation_email(activation_code="309148")
    msg = OutboundMessage(
        idempotency_key="act-1",
        channel_type="VOICE",
        address=TO,
        kind="activation",
        subject=text.subject,
        body=text.body,
        short_body=text.short_body,
        accept_code="309148",
        voice_callback_url=CALLBACK,
    )
    root = ET.fromstring(build_twiml(msg))
    assert [el.tag for el in root] == ["Say"]
    assert root[0].text.count("3 0 9 1 4 8") == 2


async def test_invalid_number_error_is_parsed_and_not_retryable(fake_twilio, now, caplog):
    caplog.set_level(logging.DEBUG)
    prov = TwilioProvider(config(fake_twilio.url))
    with pytest.raises(DeliveryError) as info:
        await prov.send(page(to="+15005550001"), now)
    err = info.value
    assert err.retryable is False
    assert err.code == 21211 and err.status == 400
    assert "The 'To' number +15005550001 is not a valid phone number." in str(err)
    assert "https://www.twilio.com/docs/errors/21211" in str(err)
    assert "retryable=False" in caplog.text


async def test_sms_to_a_landline_is_not_retryable(fake_twilio, now):
    with pytest.raises(DeliveryError) as info:
        await TwilioProvider(config(fake_twilio.url)).send(page(to="+15005550009"), now)
    assert (info.value.code, info.value.retryable) == (21614, False)


async def test_wrong_credentials_are_not_retryable_and_never_echo_the_token(
    fake_twilio, now, caplog
):
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-" + AUTH_TOKEN
    prov = TwilioProvider(config(fake_twilio.url, token=wrong))
    with pytest.raises(DeliveryError) as info:
        await prov.send(page(), now)
    assert (info.value.status, info.value.code, info.value.retryable) == (401, 20003, False)
    for text in (str(info.value), repr(info.value), caplog.text, repr(prov), str(prov.describe())):
        for secret in (*SECRETS, wrong):
            assert secret not in text


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            429,
            {
                "code": 20429,
                "message": "Too Many Requests",
                "more_info": "https://www.twilio.com/docs/errors/20429",
                "status": 429,
            },
        ),
        (
            500,
            {
                "code": 20500,
                "message": "Internal Server Error",
                "more_info": "https://www.twilio.com/docs/errors/20500",
                "status": 500,
            },
        ),
        (503, "<html>Service Unavailable</html>"),
    ],
)
async def test_throttling_and_server_errors_are_retryable(fake_twilio, now, status, body):
    fake_twilio.fail_next(status, body)
    with pytest.raises(DeliveryError) as info:
        await TwilioProvider(config(fake_twilio.url)).send(page(), now)
    assert info.value.retryable is True
    assert info.value.status == status


async def test_retry_sends_the_same_idempotency_token(fake_twilio, now):
    fake_twilio.fail_next(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
    prov = TwilioProvider(config(fake_twilio.url))
    with pytest.raises(DeliveryError):
        await prov.send(page(key="page-retry"), now)
    await prov.send(page(key="page-retry"), now)
    tokens = [r.headers[IDEMPOTENCY_HEADER.lower()] for r in fake_twilio.requests]
    assert tokens == ["page-retry", "page-retry"]


async def test_unreachable_twilio_is_retryable(now):
    with refused_port() as port:
        prov = TwilioProvider(config(f"http://127.0.0.1:{port}"))
        with pytest.raises(DeliveryError) as info:
            await prov.send(page(), now)
    assert info.value.retryable is True


@pytest.mark.parametrize(
    "bad", ["5551234567", "+05551234567", "+1 555 123 4567", "+1234567890123456", ""]
)
async def test_numbers_must_be_e164(fake_twilio, now, bad):
    with pytest.raises(DeliveryError) as info:
        await TwilioProvider(config(fake_twilio.url)).send(page(to=bad), now)
    assert info.value.retryable is False
    assert "E.164" in str(info.value)
    assert fake_twilio.requests == []


async def test_wrong_channel_type_is_refused(fake_twilio, now):
    with pytest.raises(DeliveryError) as info:
        await TwilioProvider(config(fake_twilio.url)).send(page("EMAIL"), now)
    assert info.value.retryable is False


def test_long_script_keeps_twiml_under_twilios_limit():
    msg = page("VOICE", subject="x" * 5000, voice_callback_url=CALLBACK)
    twiml = build_twiml(msg)
    assert len(twiml) <= 4000
    ET.fromstring(twiml)
