"""The outermost middleware: what every request gets before any route sees it.

* an ``x-amzn-RequestId`` on every response (AWS's name, which botocore reports);
* the body read once, at most 1 MiB (a larger one is answered 413 and never parsed);
* one access-log line and one ``cockpit_http_requests_total`` count per request, labelled with
  the route's template (``/v1/{operation}``), never the raw path or query, which may hold ARNs
  or a link's token.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import InternalServerException
from core.server.errors import RequestEntityTooLargeException
from core.server.wire import error_response

if TYPE_CHECKING:
    from core.runtime import Core
    from core.server.metrics import ServerMetrics

MAX_BODY = 1024 * 1024
BODY = "cockpit.body"
CALLER = "cockpit.caller"
REQUEST_ID = "cockpit.request_id"
OPERATION = "cockpit.operation"

access_log = logging.getLogger("cockpit.server.access")
log = logging.getLogger("cockpit.server")


def body_of(scope: Scope) -> bytes:
    return scope.get(BODY, b"")


def source_ip(scope: Scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


def note_operation(scope: Scope, name: str) -> None:
    """Name the operation a request ran, for the access log."""
    scope[OPERATION] = name


def _too_large() -> RequestEntityTooLargeException:
    return RequestEntityTooLargeException(f"the request body is larger than {MAX_BODY} bytes (1 MiB)")


async def _read_body(scope: Scope, receive: Receive) -> bytes | None:
    """The whole body, or None when it is over the limit."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY:
            return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)  # the client went away; the route will see a disconnect
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _route_label(scope: Scope) -> str:
    route: BaseRoute | None = scope.get("route")
    return getattr(route, "path", None) or "(no route)"


class Framing:
    def __init__(self, app: ASGIApp, core: Core, metrics: ServerMetrics) -> None:
        self.app = app
        self.core = core
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        clock = self.core.clock
        started = clock.monotonic()
        request_id = str(uuid.uuid4())
        scope[REQUEST_ID] = request_id
        status = {"code": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], True
                headers = list(message.get("headers", []))
                headers.append((b"x-amzn-requestid", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        body = await _read_body(scope, receive)
        try:
            if body is None:
                await error_response(_too_large())(scope, receive, send_with_id)
                return
            scope[BODY] = body
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            try:
                await self.app(scope, replay, send_with_id)
            except Exception:
                # outside any operation (they answer their own errors): the traceback goes to
                # the log, the caller gets the JSON envelope
                log.exception("request %s failed", request_id)
                if status["started"]:
                    raise
                failure = InternalServerException(
                    f"the server failed to answer {scope['method']} {_route_label(scope)}; see its log (request {request_id})"
                )
                await error_response(failure)(scope, receive, send_with_id)
        finally:
            route = _route_label(scope)
            self.metrics.count_request(route, status["code"])
            self._log(scope, route, status["code"], (clock.monotonic() - started) * 1000.0)

    def _log(self, scope: Scope, route: str, status: int, millis: float) -> None:
        caller = scope.get(CALLER)
        fields: dict[str, Any] = {
            "request_id": scope[REQUEST_ID],
            "method": scope["method"],
            "route": route,
            "status": status,
            "duration_ms": round(millis, 2),
            "source_ip": source_ip(scope),
        }
        if scope.get(OPERATION):
            fields["operation"] = scope[OPERATION]
        if caller is not None:
            fields["principal"] = caller.principal.name
            fields["access_key_id"] = caller.access_key_id
        access_log.info(
            "%s %s %s %s", scope["method"], route, status, fields.get("operation", ""), extra={"fields": fields}
        )
