"""The native binding: ``POST /v1/{Operation}`` with the operation's request dict as JSON.

The response is the dict ``Client.call`` returns (timestamps as ISO 8601 text); an error is
the shared envelope ``{"__type", "message", "fields"}`` with its HTTP status. An operation
named in both AWS services (TagResource...) is picked by its members' casing, as in-process,
or named exactly: ``/v1/ssm-contacts:TagResource``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.errors import ServiceError
from core.ops.dispatch import dispatch
from core.server.auth import caller
from core.server.framing import body_of, note_operation
from core.server.wire import error_response, json_object, native_json

if TYPE_CHECKING:
    from core.runtime import Core


def routes(core: Core) -> list[BaseRoute]:
    async def call(request: Request) -> Response:
        name = request.path_params["operation"]
        note_operation(request.scope, name)
        who = caller(request)
        try:
            params = json_object(body_of(request.scope))
            result = await dispatch(core, who.principal, name, params, "native", who.source_ip)
        except ServiceError as err:
            return error_response(err)
        return native_json(result)

    return [Route("/v1/{operation}", call, methods=["POST"])]
