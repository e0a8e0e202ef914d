"""SMS and VOICE through Twilio's REST API (2010-04-01), over httpx.

- SMS: ``POST {base_url}/2010-04-01/Accounts/{AccountSid}/Messages.json`` (To, From, Body).
- VOICE: ``POST .../Calls.json`` (To, From, Twiml); the TwiML reads the page and, when the
  message has a ``voice_callback_url``, gathers one digit ("Press 1 to acknowledge") and posts
  it there.

Both use HTTP basic auth (AccountSid, AuthToken) and carry the idempotency key in
``I-Twilio-Idempotency-Token``. Errors: 429, 5xx and network trouble are retryable; any other
4xx (a bad number, rejected credentials) is not.
"""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

import httpx

from core.paging.base import DeliveryError, DeliveryResult, OutboundMessage, mask_address
from core.paging.config import E164_RE, TwilioConfig

log = logging.getLogger(__name__)

API_VERSION = "2010-04-01"
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
TWIML_MAX = 4000  # Twilio's limit for the Twiml parameter
_URL_RE = re.compile(r"https?://\S+")


def validate_e164(number: str) -> str:
    if not E164_RE.match(number or ""):
        raise DeliveryError(
            f"{number!r} is not an E.164 phone number: use '+', the country code and the "
            "number, digits only, e.g. +15551234567",
            retryable=False,
            provider="twilio",
            code="InvalidE164",
        )
    return number


def _spell(code: str) -> str:
    """Digits spoken one at a time: ``1 2 3 4 5 6``."""
    return " ".join(ch for ch in code if not ch.isspace())


def voice_script(message: OutboundMessage) -> str:
    """What the call says before the "Press 1" prompt."""
    if message.kind == "activation" and message.accept_code:
        spelled = _spell(message.accept_code)
        return (
            f"This is Incident Cockpit. Your activation code is {spelled}. "
            f"Again, your activation code is {spelled}."
        )
    text = " ".join(_URL_RE.sub("", message.subject).split())
    script = f"This is Incident Cockpit. {text.rstrip('.')}."
    if message.accept_code:  # read even when a digit can be pressed: the callee may accept elsewhere
        script += f" Your accept code is {_spell(message.accept_code)}."
    return script


def build_twiml(message: OutboundMessage) -> str:
    """``<Response><Gather ...><Say>...</Say></Gather><Say>No input...</Say></Response>``."""
    script = voice_script(message)
    for _ in range(2):
        root = ET.Element("Response")
        if message.voice_callback_url and message.kind != "activation":
            gather = ET.SubElement(
                root,
                "Gather",
                {"numDigits": "1", "action": message.voice_callback_url, "method": "POST"},
            )
            ET.SubElement(gather, "Say").text = f"{script} Press 1 to acknowledge."
            ET.SubElement(root, "Say").text = "No input received. Goodbye."
        else:
            ET.SubElement(root, "Say").text = script
        twiml = ET.tostring(root, encoding="unicode", short_empty_elements=True)
        if len(twiml) <= TWIML_MAX:
            return twiml
        script = script[: max(200, len(script) - (len(twiml) - TWIML_MAX) - 10)] + "..."
    return twiml


def _parse_json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _error_from_response(response: httpx.Response, what: str) -> DeliveryError:
    data = _parse_json(response)
    status = response.status_code
    code = data.get("code")
    text = data.get("message") or response.reason_phrase or "error"
    more = data.get("more_info")
    retryable = status == 429 or status >= 500
    msg = f"Twilio rejected the {what} (HTTP {status}"
    msg += f", error {code}): {text}" if code is not None else f"): {text}"
    if more:
        msg += f" ({more})"
    return DeliveryError(msg, retryable=retryable, provider="twilio", code=code, status=status)


class TwilioProvider:
    name = "twilio"

    def __init__(
        self,
        config: TwilioConfig,
        channel: str = "SMS",
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if channel not in ("SMS", "VOICE"):
            raise ValueError(f"Twilio sends SMS or VOICE, not {channel}")
        self.config = config
        self.channel = channel
        self._transport = transport

    def _url(self, resource: str) -> str:
        cfg = self.config
        return f"{cfg.base_url}/{API_VERSION}/Accounts/{cfg.account_sid}/{resource}.json"

    async def send(self, message: OutboundMessage, now: datetime) -> DeliveryResult:
        if message.channel_type == "SMS":
            what, resource = "SMS", "Messages"
        elif message.channel_type == "VOICE":
            what, resource = "call", "Calls"
        else:
            raise DeliveryError(
                f"the Twilio provider cannot send {message.channel_type} messages",
                retryable=False,
                provider="twilio",
            )
        to = validate_e164(message.address)
        form = {"To": to, "From": self.config.from_number}
        if resource == "Messages":
            form["Body"] = message.short_body
        else:
            form["Twiml"] = build_twiml(message)
        data = await self._post(resource, form, message, what)
        sid = data.get("sid")
        status = data.get("status", "")
        log.info(
            "Twilio %s %s to %s accepted as %s (%s)",
            what,
            message.idempotency_key,
            mask_address(to),
            sid,
            status,
        )
        detail = f"status={status}" if status else ""
        if data.get("num_segments"):
            detail += f" segments={data['num_segments']}"
        return DeliveryResult(provider="twilio", provider_message_id=sid, detail=detail.strip())

    async def _post(
        self, resource: str, form: dict[str, str], message: OutboundMessage, what: str
    ) -> dict[str, Any]:
        cfg = self.config
        headers = {IDEMPOTENCY_HEADER: message.idempotency_key, "Accept": "application/json"}
        auth = httpx.BasicAuth(cfg.account_sid, cfg.auth_token.get_secret_value())
        try:
            async with httpx.AsyncClient(
                timeout=cfg.timeout_seconds, transport=self._transport, follow_redirects=False
            ) as client:
                response = await client.post(
                    self._url(resource), data=form, headers=headers, auth=auth
                )
        except httpx.TransportError as exc:
            err = DeliveryError(
                f"could not reach Twilio at {cfg.base_url}: {type(exc).__name__}: {exc}",
                retryable=True,
                provider="twilio",
            )
            log.warning("Twilio %s %s failed: %s", what, message.idempotency_key, err.message)
            raise err from None
        if response.status_code >= 300:
            err = _error_from_response(response, what)
            log.warning(
                "Twilio %s %s failed (retryable=%s): %s",
                what,
                message.idempotency_key,
                err.retryable,
                err.message,
            )
            raise err
        data = _parse_json(response)
        if not data.get("sid"):
            raise DeliveryError(
                f"Twilio answered HTTP {response.status_code} without a sid",
                retryable=True,
                provider="twilio",
                status=response.status_code,
            )
        return data

    def describe(self) -> dict[str, Any]:
        cfg = self.config
        return {
            "name": self.name,
            "channel": self.channel,
            "configured": True,
            "target": cfg.base_url,
            "account_sid": f"{cfg.account_sid[:6]}…{cfg.account_sid[-4:]}",
            "from": cfg.from_number,
        }

    def __repr__(self) -> str:
        return (
            f"TwilioProvider(channel={self.channel!r}, base_url={self.config.base_url!r}, "
            f"from_number={self.config.from_number!r})"
        )
