"""The AWS-compatible binding of ssm-incidents: rest-json, routed from botocore's model.

Every operation of the model gets a route at its ``http`` trait's method and URI, answering
with the trait's status code (201 for creates, 204 for updates...). Request members are read
where the model places them: URI labels (``/tags/{resourceArn}``, percent-decoded, so an ARN
with ``/`` and ``:`` arrives whole), the query string, headers, and the JSON body for the rest.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.errors import ServiceError
from core.ops import aws_models
from core.ops.aws_models import OperationModel, Shape
from core.server.aws_call import run_aws
from core.server.framing import body_of
from core.server.wire import aws_json, error_response, json_object

if TYPE_CHECKING:
    from core.runtime import Core

SERVICE = "ssm-incidents"
_LABEL = re.compile(r"\{(\w+)\+?\}")


def _scalar(shape: Shape, text: str) -> Any:
    """A query-string or header value as the member's type (validation names bad ones)."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(text) if re.fullmatch(r"-?\d+", text) else text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


def read_request(model: OperationModel, request: Request) -> dict[str, Any]:
    params = json_object(body_of(request.scope))
    shape = model.input_shape
    if shape is None:
        return params
    for member, (where, wire_name) in shape.locations.items():
        member_shape = shape.members[member]
        if where == "uri":
            params[member] = request.path_params[wire_name]
        elif where == "querystring":
            values = request.query_params.getlist(wire_name)
            if not values:
                continue
            if member_shape.type_name == "list":
                params[member] = [_scalar(member_shape.member, v) for v in values]
            else:
                params[member] = _scalar(member_shape, values[0])
        elif where == "header" and wire_name in request.headers:
            params[member] = _scalar(member_shape, request.headers[wire_name])
    return params


def _route(core: Core, model: OperationModel) -> Route:
    uri = model.http["requestUri"]
    if "?" in uri:
        raise RuntimeError(f"{model.name}: a literal query in the request URI {uri!r} is not routed")
    status = model.http.get("responseCode", 200)

    async def endpoint(request: Request) -> Response:
        try:
            result = await run_aws(core, request, SERVICE, model.name, read_request(model, request))
        except ServiceError as err:
            return error_response(err, SERVICE)
        return aws_json(result, status)

    # labels take the rest of the decoded path: an ARN holds "/" once percent-decoded
    path = _LABEL.sub(lambda m: "{" + m.group(1) + ":path}", uri)
    return Route(path, endpoint, methods=[model.http["method"]], name=model.name)


def routes(core: Core) -> list[BaseRoute]:
    return [_route(core, aws_models.operation_model(SERVICE, name)) for name in aws_models.operation_names(SERVICE)]
