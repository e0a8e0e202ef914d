"""The core's HTTP server app: every binding, mounted on one Starlette app.

    build_server_app(core) -> Starlette

Route modules each export ``routes(core)``: routes behind ``Authenticate`` (deny by default:
every path that is not public, unknown ones included, needs an access key). A module whose
routes check their own credential (a Twilio signature, an email link's token) exports
``public_routes(core)`` as well or instead. To add a module, add it to ``ROUTE_MODULES``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount

from core.server import (
    ack_links,
    aws_contacts,
    aws_incidents,
    events_stream,
    health,
    heartbeat_pings,
    intake,
    native,
    opsgenie,
    twilio_webhooks,
)
from core.server.auth import Authenticate
from core.server.errors import UnknownOperationException
from core.server.framing import Framing
from core.server.metrics import ServerMetrics
from core.server.wire import error_response

if TYPE_CHECKING:
    from core.runtime import Core

ROUTE_MODULES = (native, aws_incidents, aws_contacts, events_stream, twilio_webhooks, ack_links, intake, opsgenie,
                 heartbeat_pings)


class MethodNotAllowedException(UnknownOperationException):
    http_status = 405


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 in the shared error envelope."""
    assert isinstance(exc, HTTPException)
    method, path = request.method, request.url.path
    if exc.status_code == 405:
        return error_response(MethodNotAllowedException(f"{method} is not allowed on {path}"))
    return error_response(
        UnknownOperationException(f"no operation is served at {method} {path}; see the README's 'Server' section")
    )


def build_server_app(core: Core) -> Starlette:
    metrics = ServerMetrics()
    public: list[BaseRoute] = []
    private: list[BaseRoute] = health.routes(core, metrics)
    for module in ROUTE_MODULES:
        public.extend(getattr(module, "public_routes", lambda _core: [])(core))
        private.extend(getattr(module, "routes", lambda _core: [])(core))
    authenticated = Mount("", routes=private, middleware=[Middleware(Authenticate, core=core)])
    app = Starlette(
        routes=[*public, authenticated],
        middleware=[Middleware(Framing, core=core, metrics=metrics)],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.metrics = metrics
    return app
