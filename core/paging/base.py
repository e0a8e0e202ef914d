"""What every delivery provider shares: the message, the result, the error, the protocol.

The pager outbox (``core.engine``) builds an :class:`OutboundMessage`, picks the provider for
its ``channel_type`` and awaits ``send``. A provider either returns a :class:`DeliveryResult`
(the message left our hands) or raises :class:`DeliveryError` whose ``retryable`` flag says
whether the same message, with the same ``idempotency_key``, may be sent again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

CHANNEL_TYPES = ("EMAIL", "SMS", "VOICE", "WEBHOOK")


@dataclass(frozen=True)
class OutboundMessage:
    idempotency_key: (
        str  # stable across retries: SMTP Message-ID, Twilio idempotency token, webhook id
    )
    channel_type: str  # "EMAIL" | "SMS" | "VOICE" | "WEBHOOK"
    address: str  # email address, E.164 number, or URL
    kind: str  # "page" | "activation" | "bundle"
    subject: str  # full subject (email) / PublicSubject
    body: str  # full text (email)
    short_body: str  # SMS text / PublicContent, <= 160 GSM-7 chars when possible
    accept_code: str | None = (
        None  # the page's accept code; for kind="activation", the activation code
    )
    incident_arn: str | None = None
    page_arn: str | None = None
    ack_url: str | None = None  # how to acknowledge over HTTP, if the server is configured
    voice_callback_url: str | None = None  # TwiML <Gather action=...> target for VOICE


@dataclass(frozen=True)
class DeliveryResult:
    provider: str  # "smtp" | "twilio" | "webhook" | "local"
    provider_message_id: str | None
    detail: str = ""


class DeliveryError(Exception):
    """A send failed. The message is safe to log and store: it never holds a secret.

    ``retryable`` is the only thing the outbox needs: True for transient trouble (network,
    timeouts, 429, 5xx, SMTP 4xx), False when sending the same message again cannot succeed
    (bad address, rejected credentials, SMTP 5xx, HTTP 4xx). ``code`` is the provider's own
    error code when it gave one (Twilio ``21211``, SMTP ``550``), ``status`` the HTTP status.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        provider: str = "",
        code: str | int | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.provider = provider
        self.code = code
        self.status = status

    def __repr__(self) -> str:
        return (
            f"DeliveryError({self.message!r}, retryable={self.retryable}, "
            f"provider={self.provider!r}, code={self.code!r}, status={self.status!r})"
        )


@runtime_checkable
class Provider(Protocol):
    name: str

    async def send(self, message: OutboundMessage, now: datetime) -> DeliveryResult: ...

    def describe(self) -> dict[str, Any]:
        """Status for the Settings screen: name, channel, configured target; never secrets."""
        ...


def mask_address(address: str) -> str:
    """Shorten an address for logs: ``+1555***4567``, ``a***@example.com``, ``https://host/…``."""
    if address.startswith("+") and len(address) > 8:
        return f"{address[:5]}***{address[-4:]}"
    if "@" in address and "://" not in address:
        local, _, domain = address.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if "://" in address:
        scheme, _, rest = address.partition("://")
        host = rest.split("/", 1)[0].rsplit("@", 1)[-1].split("?", 1)[0]
        return f"{scheme}://{host}/…"
    return "***"
