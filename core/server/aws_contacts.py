"""The AWS-compatible binding of ssm-contacts: JSON 1.1, ``POST /`` with
``X-Amz-Target: SSMContacts.<Operation>`` and the request members as the JSON body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.errors import ServiceError
from core.ops import aws_models
from core.server.aws_call import run_aws
from core.server.errors import UnknownOperationException
from core.server.framing import body_of
from core.server.wire import AMZ_JSON, aws_json, error_response, json_object

if TYPE_CHECKING:
    from core.runtime import Core

SERVICE = "ssm-contacts"


class _UnknownTarget(UnknownOperationException):
    http_status = 400  # JSON 1.1 services answer an unknown target with 400


def routes(core: Core) -> list[BaseRoute]:
    prefix = aws_models.metadata(SERVICE)["targetPrefix"] + "."
    names = frozenset(aws_models.operation_names(SERVICE))

    async def endpoint(request: Request) -> Response:
        target = request.headers.get("x-amz-target", "")
        name = target[len(prefix):] if target.startswith(prefix) else ""
        try:
            if name not in names:
                raise _UnknownTarget(
                    f"X-Amz-Target {target!r} names no ssm-contacts operation "
                    f"(expected {prefix}<Operation>, e.g. {prefix}ListContacts)"
                )
            params = json_object(body_of(request.scope))
            result = await run_aws(core, request, SERVICE, name, params)
        except ServiceError as err:
            return error_response(err, SERVICE)
        return aws_json(result, media_type=AMZ_JSON)

    return [Route("/", endpoint, methods=["POST"], name="ssm-contacts")]
