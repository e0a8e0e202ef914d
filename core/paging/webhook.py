"""WEBHOOK: a signed JSON POST to the channel's URL.

Headers:

- ``X-Cockpit-Timestamp``: unix seconds (from the caller's ``now``)
- ``X-Cockpit-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>``
- ``X-Cockpit-Delivery``: the idempotency key (the same on every retry; dedupe on it)

A receiver checks with :func:`verify_signature`, which also rejects stale or future
timestamps (replays). Errors: 408, 429, 5xx and network trouble are retryable; other 4xx and
redirects are not. URLs may carry tokens in their path or query, so logs and errors name only
the scheme and host.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from core.paging.base import DeliveryError, DeliveryResult, OutboundMessage, mask_address
from core.paging.config import WebhookConfig

log = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Cockpit-Timestamp"
SIGNATURE_HEADER = "X-Cockpit-Signature"
DELIVERY_HEADER = "X-Cockpit-Delivery"
SIGNATURE_VERSION = "v1"
USER_AGENT = "IncidentCockpit-Webhook/1"


def _secret_bytes(secret: str | bytes | SecretStr) -> bytes:
    if isinstance(secret, SecretStr):
        secret = secret.get_secret_value()
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def _body_bytes(body: str | bytes) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def sign(secret: str | bytes | SecretStr, timestamp: int | str, body: str | bytes) -> str:
    """``v1=<hex>`` for ``f"{timestamp}.{body}"``."""
    mac = hmac.new(
        _secret_bytes(secret), f"{timestamp}.".encode() + _body_bytes(body), hashlib.sha256
    )
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def verify_signature(
    secret: str | bytes | SecretStr,
    timestamp: str | int | None,
    body: str | bytes,
    signature: str | None,
    now: datetime,
    tolerance_s: int = 300,
) -> bool:
    """True when ``signature`` (``v1=<hex>``, several comma-separated allowed, as during a
    secret rotation) matches and ``timestamp`` is within ``tolerance_s`` of ``now``."""
    if timestamp is None or not signature:
        return False
    try:
        ts = int(str(timestamp).strip())
    except ValueError:
        return False
    if abs(now.timestamp() - ts) > tolerance_s:
        return False
    expected = sign(secret, ts, body)
    ok = False
    for candidate in signature.split(","):
        # compare every candidate (no early exit) in constant time
        ok |= hmac.compare_digest(candidate.strip().encode(), expected.encode())
    return ok


def webhook_payload(message: OutboundMessage, now: datetime) -> dict[str, Any]:
    """The signed JSON body. It has no accept code: a webhook is a bridge (a chat room), not the
    paged person, and the engine renders page copies for it without the code."""
    return {
        "id": message.idempotency_key,
        "type": message.kind,
        "sentAt": now.isoformat(),
        "subject": message.subject,
        "body": message.body,
        "shortBody": message.short_body,
        "incidentArn": message.incident_arn,
        "pageArn": message.page_arn,
        "ackUrl": message.ack_url,
    }


class WebhookProvider:
    name = "webhook"
    channel = "WEBHOOK"

    def __init__(
        self, config: WebhookConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._transport = transport

    async def send(self, message: OutboundMessage, now: datetime) -> DeliveryResult:
        url = message.address
        where = mask_address(url)
        if message.channel_type != "WEBHOOK":
            raise DeliveryError(
                f"the webhook provider cannot send {message.channel_type} messages",
                retryable=False,
                provider="webhook",
            )
        if not url.startswith(("http://", "https://")):
            raise DeliveryError(
                "a WEBHOOK address must be an http:// or https:// URL",
                retryable=False,
                provider="webhook",
            )
        body = json.dumps(webhook_payload(message, now), separators=(",", ":"), ensure_ascii=False)
        timestamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self.config.secret, timestamp, body),
            DELIVERY_HEADER: message.idempotency_key,
        }
        try:
            async with httpx.AsyncClient(
                timeout=self.config.timeout_seconds,
                transport=self._transport,
                follow_redirects=False,
            ) as client:
                response = await client.post(url, content=body.encode("utf-8"), headers=headers)
        except httpx.InvalidURL:
            raise DeliveryError(
                f"the WEBHOOK address {where} is not a valid URL",
                retryable=False,
                provider="webhook",
            ) from None
        except httpx.TransportError as exc:
            err = DeliveryError(
                f"could not reach the webhook at {where}: {type(exc).__name__}",
                retryable=True,
                provider="webhook",
            )
            log.warning("webhook %s failed: %s", message.idempotency_key, err.message)
            raise err from None
        status = response.status_code
        if not 200 <= status < 300:
            retryable = status in (408, 425, 429) or status >= 500
            err = DeliveryError(
                f"the webhook at {where} answered HTTP {status} {response.reason_phrase}".rstrip(),
                retryable=retryable,
                provider="webhook",
                status=status,
            )
            log.warning(
                "webhook %s failed (retryable=%s): %s",
                message.idempotency_key,
                retryable,
                err.message,
            )
            raise err
        log.info("webhook %s delivered to %s (HTTP %s)", message.idempotency_key, where, status)
        return DeliveryResult(
            provider="webhook", provider_message_id=message.idempotency_key, detail=f"HTTP {status}"
        )

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "channel": self.channel,
            "configured": True,
            "target": "each WEBHOOK channel's URL",
            "signing": "HMAC-SHA256 (X-Cockpit-Signature v1)",
        }

    def __repr__(self) -> str:
        return "WebhookProvider(signing='HMAC-SHA256')"
