from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from core.paging.base import DeliveryError, OutboundMessage
from core.paging.config import WebhookConfig
from core.paging.webhook import WebhookProvider, sign, verify_signature
from tests.paging.servers import SECRETS, WEBHOOK_SECRET
from tests.support.http_server import refused_port


def hook(url: str, key: str = "page-9") -> OutboundMessage:
    return OutboundMessage(
        idempotency_key=key,
        channel_type="WEBHOOK",
        address=url,
        kind="page",
        subject="1 Critical incident: DB down",
        body="full text",
        short_body="Cockpit 1 Critical: DB down\nCode 123456",
        accept_code="123456",
        incident_arn="arn:aws:ssm-incidents::111122223333:incident-record/db/1",
        page_arn="arn:aws:ssm-contacts:local:111122223333:page/bob/1",
        ack_url="https://cockpit.example.com/ack/x",
    )


def provider(secret: str = WEBHOOK_SECRET) -> WebhookProvider:
    return WebhookProvider(WebhookConfig(secret=secret, timeout_seconds=5))


async def test_signed_delivery_is_verified_by_the_receiver(webhook_receiver, now):
    result = await provider().send(hook(webhook_receiver.url + "/hooks/ops"), now)
    assert webhook_receiver.received.is_set()
    [delivery] = webhook_receiver.deliveries
    assert delivery.verified
    assert result.provider == "webhook" and result.provider_message_id == "page-9"
    assert result.detail == "HTTP 204"
    h = delivery.headers
    assert h["x-cockpit-timestamp"] == str(int(now.timestamp()))
    assert h["x-cockpit-delivery"] == "page-9"
    assert h["x-cockpit-signature"] == sign(WEBHOOK_SECRET, h["x-cockpit-timestamp"], delivery.body)
    assert h["content-type"].startswith("application/json")
    payload = json.loads(delivery.body)
    assert payload["id"] == "page-9" and payload["type"] == "page"
    assert "acceptCode" not in payload
    assert payload["pageArn"].endswith("page/bob/1")
    assert payload["sentAt"] == now.isoformat()


async def test_replayed_delivery_with_an_old_timestamp_is_rejected(webhook_receiver, now):
    webhook_receiver.receiver_now = now + dt.timedelta(minutes=10)
    with pytest.raises(DeliveryError) as info:
        await provider().send(hook(webhook_receiver.url + "/hooks/ops"), now)
    assert webhook_receiver.deliveries[0].verified is False
    assert info.value.status == 401 and info.value.retryable is False


async def test_wrong_secret_is_rejected(webhook_receiver, now):
    with pytest.raises(DeliveryError):
        await provider("another-secret-0123456789").send(
            hook(webhook_receiver.url + "/hooks/a"), now
        )
    assert webhook_receiver.deliveries[0].verified is False


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(503, True), (500, True), (429, True), (408, True), (404, False), (400, False), (301, False)],
)
async def test_status_codes_map_to_retryability(webhook_receiver, now, status, retryable):
    webhook_receiver.status_override = status
    with pytest.raises(DeliveryError) as info:
        await provider().send(hook(webhook_receiver.url + "/hooks/x"), now)
    assert info.value.retryable is retryable and info.value.status == status


async def test_unreachable_receiver_is_retryable_and_url_tokens_stay_out_of_errors(now, caplog):
    caplog.set_level(logging.DEBUG)
    with refused_port() as port:
        url = f"http://127.0.0.1:{port}/services/T000/B000/url-token-SECRET?key=query-SECRET"
        with pytest.raises(DeliveryError) as info:
            await provider().send(hook(url), now)
    assert info.value.retryable is True
    for text in (str(info.value), caplog.text):
        assert "SECRET" not in text
        for secret in SECRETS:
            assert secret not in text


async def test_non_http_address_is_not_retryable(now):
    with pytest.raises(DeliveryError) as info:
        await provider().send(hook("ftp://example.com/x"), now)
    assert info.value.retryable is False


# ---------------------------------------------------------------- verify_signature


NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TS = int(NOW.timestamp())
BODY = '{"id":"page-1"}'


def test_verify_accepts_str_or_bytes_and_int_or_str_timestamp():
    sig = sign(WEBHOOK_SECRET, TS, BODY)
    assert sig.startswith("v1=") and len(sig) == 3 + 64
    assert verify_signature(WEBHOOK_SECRET, TS, BODY, sig, NOW)
    assert verify_signature(WEBHOOK_SECRET.encode(), str(TS), BODY.encode(), sig, NOW)


@pytest.mark.parametrize(
    ("secret", "ts", "body", "now_shift", "tolerance"),
    [
        ("other-secret-abcdefgh", TS, BODY, 0, 300),  # wrong secret
        (WEBHOOK_SECRET, TS, BODY + " ", 0, 300),  # tampered body
        (WEBHOOK_SECRET, TS + 1, BODY, 0, 300),  # tampered timestamp
        (WEBHOOK_SECRET, TS, BODY, 301, 300),  # stale: a replay
        (WEBHOOK_SECRET, TS, BODY, -301, 300),  # from the future
        (WEBHOOK_SECRET, TS, BODY, 61, 60),  # tighter tolerance
    ],
)
def test_verify_rejects(secret, ts, body, now_shift, tolerance):
    sig = sign(WEBHOOK_SECRET, TS, BODY)
    when = NOW + dt.timedelta(seconds=now_shift)
    assert not verify_signature(secret, ts, body, sig, when, tolerance_s=tolerance)


def test_verify_within_tolerance_and_with_several_signatures():
    sig = sign(WEBHOOK_SECRET, TS, BODY)
    assert verify_signature(WEBHOOK_SECRET, TS, BODY, sig, NOW + dt.timedelta(seconds=300))
    assert verify_signature(WEBHOOK_SECRET, TS, BODY, f"v1=deadbeef, {sig}", NOW)


@pytest.mark.parametrize(
    ("ts", "sig"), [(None, "v1=00"), ("abc", "v1=00"), (TS, None), (TS, ""), (TS, "v0=00")]
)
def test_verify_rejects_malformed_headers(ts, sig):
    assert not verify_signature(WEBHOOK_SECRET, ts, BODY, sig, NOW)
