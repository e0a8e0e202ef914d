"""The HTTP bindings' wire format: JSON bodies and one error envelope, in AWS's conventions.

Every error, from any route, is ``{"__type": code, "message": ..., "fields": [...]}`` with the
error's HTTP status and an ``x-amzn-ErrorType`` header, which is what botocore reads for both
rest-json (ssm-incidents) and JSON 1.1 (ssm-contacts). For the AWS bindings the error also
carries the members the service models for that exception (``resourceIdentifier``,
``ResourceId``, ``Fields``...), so boto3's modelled exceptions are filled in.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from core.errors import ServiceError
from core.server.errors import SerializationException

JSON = "application/json"
AMZ_JSON = "application/x-amz-json-1.1"


def _epoch(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_object(body: bytes) -> dict[str, Any]:
    """A request body as a JSON object (empty means ``{}``)."""
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SerializationException(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise SerializationException(f"the request body must be a JSON object, not {type(value).__name__}")
    return value


def aws_json(value: Any, status: int = 200, media_type: str = JSON) -> Response:
    """An AWS binding's response: timestamps as epoch seconds, as botocore parses them."""
    if status == 204:
        return Response(status_code=204)
    return Response(json.dumps(value, default=_epoch), status, media_type=media_type)


def native_json(value: Any, status: int = 200) -> Response:
    """A native binding's response: timestamps as ISO 8601 text in UTC."""
    return Response(json.dumps(value, default=_iso), status, media_type=JSON)


def _contacts_members(err: ServiceError) -> dict[str, Any]:
    """ssm-contacts models its exceptions in PascalCase (``Message``, ``ResourceId``...)."""
    out: dict[str, Any] = {"Message": err.message}
    details = err.details
    if details.get("resourceIdentifier") is not None:
        out["ResourceId"] = details["resourceIdentifier"]
    if details.get("resourceType") is not None:
        out["ResourceType"] = details["resourceType"]
    if details.get("DependentEntities"):
        out["DependentEntities"] = details["DependentEntities"]
    fields = details.get("fields")
    if err.code == "ValidationException":
        out["Reason"] = "FIELD_VALIDATION_FAILED" if fields else "OTHER"
        if fields:
            out["Fields"] = [{"Name": f["name"], "Message": f["message"]} for f in fields]
    return out


def error_body(err: ServiceError, service: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"__type": err.code, "message": err.message}
    fields = err.details.get("fields")
    if fields:
        body["fields"] = fields
    if service == "ssm-contacts":
        body.update(_contacts_members(err))
    elif service == "ssm-incidents":
        for key in ("resourceIdentifier", "resourceType"):
            if err.details.get(key) is not None:
                body[key] = err.details[key]
    return body


def error_response(err: ServiceError, service: str | None = None) -> Response:
    return Response(
        json.dumps(error_body(err, service), default=_iso),
        err.http_status,
        headers={"x-amzn-ErrorType": err.code},
        media_type=JSON,
    )
