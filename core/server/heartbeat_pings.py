"""Heartbeat pings over HTTP (PingHeartbeat for scripts and cron jobs that hold no access key).

* ``GET|POST /intake/heartbeats/{name}/ping`` with the heartbeat's own token as
  ``Authorization: Bearer TOKEN`` or ``?token=TOKEN``; answers ``200`` with the heartbeat's
  state and next deadline, errors in the server's envelope.
* ``GET|POST /v2/heartbeats/{name}/ping``, Opsgenie's Heartbeat API, with
  ``Authorization: GenieKey TOKEN``: the heartbeat's token, or the token of an ``opsgenie``
  integration (what a team moving off Opsgenie already sends). Answers Opsgenie's
  ``202 {"result": "PONG - Heartbeat received", "took", "requestId"}``.

A wrong or missing token is refused (401) whether or not the heartbeat exists, counted toward
the intake's per-address lockout, audited and counted in ``/metrics``. The ping itself is
dispatched as a narrow principal (``heartbeat/<name>``) allowed only PingHeartbeat, so it is
audited like any call.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.errors import ResourceNotFoundException, ServiceError
from core.ops.dispatch import dispatch
from core.ops.heartbeats import token_matches
from core.ops.integrations import find_integration_by_token
from core.server.framing import REQUEST_ID, note_operation, source_ip
from core.server.intake_input import InvalidTokenException, bearer_token, refuse, wrong_tokens
from core.server.outside_callers import outside_principal
from core.server.wire import error_response, native_json

if TYPE_CHECKING:
    from core.runtime import Core

OPERATION = "PingHeartbeat"
ACTIONS = frozenset({"cockpit:PingHeartbeat"})


def genie_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "").strip()
    return header[9:].strip() or None if header[:9].lower() == "geniekey " else None


async def _authorized(core: Core, request: Request, name: str, token: str | None, genie: bool) -> None:
    """Refuse (InvalidTokenException) unless ``token`` is the heartbeat's, or with ``genie`` an
    opsgenie integration's; ResourceNotFoundException for an unknown heartbeat only then."""
    limiter = wrong_tokens(core)
    address = source_ip(request.scope)
    limiter.check(address)
    how = "'Authorization: GenieKey TOKEN'" if genie else "'Authorization: Bearer TOKEN' or ?token=TOKEN"
    if token is None:
        raise InvalidTokenException(f"the request has no heartbeat token: send {how}")
    async with core.db.transaction() as tx:
        stored = await tx.scalar("SELECT token_hash FROM heartbeats WHERE name = ?", (name,))
    if stored is not None and token_matches(stored, token):
        return
    if genie:
        integration = await find_integration_by_token(core, token)
        if integration is not None and integration.type == "opsgenie":
            if stored is None:
                raise ResourceNotFoundException(f"heartbeat {name!r} does not exist", "HEARTBEAT", name)
            return
    limiter.failed(address)
    raise InvalidTokenException(f"the token is not heartbeat {name[:100]!r}'s (CreateHeartbeat showed it once)")


async def _ping(core: Core, request: Request, genie: bool) -> dict[str, Any]:
    """Check the token (a refusal is counted and audited), then dispatch PingHeartbeat."""
    name = request.path_params["name"]
    note_operation(request.scope, OPERATION)
    try:
        await _authorized(core, request, name, genie_key(request) if genie else bearer_token(request), genie)
    except ServiceError as err:
        await refuse(core, request, request.app.state.metrics, "heartbeat", err, None)
        raise
    principal = outside_principal(core, "heartbeat", name, ACTIONS)
    return await dispatch(core, principal, OPERATION, {"name": name}, "opsgenie" if genie else "intake",
                          source_ip(request.scope))


def public_routes(core: Core) -> list[BaseRoute]:
    async def native_ping(request: Request) -> Response:
        try:
            result = await _ping(core, request, genie=False)
        except ServiceError as err:
            return error_response(err)
        beat = result["heartbeat"]
        return native_json({"name": beat["name"], "state": beat["state"], "expectedBy": beat.get("expectedBy"),
                            "recovered": result["recovered"], "resolved": result["resolved"]})

    async def opsgenie_ping(request: Request) -> Response:
        started = core.clock.monotonic()
        try:
            await _ping(core, request, genie=True)
            status, body = 202, {"result": "PONG - Heartbeat received"}
        except ServiceError as err:
            status, body = err.http_status, {"message": err.message}
        body |= {"took": round(core.clock.monotonic() - started, 3), "requestId": request.scope[REQUEST_ID]}
        return Response(json.dumps(body), status, media_type="application/json")

    return [
        Route("/intake/heartbeats/{name}/ping", native_ping, methods=["GET", "POST"]),
        Route("/v2/heartbeats/{name}/ping", opsgenie_ping, methods=["GET", "POST"]),
    ]
