"""What every intake route checks before a payload is accepted, and how it refuses.

The token (a bearer header, ``?token=`` for SNS, or Opsgenie's ``GenieKey``), the content
type, the size (256 KiB) and the JSON. A refusal is a clear 4xx, never a 500: it is counted
in ``/metrics`` (``cockpit_intake_payloads{outcome=<code>}``), audited (never with the token
or the body), and starts nothing. Wrong tokens (and unknown integrations) from one address are
counted over a minute of the core's clock; past ``intake.wrong_tokens_per_minute`` that
address gets 429 until the minute has passed.
"""

from __future__ import annotations

import json
from collections import deque
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from starlette.requests import Request

from core.errors import ServiceError, ThrottlingException
from core.server.framing import body_of, source_ip
from core.server.outside_callers import anonymous, audit_refusal

if TYPE_CHECKING:
    from core.ops.integrations import Integration
    from core.runtime import Core
    from core.server.metrics import ServerMetrics

MAX_PAYLOAD = 256 * 1024
WINDOW_S = 60.0


class UnsupportedMediaTypeException(ServiceError):
    code = "UnsupportedMediaTypeException"
    http_status = 415


class PayloadTooLargeException(ServiceError):
    code = "RequestEntityTooLargeException"
    http_status = 413


class InvalidPayloadException(ServiceError):
    """The body is not JSON, or not its integration type's format."""

    code = "InvalidPayloadException"
    http_status = 400


class InvalidTokenException(ServiceError):
    code = "InvalidTokenException"
    http_status = 401


class UnknownIntegrationException(ServiceError):
    code = "ResourceNotFoundException"
    http_status = 404


class InvalidSignatureException(ServiceError):
    code = "InvalidSignatureException"
    http_status = 403


class WrongTokens:
    """Wrong tokens per address over the last minute of the core's clock."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self._seen: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        now = self.core.clock.monotonic()
        times = self._seen.setdefault(address, deque())
        while times and times[0] <= now - WINDOW_S:
            times.popleft()
        if not times:
            self._seen.pop(address, None)
        return times

    def check(self, address: str | None) -> None:
        if len(self._recent(address or "")) >= self.core.config.intake.wrong_tokens_per_minute:
            raise ThrottlingException(
                "too many wrong intake tokens from this address; wait a minute and check the integration's token"
            )

    def failed(self, address: str | None) -> None:
        self._recent(address or "")
        self._seen.setdefault(address or "", deque()).append(self.core.clock.monotonic())


_limiters: WeakKeyDictionary[Core, WrongTokens] = WeakKeyDictionary()


def wrong_tokens(core: Core) -> WrongTokens:
    limiter = _limiters.get(core)
    if limiter is None:
        limiter = _limiters[core] = WrongTokens(core)
    return limiter


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "").strip()
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.query_params.get("token") or None


def check_token(core: Core, request: Request, integration: Integration | None, integration_id: str,
                token: str | None) -> Integration:
    limiter = wrong_tokens(core)
    if integration is None:
        limiter.failed(source_ip(request.scope))
        raise UnknownIntegrationException(f"no integration {integration_id[:40]!r} exists on this core")
    if token is None:
        raise InvalidTokenException(
            "the request has no integration token: send 'Authorization: Bearer TOKEN' or ?token=TOKEN"
        )
    if not integration.token_matches(token):
        limiter.failed(source_ip(request.scope))
        raise InvalidTokenException(f"the token is not integration {integration.id}'s (RotateIntegrationToken makes a new one)")
    return integration


def json_body(request: Request, media_types: tuple[str, ...] = ("application/json",)) -> Any:
    """The body as JSON, after checking its content type and size."""
    body = body_of(request.scope)
    if len(body) > MAX_PAYLOAD:
        raise PayloadTooLargeException(f"the payload is {len(body)} bytes; intake takes at most {MAX_PAYLOAD} (256 KiB)")
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media not in media_types and not (media.endswith("+json") and "application/json" in media_types):
        raise UnsupportedMediaTypeException(
            f"Content-Type {media or '(none)'!r} is not accepted here; send {' or '.join(media_types)}"
        )
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidPayloadException(f"the payload is not valid JSON: {exc}") from None


def body_text(request: Request) -> str | None:
    """The (already parsed) JSON body as text, for the intake log to keep as it came; None when
    it is not plain UTF-8 (the log then keeps the parsed payload, re-encoded)."""
    try:
        text = body_of(request.scope).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if text.startswith("\ufeff") else text


async def refuse(core: Core, request: Request, metrics: ServerMetrics, kind: str, err: ServiceError,
                 integration_id: str | None) -> None:
    """Count and audit a refusal (the route then answers ``err``)."""
    metrics.count_intake(kind, err.code)
    await audit_refusal(
        core, operation="IntakePayload", principal=anonymous(core, "intake"), origin="intake",
        params={"integrationId": (integration_id or "")[:40], "path": request.url.path[:200]},
        code=err.code, message=err.message, source_ip=source_ip(request.scope),
    )
