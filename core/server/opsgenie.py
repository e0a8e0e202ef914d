"""An Opsgenie-compatible Alert API at ``/v2/...``, so a team moving off Opsgenie changes only
the API URL (Alertmanager's ``opsgenie_configs.api_url``, Grafana's Opsgenie contact point, a
script) to this server's root URL.

``Authorization: GenieKey <token>`` names an ``opsgenie`` integration by its token.

* ``POST /v2/alerts``: create (an open alert with the same ``alias`` counts one more and
  joins its incident);
* ``POST /v2/alerts/{identifier}/acknowledge`` and ``/close``, ``?identifierType=id|alias|tiny``;
* ``GET /v2/alerts/{identifier}``;
* ``GET /v2/alerts/requests/{requestId}``: whether a request succeeded, or its error.

Writes answer Opsgenie's ``202 {"result": "Request will be processed", "took", "requestId"}``
once the request is logged and acted on; the request id is its intake event's id. Errors are
Opsgenie's ``{"message", "took", "requestId"}``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.errors import ResourceNotFoundException, ServiceError
from core.intake.alerts import PayloadError
from core.intake.opsgenie import create_alert, identifier_type
from core.ops.intake import Received, find_alert, receive
from core.ops.integrations import Integration, find_integration_by_token
from core.server.framing import REQUEST_ID, note_operation, source_ip
from core.server.intake_input import (
    InvalidPayloadException,
    InvalidTokenException,
    body_text,
    json_body,
    refuse,
    wrong_tokens,
)
from core.store.db import loads
from core.timeutil import from_us

if TYPE_CHECKING:
    from core.runtime import Core

ACTIONS = {"opsgenie-create": "Create", "opsgenie-acknowledge": "Acknowledge", "opsgenie-close": "Close"}
DONE = {"Create": "Created alert", "Acknowledge": "Acknowledged", "Close": "Closed"}


def _answer(request: Request, started: float, core: Core, body: dict[str, Any], status: int) -> Response:
    body["took"] = round(core.clock.monotonic() - started, 3)
    body.setdefault("requestId", request.scope[REQUEST_ID])
    return Response(json.dumps(body, default=str), status, media_type="application/json")


async def _integration(core: Core, request: Request) -> Integration:
    wrong_tokens(core).check(source_ip(request.scope))
    header = request.headers.get("authorization", "").strip()
    if header[:9].lower() != "geniekey ":
        raise InvalidTokenException("send the integration's token as 'Authorization: GenieKey TOKEN'")
    integration = await find_integration_by_token(core, header[9:].strip())
    if integration is None:
        wrong_tokens(core).failed(source_ip(request.scope))
        raise InvalidTokenException("Could not authenticate: no integration has this GenieKey")
    if integration.type != "opsgenie":
        raise InvalidTokenException(f"integration {integration.name} is of type {integration.type}; /v2 takes opsgenie ones")
    return integration


def _target(request: Request) -> str:
    try:
        kind = identifier_type(request.query_params.get("identifierType"))
    except PayloadError as exc:
        raise InvalidPayloadException(str(exc)) from None
    return f"{kind}:{request.path_params['identifier']}"


def _alert_data(row: Any, integration: Integration) -> dict[str, Any]:
    doc = loads(row["doc"])
    return {
        "id": row["id"], "tinyId": str(row["tiny_id"]), "alias": row["alias"], "message": doc.get("message"),
        "status": row["status"], "acknowledged": bool(row["acknowledged"]), "isSeen": bool(row["acknowledged"]),
        "tags": doc.get("tags") or [], "snoozed": False, "count": row["count"],
        "lastOccurredAt": from_us(row["updated_us"]).isoformat(), "createdAt": from_us(row["created_us"]).isoformat(),
        "updatedAt": from_us(row["updated_us"]).isoformat(), "source": doc.get("source") or "",
        "owner": "", "priority": doc.get("priority") or "P3", "responders": [], "entity": doc.get("entity") or "",
        "description": doc.get("description") or "", "details": doc.get("details") or {},
        "integration": {"id": integration.id, "name": integration.name, "type": "API"},
        "incidentArn": row["incident_arn"],
    }


def public_routes(core: Core) -> list[BaseRoute]:
    async def write(request: Request, action: str) -> Response:
        note_operation(request.scope, f"Opsgenie{ACTIONS[action]}Alert")
        started = core.clock.monotonic()
        metrics = request.app.state.metrics
        try:
            integration = await _integration(core, request)
            if action == "opsgenie-create":
                payload = json_body(request)
                try:
                    alerts = [create_alert(payload, core.clock.now())]
                except PayloadError as exc:
                    raise InvalidPayloadException(str(exc)) from None
                item = Received(integration, action, payload, alerts, source_ip=source_ip(request.scope),
                                body=body_text(request))
            else:
                payload = json_body(request) if request.headers.get("content-length", "0") != "0" else {}
                item = Received(integration, action, payload, target=_target(request),
                                source_ip=source_ip(request.scope))
        except ServiceError as err:
            await refuse(core, request, metrics, "opsgenie", err, None)
            return _answer(request, started, core, {"message": err.message}, err.http_status)
        outcome = await receive(core, item)
        metrics.count_intake("opsgenie", "accepted" if outcome.status == "processed" else "failed")
        return _answer(request, started, core,
                       {"result": "Request will be processed", "requestId": outcome.event_id}, 202)

    async def create(request: Request) -> Response:
        return await write(request, "opsgenie-create")

    async def acknowledge(request: Request) -> Response:
        return await write(request, "opsgenie-acknowledge")

    async def close(request: Request) -> Response:
        return await write(request, "opsgenie-close")

    async def get_alert(request: Request) -> Response:
        note_operation(request.scope, "OpsgenieGetAlert")
        started = core.clock.monotonic()
        try:
            integration = await _integration(core, request)
            target = _target(request)
            async with core.db.transaction() as tx:
                row = await find_alert(tx, integration.id, target)
        except ResourceNotFoundException:
            return _answer(request, started, core, {"message": "Alert does not exist"}, 404)
        except ServiceError as err:
            await refuse(core, request, request.app.state.metrics, "opsgenie", err, None)
            return _answer(request, started, core, {"message": err.message}, err.http_status)
        return _answer(request, started, core, {"data": _alert_data(row, integration)}, 200)

    async def request_status(request: Request) -> Response:
        note_operation(request.scope, "OpsgenieRequestStatus")
        started = core.clock.monotonic()
        try:
            integration = await _integration(core, request)
        except ServiceError as err:
            await refuse(core, request, request.app.state.metrics, "opsgenie", err, None)
            return _answer(request, started, core, {"message": err.message}, err.http_status)
        async with core.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM intake_events WHERE event_id = ? AND integration_id = ?",
                (request.path_params["request_id"], integration.id),
            )
        if row is None or row["action"] not in ACTIONS:
            return _answer(request, started, core, {"message": "Request does not exist"}, 404)
        action = ACTIONS[row["action"]]
        results = loads(row["outcome"]) or [{}]
        ok = row["status"] == "processed"
        data = {
            "success": ok, "action": action, "isSuccess": ok, "integrationId": integration.id,
            "processedAt": from_us(row["processed_us"] or row["received_us"]).isoformat(),
            "status": DONE[action] if ok else (row["error"] or "Not processed yet"),
            "alertId": results[0].get("alertId", "") if results else "", "alias": results[0].get("alias", "") if results else "",
        }
        return _answer(request, started, core, {"data": data}, 200)

    return [
        Route("/v2/alerts", create, methods=["POST"]),
        Route("/v2/alerts/requests/{request_id}", request_status, methods=["GET"]),
        Route("/v2/alerts/{identifier}/acknowledge", acknowledge, methods=["POST"]),
        Route("/v2/alerts/{identifier}/close", close, methods=["POST"]),
        Route("/v2/alerts/{identifier}", get_alert, methods=["GET"]),
    ]
