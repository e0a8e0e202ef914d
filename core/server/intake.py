"""``POST /intake/{integrationId}``: monitoring sources post their alerts here.

The integration's token authenticates the request (``Authorization: Bearer TOKEN`` or
``?token=TOKEN``, as SNS cannot set headers), so these are public routes. A ``cloudwatch-sns``
payload is an SNS message (``Content-Type: text/plain``): its signature is verified, a
SubscriptionConfirmation is confirmed by fetching its SubscribeURL, and a Notification's
alarm is the alert. Every other type posts JSON in its published format.

The payload is normalized first (a payload not of its type's format is refused, and starts
nothing), then logged and acted on (core.ops.intake.receive) before the answer:
``202 {"eventId", "status", "outcome": [...], "error"?}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.errors import ServiceError
from core.intake import sns
from core.intake.alerts import PayloadError
from core.intake.normalize import normalize
from core.ops.intake import Outcome, Received, receive, record_outcome
from core.ops.integrations import Integration, find_integration
from core.server.framing import note_operation, source_ip
from core.server.intake_input import (
    InvalidPayloadException,
    InvalidSignatureException,
    bearer_token,
    body_text,
    check_token,
    json_body,
    refuse,
    wrong_tokens,
)
from core.server.wire import error_response, native_json

if TYPE_CHECKING:
    from core.runtime import Core

SNS_MEDIA = ("text/plain", "application/json")
SUBSCRIPTION_TYPES = ("SubscriptionConfirmation", "UnsubscribeConfirmation")


def outcome_body(outcome: Outcome) -> dict[str, Any]:
    body: dict[str, Any] = {"eventId": outcome.event_id, "status": outcome.status, "outcome": outcome.results}
    if outcome.error:
        body["error"] = outcome.error
    return body


async def _sns(core: Core, integration: Integration, payload: Any, ip: str | None) -> Received:
    hosts = core.config.intake.sns_cert_hosts
    try:
        message = sns.envelope(payload)
        await sns.verify(message, hosts)
    except PayloadError as exc:
        raise InvalidPayloadException(str(exc)) from None
    except sns.SignatureError as exc:
        raise InvalidSignatureException(str(exc)) from None
    if message["Type"] in SUBSCRIPTION_TYPES:
        return Received(integration, "sns-subscription", message, source_ip=ip)
    try:
        alerts = normalize(integration.type, integration.options, message, core.clock.now())
    except PayloadError as exc:
        raise InvalidPayloadException(str(exc)) from None
    return Received(integration, "alert", message, alerts, source_ip=ip)


async def accept(core: Core, request: Request, integration_id: str) -> Response:
    metrics = request.app.state.metrics
    ip = source_ip(request.scope)
    kind = "unknown"
    try:
        wrong_tokens(core).check(ip)
        integration = check_token(core, request, await find_integration(core, integration_id), integration_id,
                                  bearer_token(request))
        kind = integration.type
        if kind == "cloudwatch-sns":
            item = await _sns(core, integration, json_body(request, SNS_MEDIA), ip)
        else:
            payload = json_body(request)
            try:
                alerts = normalize(kind, integration.options, payload, core.clock.now())
            except PayloadError as exc:
                raise InvalidPayloadException(str(exc)) from None
            item = Received(integration, "alert", payload, alerts, source_ip=ip, body=body_text(request))
    except ServiceError as err:
        await refuse(core, request, metrics, kind, err, integration_id)
        return error_response(err)
    outcome = await receive(core, item)
    if item.action == "sns-subscription" and item.payload["Type"] == "SubscriptionConfirmation":
        try:
            done = await sns.confirm_subscription(item.payload, core.config.intake.sns_cert_hosts)
            outcome.results = [{"action": "subscription-confirmed", "detail": done}]
        except sns.SignatureError as exc:
            outcome.status, outcome.error = "failed", f"SubscriptionConfirmation: {exc}"
        await record_outcome(core, outcome.event_id, outcome.results, outcome.error)
    metrics.count_intake(kind, "accepted" if outcome.status == "processed" else "failed")
    return native_json(outcome_body(outcome), 202)


def public_routes(core: Core) -> list[BaseRoute]:
    async def intake(request: Request) -> Response:
        note_operation(request.scope, "IntakePayload")
        return await accept(core, request, request.path_params["integration_id"])

    return [Route("/intake/{integration_id}", intake, methods=["POST"])]
